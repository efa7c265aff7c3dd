/**
 * Prepaid policy as data: caps per business category and cooling-off per region (e-CNY wallet
 * tiers are the money core's: chaincode/core/wallets.ts). Values follow the published local rules and pilot practice; changing a rule means
 * changing a number here (and its test), never the code that applies it.
 */

export const CATEGORIES = ['training', 'fitness', 'beauty', 'services'] as const;
export type Category = (typeof CATEGORIES)[number];

export interface CategoryPolicy {
  /** Most lessons/visits one consumer may have prepaid and unused with one merchant. */
  maxUnits?: number;
  /** Longest prepaid duration in days. */
  maxDays?: number;
  /** Largest prepaid amount of one contract, fen. */
  maxPriceFen?: bigint;
  /** Largest non-refundable part a plan may declare, basis points of the unreleased balance. */
  maxNonRefundableBp: number;
}

export const CATEGORY_POLICY: Record<Category, CategoryPolicy> = {
  // Off-campus training (Guangzhou rule, as the national "double reduction" notice): at most
  // 3 months or 60 lessons prepaid; unused fees are refundable in full.
  training: { maxUnits: 60, maxDays: 90, maxNonRefundableBp: 0 },
  // Gyms and pools: single-purpose card practice, one year and 5,000 yuan per card.
  fitness: { maxUnits: 200, maxDays: 365, maxPriceFen: 500_000n, maxNonRefundableBp: 1000 },
  beauty: { maxUnits: 100, maxDays: 365, maxPriceFen: 500_000n, maxNonRefundableBp: 1000 },
  services: { maxUnits: 100, maxDays: 365, maxPriceFen: 500_000n, maxNonRefundableBp: 500 },
};

/** Minimum cooling-off days by the merchant's region (Beijing 7, Jiangsu 15). */
export const COOLING_OFF_DAYS: Record<string, number> = {
  beijing: 7,
  jiangsu: 15,
  guangdong: 7,
  default: 7,
};

export const coolingOffMinimum = (region: string): number => COOLING_OFF_DAYS[region] ?? COOLING_OFF_DAYS.default;

/** Largest batch the regulator's refund sweep or a POS sync handles in one transaction. */
export const MAX_BATCH = 200;
