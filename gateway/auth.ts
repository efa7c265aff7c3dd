/**
 * Signed requests. onRequest checks the headers (key known, clock skew, formats) before any body
 * is read; preValidation, once the body is parsed, checks the SM2 signature over the raw body,
 * then remembers the nonce, then takes a rate token: an unverified request never fills the nonce
 * cache or drains someone else's bucket.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LedgerError, unauthenticated } from '../ledger/errors';
import type { TokenBuckets } from './flow';
import type { Identity } from '../ledger/types';
import { H, NONCE_RE, verifyRequest } from './signing';
import type { Wallet } from '../ledger/wallet';
import './plugin';

/**
 * Nonces seen in the last `windowMs`, in one Set per time bucket; whole buckets expire at once.
 * When `max` nonces are held new requests are refused (503) instead of the cache growing.
 */
export class NonceCache {
  private buckets = new Map<number, Set<string>>();
  private count = 0;
  constructor(
    private windowMs: number,
    private max: number,
    private bucketMs = Math.max(1000, Math.floor(windowMs / 10)),
  ) {}

  get size(): number {
    return this.count;
  }

  /** Records `nonce`; false when it was already seen within the window. */
  add(nonce: string, now = Date.now()): boolean {
    const current = Math.floor(now / this.bucketMs);
    const oldest = current - Math.ceil(this.windowMs / this.bucketMs);
    for (const [b, set] of this.buckets) {
      if (b < oldest) {
        this.count -= set.size;
        this.buckets.delete(b);
      }
    }
    for (const set of this.buckets.values()) if (set.has(nonce)) return false;
    if (this.count >= this.max)
      throw new LedgerError('OVERLOADED', 'too many signed requests in the replay window', undefined, 503, 1);
    let set = this.buckets.get(current);
    if (!set) this.buckets.set(current, (set = new Set()));
    set.add(nonce);
    this.count++;
    return true;
  }
}

interface AuthDeps {
  wallet: Wallet;
  nonces: NonceCache;
  buckets: TokenBuckets;
  maxSkewMs: number;
}

const header = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
};

/** Routes with `config: { public: true }` and the Swagger UI need no signature. */
export const isPublic = (req: FastifyRequest): boolean =>
  (req.routeOptions.config as { public?: boolean } | undefined)?.public === true || req.url.startsWith('/docs');

export function installAuth(app: FastifyInstance, deps: AuthDeps): void {
  app.addHook('onRequest', async (req) => {
    if (isPublic(req)) return;
    const keyId = header(req, H.key);
    if (!keyId)
      throw unauthenticated('UNAUTHENTICATED', 'signed request required: X-LJ-Key header is missing', 'X-LJ-Key');
    const id = deps.wallet.get(keyId);
    if (!id) throw unauthenticated('UNAUTHENTICATED', `unknown key ${keyId}`, 'X-LJ-Key');
    const ts = header(req, H.timestamp);
    if (!ts || !/^[0-9]{1,15}$/.test(ts))
      throw unauthenticated('UNAUTHENTICATED', 'X-LJ-Timestamp must be milliseconds since the epoch', 'X-LJ-Timestamp');
    if (Math.abs(Date.now() - Number(ts)) > deps.maxSkewMs) {
      throw unauthenticated(
        'CLOCK_SKEW',
        `X-LJ-Timestamp is more than ${deps.maxSkewMs / 60000} minutes from the gateway's clock`,
        'X-LJ-Timestamp',
      );
    }
    const nonce = header(req, H.nonce);
    if (!nonce || !NONCE_RE.test(nonce))
      throw unauthenticated('UNAUTHENTICATED', 'X-LJ-Nonce must be 16-64 lowercase hex digits', 'X-LJ-Nonce');
    if (!header(req, H.signature))
      throw unauthenticated('UNAUTHENTICATED', 'X-LJ-Signature header is missing', 'X-LJ-Signature');
    req.claimed = id;
  });

  app.addHook('preValidation', async (req) => {
    const id: Identity | undefined = req.claimed;
    if (!id) return;
    const ok = verifyRequest(
      id.sm2.publicKey,
      req.method,
      req.url,
      req.rawBody ?? '',
      header(req, H.timestamp)!,
      header(req, H.nonce)!,
      header(req, H.signature)!,
    );
    if (!ok)
      throw unauthenticated(
        'BAD_SIGNATURE',
        'X-LJ-Signature does not verify for this request and key',
        'X-LJ-Signature',
      );
    if (!deps.nonces.add(`${id.keyId}\n${header(req, H.nonce)}`))
      throw unauthenticated('REPLAYED_NONCE', 'this nonce was already used', 'X-LJ-Nonce');
    deps.buckets.take(id.keyId);
    req.identity = id;
  });
}
