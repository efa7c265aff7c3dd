/**
 * The account record and its state keys: what every business reads and writes through the
 * money core. An account names its holder for people (户名, `holderName`) and the org of its
 * holder (`holderOrg`), so screens and exports show who holds the money, not an id.
 */
import { LedgerError, rejected } from '../lib/errors';
import type { LianjianContext } from './context';
import { getJson, key, putJson } from './state';

export const ACCOUNT_KINDS = [
  'supervised',
  'settlement',
  'wallet',
  'escrow',
  'wage',
  'deposit',
  'payout',
  'general',
] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

/**
 * pending: opened by a bank of another org, waiting for its owner's consent (moves nothing).
 * frozen: at least one freeze order holds it (moves nothing). closed: at zero balance, for good.
 */
export type AccountStatus = 'pending' | 'active' | 'frozen' | 'closed';

/** A freeze order on an account or a bill range: who imposed it, under which order. */
export interface Freeze {
  order: string; // the order's reference (a court's 裁定书 number, a regulator's decision)
  by: string; // member handle of the authority; only it lifts the freeze
  authority: 'court' | 'regulator';
  reason: string;
  since: string; // ISO time
  txId: string;
}

export interface Account {
  id: string;
  kind: AccountKind;
  owner: string; // member handle
  holderName: string; // 户名: the holder's name as the bank knows it
  holderOrg: string; // MSP id of the holder's org
  bank: string; // MSP id of the bank that keeps it
  offChainRef: string;
  status: AccountStatus;
  freezes?: Freeze[];
  lifted?: string[]; // the last orders lifted (a replayed unfreeze is a no-op)
  balance: string; // fen
  lotSeq: number; // arrival counter: FIFO order of lots
  histSeq: number;
  openedTx: string;
  program?: string; // set by a business that holds the account for a purpose (supervision, prepaid)
}

export interface Lot {
  id: string; // `${account}/${color}`
  account: string;
  color: string;
  amount: string;
  seq: number;
}

export interface Leg {
  color: string;
  from: string; // lot id or source node (deposit:...)
  to: string; // lot id or sink node (withdrawal:...)
  amount: string;
}

export interface HistoryEntry {
  seq: number;
  txId: string;
  time: string;
  kind: string;
  amount: string; // signed fen: + in, - out
  balance: string;
  counterparty?: string;
  ref?: string;
  color?: string;
}

export const lotId = (account: string, color: string): string => `${account}/${color}`;
/** The account a lot id belongs to (ids never contain '/'). */
export const accountOfLot = (lot: string): string => lot.slice(0, lot.indexOf('/'));
export const accountKey = (id: string): string => key('acct', id);

/**
 * The account, with no regard to who asks. Queries and writes on behalf of a member go through
 * chaincode/core/access.ts, which answers "not found" alike for missing and unreadable ids.
 * @throws LedgerError 404 ACCOUNT_NOT_FOUND
 */
export async function readAccount(ctx: LianjianContext, id: string, field = 'account'): Promise<Account> {
  const a = await getJson<Account>(ctx, accountKey(id));
  if (!a) throw new LedgerError('ACCOUNT_NOT_FOUND', `no account ${id}`, field, 404);
  return a;
}

export async function saveAccount(ctx: LianjianContext, acct: Account): Promise<void> {
  await putJson(ctx, accountKey(acct.id), acct);
}

/**
 * An account money may leave (`debit`) or reach (`credit`) now.
 * @throws LedgerError 422 ACCOUNT_CLOSED, ACCOUNT_FROZEN or ACCOUNT_PENDING
 */
export function requireUsable(acct: Account, field: string, direction: 'debit' | 'credit'): void {
  if (acct.status === 'closed') throw rejected(`account ${acct.id} is closed`, 'ACCOUNT_CLOSED', field);
  if (acct.status === 'frozen')
    throw rejected(`account ${acct.id} is frozen; no ${direction} allowed`, 'ACCOUNT_FROZEN', field);
  if (acct.status === 'pending')
    throw rejected(`account ${acct.id} waits for its owner's consent`, 'ACCOUNT_PENDING', field);
}
