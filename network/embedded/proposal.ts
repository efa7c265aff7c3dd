/** Signed proposals: what a client sends to the engine, and the bytes its SM2 signature covers. */
import { sign, sm3 } from '../../chaincode/lib/gm';
import { invalid } from '../../chaincode/lib/errors';

export interface Creator {
  mspId: string;
  certPem: string;
}

export interface Proposal {
  channel?: string;
  /** 'Contract:function' */
  fn: string;
  args: string[];
  /** Private inputs: covered by the signature through their digest, never stored on chain. */
  transient?: Record<string, string>;
  creator: Creator;
  nonce: string;
  /** Client time, ms since epoch. */
  timestamp: number;
  /** SM2 DER hex over proposalDigest(proposal). */
  signature: string;
}

export const DEFAULT_CHANNEL = 'lianjian';

/** SM3 of the transient map with sorted keys; '' when there is none. */
export function transientDigest(t: Record<string, string> | undefined): string {
  if (!t) return '';
  const keys = Object.keys(t).sort();
  if (keys.length === 0) return '';
  return sm3(JSON.stringify(keys.map((k) => [k, t[k]])));
}

/** Fields the signature covers, in a fixed order; blocks keep them so verify-chain can re-check. */
export interface SignedFields {
  channel: string;
  fn: string;
  args: string[];
  transientHash: string;
  mspId: string;
  certPem: string;
  nonce: string;
  timestamp: number;
}

export function signedFields(p: Omit<Proposal, 'signature'>): SignedFields {
  return {
    channel: p.channel ?? DEFAULT_CHANNEL,
    fn: p.fn,
    args: p.args,
    transientHash: transientDigest(p.transient),
    mspId: p.creator.mspId,
    certPem: p.creator.certPem,
    nonce: p.nonce,
    timestamp: p.timestamp,
  };
}

/** Canonical encoding: a JSON array in fixed order (no object key-order ambiguity). */
export function canonical(f: SignedFields): string {
  return JSON.stringify([
    'lianjian/proposal/v1',
    f.channel,
    f.fn,
    f.args,
    f.transientHash,
    f.mspId,
    f.certPem,
    f.nonce,
    f.timestamp,
  ]);
}

/** SM3 hex of the canonical encoding; the message that is SM2-signed. */
export function proposalDigest(p: Omit<Proposal, 'signature'>): string {
  return sm3(canonical(signedFields(p)));
}

export function signProposal<T extends Omit<Proposal, 'signature'>>(
  p: T,
  privateKeyHex: string,
  publicKeyHex?: string,
): T & { signature: string } {
  return { ...p, signature: sign(privateKeyHex, proposalDigest(p), publicKeyHex) };
}

/** As Fabric: txId = hash(nonce || creator), here SM3 hex. */
export const computeTxId = (nonce: string, c: Creator) => sm3(nonce + c.mspId + c.certPem);

/** Shape check before any work; names the bad field. */
export function checkProposal(p: Proposal): void {
  if (!p || typeof p !== 'object') throw invalid('proposal', 'proposal must be an object');
  if (typeof p.fn !== 'string' || !p.fn) throw invalid('fn', 'fn must be a non-empty "Contract:function" string');
  if (!Array.isArray(p.args) || p.args.some((a) => typeof a !== 'string'))
    throw invalid('args', 'args must be an array of strings');
  if (!p.creator || typeof p.creator.mspId !== 'string' || typeof p.creator.certPem !== 'string')
    throw invalid('creator', 'creator must carry mspId and certPem');
  if (typeof p.nonce !== 'string' || p.nonce.length < 8)
    throw invalid('nonce', 'nonce must be a string of at least 8 characters');
  if (!Number.isSafeInteger(p.timestamp) || p.timestamp <= 0)
    throw invalid('timestamp', 'timestamp must be ms since epoch');
  if (
    p.transient !== undefined &&
    (typeof p.transient !== 'object' || Object.values(p.transient).some((v) => typeof v !== 'string'))
  ) {
    throw invalid('transient', 'transient must map names to strings');
  }
  if (p.channel !== undefined && typeof p.channel !== 'string') throw invalid('channel', 'channel must be a string');
}
