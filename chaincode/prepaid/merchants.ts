/** Merchant onboarding (商户入驻, approved by a regulator) and the plans merchants sell. */
import { conflict, forbidden, invalid, rejected } from '../lib/errors';
import { fen, parseFen } from '../lib/money';
import { parseJson, requireId, requireInt, requireOneOf, requireText } from '../lib/validate';
import type { LianjianContext, Member } from '../core/context';
import { ownedAccount } from '../core/access';
import { merchantFor } from './access';
import { getJson, putJson } from '../core/state';
import { CATEGORIES, COOLING_OFF_DAYS } from './policy';
import { checkPlan, planPrice, RELEASE_MODES } from './rules';
import { loadMerchant, requireTrading } from './store';
import { ppKeys, Merchant, Plan } from './types';

export const REGIONS = Object.keys(COOLING_OFF_DAYS).filter((r) => r !== 'default');

export interface Application {
  id: string;
  name: string;
  category: string;
  region: string;
  account: string; // the applicant's settlement account
}

/** A merchant applies (商户入驻) with its own settlement account; a regulator reviews it. */
export async function applyMerchant(ctx: LianjianContext, me: Member, a: Application): Promise<Merchant> {
  const { id, name, category, region, account } = a;
  requireId(id, 'id');
  requireText(name, 'name', 128);
  const cat = requireOneOf(category, CATEGORIES, 'category');
  const reg = requireOneOf(region, REGIONS, 'region');
  const acct = await ownedAccount(ctx, me, account, 'account');
  const prev = await getJson<Merchant>(ctx, ppKeys.merchant(id));
  if (prev) {
    if (
      prev.member === me.handle &&
      prev.name === name &&
      prev.category === cat &&
      prev.region === reg &&
      prev.account === acct.id
    )
      return prev;
    throw conflict(`merchant ${id} exists with other values`, 'IDEMPOTENCY_CONFLICT', 'id');
  }
  const m: Merchant = {
    id,
    member: me.handle,
    name,
    category: cat,
    region: reg,
    account: acct.id,
    status: 'pending',
    appliedTx: ctx.stub.getTxID(),
  };
  await putJson(ctx, ppKeys.merchant(id), m);
  ctx.emit({ type: 'MerchantApplied', accounts: [acct.id], merchant: id, category: cat, region: reg });
  return m;
}

/** The regulator approves or rejects a pending application; repeating the same decision is a no-op. */
export async function reviewMerchant(
  ctx: LianjianContext,
  reg: Member,
  id: string,
  decision: string,
  reason: string,
): Promise<Merchant> {
  const d = requireOneOf(decision, ['approve', 'reject'] as const, 'decision');
  requireText(reason, 'reason', 512, true);
  const m = await loadMerchant(ctx, requireId(id, 'id'), 'id');
  const target = d === 'approve' ? 'approved' : 'rejected';
  if (m.status === target) return m;
  if (m.status !== 'pending')
    throw rejected(
      `merchant ${id} is ${m.status}; only pending applications are reviewed`,
      'MERCHANT_NOT_PENDING',
      'id',
    );
  Object.assign(m, { status: target, reviewedBy: reg.handle, ...(reason ? { reason } : {}) });
  await putJson(ctx, ppKeys.merchant(id), m);
  ctx.emit({
    type: d === 'approve' ? 'MerchantApproved' : 'MerchantRejected',
    accounts: [m.account],
    merchant: id,
    by: reg.handle,
  });
  return m;
}

/** A failing merchant: no sales, no releases; consumers get full refunds (see the sweep). */
export async function freezeMerchant(ctx: LianjianContext, reg: Member, id: string, reason: string): Promise<Merchant> {
  requireText(reason, 'reason', 512);
  const m = await loadMerchant(ctx, requireId(id, 'id'), 'id');
  if (m.status === 'frozen') return m;
  Object.assign(m, { status: 'frozen', reviewedBy: reg.handle, reason });
  await putJson(ctx, ppKeys.merchant(id), m);
  ctx.emit({ type: 'MerchantFrozen', accounts: [m.account], merchant: id, by: reg.handle, reason });
  return m;
}

interface PlanInput {
  id: string;
  merchant: string;
  name: string;
  mode: string;
  unitPrice: string;
  units?: number;
  days?: number;
  coolingOffDays: number;
  nonRefundableBp?: number;
}

export async function createPlan(ctx: LianjianContext, me: Member, json: string): Promise<Plan> {
  const p = parseJson<PlanInput>(json, 'plan');
  if (!p || typeof p !== 'object') throw invalid('plan', 'plan must be a JSON object');
  requireId(p.id, 'id');
  requireText(p.name, 'name', 128);
  const mode = requireOneOf(p.mode, RELEASE_MODES, 'mode');
  const unitPrice = parseFen(p.unitPrice, 'unitPrice');
  const units = p.units === undefined ? undefined : requireInt(p.units, 'units', 1, 100000);
  const days = p.days === undefined ? undefined : requireInt(p.days, 'days', 1, 3660);
  const coolingOffDays = requireInt(p.coolingOffDays, 'coolingOffDays', 0, 365);
  const nonRefundableBp = requireInt(p.nonRefundableBp ?? 0, 'nonRefundableBp', 0, 10000);
  const m = await merchantFor(ctx, me, requireId(p.merchant, 'merchant'));
  if (m.member !== me.handle) throw forbidden(`merchant ${m.id} belongs to another member`, 'NOT_MERCHANT', 'merchant');
  requireTrading(m);
  const terms = { category: m.category, unitPrice, units, days, mode, coolingOffDays, nonRefundableBp };
  checkPlan(terms, m.region);
  const plan: Plan = {
    id: p.id,
    merchant: m.id,
    name: p.name,
    category: m.category,
    mode,
    unitPrice: fen(unitPrice),
    ...(units ? { units } : {}),
    ...(days ? { days } : {}),
    price: fen(planPrice(terms)),
    coolingOffDays,
    nonRefundableBp,
    status: 'active',
    createdTx: ctx.stub.getTxID(),
  };
  const prev = await getJson<Plan>(ctx, ppKeys.plan(p.id));
  if (prev) {
    if (JSON.stringify({ ...prev, createdTx: '' }) === JSON.stringify({ ...plan, createdTx: '' })) return prev;
    throw conflict(`plan ${p.id} exists with other values`, 'IDEMPOTENCY_CONFLICT', 'id');
  }
  await putJson(ctx, ppKeys.plan(p.id), plan);
  ctx.emit({ type: 'PlanCreated', accounts: [m.account], plan: p.id, merchant: m.id, price: plan.price });
  return plan;
}

/** The merchant stops selling a plan; contracts already bought are untouched. */
export async function withdrawPlan(ctx: LianjianContext, me: Member, id: string): Promise<Plan> {
  const plan = await getJson<Plan>(ctx, ppKeys.plan(requireId(id, 'id')));
  if (!plan) throw rejected(`no plan ${id}`, 'PLAN_NOT_FOUND', 'id');
  const m = await loadMerchant(ctx, plan.merchant);
  if (m.member !== me.handle) throw forbidden(`plan ${id} belongs to merchant ${m.id}`, 'NOT_MERCHANT', 'id');
  if (plan.status === 'withdrawn') return plan;
  plan.status = 'withdrawn';
  await putJson(ctx, ppKeys.plan(id), plan);
  ctx.emit({ type: 'PlanWithdrawn', accounts: [m.account], plan: id, merchant: m.id });
  return plan;
}
