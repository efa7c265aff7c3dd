/**
 * Pure supervision rules: no ledger access, so they are unit-tested directly and the contract
 * only gathers their inputs. Caps are `amount * bp / 10000` rounded down (bigint division).
 */
import type { ApprovalPolicy, Milestone } from './types';
import { CHINA_OFFSET_MS, DAY_MS } from '../lib/china-time';

export const BP = 10000n;

/** `amount * bp / 10000`, rounded down: the supervised side keeps the odd fen. */
export const shareOf = (amount: bigint, bp: number): bigint => (amount * BigInt(bp)) / BP;

/**
 * Cumulative cap in bp: the highest attested milestone's cap; the retention share stays
 * until the final milestone is attested. Milestones are attested in order, so the last
 * attested one is the highest.
 */
export function milestoneCapBp(milestones: Milestone[], attested: string[], retentionBp: number): number {
  if (milestones.length === 0) return 10000;
  let cap = 0;
  for (const m of milestones) if (attested.includes(m.id)) cap = Math.max(cap, m.capBp);
  const final = milestones[milestones.length - 1];
  return attested.includes(final.id) ? cap : Math.min(cap, 10000 - retentionBp);
}

export function milestoneCap(
  keyAmount: bigint,
  milestones: Milestone[],
  attested: string[],
  retentionBp: number,
): bigint {
  return shareOf(keyAmount, milestoneCapBp(milestones, attested, retentionBp));
}

/** The milestone that must be attested next, or undefined when all are. */
export function nextMilestone(milestones: Milestone[], attested: string[]): Milestone | undefined {
  return milestones.find((m) => !attested.includes(m.id));
}

/** Milestones must rise (non-decreasing caps within 0..10000) and end at 100 %. Returns a problem or ''. */
export function milestoneProblem(milestones: Milestone[]): string {
  let prev = 0;
  const ids = new Set<string>();
  for (const m of milestones) {
    if (ids.has(m.id)) return `milestone id ${m.id} is repeated`;
    ids.add(m.id);
    if (!Number.isInteger(m.capBp) || m.capBp < prev || m.capBp > 10000)
      return `milestone ${m.id} capBp must be an integer from ${prev} to 10000`;
    prev = m.capBp;
  }
  if (milestones.length > 0 && prev !== 10000) return 'the final milestone must reach 10000 bp';
  return '';
}

/** Approvals a request needs: `requiredAbove` (default every approver) at or above the threshold. */
export function requiredApprovals(policy: ApprovalPolicy, amount: bigint, threshold?: bigint): number {
  if (threshold !== undefined && amount >= threshold) return policy.requiredAbove ?? policy.approvers.length;
  return policy.required;
}

/** Roles of an organisation or an official; a member holding none of them is an individual (a person). */
export const BUSINESS_ROLES: readonly string[] = [
  'enterprise',
  'merchant',
  'bank',
  'regulator',
  'oracle',
  'auditor',
  'court',
];

/** Whether a member with `roles` is an individual: releases to it are 公转私, wages may be paid to it. */
export const isIndividual = (roles: readonly string[]): boolean => !roles.some((r) => BUSINESS_ROLES.includes(r));

/** Account kinds a person is paid into (not a supervised, escrow, payout, wage or deposit account). */
const PERSONAL_KINDS: readonly string[] = ['wallet', 'settlement', 'general'];

/**
 * Why a wage row's payee is not an individual worker's account ('' when it is): wages go to the
 * workers themselves (农民工工资专用账户代发到本人), never to a company, the contractor or a
 * purpose account.
 */
export function wagePayeeProblem(f: {
  ownerRoles: readonly string[];
  owner: string;
  party: string;
  kind: string;
}): string {
  if (f.owner === f.party) return 'the payee account belongs to the supervised party itself';
  if (!isIndividual(f.ownerRoles)) return 'the payee account belongs to an organisation, not a worker';
  if (!PERSONAL_KINDS.includes(f.kind)) return `a ${f.kind} account is not a worker's own account`;
  return '';
}

/** The China month 'YYYY-MM' of an instant: wages are due by month from the program's first month. */
export const chinaMonth = (t: Date | number): string => new Date(+t + CHINA_OFFSET_MS).toISOString().slice(0, 7);

/** Everything a release is checked against; omitted limits do not apply. */
export interface ReleaseFacts {
  amount: bigint;
  whitelisted: boolean;
  personal: boolean; // payee is an individual (公转私)
  lineCap: bigint;
  lineUsed: bigint;
  perPayment?: bigint;
  personalPerPayment?: bigint;
  perDay?: bigint;
  dayUsed: bigint;
  milestone?: { cap: bigint; used: bigint; stage: string };
  available: bigint; // balance of the account it would come from
}

export interface Violation {
  code: string;
  detail: string;
  field: string;
  alert: boolean; // recorded as an Alert too
}

/** Every rule a release breaks (empty: it may proceed). */
export function releaseViolations(f: ReleaseFacts): Violation[] {
  const v: Violation[] = [];
  const add = (code: string, field: string, detail: string, alert = false) => v.push({ code, field, detail, alert });
  if (!f.whitelisted)
    add('PAYEE_NOT_WHITELISTED', 'payee', 'the payee account is not on the budget line whitelist', true);
  if (f.lineUsed + f.amount > f.lineCap)
    add('LINE_CAP_EXCEEDED', 'amount', `budget line has ${f.lineCap - f.lineUsed} fen left, ${f.amount} requested`);
  if (f.perPayment !== undefined && f.amount > f.perPayment)
    add('PER_PAYMENT_LIMIT', 'amount', `one payment may be at most ${f.perPayment} fen`);
  if (f.personal && f.personalPerPayment !== undefined && f.amount > f.personalPerPayment) {
    add(
      'PERSONAL_LIMIT',
      'amount',
      `a payment to a personal account (公转私) may be at most ${f.personalPerPayment} fen`,
      true,
    );
  }
  if (f.perDay !== undefined && f.dayUsed + f.amount > f.perDay)
    add('PER_DAY_LIMIT', 'amount', `the day has ${f.perDay - f.dayUsed} fen of its limit left`);
  if (f.milestone && f.milestone.used + f.amount > f.milestone.cap) {
    const left = f.milestone.cap > f.milestone.used ? f.milestone.cap - f.milestone.used : 0n;
    add(
      'MILESTONE_CAP',
      'amount',
      `milestone stage '${f.milestone.stage || 'none attested'}' allows ${left} fen more`,
      true,
    );
  }
  if (f.amount > f.available) add('INSUFFICIENT_FUNDS', 'amount', `the supervised account holds ${f.available} fen`);
  return v;
}

/**
 * Structuring (拆分规避): at least `count` payments in the window (this one included) each within
 * `bandBp` below the approval threshold. `recent` are the near-threshold amounts already seen.
 */
export const STRUCTURING = { windowDays: 7, bandBp: 1000, count: 3 };
export function nearThreshold(amount: bigint, threshold: bigint, bandBp = STRUCTURING.bandBp): boolean {
  return amount < threshold && amount >= threshold - shareOf(threshold, bandBp);
}
export function isStructuring(
  recentNear: number,
  amount: bigint,
  threshold: bigint,
  count = STRUCTURING.count,
): boolean {
  return nearThreshold(amount, threshold) && recentNear + 1 >= count;
}

const MONTH_RE = /^([0-9]{4})-(0[1-9]|1[0-2])$/;
export const isMonth = (m: string): boolean => MONTH_RE.test(m);

/** The instant a month 'YYYY-MM' ends in China time (start of the next month, UTC+8). */
export function monthEnd(month: string): Date {
  const [, y, m] = MONTH_RE.exec(month) ?? [];
  if (!y) throw new Error(`bad month ${month}`);
  return new Date(Date.UTC(Number(y), Number(m), 1) - CHINA_OFFSET_MS); // Date.UTC month is 0-based: m = next month
}

/** A month's wages are overdue once it has ended and the grace days have passed. */
export const wagesOverdue = (month: string, now: Date, graceDays = 0): boolean =>
  now.getTime() >= monthEnd(month).getTime() + graceDays * DAY_MS;

/** The wage deposit (工资保证金) is 1-3 % of the contract value. */
export function wageDepositProblem(depositBp: number | undefined): string {
  if (depositBp === undefined || !Number.isInteger(depositBp) || depositBp < 100 || depositBp > 300)
    return 'depositBp must be an integer from 100 to 300 (1-3 %)';
  return '';
}
