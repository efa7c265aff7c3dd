/**
 * Two-layer flow control.
 * Inbound: a token bucket per identity (429 RATE_LIMITED) and ONE bounded gate for all requests
 * (503 OVERLOADED when its queue is full or a request waited too long). Memory is bounded: the
 * queue has a fixed size and buckets are per wallet identity.
 * Outbound: `guard(name, fn)` per downstream (ledger, each payment rail): concurrency limit with a
 * bounded queue, timeout (504 DOWNSTREAM_TIMEOUT) and an opossum circuit breaker (503 CIRCUIT_OPEN).
 * Business rejections (4xx) pass through and never count as breaker failures.
 */
import CircuitBreaker from 'opossum';
import { GatewayError, isBusinessError } from './errors';

export class TokenBuckets {
  private buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    private rate: number,
    private burst: number,
    private maxKeys = 100_000,
  ) {}

  /** Takes one token for `key`; throws 429 with the seconds until one is available. */
  take(key: string, now = Date.now()): void {
    if (this.rate <= 0) return;
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string);
      b = { tokens: this.burst, at: now };
      this.buckets.set(key, b);
    }
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.rate);
    b.at = now;
    if (b.tokens < 1) {
      const wait = Math.max(1, Math.ceil((1 - b.tokens) / this.rate));
      throw new GatewayError(429, 'RATE_LIMITED', `rate limit of ${this.rate} requests/s exceeded`, undefined, wait);
    }
    b.tokens -= 1;
  }
}

/** A semaphore with a bounded FIFO queue; `acquire` resolves to a release function. */
export class Gate {
  private active = 0;
  private waiting: Array<{ go: () => void; timer?: NodeJS.Timeout }> = [];
  constructor(
    private limit: number,
    private maxQueue: number,
    private timeoutMs: number,
    private full: () => Error,
  ) {}

  get inFlight(): number {
    return this.active;
  }
  get queued(): number {
    return this.waiting.length;
  }

  async acquire(): Promise<() => void> {
    if (this.active < this.limit) {
      this.active++;
      return this.releaser();
    }
    if (this.waiting.length >= this.maxQueue) throw this.full();
    await new Promise<void>((resolve, reject) => {
      const w: { go: () => void; timer?: NodeJS.Timeout } = { go: resolve };
      if (this.timeoutMs > 0) {
        w.timer = setTimeout(() => {
          const i = this.waiting.indexOf(w);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(this.full());
        }, this.timeoutMs);
      }
      this.waiting.push(w);
    });
    return this.releaser();
  }

  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.waiting.shift();
      if (next) {
        clearTimeout(next.timer);
        next.go(); // the slot passes straight to the next waiter
      } else this.active--;
    };
  }
}

// ---- outbound guard

export interface GuardOptions {
  concurrency: number;
  queue: number;
  timeoutMs: number;
  errorThresholdPercentage: number;
  volumeThreshold: number;
  resetTimeoutMs: number;
}

let defaults: GuardOptions = {
  concurrency: 128,
  queue: 1024,
  timeoutMs: 15000,
  errorThresholdPercentage: 50,
  volumeThreshold: 20,
  resetTimeoutMs: 10000,
};
const guards = new Map<
  string,
  { gate: Gate; breaker: CircuitBreaker<[() => Promise<unknown>], unknown>; opts: GuardOptions }
>();

/** Sets the defaults for guards made after this call (the app calls it from its config). */
export function configureGuards(opts: Partial<GuardOptions>): void {
  defaults = { ...defaults, ...opts };
}

function entry(name: string, opts?: Partial<GuardOptions>) {
  let g = guards.get(name);
  if (g) return g;
  const o = { ...defaults, ...opts };
  const busy = () => new GatewayError(503, 'DOWNSTREAM_BUSY', `${name} has too many requests waiting`, undefined, 1);
  const breaker = new CircuitBreaker((fn: () => Promise<unknown>) => fn(), {
    name,
    timeout: o.timeoutMs > 0 ? o.timeoutMs : false,
    errorThresholdPercentage: o.errorThresholdPercentage,
    volumeThreshold: o.volumeThreshold,
    resetTimeout: o.resetTimeoutMs,
    errorFilter: (err: unknown) => isBusinessError(err),
  });
  g = { gate: new Gate(o.concurrency, o.queue, o.timeoutMs, busy), breaker, opts: o };
  guards.set(name, g);
  return g;
}

/** Configures (or reconfigures, dropping state) one downstream's guard. */
export function defineGuard(name: string, opts: Partial<GuardOptions>): CircuitBreaker {
  guards.get(name)?.breaker.shutdown();
  guards.delete(name);
  return entry(name, opts).breaker as CircuitBreaker;
}

/** The breaker behind a guard, for health pages and tests (events: open, halfOpen, close). */
export const breakerOf = (name: string): CircuitBreaker => entry(name).breaker as CircuitBreaker;

/** Runs `fn` against downstream `name` under its concurrency limit, timeout and circuit breaker. */
export async function guard<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const g = entry(name);
  if (g.breaker.opened) throw circuitOpen(name, g.opts); // fail fast without queueing
  const release = await g.gate.acquire();
  try {
    return (await g.breaker.fire(fn)) as T;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'EOPENBREAKER') throw circuitOpen(name, g.opts);
    if (code === 'ETIMEDOUT')
      throw new GatewayError(
        504,
        'DOWNSTREAM_TIMEOUT',
        `${name} did not answer within ${g.opts.timeoutMs} ms`,
        undefined,
        1,
      );
    throw err;
  } finally {
    release();
  }
}

const circuitOpen = (name: string, o: GuardOptions) =>
  new GatewayError(
    503,
    'CIRCUIT_OPEN',
    `${name} is failing; calls are suspended for up to ${Math.ceil(o.resetTimeoutMs / 1000)} s`,
    undefined,
    Math.max(1, Math.ceil(o.resetTimeoutMs / 1000)),
  );

/** Breaker states for /readyz and metrics. */
export function guardStates(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, g] of guards) out[name] = g.breaker.opened ? 'open' : g.breaker.halfOpen ? 'halfOpen' : 'closed';
  return out;
}
