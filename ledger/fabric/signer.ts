/**
 * ECDSA P-256 signing with node:crypto (OpenSSL) for fabric-gateway: fabric-gateway's own signer
 * is pure JS and cost ~1 ms per signature here. Fabric's MSP accepts only low-S signatures, so S
 * is normalised to the lower half of the curve order, then DER-encoded.
 */
import { createPrivateKey, KeyObject, sign } from 'node:crypto';
import type { Signer } from '@hyperledger/fabric-gateway';

/** The order n of the P-256 group. */
const P256_N = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
const HALF_N = P256_N >> 1n;

const toBytes = (value: bigint): Buffer => {
  const hex = value.toString(16);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
};

/** DER INTEGER of a non-negative value (a sign byte when the top bit is set). */
function derInteger(value: bigint): Buffer {
  let body = toBytes(value);
  if (body[0] & 0x80) body = Buffer.concat([Buffer.from([0]), body]);
  return Buffer.concat([Buffer.from([0x02, body.length]), body]);
}

/** r||s (IEEE P1363, 64 bytes) as a DER ECDSA-Sig-Value with low S. */
export function lowSDer(p1363: Uint8Array): Buffer {
  const r = BigInt(`0x${Buffer.from(p1363.subarray(0, 32)).toString('hex')}`);
  let s = BigInt(`0x${Buffer.from(p1363.subarray(32)).toString('hex')}`);
  if (s > HALF_N) s = P256_N - s;
  const body = Buffer.concat([derInteger(r), derInteger(s)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

/**
 * A fabric-gateway Signer over the whole message (connect with `hash: hash.none`): SHA-256 and
 * ECDSA in OpenSSL, low-S DER.
 */
export function nodeSigner(privateKeyPem: string | KeyObject): Signer {
  const key = typeof privateKeyPem === 'string' ? createPrivateKey(privateKeyPem) : privateKeyPem;
  return (message: Uint8Array): Promise<Uint8Array> =>
    Promise.resolve(lowSDer(sign('sha256', message, { key, dsaEncoding: 'ieee-p1363' })));
}
