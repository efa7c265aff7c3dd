/**
 * The one SM (国密) crypto module of Lianjian: SM3 hashes, SM4 ciphers, SM2 keys, signatures,
 * public-key encryption, PEM, and the SM2+SM4+HMAC-SM3 envelope. Every other folder imports
 * from here; nothing else in the tree implements SM crypto.
 *
 * - SM3 / HMAC-SM3 / SM4: node:crypto (OpenSSL 3), GB/T 32905 and GB/T 32907.
 * - SM2 (GB/T 32918): curve arithmetic from sm-crypto-v2 (noble-curves underneath). The
 *   digest e = SM3(Z || M) is computed here with node's SM3 and the Z value of the default
 *   user id `1234567812345678` (GM/T 0009), so signatures interoperate with OpenSSL
 *   (`-pkeyopt distid:1234567812345678`) and with sm-crypto's `{ hash: true }` mode.
 *   Signatures are DER `SEQUENCE { INTEGER r, INTEGER s }`, parsed strictly on verify.
 *
 * Why not OpenSSL's native SM2 through node:crypto: node exposes no way to set the SM2
 * distinguishing id (OpenSSL 3.0 then uses an empty id, so node-made signatures do not verify
 * with the standard id), and OpenSSL 3.0's SM2 curve is the generic, unaccelerated prime-field
 * code (≈470 variable-base multiplications/s here), slower than the JS path.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { sm2 } from 'sm-crypto-v2';
import { invalid, LedgerError } from './errors';

// ---------------------------------------------------------------------------------------------
// SM3

/** SM3 digest as lowercase hex. A string is hashed as its UTF-8 bytes. */
export function sm3(data: Buffer | string): string {
  return createHash('sm3').update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data).digest('hex');
}

/** SM3 digest as 32 bytes. */
export function sm3Bytes(data: Buffer | string): Buffer {
  return createHash('sm3').update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data).digest();
}

/** HMAC-SM3 (32 bytes). */
export function hmacSm3(key: Buffer, data: Buffer | string): Buffer {
  return createHmac('sm3', key).update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data).digest();
}

// ---------------------------------------------------------------------------------------------
// SM4

function checkSm4(key: Buffer, iv?: Buffer): void {
  if (!Buffer.isBuffer(key) || key.length !== 16) throw invalid('key', 'SM4 key must be 16 bytes', 'INVALID_KEY');
  if (iv !== undefined && (!Buffer.isBuffer(iv) || iv.length !== 16)) throw invalid('iv', 'SM4 IV must be 16 bytes');
}

/** SM4-CBC with PKCS#7 padding. */
export function sm4Encrypt(key: Buffer, plain: Buffer, iv: Buffer): Buffer {
  checkSm4(key, iv);
  const c = createCipheriv('sm4-cbc', key, iv);
  return Buffer.concat([c.update(plain), c.final()]);
}

/** SM4-CBC with PKCS#7 padding; a wrong key, IV or damaged ciphertext throws DECRYPT_FAILED. */
export function sm4Decrypt(key: Buffer, cipher: Buffer, iv: Buffer): Buffer {
  checkSm4(key, iv);
  if (cipher.length === 0 || cipher.length % 16 !== 0) throw invalid('cipher', 'SM4-CBC ciphertext must be a non-empty multiple of 16 bytes', 'DECRYPT_FAILED');
  try {
    const d = createDecipheriv('sm4-cbc', key, iv);
    return Buffer.concat([d.update(cipher), d.final()]);
  } catch {
    throw invalid('cipher', 'SM4 decryption failed (bad key, IV or padding)', 'DECRYPT_FAILED');
  }
}

/** One raw SM4 block encryption (ECB, no padding): the GB/T 32907 known-answer primitive. */
export function sm4EncryptBlock(key: Buffer, block16: Buffer): Buffer {
  checkSm4(key);
  if (!Buffer.isBuffer(block16) || block16.length !== 16) throw invalid('block', 'SM4 block must be 16 bytes');
  return createCipheriv('sm4-ecb', key, null).setAutoPadding(false).update(block16);
}

// ---------------------------------------------------------------------------------------------
// SM2 curve (GB/T 32918.5 recommended parameters)

const P = BigInt('0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF');
const N = BigInt('0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123');
const CURVE_A_HEX = 'FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC';
const CURVE_B_HEX = '28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93';
const GX_HEX = '32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7';
const GY_HEX = 'BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0';
const G_HEX = '04' + GX_HEX + GY_HEX;

/** The default SM2 user id (GM/T 0009, OpenSSL `distid`, sm-crypto default). */
export const SM2_DEFAULT_USER_ID = '1234567812345678';

/** The slice of noble-curves' projective point that this module uses. */
interface CurvePoint {
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
const Point = (sm2.precomputePublicKey(G_HEX, 1) as unknown as { constructor: CurvePointClass }).constructor;

const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;
const isHex = (s: unknown, bytes?: number): s is string =>
  typeof s === 'string' && HEX_RE.test(s) && (bytes === undefined || s.length === bytes * 2);

function toBuf(msg: Buffer | string): Buffer {
  return typeof msg === 'string' ? Buffer.from(msg, 'utf8') : msg;
}

function big32(b: Buffer): bigint {
  return BigInt('0x' + (b.length ? b.toString('hex') : '0'));
}

function hex32(x: bigint): string {
  return x.toString(16).padStart(64, '0');
}

/** Private key hex (64 digits) → scalar in [1, n-2]; throws INVALID_KEY. */
function privScalar(privHex: string): bigint {
  if (!isHex(privHex, 32)) throw invalid('privateKey', 'SM2 private key must be 64 hex digits', 'INVALID_KEY');
  const d = BigInt('0x' + privHex);
  if (d < 1n || d > N - 2n) throw invalid('privateKey', 'SM2 private key is out of range [1, n-2]', 'INVALID_KEY');
  return d;
}

/** Parses and validates a public key (04||x||y, or compressed 02/03||x) → normalized uncompressed hex. */
function parsePublic(pubHex: string): { point: CurvePoint; hex: string } {
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
function computeZ(pubUncompressedHex: string, userId = SM2_DEFAULT_USER_ID): Buffer {
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

function cachedKey(pubHex: string): KeyEntry {
  const k = pubHex.toLowerCase();
  let e = keyCache.get(k);
  if (e) {
    keyCache.delete(k); // LRU: move to the back
    keyCache.set(k, e);
    e.uses++;
    // Precompute (≈20 ms) only for a key seen again, so a flood of one-off keys costs nothing extra.
    if (!e.precomputed && e.uses >= 2) {
      e.point = sm2.precomputePublicKey(e.point.toHex(false), PRECOMPUTE_WINDOW) as unknown as CurvePoint;
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
function digestE(z: Buffer, msg: Buffer): bigint {
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

function encodeSig(r: bigint, s: bigint): string {
  const body = Buffer.concat([derInt(r), derInt(s)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]).toString('hex');
}

/** Strict DER decode of SEQUENCE { INTEGER r, INTEGER s }; undefined when malformed. */
function decodeSig(sig: Buffer): { r: bigint; s: bigint } | undefined {
  if (sig.length < 8 || sig.length > 72 || sig[0] !== 0x30 || sig[1] !== sig.length - 2) return undefined;
  let off = 2;
  const ints: bigint[] = [];
  for (let i = 0; i < 2; i++) {
    if (off + 2 > sig.length || sig[off] !== 0x02) return undefined;
    const len = sig[off + 1];
    off += 2;
    if (len < 1 || len > 33 || off + len > sig.length) return undefined;
    const v = sig.subarray(off, off + len);
    if (v[0] & 0x80) return undefined; // negative
    if (len > 1 && v[0] === 0 && !(v[1] & 0x80)) return undefined; // non-minimal
    ints.push(big32(v));
    off += len;
  }
  if (off !== sig.length) return undefined;
  return { r: ints[0], s: ints[1] };
}

// ---------------------------------------------------------------------------------------------
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

// ---------------------------------------------------------------------------------------------
// SM2 signatures

/**
 * SM2 signature with SM3 and Z for user id 1234567812345678, DER hex. `publicKeyHex` saves
 * deriving the public key (one scalar multiplication); it must belong to the private key.
 */
export function sign(privateKeyHex: string, msg: Buffer | string, publicKeyHex?: string): string {
  privScalar(privateKeyHex);
  const pub = publicKeyHex ?? publicKeyFromPrivate(privateKeyHex);
  const entry = cachedKey(pub);
  const e = digestE(entry.z, toBuf(msg));
  // sm-crypto-v2 signs e directly when hash is off (fresh random k per call, retries r=0, r+k=n, s=0).
  const raw = sm2.doSignature(Buffer.from(hex32(e), 'hex'), privateKeyHex.toLowerCase());
  return encodeSig(BigInt('0x' + raw.slice(0, 64)), BigInt('0x' + raw.slice(64)));
}

/** Verifies a DER hex SM2 signature. Never throws: malformed key or signature → false. */
export function verify(publicKeyHex: string, msg: Buffer | string, sigHex: string): boolean {
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

// ---------------------------------------------------------------------------------------------
// SM2 public-key encryption (C1C3C2, C1 = 04||x||y)

const C1_LEN = 65;
const C3_LEN = 32;

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

// ---------------------------------------------------------------------------------------------
// PEM / DER for SM2 keys

const OID_EC_PUBLIC_KEY = Buffer.from('06072a8648ce3d0201', 'hex'); // 1.2.840.10045.2.1
const OID_SM2 = Buffer.from('06082a811ccf5501822d', 'hex'); // 1.2.156.10197.1.301

interface Tlv {
  tag: number;
  off: number; // first header byte
  start: number; // first content byte
  end: number; // one past the last content byte
}

function readTlv(buf: Buffer, off: number, limit = buf.length): Tlv {
  if (off + 2 > limit) throw new Error('truncated');
  const tag = buf[off];
  let len = buf[off + 1];
  let start = off + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n < 1 || n > 2 || start + n > limit) throw new Error('bad length');
    len = 0;
    for (let i = 0; i < n; i++) len = (len << 8) | buf[start + i];
    start += n;
  }
  if (start + len > limit) throw new Error('truncated');
  return { tag, off, start, end: start + len };
}

function children(buf: Buffer, tlv: Tlv): Tlv[] {
  const out: Tlv[] = [];
  let off = tlv.start;
  while (off < tlv.end) {
    const c = readTlv(buf, off, tlv.end);
    out.push(c);
    off = c.end;
  }
  return out;
}

/** The full encoding (tag, length and content) of a TLV. */
const whole = (buf: Buffer, t: Tlv): Buffer => buf.subarray(t.off, t.end);

function derLen(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  if (n < 0x100) return Buffer.from([0x81, n]);
  return Buffer.from([0x82, n >> 8, n & 0xff]);
}

function der(tag: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), derLen(body.length), body]);
}

function toPem(label: string, body: Buffer): string {
  const b64 = body.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

function fromPem(pem: string, labels: string[]): { label: string; body: Buffer } {
  if (typeof pem !== 'string') throw invalid('pem', 'PEM must be a string', 'INVALID_KEY');
  const m = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(pem);
  if (!m) throw invalid('pem', 'not a PEM block', 'INVALID_KEY');
  const label = m[1];
  if (!labels.includes(label)) throw invalid('pem', `unsupported PEM type "${label}" (expected ${labels.join(' or ')})`, 'INVALID_KEY');
  if (/Proc-Type|DEK-Info/.test(m[2])) throw invalid('pem', 'encrypted PEM keys are not supported', 'INVALID_KEY');
  const b64 = m[2].replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw invalid('pem', 'PEM body is not base64', 'INVALID_KEY');
  return { label, body: Buffer.from(b64, 'base64') };
}

function algIsSm2(buf: Buffer, alg: Tlv): boolean {
  const parts = children(buf, alg).map((t) => whole(buf, t));
  if (parts.length >= 1 && parts[0].equals(OID_SM2)) return true; // some toolkits name SM2 as the algorithm
  return parts.length === 2 && parts[0].equals(OID_EC_PUBLIC_KEY) && parts[1].equals(OID_SM2);
}

function ecPrivateKeyBody(d: string, pub: string): Buffer {
  return der(
    0x30,
    Buffer.from('020101', 'hex'),
    der(0x04, Buffer.from(d, 'hex')),
    der(0xa1, der(0x03, Buffer.from([0]), Buffer.from(pub, 'hex'))),
  );
}

/** PKCS#8 PEM ("PRIVATE KEY"), byte-for-byte the form `openssl genpkey -algorithm SM2` writes. */
export function privateKeyToPem(privHex: string): string {
  const d = hex32(privScalar(privHex));
  const pub = publicKeyFromPrivate(d);
  const body = der(
    0x30,
    Buffer.from('020100', 'hex'),
    der(0x30, OID_EC_PUBLIC_KEY, OID_SM2),
    der(0x04, ecPrivateKeyBody(d, pub)),
  );
  return toPem('PRIVATE KEY', body);
}

/** Parses SEC1 ECPrivateKey; checks the curve and, when present, that the public key matches. */
function parseEcPrivateKey(buf: Buffer, outer: Tlv, needCurve: boolean): string {
  const f = children(buf, outer);
  if (f.length < 2 || f[0].tag !== 0x02 || !whole(buf, f[0]).equals(Buffer.from('020101', 'hex')) || f[1].tag !== 0x04) {
    throw new Error('not an ECPrivateKey');
  }
  const raw = buf.subarray(f[1].start, f[1].end);
  if (raw.length === 0 || raw.length > 32) throw new Error('bad private key length');
  const d = hex32(big32(raw));
  let curveSeen = false;
  let pub: string | undefined;
  for (const t of f.slice(2)) {
    if (t.tag === 0xa0) {
      const oid = children(buf, t)[0];
      if (!oid || !whole(buf, oid).equals(OID_SM2)) throw new Error('curve is not SM2');
      curveSeen = true;
    } else if (t.tag === 0xa1) {
      const bits = children(buf, t)[0];
      if (!bits || bits.tag !== 0x03 || buf[bits.start] !== 0) throw new Error('bad public key');
      pub = buf.subarray(bits.start + 1, bits.end).toString('hex');
    }
  }
  if (needCurve && !curveSeen) throw new Error('curve not named (expected SM2)');
  privScalar(d);
  if (pub !== undefined && parsePublic(pub).hex !== publicKeyFromPrivate(d)) throw new Error('public key does not match private key');
  return d;
}

/** Private key hex from PEM: PKCS#8 "PRIVATE KEY" or SEC1 "EC PRIVATE KEY" / "SM2 PRIVATE KEY". */
export function privateKeyFromPem(pem: string): string {
  const { label, body } = fromPem(pem, ['PRIVATE KEY', 'EC PRIVATE KEY', 'SM2 PRIVATE KEY']);
  try {
    const top = readTlv(body, 0);
    if (top.tag !== 0x30 || top.end !== body.length) throw new Error('not a SEQUENCE');
    if (label !== 'PRIVATE KEY') return parseEcPrivateKey(body, top, true);
    const f = children(body, top);
    if (f.length < 3 || f[0].tag !== 0x02 || f[1].tag !== 0x30 || f[2].tag !== 0x04) throw new Error('not PKCS#8');
    if (!algIsSm2(body, f[1])) throw new Error('algorithm is not SM2');
    const inner = readTlv(body, f[2].start, f[2].end);
    if (inner.tag !== 0x30 || inner.end !== f[2].end) throw new Error('bad ECPrivateKey');
    return parseEcPrivateKey(body, inner, false);
  } catch (err) {
    if (err instanceof LedgerError) throw err;
    throw invalid('pem', `not an SM2 private key: ${(err as Error).message}`, 'INVALID_KEY');
  }
}

/** SubjectPublicKeyInfo PEM ("PUBLIC KEY") with id-ecPublicKey + SM2 curve, as OpenSSL writes it. */
export function publicKeyToPem(pubHex: string): string {
  const { hex } = parsePublic(pubHex);
  const body = der(0x30, der(0x30, OID_EC_PUBLIC_KEY, OID_SM2), der(0x03, Buffer.from([0]), Buffer.from(hex, 'hex')));
  return toPem('PUBLIC KEY', body);
}

/** Uncompressed public key hex from an SPKI PEM. */
export function publicKeyFromPem(pem: string): string {
  const { body } = fromPem(pem, ['PUBLIC KEY']);
  try {
    const top = readTlv(body, 0);
    if (top.tag !== 0x30 || top.end !== body.length) throw new Error('not a SEQUENCE');
    const f = children(body, top);
    if (f.length !== 2 || f[0].tag !== 0x30 || f[1].tag !== 0x03) throw new Error('not SubjectPublicKeyInfo');
    if (!algIsSm2(body, f[0])) throw new Error('algorithm is not SM2');
    if (body[f[1].start] !== 0) throw new Error('bad BIT STRING');
    return parsePublic(body.subarray(f[1].start + 1, f[1].end).toString('hex')).hex;
  } catch (err) {
    if (err instanceof LedgerError) throw err;
    throw invalid('pem', `not an SM2 public key: ${(err as Error).message}`, 'INVALID_KEY');
  }
}

// ---------------------------------------------------------------------------------------------
// Envelope: SM2 wraps fresh SM4 + MAC keys, SM4-CBC encrypts, HMAC-SM3 authenticates.

export const ENVELOPE_ALG = 'SM2-SM4-CBC-HMACSM3' as const;

export interface Envelope {
  v: 1;
  alg: 'SM2-SM4-CBC-HMACSM3';
  kid?: string;
  /** hex: SM2 C1C3C2 of 32 bytes = SM4 key (16) || MAC key (16). */
  key: string;
  /** hex, 16 bytes. */
  iv: string;
  /** base64 SM4-CBC/PKCS#7 ciphertext. */
  ct: string;
  /** hex HMAC-SM3 over envelopeMacInput(env). */
  mac: string;
}

const MAC_DOMAIN = Buffer.from('lianjian/envelope/v1', 'utf8');

function lp(s: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}

/**
 * The bytes the MAC covers: domain tag, then each field as a 4-byte big-endian length and its
 * exact UTF-8 text, in the order v, alg, kid, key, iv, ct. An absent kid is a single 0x00 byte,
 * a present one 0x01 then its length-prefixed text, so "no kid" and "empty kid" differ.
 */
function envelopeMacInput(env: Pick<Envelope, 'v' | 'alg' | 'kid' | 'key' | 'iv' | 'ct'>): Buffer {
  return Buffer.concat([
    lp(MAC_DOMAIN.toString('utf8')),
    lp(String(env.v)),
    lp(env.alg),
    env.kid === undefined ? Buffer.from([0]) : Buffer.concat([Buffer.from([1]), lp(env.kid)]),
    lp(env.key),
    lp(env.iv),
    lp(env.ct),
  ]);
}

/** Seals `payload` for the holder of `recipientPublicKeyHex`; fresh keys and IV per message. */
export function sealEnvelope(recipientPublicKeyHex: string, payload: Buffer, kid?: string): Envelope {
  if (!Buffer.isBuffer(payload)) throw invalid('payload', 'envelope payload must be a Buffer');
  if (kid !== undefined && typeof kid !== 'string') throw invalid('kid', 'kid must be a string');
  const keys = randomBytes(32);
  try {
    const iv = randomBytes(16);
    const env: Envelope = {
      v: 1,
      alg: ENVELOPE_ALG,
      ...(kid !== undefined ? { kid } : {}),
      key: sm2Encrypt(recipientPublicKeyHex, keys).toString('hex'),
      iv: iv.toString('hex'),
      ct: sm4Encrypt(keys.subarray(0, 16), payload, iv).toString('base64'),
      mac: '',
    };
    env.mac = hmacSm3(keys.subarray(16), envelopeMacInput(env)).toString('hex');
    return env;
  } finally {
    keys.fill(0);
  }
}

/** Opens an envelope; any change to any field is rejected with ENVELOPE_INVALID. */
export function openEnvelope(privateKeyHex: string, env: Envelope): Buffer {
  const bad = (why: string) => invalid('envelope', `envelope rejected: ${why}`, 'ENVELOPE_INVALID');
  if (!env || typeof env !== 'object') throw bad('not an object');
  if (env.v !== 1) throw bad('unsupported version');
  if (env.alg !== ENVELOPE_ALG) throw bad('unsupported algorithm');
  if (env.kid !== undefined && typeof env.kid !== 'string') throw bad('kid is not a string');
  const lowerHex = (x: unknown): x is string => typeof x === 'string' && /^(?:[0-9a-f]{2})*$/.test(x);
  if (!lowerHex(env.key) || env.key.length !== (C1_LEN + C3_LEN + 32) * 2) throw bad('malformed key');
  if (!lowerHex(env.iv) || env.iv.length !== 32) throw bad('malformed iv');
  if (!lowerHex(env.mac) || env.mac.length !== 64) throw bad('malformed mac');
  if (typeof env.ct !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(env.ct) || env.ct.length % 4 !== 0) throw bad('malformed ct');
  let keys: Buffer;
  try {
    keys = sm2Decrypt(privateKeyHex, Buffer.from(env.key, 'hex'));
  } catch {
    throw bad('key cannot be unwrapped');
  }
  try {
    const expected = hmacSm3(keys.subarray(16), envelopeMacInput(env));
    if (!timingSafeEqual(expected, Buffer.from(env.mac, 'hex'))) throw bad('MAC mismatch');
    try {
      return sm4Decrypt(keys.subarray(0, 16), Buffer.from(env.ct, 'base64'), Buffer.from(env.iv, 'hex'));
    } catch {
      throw bad('ciphertext does not decrypt');
    }
  } finally {
    keys.fill(0);
  }
}
