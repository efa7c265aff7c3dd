/**
 * SM2 curve internals shared by sm2.ts and pem.ts (not part of the gm API): parameters, key
 * parsing, the Z value, the public-key cache and strict DER signatures.
 */
import { createHash } from 'node:crypto';
import { sm2 } from 'sm-crypto-v2';
import { invalid } from '../errors';

// SM2 curve (GB/T 32918.5 recommended parameters)

export const P = BigInt('0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF');
export const N = BigInt('0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123');
const CURVE_A_HEX = 'FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC';
const CURVE_B_HEX = '28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93';
const GX_HEX = '32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7';
const GY_HEX = 'BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0';
export const G_HEX = '04' + GX_HEX + GY_HEX;

/** The default SM2 user id (GM/T 0009, OpenSSL `distid`, sm-crypto default). */
export const SM2_DEFAULT_USER_ID = '1234567812345678';

/** The slice of noble-curves' projective point that this module uses. */
export interface CurvePoint {
  multiplyUnsafe(scalar: bigint): CurvePoint;
  add(other: CurvePoint): CurvePoint;
  toAffine(): { x: bigint; y: bigint };
  is0(): boolean;
  assertValidity(): void;
  toHex(compressed?: boolean): string;
}
interface CurvePointClass {
  BASE: CurvePoint;
  fromHex(hex: string): CurvePoint;
}

// sm-crypto-v2 does not export its curve; a point it returns carries the class.
export const Point = (sm2.precomputePublicKey(G_HEX, 1) as unknown as { constructor: CurvePointClass }).constructor;

export const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;
export const isHex = (s: unknown, bytes?: number): s is string =>
  typeof s === 'string' && HEX_RE.test(s) && (bytes === undefined || s.length === bytes * 2);

export function toBuf(msg: Buffer | string): Buffer {
  return typeof msg === 'string' ? Buffer.from(msg, 'utf8') : msg;
}

export function big32(b: Buffer): bigint {
  return BigInt('0x' + (b.length ? b.toString('hex') : '0'));
}

export function hex32(x: bigint): string {
  return x.toString(16).padStart(64, '0');
}

/** Private key hex (64 digits) → scalar in [1, n-2]; throws INVALID_KEY. */
export function privScalar(privHex: string): bigint {
  if (!isHex(privHex, 32)) throw invalid('privateKey', 'SM2 private key must be 64 hex digits', 'INVALID_KEY');
  const d = BigInt('0x' + privHex);
  if (d < 1n || d > N - 2n) throw invalid('privateKey', 'SM2 private key is out of range [1, n-2]', 'INVALID_KEY');
  return d;
}

/** Parses and validates a public key (04||x||y, or compressed 02/03||x) → normalized uncompressed hex. */
export function parsePublic(pubHex: string): { point: CurvePoint; hex: string } {
  if (!isHex(pubHex) || !(pubHex.length === 130 || pubHex.length === 66)) {
    throw invalid('publicKey', 'SM2 public key must be 04||x||y (130 hex digits) or compressed (66)', 'INVALID_KEY');
  }
  let point: CurvePoint;
  try {
    point = Point.fromHex(pubHex.toLowerCase());
    point.assertValidity();
  } catch {
    throw invalid('publicKey', 'SM2 public key is not a point on the curve', 'INVALID_KEY');
  }
  if (point.is0()) throw invalid('publicKey', 'SM2 public key is the point at infinity', 'INVALID_KEY');
  return { point, hex: point.toHex(false).toLowerCase() };
}

/** Z = SM3(ENTL || ID || a || b || xG || yG || xA || yA), GB/T 32918.2 §5.5. */
export function computeZ(pubUncompressedHex: string, userId = SM2_DEFAULT_USER_ID): Buffer {
  const id = Buffer.from(userId, 'utf8');
  const entl = id.length * 8;
  if (entl > 0xffff) throw invalid('userId', 'SM2 user id is too long');
  return createHash('sm3')
    .update(Buffer.from([entl >> 8, entl & 0xff]))
    .update(id)
    .update(Buffer.from(CURVE_A_HEX + CURVE_B_HEX + GX_HEX + GY_HEX + pubUncompressedHex.slice(2), 'hex'))
    .digest();
}

// ---- public-key cache: parsed point + Z, precomputed multiplication table once a key recurs.

interface KeyEntry {
  point: CurvePoint;
  z: Buffer;
  uses: number;
  precomputed: boolean;
}
/** Bound of the public-key cache. A precomputed key (window 6) holds ≈130 KiB. */
export const PUBLIC_KEY_CACHE_SIZE = 512;
const PRECOMPUTE_WINDOW = 6; // measured fastest for verify; window 8 is 3.5x the memory and slower
const keyCache = new Map<string, KeyEntry>();

export function cachedKey(pubHex: string): KeyEntry {
  const k = pubHex.toLowerCase();
  let e = keyCache.get(k);
  if (e) {
    keyCache.delete(k); // LRU: move to the back
    keyCache.set(k, e);
    e.uses++;
    // Precompute (≈20 ms) only for a key seen again, so a flood of one-off keys costs nothing extra.
    if (!e.precomputed && e.uses >= 2) {
      e.point = sm2.precomputePublicKey(e.point.toHex(false), PRECOMPUTE_WINDOW);
      e.precomputed = true;
    }
    return e;
  }
  const { point, hex } = parsePublic(k);
  e = { point, z: computeZ(hex), uses: 1, precomputed: false };
  keyCache.set(k, e);
  if (keyCache.size > PUBLIC_KEY_CACHE_SIZE) keyCache.delete(keyCache.keys().next().value as string);
  return e;
}

/** e = SM3(Z || M) as a bigint. */
export function digestE(z: Buffer, msg: Buffer): bigint {
  return big32(createHash('sm3').update(z).update(msg).digest());
}

// ---- DER for ECDSA-style signatures (strict: minimal lengths, positive minimal integers)

function derInt(x: bigint): Buffer {
  let h = x.toString(16);
  if (h.length % 2) h = '0' + h;
  if (parseInt(h.slice(0, 2), 16) >= 0x80) h = '00' + h;
  const b = Buffer.from(h, 'hex');
  return Buffer.concat([Buffer.from([0x02, b.length]), b]);
}

export function encodeSig(r: bigint, s: bigint): string {
  const body = Buffer.concat([derInt(r), derInt(s)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]).toString('hex');
}

/** The positive, minimally encoded DER INTEGER at `off`, and where the next field starts; undefined when malformed. */
function derUint(sig: Buffer, off: number): { v: bigint; next: number } | undefined {
  if (off + 2 > sig.length || sig[off] !== 0x02) return undefined;
  const len = sig[off + 1];
  const start = off + 2;
  if (len < 1 || len > 33 || start + len > sig.length) return undefined;
  const v = sig.subarray(start, start + len);
  if (v[0] & 0x80) return undefined; // negative
  if (len > 1 && v[0] === 0 && !(v[1] & 0x80)) return undefined; // non-minimal
  return { v: big32(v), next: start + len };
}

/** Strict DER decode of SEQUENCE { INTEGER r, INTEGER s }; undefined when malformed. */
export function decodeSig(sig: Buffer): { r: bigint; s: bigint } | undefined {
  if (sig.length < 8 || sig.length > 72 || sig[0] !== 0x30 || sig[1] !== sig.length - 2) return undefined;
  const r = derUint(sig, 2);
  const s = r && derUint(sig, r.next);
  if (!r || !s || s.next !== sig.length) return undefined;
  return { r: r.v, s: s.v };
}
