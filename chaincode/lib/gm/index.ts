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
export * from './hash';
export * from './sm2';
export * from './pem';
export * from './envelope';
