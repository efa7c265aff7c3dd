/**
 * Pure prepaid rules: caps, cooling-off, accrual, release and refund arithmetic.
 * No state, no context: every function is a unit-testable calculation on integers.
 * Rounding: every division rounds down (floor) toward the consumer: the merchant's accrued or
 * progress share and the non-refundable fee are floored, so the consumer keeps the odd fen,
 * and the last day / 100% / last lesson releases exactly the rest.
 */
import { invalid, rejected } from '../lib/errors';
import { CHINA_OFFSET_MS, chinaDay, chinaDayNumber, DAY_MS } from '../lib/china-time';
import { CATEGORY_POLICY, Category, coolingOffMinimum } from './policy';

export const RELEASE_MODES = ['per_use', 'progress', 'time_linear'] as const;
export type ReleaseMode = (typeof RELEASE_MODES)[number];

export interface PlanTerms {
  category: Category;
  unitPrice: bigint;
  units?: number;
  days?: number;
  mode: ReleaseMode;
  coolingOffDays: number;
  nonRefundableBp: number;
}

/** What a contract has prepaid: lessons for per_use/progress, days for time_linear. */
export function quantity(t: Pick<PlanTerms, 'mode' | 'units' | 'days'>): number {
  return (t.mode === 'time_linear' ? t.days : t.units) ?? 0;
}

export const planPrice = (t: PlanTerms): bigint => t.unitPrice * BigInt(quantity(t));

/** Checks a plan against its category's caps and its region's cooling-off minimum. */
export function checkPlan(t: PlanTerms, region: string): void {
  const p = CATEGORY_POLICY[t.category];
  if (t.mode === 'time_linear' && !t.days) throw invalid('days', 'a time_linear plan needs days', 'PLAN_NEEDS_DAYS');
  if (t.mode !== 'time_linear' && !t.units) throw invalid('units', `a ${t.mode} plan needs units`, 'PLAN_NEEDS_UNITS');
  if (p.maxUnits !== undefined && (t.units ?? 0) > p.maxUnits) {
    throw rejected(
      `${t.category} plans may prepay at most ${p.maxUnits} units; plan has ${t.units}`,
      'PLAN_EXCEEDS_CAP',
      'units',
    );
  }
  if (p.maxDays !== undefined && (t.days ?? 0) > p.maxDays) {
    throw rejected(
      `${t.category} plans may prepay at most ${p.maxDays} days; plan has ${t.days}`,
      'PLAN_EXCEEDS_CAP',
      'days',
    );
  }
  const price = planPrice(t);
  if (p.maxPriceFen !== undefined && price > p.maxPriceFen) {
    throw rejected(
      `${t.category} plans may prepay at most ${p.maxPriceFen} fen; plan costs ${price}`,
      'PLAN_EXCEEDS_CAP',
      'unitPrice',
    );
  }
  if (t.nonRefundableBp > p.maxNonRefundableBp) {
    throw rejected(
      `${t.category} plans may keep at most ${p.maxNonRefundableBp} bp on refund`,
      'NON_REFUNDABLE_NOT_ALLOWED',
      'nonRefundableBp',
    );
  }
  const min = coolingOffMinimum(region);
  if (t.coolingOffDays < min)
    throw rejected(
      `region ${region} requires at least ${min} cooling-off days`,
      'COOLING_OFF_TOO_SHORT',
      'coolingOffDays',
    );
}

/** `YYYYMMDD` of a Beijing-time calendar day (daily limit buckets). */
export function cstDate(ms: number): string {
  return chinaDay(ms).replace(/-/g, '');
}

/**
 * End (exclusive) of the cooling-off period. As the Civil Code counts periods in days: the
 * purchase day does not count, the period ends at 24:00 (Beijing) of its last day.
 */
export function coolingOffEnd(purchasedMs: number, days: number): number {
  return (chinaDayNumber(purchasedMs) + days + 1) * DAY_MS - CHINA_OFFSET_MS;
}

/** Whole days since purchase, counted from the purchase tx time, capped at the plan's days. */
export function elapsedDays(purchasedMs: number, nowMs: number, days: number): number {
  if (nowMs <= purchasedMs) return 0;
  return Math.min(days, Math.floor((nowMs - purchasedMs) / DAY_MS));
}

/** time_linear: the part of the price earned after `elapsed` of `days` days (floored). */
export const accrued = (price: bigint, days: number, elapsed: number): bigint =>
  (price * BigInt(elapsed)) / BigInt(days);

/** progress: the part of the price earned at `bp` basis points of completion (floored). */
export const progressShare = (price: bigint, bp: number): bigint => (price * BigInt(bp)) / 10000n;

/** per_use: the price of `used` lessons. */
export const perUseShare = (unitPrice: bigint, used: number): bigint => unitPrice * BigInt(used);

/**
 * A refund of the unreleased balance. Full when the merchant failed or inside cooling-off
 * with nothing used; otherwise the plan's non-refundable part (floored) goes to the merchant.
 */
export function refundSplit(
  unreleased: bigint,
  nonRefundableBp: number,
  full: boolean,
): { refund: bigint; fee: bigint } {
  const fee = full ? 0n : (unreleased * BigInt(nonRefundableBp)) / 10000n;
  return { refund: unreleased - fee, fee };
}

export interface OpenTerms {
  mode: ReleaseMode;
  units?: number;
  days?: number;
  usedUnits: number;
  progressBp: number;
  purchasedMs: number;
}

/** Prepaid quantity still unused: lessons left, or days left for time_linear (rounded up). */
export function openQuantity(c: OpenTerms, nowMs: number): { units: number; days: number } {
  if (c.mode === 'time_linear')
    return { units: 0, days: (c.days ?? 0) - elapsedDays(c.purchasedMs, nowMs, c.days ?? 0) };
  if (c.mode === 'per_use') return { units: (c.units ?? 0) - c.usedUnits, days: 0 };
  return { units: Math.ceil(((c.units ?? 0) * (10000 - c.progressBp)) / 10000), days: 0 };
}

/** The cap holds across all of one consumer's open contracts with one merchant, not per contract. */
export function checkOpenCap(
  category: Category,
  open: Array<{ units: number; days: number }>,
  add: { units: number; days: number },
): void {
  const p = CATEGORY_POLICY[category];
  const units = open.reduce((s, o) => s + o.units, add.units);
  const days = open.reduce((s, o) => s + o.days, add.days);
  if (p.maxUnits !== undefined && units > p.maxUnits) {
    throw rejected(
      `${category}: ${units} units would be prepaid with this merchant, cap ${p.maxUnits}`,
      'PREPAID_CAP_EXCEEDED',
      'plan',
    );
  }
  if (p.maxDays !== undefined && days > p.maxDays) {
    throw rejected(
      `${category}: ${days} days would be prepaid with this merchant, cap ${p.maxDays}`,
      'PREPAID_CAP_EXCEEDED',
      'plan',
    );
  }
}
