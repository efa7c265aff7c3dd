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

/** A transaction's fate as its peer committed it. */
export interface Committed {
  code: number;
  blockNumber: number;
}

interface CommitWaiter {
  mspId: string;
  resolve: (committed: Committed | undefined) => void;
}

export class PeerHeights {
  private readonly heights = new Map<string, number>();
  private readonly waiters = new Set<Waiter>();
  private readonly commits = new Map<string, CommitWaiter>();
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
            const blockNumber = Number(block.getNumber());
            for (const tx of block.getFilteredTransactionsList()) {
              const waiter = this.commits.get(tx.getTxid());
              if (waiter?.mspId !== mspId) continue;
              this.commits.delete(tx.getTxid());
              waiter.resolve({ code: tx.getTxValidationCode(), blockNumber });
            }
            this.heights.set(mspId, blockNumber + 1);
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
      this.dropCommitWaiters(mspId);
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

  /**
   * How `mspId`'s peer commits `txId`, from its block stream (so a submit needs no CommitStatus
   * call); undefined when the stream is not there or breaks, or after `timeoutMs`: ask the peer then.
   * Call before the transaction is sent to the orderer.
   */
  committed(mspId: string, txId: string, timeoutMs = 30_000): Promise<Committed | undefined> {
    if (!this.heights.has(mspId)) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.commits.delete(txId);
        resolve(undefined);
      }, timeoutMs);
      this.commits.set(txId, {
        mspId,
        resolve: (committed) => {
          clearTimeout(timer);
          resolve(committed);
        },
      });
    });
  }

  /** Whether `mspId`'s block stream is connected. */
  streaming(mspId: string): boolean {
    return this.heights.has(mspId);
  }

  /** Forgets a commit waiter (the transaction was never sent). */
  forget(txId: string): void {
    this.commits.get(txId)?.resolve(undefined);
    this.commits.delete(txId);
  }

  private dropCommitWaiters(mspId: string): void {
    for (const [txId, waiter] of this.commits) {
      if (waiter.mspId !== mspId) continue;
      this.commits.delete(txId);
      waiter.resolve(undefined);
    }
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
    for (const w of this.commits.values()) w.resolve(undefined);
    this.commits.clear();
  }
}
