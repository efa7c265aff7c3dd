/**
 * Colored lots: the money core's one way to move money. A balance is a set of lots, one per
 * (account, color); a lot's color is its origin (deposit source, program, bill, contract).
 * Merging rule: money of a color arriving at an account joins that account's lot of the same
 * color, so lots per account are bounded by the colors it holds. Per-color lineage is never
 * lost: every move adds to a cumulative flow edge (from lot -> to lot), kept apart from lots.
 */
import { LedgerError, rejected } from '../lib/errors';
import { fen } from '../lib/money';
import type { LianjianContext } from './context';
import { delKey, getJson, key, listJson, putJson, range, seqKey } from './state';

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
export type AccountStatus = 'active' | 'frozen' | 'closed';

export interface Account {
  id: string;
  kind: AccountKind;
  owner: string; // member handle
  bank: string; // MSP id of the bank that keeps it
  offChainRef: string;
  status: AccountStatus;
  balance: string; // fen
  lotSeq: number; // arrival counter: FIFO order of lots
  histSeq: number;
  openedTx: string;
  program?: string; // set by supervision when the account is under a program
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
export const accountKey = (id: string): string => key('acct', id);

export async function readAccount(ctx: LianjianContext, id: string, field = 'account'): Promise<Account> {
  const a = await getJson<Account>(ctx, accountKey(id));
  if (!a) throw new LedgerError('ACCOUNT_NOT_FOUND', `no account ${id}`, field, 404);
  return a;
}

export async function lotsOf(ctx: LianjianContext, account: string): Promise<Lot[]> {
  return listJson<Lot>(ctx, range('lot', account));
}

/** A consumption policy picks how much to take from each lot, in order. */
export type Policy = (lots: Lot[], amount: bigint) => Array<{ lot: Lot; take: bigint }>;

function takeInOrder(lots: Lot[], amount: bigint): Array<{ lot: Lot; take: bigint }> {
  const picks: Array<{ lot: Lot; take: bigint }> = [];
  let left = amount;
  for (const lot of lots) {
    if (left === 0n) break;
    const take = BigInt(lot.amount) < left ? BigInt(lot.amount) : left;
    if (take > 0n) picks.push({ lot, take });
    left -= take;
  }
  return picks;
}

/** `fifo` (default), `only:<color>`, `prefer:<color>`. Lots arrive sorted by seq. */
export function policyFor(name = 'fifo'): Policy {
  if (name === 'fifo') return takeInOrder;
  const [kind, color] = [name.slice(0, name.indexOf(':')), name.slice(name.indexOf(':') + 1)];
  if (kind === 'only')
    return (lots, amount) =>
      takeInOrder(
        lots.filter((l) => l.color === color),
        amount,
      );
  if (kind === 'prefer')
    return (lots, amount) =>
      takeInOrder([...lots.filter((l) => l.color === color), ...lots.filter((l) => l.color !== color)], amount);
  throw rejected(`unknown lot policy ${name}`, 'INVALID_POLICY', 'policy');
}

async function setLot(ctx: LianjianContext, lot: Lot): Promise<void> {
  const k = key('lot', lot.account, seqKey(lot.seq));
  if (BigInt(lot.amount) === 0n) {
    await delKey(ctx, k);
    await delKey(ctx, key('lotc', lot.account, lot.color));
  } else {
    await putJson(ctx, k, lot);
  }
}

/** Adds money of `color` to an account, merging into its lot of that color. */
async function credit(ctx: LianjianContext, acct: Account, color: string, amount: bigint): Promise<Lot> {
  const idx = await getJson<{ seq: number }>(ctx, key('lotc', acct.id, color));
  let lot: Lot;
  if (idx) {
    lot = (await getJson<Lot>(ctx, key('lot', acct.id, seqKey(idx.seq))))!;
    lot.amount = fen(BigInt(lot.amount) + amount);
  } else {
    acct.lotSeq += 1;
    lot = { id: lotId(acct.id, color), account: acct.id, color, amount: fen(amount), seq: acct.lotSeq };
    await putJson(ctx, key('lotc', acct.id, color), { seq: lot.seq });
  }
  await setLot(ctx, lot);
  return lot;
}

/** Adds `amount` to the cumulative flow edge from -> to (both directions indexed). */
async function addFlow(ctx: LianjianContext, from: string, to: string, amount: bigint): Promise<void> {
  const k = key('flow', to, from);
  const prev = await getJson<{ from: string; to: string; amount: string }>(ctx, k);
  const edge = { from, to, amount: fen(BigInt(prev?.amount ?? '0') + amount) };
  await putJson(ctx, k, edge);
  await putJson(ctx, key('flowr', from, to), edge);
}

async function appendHistory(
  ctx: LianjianContext,
  acct: Account,
  e: Omit<HistoryEntry, 'seq' | 'txId' | 'time' | 'balance'>,
): Promise<void> {
  acct.histSeq += 1;
  const entry: HistoryEntry = {
    seq: acct.histSeq,
    txId: ctx.stub.getTxID(),
    time: ctx.time().toISOString(),
    balance: acct.balance,
    ...e,
  };
  await putJson(ctx, key('hist', acct.id, seqKey(acct.histSeq)), entry);
}

export async function saveAccount(ctx: LianjianContext, acct: Account): Promise<void> {
  await putJson(ctx, accountKey(acct.id), acct);
}

export function requireUsable(acct: Account, field: string, direction: 'debit' | 'credit'): void {
  if (acct.status === 'closed') throw rejected(`account ${acct.id} is closed`, 'ACCOUNT_CLOSED', field);
  if (acct.status === 'frozen')
    throw rejected(`account ${acct.id} is frozen; no ${direction} allowed`, 'ACCOUNT_FROZEN', field);
}

/** Money entering the chain from the off-chain books (a mirrored deposit). */
export async function mint(
  ctx: LianjianContext,
  acct: Account,
  amount: bigint,
  color: string,
  source: string,
  ref: string,
): Promise<Leg> {
  acct.balance = fen(BigInt(acct.balance) + amount);
  const lot = await credit(ctx, acct, color, amount);
  await addFlow(ctx, source, lot.id, amount);
  await appendHistory(ctx, acct, { kind: 'deposit', amount: fen(amount), counterparty: source, ref, color });
  await saveAccount(ctx, acct);
  return { color, from: source, to: lot.id, amount: fen(amount) };
}

/** Takes `amount` out of an account's lots by `policy`; throws INSUFFICIENT_FUNDS and changes nothing if short. */
async function debit(
  ctx: LianjianContext,
  acct: Account,
  amount: bigint,
  policy: Policy,
  field: string,
): Promise<Array<{ lot: Lot; take: bigint }>> {
  const picks = policy(await lotsOf(ctx, acct.id), amount);
  const got = picks.reduce((s, p) => s + p.take, 0n);
  if (got < amount) {
    throw rejected(
      `account ${acct.id} has ${got} fen available under this policy, ${amount} needed`,
      'INSUFFICIENT_FUNDS',
      field,
    );
  }
  for (const p of picks) await setLot(ctx, { ...p.lot, amount: fen(BigInt(p.lot.amount) - p.take) });
  acct.balance = fen(BigInt(acct.balance) - amount);
  return picks;
}

/** Money leaving the chain to the off-chain books (a mirrored withdrawal). */
export async function burn(
  ctx: LianjianContext,
  acct: Account,
  amount: bigint,
  sink: string,
  ref: string,
  policy = policyFor(),
): Promise<Leg[]> {
  const picks = await debit(ctx, acct, amount, policy, 'amount');
  for (const p of picks) await addFlow(ctx, p.lot.id, sink, p.take);
  await appendHistory(ctx, acct, { kind: 'withdrawal', amount: fen(-amount), counterparty: sink, ref });
  await saveAccount(ctx, acct);
  return picks.map((p) => ({ color: p.lot.color, from: p.lot.id, to: sink, amount: fen(p.take) }));
}

export interface Move {
  from: Account;
  to: Account;
  amount: bigint;
  kind: string; // history kind, e.g. 'transfer', 'release', 'refund'
  ref: string;
  policy?: Policy;
  recolor?: string; // child lots take this color (e.g. a program), lineage keeps the parent
}

/** Moves lots between two accounts: the only way money changes hands on chain. */
export async function moveLots(ctx: LianjianContext, m: Move): Promise<Leg[]> {
  if (m.from.id === m.to.id) throw rejected('from and to are the same account', 'SAME_ACCOUNT', 'to');
  const picks = await debit(ctx, m.from, m.amount, m.policy ?? policyFor(), 'amount');
  const legs: Leg[] = [];
  for (const p of picks) {
    const color = m.recolor ?? p.lot.color;
    m.to.balance = fen(BigInt(m.to.balance) + p.take);
    const child = await credit(ctx, m.to, color, p.take);
    await addFlow(ctx, p.lot.id, child.id, p.take);
    legs.push({ color, from: p.lot.id, to: child.id, amount: fen(p.take) });
  }
  await appendHistory(ctx, m.from, {
    kind: `${m.kind}_out`,
    amount: fen(-m.amount),
    counterparty: m.to.id,
    ref: m.ref,
  });
  await appendHistory(ctx, m.to, { kind: `${m.kind}_in`, amount: fen(m.amount), counterparty: m.from.id, ref: m.ref });
  await saveAccount(ctx, m.from);
  await saveAccount(ctx, m.to);
  return legs;
}
