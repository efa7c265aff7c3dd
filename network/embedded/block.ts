/**
 * Blocks as stored: "<header JSON>\n<node signature hex>\n<body JSON>". The header and body are
 * hashed as the exact stored bytes, so verification never depends on re-serialization.
 */
import { sign, sm3, verify } from '../../chaincode/lib/gm';
import { RangeRead } from './stub';

export type ValidationCode = 'VALID' | 'MVCC_READ_CONFLICT' | 'PHANTOM_READ_CONFLICT' | 'DUPLICATE_TXID';

export interface TxRecord {
  txId: string;
  channel: string;
  fn: string;
  args: string[];
  transientHash: string;
  creator: { mspId: string; id: string; cert: string /* key into body.certs */ };
  nonce: string;
  timestamp: number;
  code: ValidationCode;
  /** Chaincode response payload (utf8). */
  result: string;
  reads: [string, string][];
  ranges?: RangeRead[];
  /** key → base64 value, or null for a delete. */
  writes: [string, string | null][];
  event?: { name: string; payload: string };
}

export interface BlockHeader {
  number: number;
  previousHash: string;
  dataHash: string;
  timestamp: number;
}

export interface BlockBody {
  txs: TxRecord[];
  /** Certificates of this block's creators by SM3 of the PEM, stored once per block. */
  certs: Record<string, string>;
}

export interface Block {
  header: BlockHeader;
  /** SM3 of the header bytes; the next block's previousHash. */
  hash: string;
  signature: string;
  txs: TxRecord[];
  certs: Record<string, string>;
}

export const GENESIS_PREVIOUS_HASH = '0'.repeat(64);

export function encodeBlock(
  number: number,
  previousHash: string,
  body: BlockBody,
  nodeKey: { privateKey: string; publicKey: string },
): { raw: string; hash: string } {
  const bodyJson = JSON.stringify(body);
  const headerJson = JSON.stringify({
    number,
    previousHash,
    dataHash: sm3(bodyJson),
    timestamp: Date.now(),
  } satisfies BlockHeader);
  const hash = sm3(headerJson);
  const signature = sign(nodeKey.privateKey, hash, nodeKey.publicKey);
  return { raw: `${headerJson}\n${signature}\n${bodyJson}`, hash };
}

function split(raw: string): [string, string, string] {
  const a = raw.indexOf('\n');
  const b = raw.indexOf('\n', a + 1);
  if (a < 0 || b < 0) throw new Error('block record is malformed');
  return [raw.slice(0, a), raw.slice(a + 1, b), raw.slice(b + 1)];
}

export function decodeBlock(raw: string): Block {
  const [h, signature, body] = split(raw);
  const b = JSON.parse(body) as BlockBody;
  return { header: JSON.parse(h) as BlockHeader, hash: sm3(h), signature, txs: b.txs, certs: b.certs };
}

/** Checks a stored block's own integrity; returns the reason it is bad, or undefined. */
export function checkBlockIntegrity(
  raw: string,
  expectNumber: number,
  expectPrev: string,
  nodePublicKey: string,
): string | undefined {
  let parts: [string, string, string];
  let header: BlockHeader;
  try {
    parts = split(raw);
    header = JSON.parse(parts[0]) as BlockHeader;
  } catch {
    return 'block record cannot be decoded';
  }
  if (header.number !== expectNumber) return `header number ${header.number} != ${expectNumber}`;
  if (header.previousHash !== expectPrev) return 'previous hash does not match the previous block';
  if (sm3(parts[2]) !== header.dataHash) return 'data hash does not match the block body';
  if (!verify(nodePublicKey, sm3(parts[0]), parts[1])) return 'node signature on the header is invalid';
  return undefined;
}
