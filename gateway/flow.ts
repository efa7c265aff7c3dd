/**
 * Inbound flow control: a token bucket per identity (429 RATE_LIMITED) in front of the one
 * bounded gate for all requests (ledger/guard.ts `Gate`; 503 OVERLOADED when its queue is full
 * or a request waited too long). Outbound calls go through ledger/guard.ts `Guards`.
 */
import { LedgerError } from '../ledger/errors';

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
      throw new LedgerError('RATE_LIMITED', `rate limit of ${this.rate} requests/s exceeded`, undefined, 429, wait);
    }
    b.tokens -= 1;
  }
}
