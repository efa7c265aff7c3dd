/**
 * Money: accounts, mirrored deposits and withdrawals, transfers and the queries on them.
 * Money enters and leaves only by mirrors of off-chain movements, submitted by an oracle
 * registered for the account's bank and signed (SM2) by it; transfers only move lots.
 */
import { Transaction } from 'fabric-contract-api';
import { conflict, forbidden, rejected } from '../lib/errors';
import { verify } from '../lib/gm';
import { fen, parseFen } from '../lib/money';
import { requireId, requireInt, requireOneOf, requireText } from '../lib/validate';
import { LianjianContext, LianjianContract, Member } from './context';
import { memberByHandle } from './identity';
import {
  Account,
  ACCOUNT_KINDS,
  accountKey,
  burn,
  HistoryEntry,
  Leg,
  lotsOf,
  mint,
  moveLots,
  readAccount,
  requireUsable,
  saveAccount,
} from './lots';
import { getJson, key, listJson, pageJson, putJson, range, seqKey } from './state';

export interface Mirror {
  kind: 'deposit' | 'withdrawal';
  bank: string;
  account: string;
  offTxId: string;
  amount: string;
  color: string;
  txId: string;
  legs: Leg[];
}

export interface Transfer {
  id: string;
  from: string;
  to: string;
  amount: string;
  purpose: string;
  ref: string;
  legs: Leg[];
  txId: string;
  time: string;
  by: string;
}

/** The exact text an oracle signs for one mirrored movement. */
export const mirrorMessage = (
  kind: string,
  bank: string,
  account: string,
  offTxId: string,
  amount: string,
  color: string,
): string => ['lianjian-mirror', kind, bank, account, offTxId, amount, color].join('|');

/** Who may read an account: its owner, its bank, regulators and auditors. */
export function canRead(m: Member, a: Account): boolean {
  return (
    m.handle === a.owner ||
    (m.mspId === a.bank && m.roles.includes('bank')) ||
    m.roles.includes('regulator') ||
    m.roles.includes('auditor')
  );
}

export async function readableAccount(ctx: LianjianContext, id: string): Promise<Account> {
  const m = await ctx.requireRole('regulator', 'bank', 'enterprise', 'merchant', 'consumer', 'auditor', 'oracle');
  const a = await readAccount(ctx, requireId(id, 'account'));
  if (!canRead(m, a) && !(m.roles.includes('oracle') && m.mspId === a.bank))
    throw forbidden(`${m.handle} may not read account ${id}`, 'NOT_ACCOUNT_READER', 'account');
  return a;
}

export class MoneyContract extends LianjianContract {
  constructor() {
    super('Money');
  }

  /** A bank opens an account for a registered customer. Replaying the same opening is a no-op. */
  @Transaction()
  async openAccount(
    ctx: LianjianContext,
    id: string,
    kind: string,
    owner: string,
    offChainRef: string,
  ): Promise<string> {
    const bank = await ctx.requireRole('bank');
    requireId(id, 'id');
    const k = requireOneOf(kind, ACCOUNT_KINDS, 'kind');
    await memberByHandle(ctx, requireText(owner, 'owner', 130), 'owner');
    requireText(offChainRef, 'offChainRef', 128);
    const prev = await getJson<Account>(ctx, accountKey(id));
    if (prev) {
      if (prev.kind === k && prev.owner === owner && prev.bank === bank.mspId && prev.offChainRef === offChainRef)
        return JSON.stringify(prev);
      throw conflict(`account ${id} already exists`, 'ACCOUNT_EXISTS', 'id');
    }
    const acct: Account = {
      id,
      kind: k,
      owner,
      bank: bank.mspId,
      offChainRef,
      status: 'active',
      balance: '0',
      lotSeq: 0,
      histSeq: 0,
      openedTx: ctx.stub.getTxID(),
    };
    await saveAccount(ctx, acct);
    await putJson(ctx, key('owner', owner, id), { id });
    ctx.emit({ type: 'AccountOpened', accounts: [id], kind: k, owner, bank: bank.mspId });
    return JSON.stringify(acct);
  }

  /** A regulator freezes or unfreezes an account (freeze stops every on-chain debit and credit). */
  @Transaction()
  async setAccountStatus(ctx: LianjianContext, id: string, status: string, reason: string): Promise<string> {
    const reg = await ctx.requireRole('regulator');
    const s = requireOneOf(status, ['active', 'frozen'] as const, 'status');
    requireText(reason, 'reason', 512);
    const acct = await readAccount(ctx, requireId(id, 'id'), 'id');
    if (acct.status === 'closed') throw rejected(`account ${id} is closed`, 'ACCOUNT_CLOSED', 'id');
    if (acct.status === s) return JSON.stringify(acct);
    acct.status = s;
    await saveAccount(ctx, acct);
    ctx.emit({ type: s === 'frozen' ? 'AccountFrozen' : 'AccountUnfrozen', accounts: [id], by: reg.handle, reason });
    return JSON.stringify(acct);
  }

  /** The account's bank closes it, only at zero balance. */
  @Transaction()
  async closeAccount(ctx: LianjianContext, id: string): Promise<string> {
    const bank = await ctx.requireRole('bank');
    const acct = await readAccount(ctx, requireId(id, 'id'), 'id');
    if (acct.bank !== bank.mspId) throw forbidden(`account ${id} is kept by ${acct.bank}`, 'NOT_ACCOUNT_BANK', 'id');
    if (acct.status === 'closed') return JSON.stringify(acct);
    if (acct.status === 'frozen') throw rejected(`account ${id} is frozen`, 'ACCOUNT_FROZEN', 'id');
    if (acct.balance !== '0') throw rejected(`account ${id} still holds ${acct.balance} fen`, 'BALANCE_NOT_ZERO', 'id');
    acct.status = 'closed';
    await saveAccount(ctx, acct);
    ctx.emit({ type: 'AccountClosed', accounts: [id] });
    return JSON.stringify(acct);
  }

  /** Mirrors an off-chain deposit. Keyed by (bank, offTxId): a replay returns the first result. */
  @Transaction()
  async mirrorDeposit(
    ctx: LianjianContext,
    account: string,
    amount: string,
    offTxId: string,
    color: string,
    attestation: string,
  ): Promise<string> {
    return this.mirror(ctx, 'deposit', account, amount, offTxId, color, attestation);
  }

  /** Mirrors an off-chain withdrawal (FIFO over the account's lots). */
  @Transaction()
  async mirrorWithdrawal(
    ctx: LianjianContext,
    account: string,
    amount: string,
    offTxId: string,
    attestation: string,
  ): Promise<string> {
    return this.mirror(ctx, 'withdrawal', account, amount, offTxId, '', attestation);
  }

  private async mirror(
    ctx: LianjianContext,
    kind: Mirror['kind'],
    account: string,
    amount: string,
    offTxId: string,
    color: string,
    attestation: string,
  ): Promise<string> {
    const oracle = await ctx.requireRole('oracle');
    const acct = await readAccount(ctx, requireId(account, 'account'));
    const value = parseFen(amount, 'amount');
    requireId(offTxId, 'offTxId');
    const paint = kind === 'deposit' ? (color ? requireId(color, 'color') : `dep:${acct.id}`) : '';
    if (oracle.mspId !== acct.bank)
      throw forbidden(
        `oracle ${oracle.handle} is not registered for bank ${acct.bank}`,
        'ORACLE_NOT_FOR_BANK',
        'account',
      );
    if (
      !oracle.publicKey ||
      !verify(oracle.publicKey, mirrorMessage(kind, acct.bank, acct.id, offTxId, fen(value), paint), attestation)
    ) {
      throw forbidden(
        'attestation is not a valid SM2 signature of this record by the oracle',
        'BAD_ATTESTATION',
        'attestation',
      );
    }
    const mk = key('mirror', acct.bank, offTxId);
    const prev = await getJson<Mirror>(ctx, mk);
    if (prev) {
      if (prev.kind === kind && prev.account === acct.id && prev.amount === fen(value) && prev.color === paint)
        return JSON.stringify(prev);
      throw conflict(
        `off-chain transaction ${offTxId} was mirrored with other values`,
        'IDEMPOTENCY_CONFLICT',
        'offTxId',
      );
    }
    if (acct.status === 'closed') throw rejected(`account ${acct.id} is closed`, 'ACCOUNT_CLOSED', 'account');
    const node = `${kind}:${acct.bank}:${offTxId}`;
    const legs =
      kind === 'deposit'
        ? [await mint(ctx, acct, value, paint, node, offTxId)]
        : await burn(ctx, acct, value, node, offTxId);
    const rec: Mirror = {
      kind,
      bank: acct.bank,
      account: acct.id,
      offTxId,
      amount: fen(value),
      color: paint,
      txId: ctx.stub.getTxID(),
      legs,
    };
    await putJson(ctx, mk, rec);
    await putJson(ctx, key('mirrors', acct.id, seqKey(acct.histSeq)), { bank: acct.bank, offTxId });
    ctx.emit({
      type: kind === 'deposit' ? 'Deposited' : 'Withdrawn',
      accounts: [acct.id],
      amount: rec.amount,
      offTxId,
      color: paint,
    });
    if (acct.status === 'frozen')
      ctx.emit({ type: 'Alert', alert: 'FROZEN_ACCOUNT_MOVED_OFF_CHAIN', accounts: [acct.id], offTxId });
    return JSON.stringify(rec);
  }

  /** The owner moves money to another account. `id` is the caller's request id (idempotency key). */
  @Transaction()
  async transfer(
    ctx: LianjianContext,
    id: string,
    from: string,
    to: string,
    amount: string,
    purpose: string,
    ref: string,
  ): Promise<string> {
    const me = await ctx.requireRole('enterprise', 'merchant', 'consumer', 'bank', 'regulator');
    requireId(id, 'id');
    const value = parseFen(amount, 'amount');
    requireText(purpose, 'purpose', 256);
    requireText(ref, 'ref', 128, true);
    const src = await readAccount(ctx, requireId(from, 'from'), 'from');
    const dst = await readAccount(ctx, requireId(to, 'to'), 'to');
    const prev = await getJson<Transfer>(ctx, key('xfer', id));
    if (prev) {
      if (
        prev.from === from &&
        prev.to === to &&
        prev.amount === fen(value) &&
        prev.purpose === purpose &&
        prev.ref === ref
      )
        return JSON.stringify(prev);
      throw conflict(`transfer ${id} exists with other values`, 'IDEMPOTENCY_CONFLICT', 'id');
    }
    if (src.owner !== me.handle)
      throw forbidden(`${me.handle} does not own account ${from}`, 'NOT_ACCOUNT_OWNER', 'from');
    if (src.program)
      throw forbidden(
        `account ${from} is supervised by program ${src.program}; use a payment request`,
        'SUPERVISED_ACCOUNT',
        'from',
      );
    requireUsable(src, 'from', 'debit');
    requireUsable(dst, 'to', 'credit');
    // A locked escrow (prepaid contract) or payout account lets out only its own color: anything else sent in would be stuck.
    if (dst.program && (dst.kind === 'escrow' || dst.kind === 'payout')) {
      throw forbidden(
        `account ${to} is locked to ${dst.program}; only its contract or program moves money into it`,
        'ACCOUNT_LOCKED',
        'to',
      );
    }
    const legs = await moveLots(ctx, { from: src, to: dst, amount: value, kind: 'transfer', ref: ref || id });
    const t: Transfer = {
      id,
      from,
      to,
      amount: fen(value),
      purpose,
      ref,
      legs,
      txId: ctx.stub.getTxID(),
      time: ctx.time().toISOString(),
      by: me.handle,
    };
    await putJson(ctx, key('xfer', id), t);
    ctx.emit({ type: 'Transferred', accounts: [from, to], id, amount: t.amount, purpose });
    return JSON.stringify(t);
  }

  @Transaction(false)
  async getAccount(ctx: LianjianContext, id: string): Promise<string> {
    return JSON.stringify(await readableAccount(ctx, id));
  }

  /** Balance in total and by color. */
  @Transaction(false)
  async balance(ctx: LianjianContext, id: string): Promise<string> {
    const a = await readableAccount(ctx, id);
    const lots = await lotsOf(ctx, a.id);
    return JSON.stringify({
      account: a.id,
      status: a.status,
      total: a.balance,
      byColor: lots.map((l) => ({ color: l.color, amount: l.amount, lot: l.id })),
    });
  }

  /** Account history, newest last; keyset pagination by sequence number (stable under new writes). */
  @Transaction(false)
  async history(ctx: LianjianContext, id: string, afterSeq: string, limit: string): Promise<string> {
    const a = await readableAccount(ctx, id);
    const after = requireInt(afterSeq || '0', 'afterSeq');
    const n = requireInt(limit || '50', 'limit', 1, 500);
    const page = await pageJson<HistoryEntry>(ctx, [key('hist', a.id, seqKey(after + 1)), key('hist', a.id, '~')], n);
    return JSON.stringify({
      items: page.items,
      nextAfterSeq: page.next ? page.items[page.items.length - 1].seq : undefined,
    });
  }

  @Transaction(false)
  async getTransfer(ctx: LianjianContext, id: string): Promise<string> {
    const t = await getJson<Transfer>(ctx, key('xfer', requireId(id, 'id')));
    if (!t) throw rejected(`no transfer ${id}`, 'TRANSFER_NOT_FOUND', 'id');
    await readableAccount(ctx, t.from).catch(() => readableAccount(ctx, t.to));
    return JSON.stringify(t);
  }

  /** Accounts owned by a member (the caller's own, or any for banks, regulators and auditors). */
  @Transaction(false)
  async listAccounts(ctx: LianjianContext, owner: string): Promise<string> {
    const me = await ctx.requireRole('regulator', 'bank', 'enterprise', 'merchant', 'consumer', 'auditor');
    const who = owner || me.handle;
    const ids = await listJson<{ id: string }>(ctx, range('owner', who));
    const accts = await Promise.all(ids.map((r) => readAccount(ctx, r.id)));
    return JSON.stringify(accts.filter((a) => canRead(me, a)));
  }

  /** Ledger-wide totals for auditors: the conservation check sum(balances) == deposits - withdrawals. */
  @Transaction(false)
  async totals(ctx: LianjianContext): Promise<string> {
    await ctx.requireRole('regulator', 'auditor');
    const accounts = await listJson<Account>(ctx, range('acct'));
    const mirrors = await listJson<Mirror>(ctx, range('mirror'));
    const sum = (xs: string[]) => xs.reduce((s, x) => s + BigInt(x), 0n);
    const balances = sum(accounts.map((a) => a.balance));
    const deposits = sum(mirrors.filter((m) => m.kind === 'deposit').map((m) => m.amount));
    const withdrawals = sum(mirrors.filter((m) => m.kind === 'withdrawal').map((m) => m.amount));
    return JSON.stringify({
      accounts: accounts.length,
      balances: fen(balances),
      deposits: fen(deposits),
      withdrawals: fen(withdrawals),
      conserved: balances === deposits - withdrawals,
    });
  }
}
