/**
 * Colored lots: the money core's one way to move money. A balance is a set of lots, one per
 * (account, color); a lot's color is its origin (deposit source, program, bill, contract).
 * Merging rule: money of a color arriving at an account joins that account's lot of the same
 * color, so lots per account are bounded by the colors it holds. Per-color lineage is never
 * lost: every move adds to a cumulative flow edge (from lot -> to lot), kept apart from lots,
 * and carries its share of each deposit along (chaincode/core/provenance.ts).
 */
import { rejected } from '../lib/errors';
import { fen } from '../lib/money';
import type { Account, HistoryEntry, Leg, Lot } from './account';
import { lotId, saveAccount } from './account';
import type { LianjianContext } from './context';
import { addSources, Sources, takeSources } from './provenance';
import { delKey, getJson, key, listJson, putJson, range, seqKey } from './state';
import { applyWalletRules, WalletMode } from './wallets';

export * from './account';

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

/** Adds money of `color` from `sources` to an account, merging into its lot of that color. */
async function credit(ctx: LianjianContext, acct: Account, color: string, sources: Sources): Promise<Lot> {
  const amount = [...sources.values()].reduce((s, v) => s + v, 0n);
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
  acct.balance = fen(BigInt(acct.balance) + amount);
  await setLot(ctx, lot);
  await addSources(ctx, lot.id, sources);
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

/** Money entering the chain from the off-chain books (a mirrored deposit); `source` is its deposit node. */
export async function mint(
  ctx: LianjianContext,
  acct: Account,
  m: { amount: bigint; color: string; source: string; ref: string },
): Promise<Leg> {
  await applyWalletRules(ctx, {
    to: acct,
    amount: m.amount,
    atMs: ctx.time().getTime(),
    mode: 'alert',
    fields: ['', 'account'],
  });
  const lot = await credit(ctx, acct, m.color, new Map([[m.source, m.amount]]));
  await addFlow(ctx, m.source, lot.id, m.amount);
  await appendHistory(ctx, acct, {
    kind: 'deposit',
    amount: fen(m.amount),
    counterparty: m.source,
    ref: m.ref,
    color: m.color,
  });
  await saveAccount(ctx, acct);
  return { color: m.color, from: m.source, to: lot.id, amount: fen(m.amount) };
}

interface Pick {
  lot: Lot;
  take: bigint;
  sources: Sources;
}

/** Takes `amount` out of an account's lots by `policy`; throws INSUFFICIENT_FUNDS and changes nothing if short. */
async function debit(
  ctx: LianjianContext,
  acct: Account,
  amount: bigint,
  policy: Policy,
  field: string,
): Promise<Pick[]> {
  const picks = policy(await lotsOf(ctx, acct.id), amount);
  const got = picks.reduce((s, p) => s + p.take, 0n);
  if (got < amount) {
    throw rejected(
      `account ${acct.id} has ${got} fen available under this policy, ${amount} needed`,
      'INSUFFICIENT_FUNDS',
      field,
    );
  }
  const out: Pick[] = [];
  for (const p of picks) {
    const sources = await takeSources(ctx, p.lot.id, p.take, BigInt(p.lot.amount));
    await setLot(ctx, { ...p.lot, amount: fen(BigInt(p.lot.amount) - p.take) });
    out.push({ ...p, sources });
  }
  acct.balance = fen(BigInt(acct.balance) - amount);
  return out;
}

/** Money leaving the chain to the off-chain books (a mirrored withdrawal) into the sink node `sink`. */
export async function burn(
  ctx: LianjianContext,
  acct: Account,
  m: { amount: bigint; sink: string; ref: string },
): Promise<Leg[]> {
  await applyWalletRules(ctx, {
    from: acct,
    amount: m.amount,
    atMs: ctx.time().getTime(),
    mode: 'alert',
    fields: ['account', ''],
  });
  const picks = await debit(ctx, acct, m.amount, policyFor(), 'amount');
  for (const p of picks) {
    await addFlow(ctx, p.lot.id, m.sink, p.take);
    await addSources(ctx, m.sink, p.sources);
  }
  await appendHistory(ctx, acct, { kind: 'withdrawal', amount: fen(-m.amount), counterparty: m.sink, ref: m.ref });
  await saveAccount(ctx, acct);
  return picks.map((p) => ({ color: p.lot.color, from: p.lot.id, to: m.sink, amount: fen(p.take) }));
}

export interface Move {
  from: Account;
  to: Account;
  amount: bigint;
  kind: string; // history kind, e.g. 'transfer', 'release', 'refund'
  ref: string;
  policy?: Policy;
  recolor?: string; // child lots take this color (e.g. a program), lineage keeps the parent
  /**
   * e-CNY wallet limits (chaincode/core/wallets.ts): 'enforce' (default) refuses a movement that
   * breaks them; 'alert' is for movements that must land (refunds, releases, payouts).
   */
  wallet?: WalletMode;
  /** When the movement counts for a wallet's daily limit (default: the tx time; a card payment: its signed time). */
  atMs?: number;
  /** Fields named by a refusal: the sending and the receiving side (default 'from', 'to'). */
  fields?: [string, string];
}

/** Moves lots between two accounts: the only way money changes hands on chain. */
export async function moveLots(ctx: LianjianContext, m: Move): Promise<Leg[]> {
  if (m.from.id === m.to.id) throw rejected('from and to are the same account', 'SAME_ACCOUNT', 'to');
  await applyWalletRules(ctx, {
    from: m.from,
    to: m.to,
    amount: m.amount,
    atMs: m.atMs ?? ctx.time().getTime(),
    mode: m.wallet ?? 'enforce',
    fields: m.fields ?? ['from', 'to'],
  });
  const picks = await debit(ctx, m.from, m.amount, m.policy ?? policyFor(), 'amount');
  const legs: Leg[] = [];
  for (const p of picks) {
    const color = m.recolor ?? p.lot.color;
    const child = await credit(ctx, m.to, color, p.sources);
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
