/** PEM and DER forms of SM2 keys, byte-compatible with OpenSSL 3. */
import { invalid, LedgerError } from '../errors';
import { big32, hex32, parsePublic, privScalar } from './curve';
import { publicKeyFromPrivate } from './sm2';

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
  const b64 = body
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

function fromPem(pem: string, labels: string[]): { label: string; body: Buffer } {
  if (typeof pem !== 'string') throw invalid('pem', 'PEM must be a string', 'INVALID_KEY');
  const m = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(pem);
  if (!m) throw invalid('pem', 'not a PEM block', 'INVALID_KEY');
  const label = m[1];
  if (!labels.includes(label))
    throw invalid('pem', `unsupported PEM type "${label}" (expected ${labels.join(' or ')})`, 'INVALID_KEY');
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

/** The optional [0] curve and [1] public key fields of an ECPrivateKey. */
function ecOptionals(buf: Buffer, fields: Tlv[]): { curveSeen: boolean; pub?: string } {
  const out: { curveSeen: boolean; pub?: string } = { curveSeen: false };
  for (const t of fields) {
    if (t.tag === 0xa0) {
      const oid = children(buf, t)[0];
      if (!oid || !whole(buf, oid).equals(OID_SM2)) throw new Error('curve is not SM2');
      out.curveSeen = true;
    } else if (t.tag === 0xa1) {
      const bits = children(buf, t)[0];
      if (!bits || bits.tag !== 0x03 || buf[bits.start] !== 0) throw new Error('bad public key');
      out.pub = buf.subarray(bits.start + 1, bits.end).toString('hex');
    }
  }
  return out;
}

/** Parses SEC1 ECPrivateKey; checks the curve and, when present, that the public key matches. */
function parseEcPrivateKey(buf: Buffer, outer: Tlv, needCurve: boolean): string {
  const f = children(buf, outer);
  const versionOk = f.length >= 2 && f[0].tag === 0x02 && whole(buf, f[0]).equals(Buffer.from('020101', 'hex'));
  if (!versionOk || f[1].tag !== 0x04) throw new Error('not an ECPrivateKey');
  const raw = buf.subarray(f[1].start, f[1].end);
  if (raw.length === 0 || raw.length > 32) throw new Error('bad private key length');
  const d = hex32(big32(raw));
  const { curveSeen, pub } = ecOptionals(buf, f.slice(2));
  if (needCurve && !curveSeen) throw new Error('curve not named (expected SM2)');
  privScalar(d);
  if (pub !== undefined && parsePublic(pub).hex !== publicKeyFromPrivate(d))
    throw new Error('public key does not match private key');
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
