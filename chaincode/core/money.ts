/**
 * Money: accounts, mirrored deposits and withdrawals, transfers and the queries on them. Thin
 * transaction layer: who may call what is checked here and in core/access.ts, the rules live in
 * accounts.ts, mirror.ts, transfer.ts, wallets.ts and lots.ts.
 */
import { Returns, Transaction } from 'fabric-contract-api';
import './models';
import { fen } from '../lib/money';
import { requireId, requireInt, requireOneOf, requireText } from '../lib/validate';
import { Account, HistoryEntry, readAccount } from './account';
import { accountFor, canReadAccount, keptAccount } from './access';
import { answerAccount, authorizeBank, closeAccount, freezeAccount, openAccount, unfreezeAccount } from './accounts';
import { LianjianContext, LianjianContract, ROLES } from './context';
import { regulatorOrder, requireLifter } from './freeze';
import { lotsOf } from './lots';
import { Mirror, mirror } from './mirror';
import { key, listJson, pageJson, range, seqKey } from './state';
import { transfer, transferFor } from './transfer';
import { setWalletTier, WalletTier } from './wallets';

export { mirrorMessage } from './mirror';
export type { Mirror } from './mirror';
export type { Transfer } from './transfer';

/** The account if the caller may read it (404 ACCOUNT_NOT_FOUND alike for missing and unreadable ids). */
export async function readableAccount(ctx: LianjianContext, id: string): Promise<Account> {
  return accountFor(ctx, await ctx.requireRole(...ROLES), id);
}

const out = (v: unknown): string => JSON.stringify(v);

export class MoneyContract extends LianjianContract {
  constructor() {
    super('Money');
  }

  /**
   * A bank opens an account for a registered member; `holderName` is the holder's name as the
   * bank knows it (户名, '' = the member name). For a member of another org the account stays
   * pending until the owner consents. Replaying the same opening is a no-op.
   */
  @Transaction()
  @Returns('AccountRecord')
  async openAccount(
    ctx: LianjianContext,
    id: string,
    kind: string,
    owner: string,
    offChainRef: string,
    holderName: string,
  ): Promise<string> {
    const bank = await ctx.requireRole('bank');
    return out(await openAccount(ctx, bank, { id, kind, owner, offChainRef, holderName }));
  }

  /** The owner accepts ('accept') or declines ('decline') an account a bank of another org opened for it. */
  @Transaction()
  @Returns('AccountRecord')
  async consentAccount(ctx: LianjianContext, id: string, decision: string): Promise<string> {
    return out(await answerAccount(ctx, await ctx.requireRole(...ROLES), id, decision));
  }

  /** A member authorises banks of `bank` (MSP id) to open its accounts without asking each time ('true'/'false'). */
  @Transaction()
  @Returns('BankAuthorizationView')
  async authorizeBank(ctx: LianjianContext, bank: string, allow: string): Promise<string> {
    return out(await authorizeBank(ctx, await ctx.requireRole(...ROLES), bank, allow));
  }

  /** A court or regulator freezes an account under a recorded order. */
  @Transaction()
  @Returns('AccountRecord')
  async freezeAccount(ctx: LianjianContext, id: string, order: string, reason: string): Promise<string> {
    return out(await freezeAccount(ctx, await ctx.requireRole('court', 'regulator'), id, order, reason));
  }

  /** The authority that imposed `order` lifts it. */
  @Transaction()
  @Returns('AccountRecord')
  async unfreezeAccount(ctx: LianjianContext, id: string, order: string, reason: string): Promise<string> {
    return out(await unfreezeAccount(ctx, await ctx.requireRole('court', 'regulator'), id, order, reason));
  }

  /**
   * A regulator freezes ('frozen') or lifts its own freeze ('active') of an account: the order is
   * the regulator's own. A court's freeze stays until that court lifts it.
   */
  @Transaction()
  @Returns('AccountRecord')
  async setAccountStatus(ctx: LianjianContext, id: string, status: string, reason: string): Promise<string> {
    const reg = await ctx.requireRole('regulator');
    const s = requireOneOf(status, ['active', 'frozen'] as const, 'status');
    const order = regulatorOrder(reg);
    if (s === 'frozen') return out(await freezeAccount(ctx, reg, id, order, reason));
    const acct = await readAccount(ctx, requireId(id, 'id'), 'id');
    const mine = (acct.freezes ?? []).find((f) => f.order === order);
    if (mine) return out(await unfreezeAccount(ctx, reg, id, order, reason));
    const other = (acct.freezes ?? [])[0];
    if (other) requireLifter(reg, other, 'id');
    requireText(reason, 'reason', 512);
    return out(acct);
  }

  /** The account's bank closes it, only at zero balance. */
  @Transaction()
  @Returns('AccountRecord')
  async closeAccount(ctx: LianjianContext, id: string): Promise<string> {
    return out(await closeAccount(ctx, await ctx.requireRole('bank'), id));
  }

  /** The wallet's bank declares its e-CNY tier (1-4); undeclared wallets count as tier 4. */
  @Transaction()
  @Returns('TierRecordView')
  async setWalletTier(ctx: LianjianContext, account: string, tier: string): Promise<string> {
    const bank = await ctx.requireRole('bank');
    const t = requireInt(tier, 'tier', 1, 4) as WalletTier;
    return out(await setWalletTier(ctx, bank, await keptAccount(ctx, bank, account), t));
  }

  /** Mirrors an off-chain deposit. Keyed by (bank, offTxId): a replay returns the first result. */
  @Transaction()
  @Returns('MirrorRecord')
  async mirrorDeposit(
    ctx: LianjianContext,
    account: string,
    amount: string,
    offTxId: string,
    color: string,
    attestation: string,
  ): Promise<string> {
    const oracle = await ctx.requireRole('oracle');
    return out(await mirror(ctx, oracle, { kind: 'deposit', account, amount, offTxId, color, attestation }));
  }

  /** Mirrors an off-chain withdrawal. Keyed by (bank, offTxId). */
  @Transaction()
  @Returns('MirrorRecord')
  async mirrorWithdrawal(
    ctx: LianjianContext,
    account: string,
    amount: string,
    offTxId: string,
    attestation: string,
  ): Promise<string> {
    const oracle = await ctx.requireRole('oracle');
    return out(await mirror(ctx, oracle, { kind: 'withdrawal', account, amount, offTxId, color: '', attestation }));
  }

  /** The owner moves money to another account. `id` is the caller's request id (idempotency key). */
  @Transaction()
  @Returns('TransferRecord')
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
    return out(await transfer(ctx, me, { id, from, to, amount, purpose, ref }));
  }

  @Transaction(false)
  @Returns('AccountRecord')
  async getAccount(ctx: LianjianContext, id: string): Promise<string> {
    return out(await readableAccount(ctx, id));
  }

  /** Balance in total and by color. */
  @Transaction(false)
  @Returns('BalanceView')
  async balance(ctx: LianjianContext, id: string): Promise<string> {
    const a = await readableAccount(ctx, id);
    const lots = await lotsOf(ctx, a.id);
    return out({
      account: a.id,
      holderName: a.holderName,
      holderOrg: a.holderOrg,
      status: a.status,
      total: a.balance,
      byColor: lots.map((l) => ({ color: l.color, amount: l.amount, lot: l.id })),
    });
  }

  /** Account history, newest last; keyset pagination by sequence number (stable under new writes). */
  @Transaction(false)
  @Returns('HistoryPageView')
  async history(ctx: LianjianContext, id: string, afterSeq: string, limit: string): Promise<string> {
    const a = await readableAccount(ctx, id);
    const after = requireInt(afterSeq || '0', 'afterSeq');
    const n = requireInt(limit || '50', 'limit', 1, 500);
    const page = await pageJson<HistoryEntry>(ctx, [key('hist', a.id, seqKey(after + 1)), key('hist', a.id, '~')], n);
    return out({ items: page.items, nextAfterSeq: page.next ? page.items[page.items.length - 1].seq : undefined });
  }

  @Transaction(false)
  @Returns('TransferRecord')
  async getTransfer(ctx: LianjianContext, id: string): Promise<string> {
    return out(await transferFor(ctx, await ctx.requireRole(...ROLES), id));
  }

  /** Accounts owned by a member that the caller may read (default: the caller's own). */
  @Transaction(false)
  @Returns('AccountRecord[]')
  async listAccounts(ctx: LianjianContext, owner: string): Promise<string> {
    const me = await ctx.requireRole(...ROLES);
    const who = owner ? requireText(owner, 'owner', 130) : me.handle;
    const ids = await listJson<{ id: string }>(ctx, range('owner', who));
    const accts = await Promise.all(ids.map((r) => readAccount(ctx, r.id)));
    return out(accts.filter((a) => canReadAccount(me, a)));
  }

  /** Ledger-wide totals for auditors: the conservation check sum(balances) == deposits - withdrawals. */
  @Transaction(false)
  @Returns('TotalsView')
  async totals(ctx: LianjianContext): Promise<string> {
    await ctx.requireRole('regulator', 'auditor');
    const accounts = await listJson<Account>(ctx, range('acct'));
    const mirrors = await listJson<Mirror>(ctx, range('mirror'));
    const sum = (xs: string[]): bigint => xs.reduce((s, x) => s + BigInt(x), 0n);
    const balances = sum(accounts.map((a) => a.balance));
    const deposits = sum(mirrors.filter((m) => m.kind === 'deposit').map((m) => m.amount));
    const withdrawals = sum(mirrors.filter((m) => m.kind === 'withdrawal').map((m) => m.amount));
    return out({
      accounts: accounts.length,
      balances: fen(balances),
      deposits: fen(deposits),
      withdrawals: fen(withdrawals),
      conserved: balances === deposits - withdrawals,
    });
  }
}
