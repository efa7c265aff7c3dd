/**
 * The signed-request scheme shared by the gateway (verify) and the SDK (sign).
 * Canonical string: METHOD \n path \n sortedQuery \n sm3(body) \n timestamp \n nonce
 * Signature: SM2 (chaincode/lib/gm, user id 1234567812345678), DER hex, over the SM3 hex of that string.
 */
import { randomBytes } from 'node:crypto';
import { sign, sm3, verify } from '../chaincode/lib/gm';
export { KEY_ID_RE } from '../ledger/wallet';

export const H = {
  key: 'x-lj-key',
  timestamp: 'x-lj-timestamp',
  nonce: 'x-lj-nonce',
  signature: 'x-lj-signature',
} as const;

export const NONCE_RE = /^[0-9a-f]{16,64}$/;

const enc = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

/** Query parameters decoded, sorted by name then value, re-encoded: independent of the client's encoding. */
export function canonicalQuery(search: string): string {
  const q = search.startsWith('?') ? search.slice(1) : search;
  if (!q) return '';
  const pairs = [...new URLSearchParams(q)].map(([k, v]) => [enc(k), enc(v)]);
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

export function canonicalString(
  method: string,
  path: string,
  query: string,
  body: Buffer | string,
  timestamp: string,
  nonce: string,
): string {
  return [method.toUpperCase(), path, canonicalQuery(query), sm3(body), timestamp, nonce].join('\n');
}

/** Splits a request target (`/p?q`) into path and query. */
export function splitUrl(url: string): { path: string; query: string } {
  const i = url.indexOf('?');
  return i < 0 ? { path: url, query: '' } : { path: url.slice(0, i), query: url.slice(i + 1) };
}

export interface SignedHeaders {
  'X-LJ-Key': string;
  'X-LJ-Timestamp': string;
  'X-LJ-Nonce': string;
  'X-LJ-Signature': string;
}

export function signRequest(
  id: { keyId: string; sm2: { privateKey: string; publicKey: string } },
  method: string,
  url: string,
  body: Buffer | string = '',
  now = Date.now(),
): SignedHeaders {
  const { path, query } = splitUrl(url);
  const ts = String(now);
  const nonce = randomBytes(16).toString('hex');
  const sig = sign(id.sm2.privateKey, sm3(canonicalString(method, path, query, body, ts, nonce)), id.sm2.publicKey);
  return { 'X-LJ-Key': id.keyId, 'X-LJ-Timestamp': ts, 'X-LJ-Nonce': nonce, 'X-LJ-Signature': sig };
}

export function verifyRequest(
  publicKey: string,
  method: string,
  url: string,
  body: Buffer | string,
  ts: string,
  nonce: string,
  sig: string,
): boolean {
  const { path, query } = splitUrl(url);
  return verify(publicKey, sm3(canonicalString(method, path, query, body, ts, nonce)), sig);
}
