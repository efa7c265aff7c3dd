/**
 * Shared machinery of the rail simulators: injectable latency, timeouts (before or after the
 * rail acts, as a real network loses either the request or the answer), rejections and
 * duplicate deliveries, and the idempotency record every real rail keeps.
 */
import { randomBytes } from 'node:crypto';
import { railRejected, railTimeout, RailAdapter, RailName, RailPayment, RailReceipt } from './types';

export interface Faults {
  latencyMs?: [number, number];
  /** Request lost: nothing happens, the caller times out. */
  timeoutBeforeRate?: number;
  /** Answer lost: the payment happened, the caller times out anyway. */
  timeoutAfterRate?: number;
  rejectRate?: number;
  /** The request reaches the rail twice (a retrying proxy); the rail must act once. */
  duplicateRate?: number;
  random?: () => number;
}

export abstract class SimulatedRail implements RailAdapter {
  abstract readonly name: RailName;
  private readonly done = new Map<string, RailReceipt>();
  private readonly running = new Map<string, Promise<RailReceipt>>();
  readonly stats = { calls: 0, executed: 0, duplicates: 0, timeouts: 0, rejected: 0 };
  faults: Faults;

  constructor(faults: Faults = {}) {
    this.faults = faults;
  }

  /** Moves the money at the rail (credit the payee); throws railRejected to refuse. */
  protected abstract execute(p: RailPayment): void;

  private roll(rate = 0): boolean {
    return rate > 0 && (this.faults.random ?? Math.random)() < rate;
  }

  private async delay(): Promise<void> {
    const [lo, hi] = this.faults.latencyMs ?? [0, 0];
    const ms = lo + Math.floor((this.faults.random ?? Math.random)() * (hi - lo));
    if (ms > 0) await new Promise((r) => setTimeout(r, ms));
  }

  async pay(p: RailPayment): Promise<RailReceipt> {
    this.stats.calls++;
    await this.delay();
    if (this.roll(this.faults.timeoutBeforeRate)) {
      this.stats.timeouts++;
      throw railTimeout(this.name);
    }
    const deliveries = this.roll(this.faults.duplicateRate) ? [this.deliver(p), this.deliver(p)] : [this.deliver(p)];
    const [receipt] = await Promise.all(deliveries);
    if (this.roll(this.faults.timeoutAfterRate)) {
      this.stats.timeouts++;
      throw railTimeout(this.name);
    }
    return receipt;
  }

  /** One delivery at the rail: dedup on the key, then act once. */
  private deliver(p: RailPayment): Promise<RailReceipt> {
    const prev = this.done.get(p.idempotencyKey) ?? this.running.get(p.idempotencyKey);
    if (prev) {
      this.stats.duplicates++;
      return Promise.resolve(prev);
    }
    const run = new Promise<RailReceipt>((resolve) => {
      if (this.roll(this.faults.rejectRate)) {
        this.stats.rejected++;
        throw railRejected('RAIL_REJECTED', `${this.name} rail refused payment ${p.idempotencyKey}`);
      }
      this.execute(p);
      this.stats.executed++;
      const r = { railRef: `${this.name}-${randomBytes(6).toString('hex')}`, settledAt: new Date().toISOString() };
      this.done.set(p.idempotencyKey, r);
      resolve(r);
    });
    this.running.set(p.idempotencyKey, run);
    return run.finally(() => this.running.delete(p.idempotencyKey));
  }

  lookup(key: string): Promise<RailReceipt | undefined> {
    return Promise.resolve(this.done.get(key));
  }
}
