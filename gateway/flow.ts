/**
 * Inbound flow control: the one gate for all requests (ledger/guard.ts `Gate`), admitting by
 * waiting time (503 OVERLOADED + Retry-After when a request would wait or waited longer than
 * LJ_QUEUE_TIMEOUT_MS), shared fairly between identities, each capped below the total; then a
 * token bucket per identity (429 RATE_LIMITED). A request is refused before its body is read
 * when the gate would refuse it anyway; a missing or bad signature is refused before it takes a
 * slot (gateway/auth.ts runs first). Outbound calls go through ledger/guard.ts `Guards`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LedgerError } from '../ledger/errors';
import type { Gate } from '../ledger/guard';
import './plugin';

/** Probes never wait behind traffic. */
const UNGATED = new Set(['/healthz', '/readyz']);

const overloaded = (): LedgerError =>
  new LedgerError('OVERLOADED', 'the gateway is at capacity; retry later', undefined, 503, 1);

/** Whose share of the gate a request takes: its signer (claimed until verified), else anonymous. */
const gateKey = (req: FastifyRequest): string => req.member?.handle ?? req.claimed?.handle ?? '';

/**
 * A queue a request goes through before the gate (the signature verifiers): when it is already
 * longer than `maxWaitMs`, the request is refused on arrival too, as the gate would refuse it.
 */
export interface AheadOfTheGate {
  waitMs(): number;
  maxWaitMs: number;
}

/**
 * Installs the gate and the rate limit; register after gateway/auth.ts so the signer is known.
 * A request not admitted within `admitWithinMs` of its arrival (0: no bound) is refused.
 * @throws nothing itself; requests get 503 OVERLOADED or 429 RATE_LIMITED
 */
export function installGate(
  app: FastifyInstance,
  gate: Gate,
  buckets: TokenBuckets,
  ahead: AheadOfTheGate[] = [],
  admitWithinMs = 0,
): void {
  app.decorate('gate', gate);
  app.addHook('onRequest', (req, _reply, done) => {
    const shed = !UNGATED.has(req.url) && (gate.wouldShed(gateKey(req)) || ahead.some((a) => a.waitMs() > a.maxWaitMs));
    done(shed ? overloaded() : undefined);
  });
  app.addHook('preValidation', async (req, reply) => {
    if (UNGATED.has(req.url)) return;
    const release = await gate.acquire(gateKey(req));
    // Admission by waiting time counts from arrival: reading the body and checking the signature
    // waited too. A request that got here too late is refused before it reaches the ledger.
    if (admitWithinMs > 0 && reply.elapsedTime > admitWithinMs) {
      release();
      throw overloaded();
    }
    req.releaseGate = release;
    // A client that went away while waiting gets no onResponse: give the slot back when its response closes.
    if (reply.raw.destroyed || req.raw.destroyed) release();
    else reply.raw.once('close', release);
    if (req.member) buckets.take(req.member.handle);
  });
  app.addHook('onResponse', (req, _reply, done) => {
    req.releaseGate?.();
    done();
  });
  app.addHook('onRequestAbort', (req, done) => {
    req.releaseGate?.();
    done();
  });
}

/** The gate's refusal: 503 OVERLOADED, Retry-After 1. */
export const gateFull = overloaded;

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
