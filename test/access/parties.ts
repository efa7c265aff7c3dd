/**
 * What the access matrix knows about callers and answers: the demo members, who counts as party,
 * and what a non-party must not see in an answer that is not a refusal (docs/access.md).
 */
import type { MemberKey } from '../../ledger/types';
import type { Who } from './world';

export interface Request {
  url: string;
  body?: unknown;
}

export interface RouteCase {
  parties: (w: Who) => boolean;
  real: (w: Who) => Request;
  missing?: (w: Who) => Request;
  /**
   * Callers who read what a write names (its account, bill or program) without being party to the
   * write: they must be refused, but may be told why (403/422), since they know the id exists.
   */
  readers?: (w: Who) => boolean;
  /** Answers every caller with its own share: why a non-party's answer shows too much, if it does. */
  view?: (w: Who, body: unknown) => string | undefined;
  /** An event stream (read for a moment, then closed). */
  stream?: boolean;
}

export interface Context {
  ids: Record<string, string>;
  /** A fresh id for creations (a write that wrongly succeeds must not make the next one a replay). */
  fresh: (prefix: string) => string;
  key: (handle: string) => MemberKey;
}

// ---- who
export const REG = 'Org2MSP:regulator1';
export const AUD = 'Org2MSP:auditor1';
export const COURT = 'Org2MSP:court1';
export const BANK1 = 'Org1MSP:bank1';
export const ORACLE1 = 'Org1MSP:oracle1';
export const ENT1 = 'Org1MSP:ent1';
export const ENT2 = 'Org1MSP:ent2';
export const MER1 = 'Org1MSP:merchant1';
export const CON1 = 'Org1MSP:consumer1';

export type Party = (w: Who) => boolean;
export const is =
  (...handles: string[]): Party =>
  (w) =>
    handles.includes(w.handle);
export const anyone: Party = () => true;
export const withRole =
  (...roles: string[]): Party =>
  (w) =>
    w.roles.some((r) => roles.includes(r));
export const admins: Party = (w) => w.admin;
/** Regulators and auditors: everything on the ledger, by mandate. */
export const mandate = is(REG, AUD);
export const or =
  (...parties: Party[]): Party =>
  (w) =>
    parties.some((p) => p(w));
/** An Org1 account: its owner, the bank that keeps it and that bank's oracle, and the mandate. */
export const accountOf = (...owners: string[]): Party => or(is(...owners, BANK1, ORACLE1), mandate);

// ---- what a non-party must not see in an answer that is not a refusal
export const ORG1_IDS = [
  'demo-ent1-main',
  'demo-ent2-main',
  'demo-merchant1-shop',
  'demo-consumer1-wallet',
  'demo-consumer1-escrow',
  'demo-presale',
  'demo-tx-',
  'demo-bill-1',
  'demo-licheng-garden',
  'demo-req-1',
  'demo-c1',
  'core-demo-',
  'demo-card-1',
];
export const noOrg1Data = (_w: Who, body: unknown): string | undefined => {
  const text = JSON.stringify(body ?? '');
  const seen = ORG1_IDS.find((id) => text.includes(id));
  return seen ? `shows ${seen}` : undefined;
};
/** Blocks: a non-mandated caller sees only its own transactions. */
export const ownTransactionsOnly = (w: Who, body: unknown): string | undefined => {
  const blocks = (body as { items?: unknown[] }).items ?? [body];
  const txs = (blocks as { txs?: { signer?: string }[] }[]).flatMap((b) => b.txs ?? []);
  const other = txs.find((t) => t.signer !== w.handle);
  return mandate(w) || !other ? undefined : `shows a transaction of ${other.signer ?? 'a service'}`;
};

export const MISSING = 'zz-missing-1';
export const get =
  (url: string): ((w: Who) => Request) =>
  () => ({ url });
export const post =
  (url: string, body: unknown = {}): ((w: Who) => Request) =>
  () => ({ url, body });
