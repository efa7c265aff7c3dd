/** Loading prepaid records and the wallet-tier bookkeeping shared by purchases and card payments. */
import { notFound, rejected } from '../lib/errors';
import { fen } from '../lib/money';
import type { LianjianContext } from '../core/context';
import { getJson, putJson } from '../core/state';
import { DEFAULT_TIER, TierLimits, WALLET_TIERS } from './policy';
import { cstDate, OpenTerms, tierViolation } from './rules';
import { K, Merchant, Plan, PrepaidContractRecord, TierRecord } from './types';

export async function loadMerchant(ctx: LianjianContext, id: string, field = 'merchant'): Promise<Merchant> {
  const m = await getJson<Merchant>(ctx, K.merchant(id));
  if (!m) throw notFound(field, `no merchant ${id}`, 'MERCHANT_NOT_FOUND');
  return m;
}

/** A merchant that may sell and be paid: approved and not frozen. */
export function requireTrading(m: Merchant, field = 'merchant'): void {
  if (m.status === 'frozen') throw rejected(`merchant ${m.id} is frozen by the regulator`, 'MERCHANT_FROZEN', field);
  if (m.status !== 'approved')
    throw rejected(`merchant ${m.id} is ${m.status}, not approved`, 'MERCHANT_NOT_APPROVED', field);
}

export async function loadPlan(ctx: LianjianContext, id: string): Promise<Plan> {
  const p = await getJson<Plan>(ctx, K.plan(id));
  if (!p) throw notFound('plan', `no plan ${id}`, 'PLAN_NOT_FOUND');
  return p;
}

export async function loadContract(
  ctx: LianjianContext,
  id: string,
  field = 'contract',
): Promise<PrepaidContractRecord> {
  const c = await getJson<PrepaidContractRecord>(ctx, K.contract(id));
  if (!c) throw notFound(field, `no prepaid contract ${id}`, 'CONTRACT_NOT_FOUND');
  return c;
}

export const openTerms = (c: PrepaidContractRecord): OpenTerms => ({
  mode: c.mode,
  units: c.units,
  days: c.days,
  usedUnits: c.usedUnits,
  progressBp: c.progressBp,
  purchasedMs: Date.parse(c.purchasedAt),
});

export async function tierLimits(ctx: LianjianContext, account: string): Promise<TierLimits> {
  const t = await getJson<TierRecord>(ctx, K.tier(account));
  return WALLET_TIERS[t?.tier ?? DEFAULT_TIER];
}

/** Checks a payment against the wallet's tier; returns the violation instead of throwing (card sync records it). */
export async function checkTier(
  ctx: LianjianContext,
  account: string,
  amount: bigint,
  nowMs: number,
): Promise<{ code: string; detail: string } | undefined> {
  const spent = await getJson<{ amount: string }>(ctx, K.daily(account, cstDate(nowMs)));
  return tierViolation(await tierLimits(ctx, account), amount, BigInt(spent?.amount ?? '0'));
}

/** Adds a payment to the wallet's spending of that Beijing day. */
export async function chargeDaily(ctx: LianjianContext, account: string, amount: bigint, nowMs: number): Promise<void> {
  const k = K.daily(account, cstDate(nowMs));
  const spent = await getJson<{ amount: string }>(ctx, k);
  await putJson(ctx, k, { amount: fen(BigInt(spent?.amount ?? '0') + amount) });
}
