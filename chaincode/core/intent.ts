/**
 * A member's intent: what the member signed with its own SM2 key, carried with the transaction
 * (Fabric transient field `lianjian.intent`) and checked by the chaincode itself. Two kinds:
 * - `http`: the member's signed REST request (the gateway forwards it untouched); the chaincode
 *   re-derives the transaction's function and arguments from it (chaincode/operations.ts);
 * - `call`: a direct ledger call (service identities, SDKs talking to the ledger): the member
 *   signs the function and its arguments.
 * The canonical strings here are THE definition of what is signed; the gateway, the SDK, the
 * console and verify-chain all build them through these functions (the console mirrors them in
 * JavaScript and its tests check it byte for byte). docs/identity.md explains the scheme.
 */
import { invalid } from '../lib/errors';
import { sm3 } from '../lib/gm';

/** The transient map entry that carries the intent (never stored by itself; see intent records). */
export const INTENT_TRANSIENT = 'lianjian.intent';
export const HTTP_SCHEME = 'LJ-SM2-V2';
export const CALL_SCHEME = 'LJ-SM2-CALL-V1';

/** The signed parts of a REST request, as the member sent it. */
export interface SignedRequest {
  /** `mspId:name`, the member's handle (X-LJ-Key). */
  signer: string;
  method: string;
  /** Path without the query string, as sent. */
  path: string;
  /** The raw query string (without '?'), canonicalised before signing. */
  query: string;
  /** Content-Type as sent ('' when there is no body). */
  contentType: string;
  /** Idempotency-Key ('' when none). */
  idempotencyKey: string;
  /** SM3 hex of the body bytes as sent (ciphertext for an sm4-envelope). */
  bodyHash: string;
  /** SM3 hex of the plain body (X-LJ-Content-SM3 for an envelope; equal to bodyHash otherwise). */
  contentHash: string;
  /** Milliseconds since the epoch, as a decimal string (X-LJ-Timestamp). */
  timestamp: string;
  /** 16-64 lowercase hex digits (X-LJ-Nonce). */
  nonce: string;
}

export interface HttpIntent extends SignedRequest {
  kind: 'http';
  /** The plain body text (UTF-8); its SM3 must equal contentHash. */
  body: string;
  /** SM2 signature, DER hex (X-LJ-Signature). */
  signature: string;
}

export interface CallIntent {
  kind: 'call';
  signer: string;
  /** 'Contract:function' */
  fn: string;
  args: string[];
  /** The business key that makes the call idempotent ('' = the nonce). */
  idempotencyKey: string;
  timestamp: string;
  nonce: string;
  signature: string;
}

export type Intent = HttpIntent | CallIntent;

const enc = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

/** Query parameters decoded, sorted by name then value, re-encoded: independent of the client's encoding. */
export function canonicalQuery(search: string): string {
  const query = search.startsWith('?') ? search.slice(1) : search;
  if (!query) return '';
  const pairs = [...new URLSearchParams(query)].map(([name, value]) => [enc(name), enc(value)]);
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

/** The media type without parameters, lower case: `application/json; charset=utf-8` → `application/json`. */
export const canonicalContentType = (contentType: string): string =>
  (contentType.split(';')[0] ?? '').trim().toLowerCase();

/** The text a member signs for a REST request (one field per line). */
export function canonicalRequest(r: SignedRequest): string {
  return [
    HTTP_SCHEME,
    r.method.toUpperCase(),
    r.path,
    canonicalQuery(r.query),
    canonicalContentType(r.contentType),
    r.idempotencyKey,
    r.bodyHash,
    r.contentHash,
    r.timestamp,
    r.nonce,
    r.signer,
  ].join('\n');
}

/** The text a member signs for a direct ledger call. */
export function canonicalCall(c: Omit<CallIntent, 'kind' | 'signature'>): string {
  return JSON.stringify([CALL_SCHEME, c.signer, c.fn, c.args, c.idempotencyKey, c.timestamp, c.nonce]);
}

/** What the SM2 signature is over: the SM3 hex of the canonical text. */
export function intentDigest(intent: Intent | (SignedRequest & { kind: 'http' })): string {
  return sm3(intent.kind === 'http' ? canonicalRequest(intent) : canonicalCall(intent));
}

/**
 * What makes two intents "the same request" for idempotency: everything signed except the
 * timestamp, the nonce and the signature.
 */
export function intentFingerprint(intent: Intent): string {
  if (intent.kind === 'call') return sm3(JSON.stringify(['call', intent.fn, intent.args]));
  const r = intent;
  return sm3(JSON.stringify(['http', r.method.toUpperCase(), r.path, canonicalQuery(r.query), r.contentHash]));
}

/** The key a write is idempotent on: the Idempotency-Key, else (call intents) the nonce. */
export const idempotencyKeyOf = (intent: Intent): string => intent.idempotencyKey || `nonce:${intent.nonce}`;

const HEX64 = /^[0-9a-f]{64}$/;
const NONCE = /^[0-9a-f]{16,64}$/;
const HANDLE = /^[A-Za-z0-9][A-Za-z0-9.-]{0,63}:[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function requireString(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string' || value.length > max)
    throw invalid(`intent.${field}`, `intent.${field} must be a string`);
  return value;
}

/**
 * The fields every intent carries: who signed it, its nonce, time, signature and idempotency key.
 * @throws LedgerError 400 INVALID_INTENT naming the field at fault
 */
function signedFields(raw: Record<string, unknown>): {
  signer: string;
  nonce: string;
  timestamp: string;
  signature: string;
  idempotencyKey: string;
} {
  const signer = requireString(raw.signer, 'signer', 129);
  if (!HANDLE.test(signer)) throw invalid('intent.signer', 'intent.signer must be mspId:name', 'INVALID_INTENT');
  const nonce = requireString(raw.nonce, 'nonce', 64);
  if (!NONCE.test(nonce)) throw invalid('intent.nonce', 'intent.nonce must be 16-64 hex digits', 'INVALID_INTENT');
  const timestamp = requireString(raw.timestamp, 'timestamp', 16);
  if (!/^[0-9]{1,15}$/.test(timestamp))
    throw invalid('intent.timestamp', 'intent.timestamp must be ms', 'INVALID_INTENT');
  const signature = requireString(raw.signature, 'signature', 200);
  const idempotencyKey = requireString(raw.idempotencyKey ?? '', 'idempotencyKey', 64);
  return { signer, nonce, timestamp, signature, idempotencyKey };
}

/**
 * Parses and shape-checks an intent from its JSON text.
 * @throws LedgerError 400 INVALID_INTENT naming the field at fault
 */
export function parseIntent(text: string): Intent {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw invalid('intent', 'the intent is not JSON', 'INVALID_INTENT');
  }
  if (!raw || typeof raw !== 'object') throw invalid('intent', 'the intent must be an object', 'INVALID_INTENT');
  const { signer, nonce, timestamp, signature, idempotencyKey } = signedFields(raw);
  if (raw.kind === 'call') {
    const fn = requireString(raw.fn, 'fn', 128);
    if (!Array.isArray(raw.args) || raw.args.some((a) => typeof a !== 'string')) {
      throw invalid('intent.args', 'intent.args must be an array of strings', 'INVALID_INTENT');
    }
    return { kind: 'call', signer, fn, args: raw.args as string[], idempotencyKey, timestamp, nonce, signature };
  }
  if (raw.kind !== 'http') throw invalid('intent.kind', "intent.kind must be 'http' or 'call'", 'INVALID_INTENT');
  const bodyHash = requireString(raw.bodyHash, 'bodyHash', 64);
  const contentHash = requireString(raw.contentHash, 'contentHash', 64);
  if (!HEX64.test(bodyHash) || !HEX64.test(contentHash)) {
    throw invalid('intent.bodyHash', 'intent body hashes must be SM3 hex', 'INVALID_INTENT');
  }
  return {
    kind: 'http',
    signer,
    method: requireString(raw.method, 'method', 10),
    path: requireString(raw.path, 'path', 2048),
    query: requireString(raw.query ?? '', 'query', 4096),
    contentType: requireString(raw.contentType ?? '', 'contentType', 256),
    idempotencyKey,
    bodyHash,
    contentHash,
    timestamp,
    nonce,
    body: requireString(raw.body ?? '', 'body', 1024 * 1024),
    signature,
  };
}
