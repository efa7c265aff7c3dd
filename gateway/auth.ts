/**
 * Signed requests (gateway/signing.ts). onRequest checks the key against the chain's member
 * registry (registered, not revoked, not expired), the clock and the header shapes before any
 * body is read; preValidation checks the SM2 signature over the request as received, then
 * remembers the nonce, then takes a rate token: an unverified request never fills the nonce
 * cache or drains someone else's bucket. The verified request becomes the member's intent,
 * which the chaincode checks again.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LedgerError, unauthenticated } from '../ledger/errors';
import type { Member } from '../chaincode/core/context';
import type { SignedRequest } from '../chaincode/core/intent';
import { sm3 } from '../chaincode/lib/gm';
import type { TokenBuckets } from './flow';
import type { MemberDirectory } from './members';
import { HEADERS, httpIntent, KEY_ID_RE, NONCE_RE, splitUrl, verifySignedRequest } from './signing';
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
  members: MemberDirectory;
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

const ENVELOPE = 'application/sm4-envelope';

/** The member named by X-LJ-Key, who must be registered, active and unexpired. */
async function claimedMember(req: FastifyRequest, members: MemberDirectory): Promise<Member> {
  const keyId = header(req, HEADERS.key);
  if (!keyId)
    throw unauthenticated('UNAUTHENTICATED', 'signed request required: X-LJ-Key header is missing', 'X-LJ-Key');
  if (!KEY_ID_RE.test(keyId)) throw unauthenticated('INVALID_HEADER', 'X-LJ-Key must be mspId:name', 'X-LJ-Key');
  const member = await members.get(keyId);
  if (!member) throw unauthenticated('UNKNOWN_KEY', `no member ${keyId} is registered`, 'X-LJ-Key');
  if (member.status === 'revoked') throw unauthenticated('KEY_REVOKED', `the key of ${keyId} was revoked`, 'X-LJ-Key');
  if (member.validUntil && new Date().toISOString() > member.validUntil) {
    throw unauthenticated('KEY_EXPIRED', `the key of ${keyId} expired at ${member.validUntil}`, 'X-LJ-Key');
  }
  return member;
}

/** Header shapes and the clock, checked before any body is read. */
function checkHeaders(req: FastifyRequest, maxSkewMs: number): void {
  const ts = header(req, HEADERS.timestamp);
  if (!ts) throw unauthenticated('UNAUTHENTICATED', 'X-LJ-Timestamp header is missing', 'X-LJ-Timestamp');
  if (!/^[0-9]{1,15}$/.test(ts)) {
    throw unauthenticated('INVALID_HEADER', 'X-LJ-Timestamp must be milliseconds since the epoch', 'X-LJ-Timestamp');
  }
  if (Math.abs(Date.now() - Number(ts)) > maxSkewMs) {
    throw unauthenticated(
      'CLOCK_SKEW',
      `X-LJ-Timestamp is more than ${maxSkewMs / 60000} minutes from the gateway's clock`,
      'X-LJ-Timestamp',
    );
  }
  const nonce = header(req, HEADERS.nonce);
  if (!nonce) throw unauthenticated('UNAUTHENTICATED', 'X-LJ-Nonce header is missing', 'X-LJ-Nonce');
  if (!NONCE_RE.test(nonce)) {
    throw unauthenticated('INVALID_HEADER', 'X-LJ-Nonce must be 16-64 lowercase hex digits', 'X-LJ-Nonce');
  }
  if (!header(req, HEADERS.signature)) {
    throw unauthenticated('UNAUTHENTICATED', 'X-LJ-Signature header is missing', 'X-LJ-Signature');
  }
}

/** The signed parts of the request as received. */
function receivedRequest(req: FastifyRequest, signer: string): SignedRequest {
  const contentType = header(req, 'content-type') ?? '';
  const raw = req.rawBody ?? Buffer.alloc(0);
  const bodyHash = sm3(raw);
  const envelope = contentType.toLowerCase().startsWith(ENVELOPE);
  const { path, query } = splitUrl(req.url);
  return {
    signer,
    method: req.method,
    path,
    query,
    contentType,
    idempotencyKey: header(req, 'idempotency-key') ?? '',
    bodyHash,
    contentHash: envelope ? (header(req, HEADERS.contentHash) ?? '') : bodyHash,
    timestamp: header(req, HEADERS.timestamp)!,
    nonce: header(req, HEADERS.nonce)!,
  };
}

export function installAuth(app: FastifyInstance, deps: AuthDeps): void {
  app.addHook('onRequest', async (req) => {
    if (isPublic(req)) return;
    const member = await claimedMember(req, deps.members);
    checkHeaders(req, deps.maxSkewMs);
    req.claimed = member;
  });

  app.addHook('preValidation', (req): Promise<void> => {
    const member = req.claimed;
    if (!member) return Promise.resolve();
    const signed = receivedRequest(req, member.handle);
    const signature = header(req, HEADERS.signature)!;
    if (!verifySignedRequest(member.publicKey, signed, signature)) {
      throw unauthenticated(
        'BAD_SIGNATURE',
        'X-LJ-Signature does not verify for this request and key',
        'X-LJ-Signature',
      );
    }
    const plain = req.plainBody ?? Buffer.alloc(0);
    if (signed.contentHash !== sm3(plain)) {
      throw unauthenticated('BAD_SIGNATURE', 'X-LJ-Content-SM3 is not the SM3 of the opened body', 'X-LJ-Content-SM3');
    }
    if (!deps.nonces.add(`${member.handle}\n${signed.nonce}`)) {
      throw unauthenticated('REPLAYED_NONCE', 'this nonce was already used', 'X-LJ-Nonce');
    }
    deps.buckets.take(member.handle);
    req.member = member;
    req.intent = httpIntent(signed, plain.toString('utf8'), signature);
    return Promise.resolve();
  });
}
