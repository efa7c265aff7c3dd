/**
 * Signed requests, shared by the gateway (verify) and the SDK (sign). What is signed is
 * chaincode/core/intent.ts `canonicalRequest`: method, path, canonical query, Content-Type,
 * Idempotency-Key, SM3 of the body as sent, SM3 of the plain body, timestamp, nonce and the
 * signer. The signature is SM2 (user id 1234567812345678, DER hex) over the SM3 hex of it.
 * The same signed request is the member's intent the chaincode checks (docs/identity.md).
 */
import { randomBytes } from 'node:crypto';
import { canonicalRequest, HttpIntent, SignedRequest } from '../chaincode/core/intent';
import { sign, sm3, verify } from '../chaincode/lib/gm';
import type { MemberKey } from '../ledger/types';

export { KEY_ID_RE } from '../ledger/wallet';

/** The request headers of the scheme (lower case, as Node gives them). */
export const HEADERS = {
  key: 'x-lj-key',
  timestamp: 'x-lj-timestamp',
  nonce: 'x-lj-nonce',
  signature: 'x-lj-signature',
  /** SM3 of the plain body, for an sm4-envelope body only. */
  contentHash: 'x-lj-content-sm3',
} as const;

export const NONCE_RE = /^[0-9a-f]{16,64}$/;

/** Splits a request target (`/p?q`) into path and query. */
export function splitUrl(url: string): { path: string; query: string } {
  const i = url.indexOf('?');
  return i < 0 ? { path: url, query: '' } : { path: url.slice(0, i), query: url.slice(i + 1) };
}

export interface RequestToSign {
  method: string;
  /** Path and query as sent (`/v1/x?a=1`). */
  url: string;
  /** The body as sent ('' for none). */
  body?: Buffer | string;
  /** The plain body when `body` is an sm4-envelope. */
  plainBody?: Buffer | string;
  contentType?: string;
  idempotencyKey?: string;
  /** Signing time in ms (default now). */
  now?: number;
}

export interface SignedHeaders {
  'X-LJ-Key': string;
  'X-LJ-Timestamp': string;
  'X-LJ-Nonce': string;
  'X-LJ-Signature': string;
  'X-LJ-Content-SM3'?: string;
}

/** The signed parts of a request, as both sides compute them. */
export function signedRequestOf(
  signer: string,
  request: RequestToSign & { timestamp: string; nonce: string },
): SignedRequest {
  const { path, query } = splitUrl(request.url);
  const bodyHash = sm3(request.body ?? '');
  return {
    signer,
    method: request.method.toUpperCase(),
    path,
    query,
    contentType: request.contentType ?? '',
    idempotencyKey: request.idempotencyKey ?? '',
    bodyHash,
    contentHash: request.plainBody === undefined ? bodyHash : sm3(request.plainBody),
    timestamp: request.timestamp,
    nonce: request.nonce,
  };
}

/** The X-LJ-* headers that sign `request` with the member's own key. */
export function signRequest(key: Pick<MemberKey, 'keyId' | 'sm2'>, request: RequestToSign): SignedHeaders {
  const signed = signedRequestOf(key.keyId, {
    ...request,
    timestamp: String(request.now ?? Date.now()),
    nonce: randomBytes(16).toString('hex'),
  });
  const signature = sign(key.sm2.privateKey, sm3(canonicalRequest(signed)), key.sm2.publicKey);
  return {
    'X-LJ-Key': signed.signer,
    'X-LJ-Timestamp': signed.timestamp,
    'X-LJ-Nonce': signed.nonce,
    'X-LJ-Signature': signature,
    ...(request.plainBody !== undefined ? { 'X-LJ-Content-SM3': signed.contentHash } : {}),
  };
}

/** Whether `signature` over `signed` verifies with `publicKey`. */
export function verifySignedRequest(publicKey: string, signed: SignedRequest, signature: string): boolean {
  return verify(publicKey, sm3(canonicalRequest(signed)), signature);
}

/** The member's intent for the chaincode: the signed request with its plain body. */
export const httpIntent = (signed: SignedRequest, body: string, signature: string): HttpIntent => ({
  kind: 'http',
  ...signed,
  body,
  signature,
});
