/**
 * Per-key serialisation of hot keys before ordering. A simulated tx whose reads overlap what a
 * pending tx (simulated, not yet committed) writes is bound to fail MVCC validation; instead of
 * ordering it to fail, it waits its turn on that key and is simulated again once the writer has
 * committed. Waiters on a key go one at a time, in arrival order: 200 transfers out of one
 * account run one after another instead of 199 of them failing.
 */
import type { RangeRead } from './stub';

/** What a simulation read, as the stub recorded it. */
export interface ReadSet {
  reads: Map<string, string>;
  rangeReads: RangeRead[];
}

export class HotKeys {
  /** key → pending txs that write it. */
  private readonly writers = new Map<string, number>();
  /** key → the tx whose turn it is (woken, simulating again). */
  private readonly turns = new Set<string>();
  /** key → waiters, first come first served. */
  private readonly lines = new Map<string, Array<() => void>>();

  /** Keys written by pending txs or held by a tx whose turn it is (for tests and ops pages). */
  get busyKeys(): number {
    return this.writers.size + this.turns.size;
  }

  private busy(key: string, mine?: string): boolean {
    return this.writers.has(key) || (key !== mine && this.turns.has(key));
  }

  /**
   * The first key the read set shares with a pending write or a turn, or undefined when ordering
   * it now cannot conflict with anything pending. `stale` tells whether a read is no longer the
   * committed version (a block committed while the tx was simulated); `mine` is the turn the
   * caller holds.
   */
  conflict(set: ReadSet, stale?: (key: string, version: string) => boolean, mine?: string): string | undefined {
    if (this.writers.size === 0 && this.turns.size === 0 && !stale) return undefined;
    for (const [key, version] of set.reads) if (this.busy(key, mine) || stale?.(key, version)) return key;
    if (this.writers.size === 0 && this.turns.size === 0) return undefined;
    for (const r of set.rangeReads) {
      const busy = this.busyIn(r, mine);
      if (busy !== undefined) return busy;
    }
    return undefined;
  }

  /** A busy key inside what range read `r` covered (a phantom if it is ordered now). */
  private busyIn(r: RangeRead, mine?: string): string | undefined {
    const last = r.keys.length ? r.keys[r.keys.length - 1][0] + '\u0000' : r.start;
    const upper = r.exhausted ? r.end : last;
    const inRange = (k: string): boolean => k >= r.start && (!upper || k < upper);
    for (const key of this.writers.keys()) if (inRange(key)) return key;
    for (const key of this.turns) if (key !== mine && inRange(key)) return key;
    return undefined;
  }

  /** Registers a tx's writes as pending (it is ordered): readers of these keys now wait for its commit. */
  add(keys: Iterable<string>): void {
    for (const key of keys) this.writers.set(key, (this.writers.get(key) ?? 0) + 1);
  }

  /** The tx that wrote `keys` committed (or failed to): the next waiter on a freed key gets its turn. */
  remove(keys: Iterable<string>): void {
    for (const key of keys) {
      const n = (this.writers.get(key) ?? 1) - 1;
      if (n > 0) this.writers.set(key, n);
      else {
        this.writers.delete(key);
        this.wakeNext(key);
      }
    }
  }

  /** Resolves when it is the caller's turn on `key`; the caller must then call `done(key)` exactly once. */
  wait(key: string): Promise<void> {
    if (!this.busy(key)) {
      this.turns.add(key);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const line = this.lines.get(key);
      if (line) line.push(resolve);
      else this.lines.set(key, [resolve]);
    });
  }

  /** The turn on `key` ends (the tx was ordered, failed, or waits elsewhere now). */
  done(key: string): void {
    if (!this.turns.delete(key)) return;
    if (!this.writers.has(key)) this.wakeNext(key);
  }

  private wakeNext(key: string): void {
    if (this.turns.has(key)) return;
    const line = this.lines.get(key);
    const next = line?.shift();
    if (!next) return;
    if (line!.length === 0) this.lines.delete(key);
    this.turns.add(key);
    next();
  }
}
