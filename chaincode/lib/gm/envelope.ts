/** The envelope ("three-stage" encryption): SM2 wraps fresh SM4 + MAC keys, SM4-CBC encrypts, HMAC-SM3 authenticates. */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { invalid, LedgerError } from '../errors';
import { hmacSm3, sm4Decrypt, sm4Encrypt } from './hash';
import { C1_LEN, C3_LEN, sm2Decrypt, sm2Encrypt } from './sm2';

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

const rejectEnvelope = (why: string): LedgerError =>
  invalid('envelope', `envelope rejected: ${why}`, 'ENVELOPE_INVALID');
const lowerHex = (x: unknown): x is string => typeof x === 'string' && /^(?:[0-9a-f]{2})*$/.test(x);

/** Why the envelope's header (version, algorithm, key id) is not one this code opens ('' when it is). */
function headerProblem(env: Envelope): string {
  if (!env || typeof env !== 'object') return 'not an object';
  if (env.v !== 1) return 'unsupported version';
  if (env.alg !== ENVELOPE_ALG) return 'unsupported algorithm';
  if (env.kid !== undefined && typeof env.kid !== 'string') return 'kid is not a string';
  return '';
}

/** Why the envelope's fields are malformed ('' when they are well formed). */
function envelopeProblem(env: Envelope): string {
  const header = headerProblem(env);
  if (header) return header;
  if (!lowerHex(env.key) || env.key.length !== (C1_LEN + C3_LEN + 32) * 2) return 'malformed key';
  if (!lowerHex(env.iv) || env.iv.length !== 32) return 'malformed iv';
  if (!lowerHex(env.mac) || env.mac.length !== 64) return 'malformed mac';
  if (typeof env.ct !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(env.ct) || env.ct.length % 4 !== 0)
    return 'malformed ct';
  return '';
}

/** Opens an envelope; any change to any field is rejected with ENVELOPE_INVALID. */
export function openEnvelope(privateKeyHex: string, env: Envelope): Buffer {
  const problem = envelopeProblem(env);
  if (problem) throw rejectEnvelope(problem);
  let keys: Buffer;
  try {
    keys = sm2Decrypt(privateKeyHex, Buffer.from(env.key, 'hex'));
  } catch {
    throw rejectEnvelope('key cannot be unwrapped');
  }
  try {
    const expected = hmacSm3(keys.subarray(16), envelopeMacInput(env));
    if (!timingSafeEqual(expected, Buffer.from(env.mac, 'hex'))) throw rejectEnvelope('MAC mismatch');
    try {
      return sm4Decrypt(keys.subarray(0, 16), Buffer.from(env.ct, 'base64'), Buffer.from(env.iv, 'hex'));
    } catch {
      throw rejectEnvelope('ciphertext does not decrypt');
    }
  } finally {
    keys.fill(0);
  }
}
