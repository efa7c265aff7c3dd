/**
 * Each peer's block height as its filtered block stream tells it. A submit confirmed by its
 * Gateway peer waits here until every other peer that answers has the block too, so the next
 * endorsement (the regulator's peer included) reads the state the caller just wrote.
 */
import type { OrgConnection } from './connections';
import { sleep } from './errors';

interface Waiter {
  height: number;
  resolve: () => void;
}

export class PeerHeights {
  private readonly heights = new Map<string, number>();
  private readonly waiters = new Set<Waiter>();
  private closed = false;
  private readonly streams = new Set<{ close(): void }>();

  constructor(connections: OrgConnection[]) {
    for (const connection of connections) void this.watch(connection);
  }

  private async watch(connection: OrgConnection): Promise<void> {
    const mspId = connection.org.mspId;
    while (!this.closed) {
      try {
        const blocks = await connection.channel().getFilteredBlockEvents();
        this.streams.add(blocks);
        try {
          for await (const block of blocks) {
            this.heights.set(mspId, Number(block.getNumber()) + 1);
            this.notify();
          }
        } finally {
          this.streams.delete(blocks);
        }
      } catch {
        // The peer is down or restarting: nobody waits for it until its stream answers again.
      }
      this.heights.delete(mspId);
      this.notify();
      if (!this.closed) await sleep(500);
    }
  }

  private lagging(height: number): boolean {
    return [...this.heights.values()].some((h) => h < height);
  }

  private notify(): void {
    for (const w of this.waiters) {
      if (this.lagging(w.height)) continue;
      this.waiters.delete(w);
      w.resolve();
    }
  }

  /** Resolves when every answering peer has `height` blocks, or after `timeoutMs` (never rejects). */
  reached(height: number, timeoutMs = 3000): Promise<void> {
    if (!this.lagging(height)) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter: Waiter = {
        height,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        resolve();
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Known heights by MSP id (peers whose stream is down are absent). */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.heights);
  }

  close(): void {
    this.closed = true;
    for (const s of this.streams) s.close();
    for (const w of this.waiters) w.resolve();
    this.waiters.clear();
  }
}
