/**
 * The money side of a prepaid contract (定向留存): purchase moves the price from the consumer's
 * wallet into a consumer-owned escrow account, colored `ctr:<id>` and locked to the contract;
 * it leaves only by release to the merchant or refund to the wallet, both through moveLots.
 */
import { conflict, forbidden, rejected } from '../lib/errors';
import { fen } from '../lib/money';
import type { LianjianContext, Member } from '../core/context';
import { Account, Leg, moveLots, policyFor, readAccount, requireUsable } from '../core/lots';
import { delKey, getJson, listJson, putJson, range } from '../core/state';
import { accountFor, ownedAccount } from '../core/access';
import { checkOpenCap, coolingOffEnd, openQuantity, quantity, refundSplit } from './rules';
import { loadContract, loadMerchant, loadPlan, openTerms, requireTrading } from './store';
import { Plan, ppKeys, PrepaidContractRecord } from './types';

/** The lock a prepaid escrow carries: Money:transfer refuses accounts with `program` set. */
export const escrowLock = (contract: string): string => `prepaid:${contract}`;
const ctrColor = (contract: string): string => `ctr:${contract}`;

/** The buyer's own wallet (paying) and its own unused escrow at the same bank (receiving, then locked). */
async function purchaseAccounts(
  ctx: LianjianContext,
  me: Member,
  walletId: string,
  escrowId: string,
): Promise<{ wallet: Account; escrow: Account }> {
  const wallet = await ownedAccount(ctx, me, walletId, 'wallet');
  if (wallet.kind !== 'wallet')
    throw rejected(`account ${walletId} is a ${wallet.kind} account, not an e-CNY wallet`, 'WALLET_REQUIRED', 'wallet');
  if (wallet.program) throw forbidden(`wallet ${walletId} is locked by ${wallet.program}`, 'ACCOUNT_LOCKED', 'wallet');
  requireUsable(wallet, 'wallet', 'debit');
  const escrow = await accountFor(ctx, me, escrowId, 'escrow');
  if (escrow.kind !== 'escrow' || escrow.owner !== me.handle)
    throw rejected(`account ${escrowId} must be an escrow account owned by ${me.handle}`, 'ESCROW_REQUIRED', 'escrow');
  if (escrow.bank !== wallet.bank)
    throw rejected(
      `escrow ${escrowId} must be kept by the wallet's bank ${wallet.bank}`,
      'ESCROW_BANK_MISMATCH',
      'escrow',
    );
  if (escrow.program || escrow.balance !== '0')
    throw conflict(`escrow ${escrowId} is already in use`, 'ESCROW_IN_USE', 'escrow');
  requireUsable(escrow, 'escrow', 'credit');
  return { wallet, escrow };
}

/** The category cap holds across all of the buyer's open contracts with the merchant. */
async function checkCap(ctx: LianjianContext, me: Member, plan: Plan, merchant: string, now: number): Promise<void> {
  const open = await listJson<{ contract: string }>(ctx, range('pp-open', me.handle, merchant));
  const openQ = await Promise.all(
    open.map(async (o) => openQuantity(openTerms(await loadContract(ctx, o.contract)), now)),
  );
  const q = quantity(plan);
  checkOpenCap(plan.category, openQ, plan.mode === 'time_linear' ? { units: 0, days: q } : { units: q, days: 0 });
}

export interface Purchase {
  id: string;
  plan: string;
  wallet: string;
  escrow: string;
}

/**
 * The consumer buys a plan: the price moves from its wallet into its escrow, locked to the
 * contract (wallet tier limits apply). Replaying the same purchase returns the contract.
 * @throws LedgerError 409 IDEMPOTENCY_CONFLICT / ESCROW_IN_USE, 422 PLAN_WITHDRAWN / PREPAID_CAP_EXCEEDED / WALLET_*
 */
export async function purchase(ctx: LianjianContext, me: Member, b: Purchase): Promise<PrepaidContractRecord> {
  const prev = await getJson<PrepaidContractRecord>(ctx, ppKeys.contract(b.id));
  if (prev) {
    if (prev.plan === b.plan && prev.wallet === b.wallet && prev.escrow === b.escrow && prev.consumer === me.handle)
      return prev;
    throw conflict(`prepaid contract ${b.id} exists with other values`, 'IDEMPOTENCY_CONFLICT', 'id');
  }
  const plan = await loadPlan(ctx, b.plan);
  if (plan.status !== 'active') throw rejected(`plan ${b.plan} is withdrawn`, 'PLAN_WITHDRAWN', 'plan');
  const merchant = await loadMerchant(ctx, plan.merchant, 'plan');
  requireTrading(merchant, 'plan');
  const { wallet, escrow } = await purchaseAccounts(ctx, me, b.wallet, b.escrow);
  const now = ctx.time().getTime();
  await checkCap(ctx, me, plan, merchant.id, now);
  escrow.program = escrowLock(b.id);
  const legs = await moveLots(ctx, {
    from: wallet,
    to: escrow,
    amount: BigInt(plan.price),
    kind: 'prepay',
    ref: b.id,
    recolor: ctrColor(b.id),
    fields: ['wallet', 'escrow'],
  });
  const c: PrepaidContractRecord = {
    id: b.id,
    plan: plan.id,
    merchant: merchant.id,
    consumer: me.handle,
    wallet: wallet.id,
    escrow: escrow.id,
    category: plan.category,
    mode: plan.mode,
    unitPrice: plan.unitPrice,
    ...(plan.units ? { units: plan.units } : {}),
    ...(plan.days ? { days: plan.days } : {}),
    price: plan.price,
    coolingOffDays: plan.coolingOffDays,
    nonRefundableBp: plan.nonRefundableBp,
    purchasedAt: new Date(now).toISOString(),
    coolingOffUntil: new Date(coolingOffEnd(now, plan.coolingOffDays)).toISOString(),
    usedUnits: 0,
    progressBp: 0,
    released: '0',
    refunded: '0',
    fee: '0',
    status: 'active',
    txId: ctx.stub.getTxID(),
  };
  await putJson(ctx, ppKeys.contract(b.id), c);
  await putJson(ctx, ppKeys.byMerchant(merchant.id, b.id), { contract: b.id });
  await putJson(ctx, ppKeys.open(me.handle, merchant.id, b.id), { contract: b.id });
  ctx.emit({
    type: 'PrepaidPurchased',
    accounts: [wallet.id, escrow.id],
    contract: b.id,
    merchant: merchant.id,
    consumer: me.handle,
    amount: c.price,
    legs,
  });
  return c;
}

export function requireActive(c: PrepaidContractRecord): void {
  if (c.status !== 'active') throw rejected(`prepaid contract ${c.id} is ${c.status}`, 'CONTRACT_CLOSED', 'contract');
}

async function closeContract(
  ctx: LianjianContext,
  c: PrepaidContractRecord,
  status: 'completed' | 'refunded',
  by: string,
): Promise<void> {
  c.status = status;
  c.closedTx = ctx.stub.getTxID();
  c.closedBy = by;
  await delKey(ctx, ppKeys.open(c.consumer, c.merchant, c.id));
}

/** Escrow → merchant settlement account; completes the contract when the whole price is released. */
export async function release(
  ctx: LianjianContext,
  c: PrepaidContractRecord,
  amount: bigint,
  ref: string,
  by: string,
): Promise<void> {
  requireActive(c);
  const merchant = await loadMerchant(ctx, c.merchant);
  requireTrading(merchant);
  if (amount === 0n) return;
  const escrow = await readAccount(ctx, c.escrow, 'contract');
  const dest = await readAccount(ctx, merchant.account, 'merchant');
  requireUsable(escrow, 'contract', 'debit');
  requireUsable(dest, 'merchant', 'credit');
  const legs = await moveLots(ctx, {
    from: escrow,
    to: dest,
    amount,
    kind: 'release',
    ref,
    policy: policyFor(`only:${ctrColor(c.id)}`),
    recolor: `prepaid:${merchant.id}`,
    wallet: 'alert', // the service was delivered: the merchant is paid
  });
  c.released = fen(BigInt(c.released) + amount);
  if (c.released === c.price) await closeContract(ctx, c, 'completed', by);
  await putJson(ctx, ppKeys.contract(c.id), c);
  ctx.emit({
    type: 'PrepaidReleased',
    accounts: [escrow.id, dest.id],
    contract: c.id,
    merchant: merchant.id,
    amount: fen(amount),
    ref,
    legs,
  });
}

/** Whether the refund is full: the merchant failed, or cooling-off with nothing used. */
export function isFullRefund(c: PrepaidContractRecord, merchantFrozen: boolean, nowMs: number): boolean {
  const unused = c.released === '0' && c.usedUnits === 0 && c.progressBp === 0;
  return merchantFrozen || (unused && nowMs < Date.parse(c.coolingOffUntil));
}

/** The wallet and escrow must accept the refund; checked before anything moves. */
export async function refundAccounts(
  ctx: LianjianContext,
  c: PrepaidContractRecord,
): Promise<{ escrow: Account; wallet: Account }> {
  const escrow = await readAccount(ctx, c.escrow, 'contract');
  const wallet = await readAccount(ctx, c.wallet, 'contract');
  requireUsable(escrow, 'contract', 'debit');
  requireUsable(wallet, 'wallet', 'credit');
  return { escrow, wallet };
}

/**
 * Returns the unreleased balance to the consumer's wallet, less the plan's non-refundable part
 * unless the refund is full; that part goes to the merchant. Closes the contract.
 */
export async function refund(ctx: LianjianContext, c: PrepaidContractRecord, full: boolean, by: string): Promise<void> {
  requireActive(c);
  const merchant = await loadMerchant(ctx, c.merchant);
  const { escrow, wallet } = await refundAccounts(ctx, c);
  const unreleased = BigInt(c.price) - BigInt(c.released);
  const { refund: back, fee } = refundSplit(unreleased, c.nonRefundableBp, full);
  const only = policyFor(`only:${ctrColor(c.id)}`);
  const legs: Leg[] = [];
  const moved = [escrow.id, wallet.id];
  if (fee > 0n) {
    const dest = await readAccount(ctx, merchant.account, 'merchant');
    moved.push(dest.id);
    requireUsable(dest, 'merchant', 'credit');
    legs.push(
      ...(await moveLots(ctx, {
        from: escrow,
        to: dest,
        amount: fee,
        kind: 'forfeit',
        ref: c.id,
        policy: only,
        recolor: `prepaid:${merchant.id}`,
        wallet: 'alert',
      })),
    );
  }
  if (back > 0n)
    legs.push(
      ...(await moveLots(ctx, {
        from: escrow,
        to: wallet,
        amount: back,
        kind: 'refund',
        ref: c.id,
        policy: only,
        recolor: `refund:${merchant.id}`,
        wallet: 'alert', // the refund must land; an over-cap wallet raises an alert for its bank
      })),
    );
  c.refunded = fen(back);
  c.fee = fen(fee);
  await closeContract(ctx, c, 'refunded', by);
  await putJson(ctx, ppKeys.contract(c.id), c);
  ctx.emit({
    type: 'PrepaidRefunded',
    accounts: moved, // the fee's receiver too: every account the refund moves is named
    contract: c.id,
    merchant: merchant.id,
    consumer: c.consumer,
    amount: c.refunded,
    fee: c.fee,
    full,
    legs,
  });
}
