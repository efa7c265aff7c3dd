/**
 * Proposals: what the in-process client (the ledger adapter) hands the engine. The submitter is
 * an org's service credential, checked against the org's CA; who asked for the transaction is
 * the member intent in the transient map, which the chaincode itself verifies. A proposal needs
 * no signature of its own: it never leaves the process.
 */
import { sm3 } from '../../chaincode/lib/gm';
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
  /** Private inputs (the member intent among them): blocks keep their digest, not their values. */
  transient?: Record<string, string>;
  creator: Creator;
  nonce: string;
  /** Client time, ms since epoch. */
  timestamp: number;
}

export const DEFAULT_CHANNEL = 'lianjian';

/** SM3 of the transient map with sorted keys; '' when there is none. */
export function transientDigest(t: Record<string, string> | undefined): string {
  if (!t) return '';
  const keys = Object.keys(t).sort();
  if (keys.length === 0) return '';
  return sm3(JSON.stringify(keys.map((k) => [k, t[k]])));
}

/** What a block keeps of a proposal. */
export interface ProposalFields {
  channel: string;
  fn: string;
  args: string[];
  transientHash: string;
  mspId: string;
  certPem: string;
  nonce: string;
  timestamp: number;
}

export function proposalFields(p: Proposal): ProposalFields {
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

/** As Fabric: txId = hash(nonce || creator), here SM3 hex. */
export const computeTxId = (nonce: string, c: Creator): string => sm3(nonce + c.mspId + c.certPem);

/** Shape check before any work; names the bad field. */
export function checkProposal(p: Proposal): void {
  if (!p || typeof p !== 'object') throw invalid('proposal', 'proposal must be an object');
  checkCallShape(p);
  checkEnvelopeShape(p);
}

/** The function, its arguments and who proposes it. */
function checkCallShape(p: Proposal): void {
  if (typeof p.fn !== 'string' || !p.fn) throw invalid('fn', 'fn must be a non-empty "Contract:function" string');
  if (!Array.isArray(p.args) || p.args.some((a) => typeof a !== 'string'))
    throw invalid('args', 'args must be an array of strings');
  if (!p.creator || typeof p.creator.mspId !== 'string' || typeof p.creator.certPem !== 'string')
    throw invalid('creator', 'creator must carry mspId and certPem');
}

/** Nonce, time, transient data and channel. */
function checkEnvelopeShape(p: Proposal): void {
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
