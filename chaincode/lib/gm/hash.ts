/** SM3, HMAC-SM3 and SM4 through node:crypto (OpenSSL 3): GB/T 32905, GB/T 32907. */
import { createCipheriv, createDecipheriv, createHash, createHmac } from 'node:crypto';
import { invalid } from '../errors';

// SM3

/** SM3 digest as lowercase hex. A string is hashed as its UTF-8 bytes. */
export function sm3(data: Buffer | string): string {
  return createHash('sm3')
    .update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data)
    .digest('hex');
}

/** SM3 digest as 32 bytes. */
export function sm3Bytes(data: Buffer | string): Buffer {
  return createHash('sm3')
    .update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data)
    .digest();
}

/** HMAC-SM3 (32 bytes). */
export function hmacSm3(key: Buffer, data: Buffer | string): Buffer {
  return createHmac('sm3', key)
    .update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data)
    .digest();
}

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
  if (cipher.length === 0 || cipher.length % 16 !== 0)
    throw invalid('cipher', 'SM4-CBC ciphertext must be a non-empty multiple of 16 bytes', 'DECRYPT_FAILED');
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
