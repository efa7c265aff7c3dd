/**
 * Signed requests (gateway/signing.ts). onRequest checks the key against the chain's member
 * registry (registered, not revoked, not expired), the clock and the header shapes before any
 * body is read; preValidation checks the SM2 signature over the request as received (on worker
 * threads), then remembers the nonce (kept across restarts); only then does the request take a
 * gate slot and a rate token (gateway/flow.ts): an unverified request never fills the nonce cache,
 * takes a slot or drains someone else's bucket. The verified request becomes the member's intent,
 * which the chaincode checks again.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LedgerError, unauthenticated } from '../ledger/errors';
import type { Member } from '../chaincode/core/context';
import { canonicalRequest, SignedRequest } from '../chaincode/core/intent';
import { sm3 } from '../chaincode/lib/gm';
import { sharedVerifierPool, VerifierPool } from '../chaincode/lib/gm/pool';
import type { MemberDirectory } from './members';
import { HEADERS, httpIntent, KEY_ID_RE, NONCE_RE, splitUrl } from './signing';
import './plugin';

export interface NonceCacheOptions {
  /** How long a nonce is remembered. */
  windowMs: number;
  /** Nonces held at most; beyond it new requests are refused (503) instead of the cache growing. */
  max: number;
  /** Where the nonces are kept across restarts (`<data>/gateway`); none = memory only (tests). */
  dir?: string;
  /** Width of a time bucket (default windowMs / 10, at least 1 s). */
  bucketMs?: number;
}

/**
 * Nonces seen in the last `windowMs`, in one Set per time bucket; whole buckets expire at once.
 * With `dir`, each bucket is also an append-only file (`nonces-<bucket>`, written before the
 * request goes on), read back on start: a request replayed after a crash or kill -9 is refused
 * as before it.
 */
export class NonceCache {
  private buckets = new Map<number, Set<string>>();
  private files = new Map<number, number>();
  private count = 0;
  private readonly bucketMs: number;

  constructor(private readonly o: NonceCacheOptions) {
    this.bucketMs = o.bucketMs ?? Math.max(1000, Math.floor(o.windowMs / 10));
    if (o.dir) this.load(o.dir);
  }

  get size(): number {
    return this.count;
  }

  /** Records `nonce`; false when it was already seen within the window. */
  add(nonce: string, now = Date.now()): boolean {
    const current = Math.floor(now / this.bucketMs);
    this.expire(current);
    for (const set of this.buckets.values()) if (set.has(nonce)) return false;
    if (this.count >= this.o.max)
      throw new LedgerError('OVERLOADED', 'too many signed requests in the replay window', undefined, 503, 1);
    let set = this.buckets.get(current);
    if (!set) this.buckets.set(current, (set = new Set()));
    set.add(nonce);
    this.count++;
    if (this.o.dir) fs.writeSync(this.fileOf(current), nonce + '\n');
    return true;
  }

  /** Closes the bucket files. */
  close(): void {
    for (const fd of this.files.values()) fs.closeSync(fd);
    this.files.clear();
  }

  private oldest(current: number): number {
    return current - Math.ceil(this.o.windowMs / this.bucketMs);
  }

  private expire(current: number): void {
    const oldest = this.oldest(current);
    for (const [b, set] of this.buckets) {
      if (b >= oldest) continue;
      this.count -= set.size;
      this.buckets.delete(b);
      const fd = this.files.get(b);
      if (fd !== undefined) fs.closeSync(fd);
      this.files.delete(b);
      if (this.o.dir) fs.rmSync(path.join(this.o.dir, `nonces-${b}`), { force: true });
    }
  }

  private fileOf(bucket: number): number {
    let fd = this.files.get(bucket);
    if (fd === undefined) {
      fd = fs.openSync(path.join(this.o.dir!, `nonces-${bucket}`), 'a', 0o600);
      this.files.set(bucket, fd);
    }
    return fd;
  }

  private load(dir: string): void {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const oldest = this.oldest(Math.floor(Date.now() / this.bucketMs));
    for (const name of fs.readdirSync(dir)) {
      const m = /^nonces-(\d+)$/.exec(name);
      if (!m) continue;
      const bucket = Number(m[1]);
      if (bucket < oldest) {
        fs.rmSync(path.join(dir, name), { force: true });
        continue;
      }
      const set = new Set(fs.readFileSync(path.join(dir, name), 'utf8').split('\n').filter(Boolean));
      this.buckets.set(bucket, set);
      this.count += set.size;
    }
  }
}

interface AuthDeps {
  members: MemberDirectory;
  nonces: NonceCache;
  maxSkewMs: number;
  /** Where request signatures are verified (default: the process's worker pool, off the event loop). */
  verifier?: VerifierPool;
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

/** Checks signed requests: headers on arrival, the signature and the nonce once the body is read. */
export function installAuth(app: FastifyInstance, deps: AuthDeps): void {
  const verifier = deps.verifier ?? sharedVerifierPool();
  app.addHook('onClose', () => Promise.resolve(deps.nonces.close()));
  app.addHook('onRequest', async (req) => {
    if (isPublic(req)) return;
    const member = await claimedMember(req, deps.members);
    checkHeaders(req, deps.maxSkewMs);
    req.claimed = member;
  });

  app.addHook('preValidation', async (req) => {
    const member = req.claimed;
    if (!member) return;
    const signed = receivedRequest(req, member.handle);
    const signature = header(req, HEADERS.signature)!;
    if (!(await verifier.verify(member.publicKey, sm3(canonicalRequest(signed)), signature))) {
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
    if (!deps.nonces.add(`${member.handle} ${signed.nonce}`)) {
      throw unauthenticated('REPLAYED_NONCE', 'this nonce was already used', 'X-LJ-Nonce');
    }
    req.member = member;
    req.intent = httpIntent(signed, plain.toString('utf8'), signature);
  });
}
