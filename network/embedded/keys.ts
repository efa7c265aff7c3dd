/**
 * LevelDB key layout. All ledger data of one channel lives in one database so that a block,
 * its state updates, indexes and the new height commit in one atomic batch.
 *   s!<key>                       state: 8-byte version (block u32, tx u32) || value
 *   b!<block 12 digits>           block: header JSON '\n' body JSON
 *   t!<txId>                      tx index: "<block>:<txIndex>"
 *   h!<key length>:<key><block><tx> history entry (length prefix keeps keys prefix-free)
 *   m!height, m!org!<mspId>       metadata
 */
export const STATE = 's!';
export const BLOCK = 'b!';
export const TXIDX = 't!';
export const HIST = 'h!';
export const HEIGHT = 'm!height';
export const ORG = 'm!org!';

export const stateKey = (k: string): string => STATE + k;
export const blockKey = (n: number): string => BLOCK + String(n).padStart(12, '0');
export const txKey = (txId: string): string => TXIDX + txId;
const histPrefix = (k: string) => `${HIST}${k.length}:${k}`;
export const histKey = (k: string, block: number, tx: number): string =>
  histPrefix(k) + String(block).padStart(12, '0') + String(tx).padStart(6, '0');
export const histRange = (k: string): { gte: string; lt: string } => ({ gte: histPrefix(k), lt: histPrefix(k) + ':' }); // digits sort below ':'

/** Version of a state value: where it was last written. */
export interface Version {
  block: number;
  tx: number;
}
export const versionString = (v: Version | undefined): string => (v ? `${v.block}:${v.tx}` : '');

export function encodeState(v: Version, value: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(8 + value.length);
  out.writeUInt32BE(v.block, 0);
  out.writeUInt32BE(v.tx, 4);
  out.set(value, 8);
  return out;
}

export function decodeState(raw: Uint8Array): { version: Version; value: Buffer } {
  const b = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  return { version: { block: b.readUInt32BE(0), tx: b.readUInt32BE(4) }, value: b.subarray(8) };
}

// Fabric's composite key encoding (fabric-shim stub.js).
export const COMPOSITE_NS = '\u0000';
export const MIN_RUNE = '\u0000';
export const MAX_RUNE = '\u{10ffff}';
export const EMPTY_KEY_SUBSTITUTE = '\x01';

function checkAttr(a: unknown): void {
  if (!a || typeof a !== 'string') throw new Error('object type or attribute not a non-zero length string');
}

export function createCompositeKey(objectType: string, attributes: string[]): string {
  checkAttr(objectType);
  if (!Array.isArray(attributes)) throw new Error('attributes must be an array');
  let key = COMPOSITE_NS + objectType + MIN_RUNE;
  for (const a of attributes) {
    checkAttr(a);
    key += a + MIN_RUNE;
  }
  return key;
}

export function splitCompositeKey(key: string): { objectType: string | null; attributes: string[] } {
  const result: { objectType: string | null; attributes: string[] } = { objectType: null, attributes: [] };
  if (key && key.length > 1 && key.charAt(0) === COMPOSITE_NS) {
    const parts = key.substring(1).split(MIN_RUNE);
    result.objectType = parts[0];
    parts.pop();
    if (parts.length > 1) {
      parts.shift();
      result.attributes = parts;
    }
  }
  return result;
}

export function validateSimpleKeys(...keys: string[]): void {
  for (const k of keys) {
    if (k && k.charAt(0) === COMPOSITE_NS)
      throw new Error(`first character of the key [${k}] contains a null character which is not allowed`);
  }
}
