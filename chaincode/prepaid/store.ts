/** Loading prepaid records, with clear errors naming the field. */
import { notFound, rejected } from '../lib/errors';
import type { LianjianContext } from '../core/context';
import { getJson } from '../core/state';
import type { OpenTerms } from './rules';
import { ppKeys, Merchant, Plan, PrepaidContractRecord } from './types';

export async function loadMerchant(ctx: LianjianContext, id: string, field = 'merchant'): Promise<Merchant> {
  const m = await getJson<Merchant>(ctx, ppKeys.merchant(id));
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
  const p = await getJson<Plan>(ctx, ppKeys.plan(id));
  if (!p) throw notFound('plan', `no plan ${id}`, 'PLAN_NOT_FOUND');
  return p;
}

export async function loadContract(
  ctx: LianjianContext,
  id: string,
  field = 'contract',
): Promise<PrepaidContractRecord> {
  const c = await getJson<PrepaidContractRecord>(ctx, ppKeys.contract(id));
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
