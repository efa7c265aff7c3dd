/**
 * Committed state in memory: a tx reads ~10 state keys and its validation reads them again, each
 * a LevelDB lookup (most of them misses through every level). Values read or written stay here
 * (the latest `max` keys), updated once their block's batch is written, so reads see committed
 * state exactly as LevelDB would. Range reads go to LevelDB.
 */
import type { BatchOp, CommittedState, Db } from './commit';
import { STATE } from './keys';
import type { DbIterator, StateDb } from './stub';

export class StateCache implements StateDb, CommittedState {
  /** full key (s!...) → raw committed value, or null when absent. */
  private readonly values = new Map<string, Buffer | null>();

  constructor(
    private readonly db: Db,
    private readonly max = 200_000,
  ) {}

  getSync(key: string): Buffer | undefined {
    const hit = this.values.get(key);
    if (hit !== undefined) return hit ?? undefined;
    const raw = this.db.getSync(key);
    if (key.startsWith(STATE)) this.remember(key, raw ?? null);
    return raw;
  }

  iterator(opts: Parameters<StateDb['iterator']>[0]): DbIterator {
    return this.db.iterator(opts);
  }

  /** A block's batch was written: its state writes are the committed values now. */
  committed(ops: BatchOp[]): void {
    for (const op of ops) if (op.key.startsWith(STATE)) this.remember(op.key, op.type === 'put' ? op.value : null);
  }

  /** Forgets everything (a batch failed: what LevelDB holds is unknown until read again). */
  clear(): void {
    this.values.clear();
  }

  private remember(key: string, raw: Buffer | null): void {
    if (this.values.has(key)) this.values.delete(key);
    else if (this.values.size >= this.max) this.values.delete(this.values.keys().next().value as string);
    this.values.set(key, raw);
  }
}
