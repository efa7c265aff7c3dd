/**
 * Bill policy and the pure arithmetic behind it: calendar dates, the term limit, deadlines and
 * discount interest. Dates are China calendar days 'YYYY-MM-DD' (UTC+8, no daylight saving),
 * taken from the deterministic transaction time, so every endorser computes the same day.
 */
import { invalid, rejected } from '../lib/errors';
import { DAY_MS } from '../lib/china-time';

export const POLICY = {
  /** Longest term: maturity at most 6 calendar months after issue (SHCPE new-generation bills). */
  maxTermMonths: 6,
  /** Days the acceptor has to answer a presentment for payment; silence after that is dishonour. */
  paymentAnswerDays: 3,
  /** Discount year basis (days), as in 贴现利息 = 票面 × 年利率 × 贴现天数 / 360. */
  yearDays: 360,
  /** Highest discount rate accepted, in basis points a year (guards against typos like 35000). */
  maxRateBp: 10000,
} as const;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a valid date string (UTC arithmetic, no time zone involved). */
function epochDay(date: string): number {
  const m = DATE_RE.exec(date)!;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
}

const fromEpochDay = (d: number): string => new Date(d * DAY_MS).toISOString().slice(0, 10);

/** A real calendar date 'YYYY-MM-DD' (rejects 2025-02-30). */
export function parseDate(value: unknown, field: string): string {
  const m = typeof value === 'string' ? DATE_RE.exec(value) : null;
  if (!m || Number(m[1]) < 2000 || fromEpochDay(epochDay(value as string)) !== value) {
    throw invalid(field, `${field} must be a calendar date YYYY-MM-DD`, 'INVALID_DATE');
  }
  return value;
}

export const addDays = (date: string, days: number): string => fromEpochDay(epochDay(date) + days);

/** Whole days from `a` to `b` (negative when b is earlier). */
export const daysBetween = (a: string, b: string): number => epochDay(b) - epochDay(a);

/**
 * Calendar months. A period counted in months ends on the same day-of-month; when the target
 * month has no such day it ends on that month's last day (2025-08-31 + 6 months = 2026-02-28),
 * the rule of 民法典 第二百零三条 for periods counted in months.
 */
export function addMonths(date: string, months: number): string {
  const m = DATE_RE.exec(date)!;
  const total = Number(m[1]) * 12 + Number(m[2]) - 1 + months;
  const [y, mo] = [Math.floor(total / 12), total % 12];
  const lastDay = new Date(Date.UTC(y, mo + 1, 0)).getUTCDate();
  const day = Math.min(Number(m[3]), lastDay);
  return `${y}-${String(mo + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Latest allowed maturity for an issue date. */
export const latestMaturity = (issueDate: string): string => addMonths(issueDate, POLICY.maxTermMonths);

/** Issue on or before today, maturity after today and after issue, at most 6 months out. */
export function checkTerm(issueDate: string, maturity: string, today: string): void {
  if (issueDate > today)
    throw rejected(`issue date ${issueDate} is after today ${today}`, 'ISSUE_DATE_IN_FUTURE', 'issueDate');
  if (maturity <= issueDate)
    throw rejected(
      `maturity ${maturity} must be after the issue date ${issueDate}`,
      'MATURITY_BEFORE_ISSUE',
      'maturity',
    );
  if (maturity <= today)
    throw rejected(`maturity ${maturity} has already come (today is ${today})`, 'MATURITY_PASSED', 'maturity');
  const latest = latestMaturity(issueDate);
  if (maturity > latest) {
    throw rejected(
      `maturity ${maturity} is more than ${POLICY.maxTermMonths} months after issue; latest is ${latest}`,
      'TERM_TOO_LONG',
      'maturity',
    );
  }
}

/** Last day the acceptor may answer a presentment made on `presented`. */
export const answerDeadline = (presented: string): string => addDays(presented, POLICY.paymentAnswerDays);

/**
 * Discount interest in fen: face × rateBp/10000 × days/360, rounded half up (四舍五入) to the fen.
 * Days count the discount day and not the maturity day (算头不算尾): maturity − discount date.
 */
export function discountInterest(face: bigint, rateBp: number, days: number): bigint {
  if (face <= 0n || !Number.isSafeInteger(rateBp) || rateBp < 0 || !Number.isSafeInteger(days) || days < 0) {
    throw invalid('rateBp', 'discount inputs must be a positive face and non-negative integer rate and days');
  }
  const num = face * BigInt(rateBp) * BigInt(days);
  const den = 10_000n * BigInt(POLICY.yearDays);
  return (2n * num + den) / (2n * den);
}

/** Interest and proceeds of discounting `face` on `date` for a bill maturing on `maturity`. */
export function discountTerms(
  face: bigint,
  rateBp: number,
  date: string,
  maturity: string,
): { days: number; interest: bigint; proceeds: bigint } {
  const days = daysBetween(date, maturity);
  if (days <= 0)
    throw rejected(`a bill maturing ${maturity} cannot be discounted on ${date}`, 'TOO_LATE_TO_DISCOUNT', 'maturity');
  const interest = discountInterest(face, rateBp, days);
  const proceeds = face - interest;
  if (proceeds <= 0n)
    throw rejected(
      `interest ${interest} fen leaves nothing of the face ${face} fen`,
      'DISCOUNT_EXCEEDS_FACE',
      'rateBp',
    );
  return { days, interest, proceeds };
}
