/**
 * Idempotency-Key for POSTs: the first response (status + body) for (caller, key) is kept and
 * replayed for the same request; the same key with another request is 409. Bounded: LRU with a
 * TTL. A concurrent duplicate waits for the first to finish. 5xx results are not kept, so a
 * retry after a failure runs again (the chaincode's own business keys keep that safe).
 */
import { LedgerError } from '../ledger/errors';

export interface StoredResponse {
  status: number;
  body: string;
  contentType: string;
}

interface Entry {
  fingerprint: string;
  at: number;
  response?: StoredResponse;
  done?: Promise<StoredResponse | undefined>;
  finish?: (r: StoredResponse | undefined) => void;
}

export type Claim =
  { kind: 'new'; complete: (r: StoredResponse | undefined) => void } | { kind: 'replay'; response: StoredResponse };

export const IDEMPOTENCY_KEY_RE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export class IdempotencyStore {
  private map = new Map<string, Entry>();
  constructor(
    private max: number,
    private ttlMs: number,
  ) {}

  get size(): number {
    return this.map.size;
  }

  /** Claims (scope, key) for a request with `fingerprint`, or returns the response to replay. */
  async claim(scope: string, key: string, fingerprint: string, now = Date.now()): Promise<Claim> {
    const k = `${scope}\n${key}`;
    const e = this.map.get(k);
    if (e && now - e.at <= this.ttlMs) {
      if (e.fingerprint !== fingerprint) {
        throw new LedgerError(
          'IDEMPOTENCY_KEY_REUSED',
          'this Idempotency-Key was used for a different request',
          'Idempotency-Key',
          409,
        );
      }
      this.map.delete(k); // LRU: move to the back
      this.map.set(k, e);
      const r = e.response ?? (await e.done);
      if (r) return { kind: 'replay', response: r };
      return this.claim(scope, key, fingerprint, Date.now()); // the first attempt failed: run again
    }
    if (e) this.map.delete(k);
    const entry: Entry = { fingerprint, at: now };
    entry.done = new Promise((resolve) => (entry.finish = resolve));
    this.map.set(k, entry);
    while (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
    return {
      kind: 'new',
      complete: (r) => {
        if (r && r.status < 500) entry.response = r;
        else if (this.map.get(k) === entry) this.map.delete(k);
        entry.finish?.(entry.response);
        entry.finish = undefined;
        entry.done = undefined;
      },
    };
  }
}
