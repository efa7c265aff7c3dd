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
import { checkOpenCap, coolingOffEnd, openQuantity, overBalanceCap, quantity, refundSplit } from './rules';
import {
  chargeDaily,
  checkTier,
  loadContract,
  loadMerchant,
  loadPlan,
  openTerms,
  requireTrading,
  tierLimits,
} from './store';
import { K, PrepaidContractRecord } from './types';

/** The lock a prepaid escrow carries: Money:transfer refuses accounts with `program` set. */
export const escrowLock = (contract: string): string => `prepaid:${contract}`;
const ctrColor = (contract: string): string => `ctr:${contract}`;

export async function purchase(
  ctx: LianjianContext,
  me: Member,
  id: string,
  planId: string,
  walletId: string,
  escrowId: string,
): Promise<PrepaidContractRecord> {
  const prev = await getJson<PrepaidContractRecord>(ctx, K.contract(id));
  if (prev) {
    if (prev.plan === planId && prev.wallet === walletId && prev.escrow === escrowId && prev.consumer === me.handle)
      return prev;
    throw conflict(`prepaid contract ${id} exists with other values`, 'IDEMPOTENCY_CONFLICT', 'id');
  }
  const plan = await loadPlan(ctx, planId);
  if (plan.status !== 'active') throw rejected(`plan ${planId} is withdrawn`, 'PLAN_WITHDRAWN', 'plan');
  const merchant = await loadMerchant(ctx, plan.merchant, 'plan');
  requireTrading(merchant, 'plan');
  const wallet = await readAccount(ctx, walletId, 'wallet');
  if (wallet.kind !== 'wallet')
    throw rejected(`account ${walletId} is a ${wallet.kind} account, not an e-CNY wallet`, 'WALLET_REQUIRED', 'wallet');
  if (wallet.owner !== me.handle)
    throw forbidden(`${me.handle} does not own wallet ${walletId}`, 'NOT_ACCOUNT_OWNER', 'wallet');
  if (wallet.program) throw forbidden(`wallet ${walletId} is locked by ${wallet.program}`, 'ACCOUNT_LOCKED', 'wallet');
  requireUsable(wallet, 'wallet', 'debit');
  const escrow = await readAccount(ctx, escrowId, 'escrow');
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

  const now = ctx.time().getTime();
  const open = await listJson<{ contract: string }>(ctx, range('pp-open', me.handle, merchant.id));
  const openQ = await Promise.all(
    open.map(async (o) => openQuantity(openTerms(await loadContract(ctx, o.contract)), now)),
  );
  const q = quantity(plan);
  checkOpenCap(plan.category, openQ, plan.mode === 'time_linear' ? { units: 0, days: q } : { units: q, days: 0 });
  const price = BigInt(plan.price);
  const broken = await checkTier(ctx, wallet.id, price, now);
  if (broken) throw rejected(broken.detail, broken.code, 'wallet');
  await chargeDaily(ctx, wallet.id, price, now);

  escrow.program = escrowLock(id);
  const legs = await moveLots(ctx, {
    from: wallet,
    to: escrow,
    amount: price,
    kind: 'prepay',
    ref: id,
    recolor: ctrColor(id),
  });
  const c: PrepaidContractRecord = {
    id,
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
  await putJson(ctx, K.contract(id), c);
  await putJson(ctx, K.byMerchant(merchant.id, id), { contract: id });
  await putJson(ctx, K.open(me.handle, merchant.id, id), { contract: id });
  ctx.emit({
    type: 'PrepaidPurchased',
    accounts: [wallet.id, escrow.id],
    contract: id,
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
  await delKey(ctx, K.open(c.consumer, c.merchant, c.id));
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
  });
  c.released = fen(BigInt(c.released) + amount);
  if (c.released === c.price) await closeContract(ctx, c, 'completed', by);
  await putJson(ctx, K.contract(c.id), c);
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
  if (fee > 0n) {
    const dest = await readAccount(ctx, merchant.account, 'merchant');
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
      })),
    );
  c.refunded = fen(back);
  c.fee = fen(fee);
  await closeContract(ctx, c, 'refunded', by);
  await putJson(ctx, K.contract(c.id), c);
  ctx.emit({
    type: 'PrepaidRefunded',
    accounts: [escrow.id, wallet.id],
    contract: c.id,
    merchant: merchant.id,
    consumer: c.consumer,
    amount: c.refunded,
    fee: c.fee,
    full,
    legs,
  });
  if (overBalanceCap(await tierLimits(ctx, wallet.id), BigInt(wallet.balance))) {
    // The refund must still land; the bank has to move the excess to a higher tier or a bank account.
    ctx.emit({ type: 'Alert', alert: 'WALLET_OVER_BALANCE_CAP', accounts: [wallet.id], contract: c.id });
  }
}
