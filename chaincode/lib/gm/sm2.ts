/** SM2 (GB/T 32918): keys, signatures with the default user id, C1C3C2 encryption. */
import { sm2 } from 'sm-crypto-v2';
import { invalid } from '../errors';
import {
  cachedKey,
  decodeSig,
  digestE,
  encodeSig,
  hex32,
  isHex,
  N,
  parsePublic,
  Point,
  privScalar,
  toBuf,
} from './curve';

export { PUBLIC_KEY_CACHE_SIZE, SM2_DEFAULT_USER_ID } from './curve';

// SM2 keys

export interface KeyPair {
  /** 64 hex digits. */
  privateKey: string;
  /** Uncompressed: '04' + x + y, 130 hex digits. */
  publicKey: string;
}

export function generateKeyPair(): KeyPair {
  for (;;) {
    const kp = sm2.generateKeyPairHex();
    const d = BigInt('0x' + kp.privateKey);
    if (d >= 1n && d <= N - 2n) return { privateKey: hex32(d), publicKey: kp.publicKey.toLowerCase() };
  }
}

export function publicKeyFromPrivate(privHex: string): string {
  privScalar(privHex);
  return sm2.getPublicKeyFromPrivateKey(privHex.toLowerCase()).toLowerCase();
}

// SM2 signatures

/** SM2 signatures made and verified by this thread (and handed to verifier workers): a metric. */
export const sm2Operations = { sign: 0, verify: 0 };

/** Counts an SM2 operation done elsewhere on this thread's behalf (a verifier worker). */
export function countSm2(kind: 'sign' | 'verify'): void {
  sm2Operations[kind]++;
}

/**
 * SM2 signature with SM3 and Z for user id 1234567812345678, DER hex. `publicKeyHex` saves
 * deriving the public key (one scalar multiplication); it must belong to the private key.
 */
export function sign(privateKeyHex: string, msg: Buffer | string, publicKeyHex?: string): string {
  privScalar(privateKeyHex);
  sm2Operations.sign++;
  const pub = publicKeyHex ?? publicKeyFromPrivate(privateKeyHex);
  const entry = cachedKey(pub);
  const e = digestE(entry.z, toBuf(msg));
  // sm-crypto-v2 signs e directly when hash is off (fresh random k per call, retries r=0, r+k=n, s=0).
  const raw = sm2.doSignature(Buffer.from(hex32(e), 'hex'), privateKeyHex.toLowerCase());
  return encodeSig(BigInt('0x' + raw.slice(0, 64)), BigInt('0x' + raw.slice(64)));
}

/** Verifies a DER hex SM2 signature. Never throws: malformed key or signature → false. */
export function verify(publicKeyHex: string, msg: Buffer | string, sigHex: string): boolean {
  sm2Operations.verify++;
  try {
    if (!isHex(sigHex) || (typeof msg !== 'string' && !Buffer.isBuffer(msg))) return false;
    const rs = decodeSig(Buffer.from(sigHex, 'hex'));
    if (!rs) return false;
    const { r, s } = rs;
    if (r < 1n || r >= N || s < 1n || s >= N) return false;
    const t = (r + s) % N;
    if (t === 0n) return false;
    const entry = cachedKey(publicKeyHex);
    const e = digestE(entry.z, toBuf(msg));
    // Public inputs only: variable-time multiplication is fine here.
    const sum = Point.BASE.multiplyUnsafe(s).add(entry.point.multiplyUnsafe(t));
    if (sum.is0()) return false;
    return (e + sum.toAffine().x) % N === r;
  } catch {
    return false;
  }
}

// SM2 public-key encryption (C1C3C2, C1 = 04||x||y)

export const C1_LEN = 65;
export const C3_LEN = 32;

/** SM2 encryption, output C1 (65 bytes, 04-prefixed) || C3 (32) || C2 (plain length). */
export function sm2Encrypt(publicKeyHex: string, plain: Buffer): Buffer {
  if (!Buffer.isBuffer(plain) || plain.length === 0) throw invalid('plain', 'SM2 plaintext must be a non-empty Buffer');
  const { hex } = parsePublic(publicKeyHex);
  const out = sm2.doEncrypt(new Uint8Array(plain), hex, 1);
  return Buffer.from('04' + out, 'hex');
}

/** SM2 decryption of C1C3C2; throws LedgerError DECRYPT_FAILED on any failure. */
export function sm2Decrypt(privateKeyHex: string, cipher: Buffer): Buffer {
  privScalar(privateKeyHex);
  const fail = () => invalid('cipher', 'SM2 decryption failed', 'DECRYPT_FAILED');
  if (!Buffer.isBuffer(cipher) || cipher.length <= C1_LEN + C3_LEN || cipher[0] !== 0x04) throw fail();
  let out: Uint8Array;
  try {
    out = sm2.doDecrypt(cipher.subarray(1).toString('hex'), privateKeyHex.toLowerCase(), 1, { output: 'array' });
  } catch {
    throw fail();
  }
  // sm-crypto signals a C3 mismatch with an empty result; C2 is never empty here.
  if (!out || out.length !== cipher.length - C1_LEN - C3_LEN) throw fail();
  return Buffer.from(out);
}
