/**
 * Guards for calls to downstreams (the ledger itself, each payment rail): a concurrency limit with
 * a bounded queue, a timeout (504 DOWNSTREAM_TIMEOUT) and an opossum circuit breaker
 * (503 CIRCUIT_OPEN). Business rejections (4xx) pass through and never count as failures.
 * One `Guards` registry per service, built where the service is assembled (no module state).
 */
import CircuitBreaker from 'opossum';
import { isBusinessError, LedgerError, unavailable } from './errors';

export interface GateOptions {
  /** Calls running at once. */
  limit: number;
  /** Calls of one key (an identity) running at once; below `limit`, so no one takes every slot. Default `limit`. */
  perKeyLimit?: number;
  /** Calls waiting at most. */
  maxQueue: number;
  /**
   * Longest wait in the queue (0: no limit). A call is refused at once when the expected wait
   * (calls ahead × recent slot time ÷ limit) already exceeds it.
   */
  maxWaitMs: number;
  /** The error for a full queue, a wait that would be or was too long. */
  full: () => Error;
  /** Time a slot should be held at most (ms; 0: no adaptation): beyond it fewer slots open (see `limit`). */
  targetHoldMs?: number;
}

interface Waiter {
  key: string;
  go: (release: () => void) => void;
  timer?: NodeJS.Timeout;
}

/**
 * A semaphore admitting by waiting time: a bounded queue per key (identity), served round-robin
 * so every waiting identity gets its share, each key capped below the total. `acquire` resolves
 * to a release function.
 */
export class Gate {
  private active = 0;
  private waiting = 0;
  private readonly activeByKey = new Map<string, number>();
  /** Waiters per key; the Map's order is the round-robin order (a served key moves to the end). */
  private readonly lines = new Map<string, Waiter[]>();
  /** Recent time a slot is held (ms, moving average): the expected wait's unit. */
  private holdMs = 0;
  private readonly o: Required<GateOptions>;

  constructor(options: GateOptions) {
    this.o = { perKeyLimit: options.limit, targetHoldMs: 0, ...options };
  }

  get inFlight(): number {
    return this.active;
  }
  get queued(): number {
    return this.waiting;
  }

  /** Whether a call of `key` would be refused right now (full, or its wait would be too long). */
  wouldShed(key = ''): boolean {
    if (this.canRun(key)) return false;
    if (this.waiting >= this.o.maxQueue) return true;
    return this.o.maxWaitMs > 0 && ((this.waiting + 1) * this.holdMs) / this.limit() > this.o.maxWaitMs;
  }

  /**
   * Waits for a slot.
   * @param key who asks (an identity): keys share the slots fairly
   * @returns the function that gives the slot back (safe to call twice)
   * @throws the `full` error when the queue is full, or the wait would be or was too long
   */
  async acquire(key = ''): Promise<() => void> {
    if (this.canRun(key)) return this.take(key);
    if (this.wouldShed(key)) throw this.o.full();
    return new Promise<() => void>((resolve, reject) => {
      const waiter: Waiter = { key, go: resolve };
      if (this.o.maxWaitMs > 0) {
        waiter.timer = setTimeout(() => {
          const line = this.lines.get(key);
          const i = line ? line.indexOf(waiter) : -1;
          if (i >= 0) {
            line!.splice(i, 1);
            if (line!.length === 0) this.lines.delete(key);
            this.waiting--;
          }
          reject(this.o.full());
        }, this.o.maxWaitMs);
      }
      const line = this.lines.get(key);
      if (line) line.push(waiter);
      else this.lines.set(key, [waiter]);
      this.waiting++;
    });
  }

  /**
   * Slots open now: all of them while a slot is held no longer than `targetHoldMs`, fewer in
   * proportion when it is held longer (the service is slower than the load: fewer at once keeps
   * each one's time bounded), never below a quarter of them.
   */
  private limit(): number {
    const target = this.o.targetHoldMs;
    if (target <= 0 || this.holdMs <= target) return this.o.limit;
    return Math.max(Math.ceil(this.o.limit / 4), Math.floor((this.o.limit * target) / this.holdMs));
  }

  private canRun(key: string): boolean {
    return this.active < this.limit() && (this.activeByKey.get(key) ?? 0) < this.o.perKeyLimit && !this.lines.has(key);
  }

  private take(key: string): () => void {
    this.active++;
    this.activeByKey.set(key, (this.activeByKey.get(key) ?? 0) + 1);
    const since = performance.now();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.holdMs = this.holdMs * 0.9 + (performance.now() - since) * 0.1;
      this.active--;
      const n = this.activeByKey.get(key)! - 1;
      if (n > 0) this.activeByKey.set(key, n);
      else this.activeByKey.delete(key);
      this.dispatch();
    };
  }

  /** Hands free slots to the next waiting keys in round-robin order. */
  private dispatch(): void {
    for (const [key, line] of this.lines) {
      if (this.active >= this.limit()) return;
      if ((this.activeByKey.get(key) ?? 0) >= this.o.perKeyLimit) continue;
      const next = line.shift()!;
      this.lines.delete(key);
      if (line.length) this.lines.set(key, line); // to the end of the round
      this.waiting--;
      clearTimeout(next.timer);
      next.go(this.take(key)); // the slot passes straight to the waiter
    }
  }
}

export interface GuardOptions {
  concurrency: number;
  queue: number;
  timeoutMs: number;
  errorThresholdPercentage: number;
  volumeThreshold: number;
  resetTimeoutMs: number;
}

export const DEFAULT_GUARD: GuardOptions = {
  concurrency: 128,
  queue: 1024,
  timeoutMs: 15000,
  errorThresholdPercentage: 50,
  volumeThreshold: 20,
  resetTimeoutMs: 10000,
};

interface GuardEntry {
  gate: Gate;
  breaker: CircuitBreaker<[() => Promise<unknown>], unknown>;
  options: GuardOptions;
}

/** The guards of one service, by downstream name ('ledger', 'rail:bank', ...). */
export class Guards {
  private readonly entries = new Map<string, GuardEntry>();

  /** @param defaults options for guards not configured with `define` */
  constructor(private readonly defaults: GuardOptions = DEFAULT_GUARD) {}

  /** Configures (or reconfigures, dropping its state) the guard of one downstream. */
  define(name: string, options: Partial<GuardOptions>): CircuitBreaker {
    this.entries.get(name)?.breaker.shutdown();
    this.entries.delete(name);
    return this.entry(name, options).breaker;
  }

  /** The breaker behind a guard, for health pages and tests (events: open, halfOpen, close). */
  breakerOf(name: string): CircuitBreaker {
    return this.entry(name).breaker;
  }

  /**
   * Runs `call` against downstream `name` under its concurrency limit, timeout and breaker.
   * @returns what `call` returns
   * @throws LedgerError 503 CIRCUIT_OPEN or DOWNSTREAM_BUSY, 504 DOWNSTREAM_TIMEOUT; else what `call` throws
   */
  async run<T>(name: string, call: () => Promise<T>): Promise<T> {
    const entry = this.entry(name);
    if (entry.breaker.opened) throw circuitOpen(name, entry.options); // fail fast without queueing
    const release = await entry.gate.acquire();
    try {
      return (await entry.breaker.fire(call)) as T;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'EOPENBREAKER') throw circuitOpen(name, entry.options);
      if (code === 'ETIMEDOUT') {
        throw new LedgerError(
          'DOWNSTREAM_TIMEOUT',
          `${name} did not answer within ${entry.options.timeoutMs} ms`,
          undefined,
          504,
          1,
        );
      }
      throw err;
    } finally {
      release();
    }
  }

  /** Breaker states for /readyz and metrics. */
  states(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, entry] of this.entries) {
      out[name] = entry.breaker.opened ? 'open' : entry.breaker.halfOpen ? 'halfOpen' : 'closed';
    }
    return out;
  }

  /** Stops every breaker's timers. */
  shutdown(): void {
    for (const entry of this.entries.values()) entry.breaker.shutdown();
    this.entries.clear();
  }

  private entry(name: string, options?: Partial<GuardOptions>): GuardEntry {
    const existing = this.entries.get(name);
    if (existing) return existing;
    const merged = { ...this.defaults, ...options };
    const breaker = new CircuitBreaker((call: () => Promise<unknown>) => call(), {
      name,
      timeout: merged.timeoutMs > 0 ? merged.timeoutMs : false,
      errorThresholdPercentage: merged.errorThresholdPercentage,
      volumeThreshold: merged.volumeThreshold,
      resetTimeout: merged.resetTimeoutMs,
      errorFilter: (err: unknown) => isBusinessError(err),
    });
    const busy = (): LedgerError => unavailable('DOWNSTREAM_BUSY', `${name} has too many requests waiting`);
    const entry = {
      gate: new Gate({ limit: merged.concurrency, maxQueue: merged.queue, maxWaitMs: merged.timeoutMs, full: busy }),
      breaker,
      options: merged,
    };
    this.entries.set(name, entry);
    return entry;
  }
}

const circuitOpen = (name: string, options: GuardOptions): LedgerError => {
  const seconds = Math.max(1, Math.ceil(options.resetTimeoutMs / 1000));
  return unavailable('CIRCUIT_OPEN', `${name} is failing; calls are suspended for up to ${seconds} s`, seconds);
};

/** Validation codes of a tx invalidated by a concurrent write: executing it again may succeed. */
export const CONTENTION_CODES: ReadonlySet<string> = new Set(['MVCC_READ_CONFLICT', 'PHANTOM_READ_CONFLICT']);

export interface ContentionRetry {
  /** Executions at most (the first included). */
  attempts: number;
  /** Backoff before the n-th retry: uniform in [0, min(maxDelayMs, baseDelayMs · 2^n)). */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_CONTENTION_RETRY: ContentionRetry = { attempts: 12, baseDelayMs: 2, maxDelayMs: 100 };

/**
 * Runs a write until it is not invalidated by a concurrent one (MVCC or phantom conflict), a
 * bounded number of times with jittered exponential backoff, so clients see business outcomes
 * only. Each run must be a fresh transaction of the same intent (the chaincode's intent record
 * keeps it idempotent).
 * @returns what `run` returns
 * @throws LedgerError 503 CONTENDED (Retry-After 1) when every run was invalidated; else what `run` throws
 */
export async function retryContended<T>(
  run: () => Promise<T>,
  retry: ContentionRetry = DEFAULT_CONTENTION_RETRY,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (!(err instanceof LedgerError) || !CONTENTION_CODES.has(err.code)) throw err;
      if (attempt >= retry.attempts) {
        throw unavailable(
          'CONTENDED',
          `the write was invalidated by concurrent writes ${attempt} times; retry later with the same Idempotency-Key`,
        );
      }
      const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
    }
  }
}
