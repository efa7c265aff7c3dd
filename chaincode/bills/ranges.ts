/**
 * Sub-ticket range arithmetic (子票区间). A package of N fen is the sub-tickets [1, N]; every
 * holding is a contiguous, inclusive range. Ranges only ever split, never merge, so every
 * ancestor of a range contains it (lineage and recourse rely on that).
 */
import { invalid, rejected } from '../lib/errors';
import { MAX_FEN } from '../lib/money';

export interface Span {
  start: number;
  end: number;
}

/** 16 digits hold MAX_FEN (10^15); fixed width keeps key order equal to numeric order. */
export const TICKET_DIGITS = 16;
export const padTicket = (n: number): string => n.toString().padStart(TICKET_DIGITS, '0');

/** Face value of a range in fen: one sub-ticket per fen. */
export const faceOf = (s: Span): bigint => BigInt(s.end) - BigInt(s.start) + 1n;

export const contains = (outer: Span, inner: Span): boolean => outer.start <= inner.start && inner.end <= outer.end;
export const holdsTicket = (s: Span, ticket: number): boolean => s.start <= ticket && ticket <= s.end;

const TICKET_RE = /^[1-9][0-9]{0,15}$/;

/** Parses one sub-ticket number in [1, n]. */
export function parseTicket(value: unknown, field: string, n: number): number {
  if (typeof value !== 'string' || !TICKET_RE.test(value) || Number(value) > n) {
    throw invalid(field, `${field} must be a sub-ticket number between 1 and ${n}`, 'INVALID_TICKET');
  }
  return Number(value);
}

/** Parses [from, to] inside [1, n], from <= to. */
export function parseSpan(from: unknown, to: unknown, n: number): Span {
  const start = parseTicket(from, 'from', n);
  const end = parseTicket(to, 'to', n);
  if (end < start) throw invalid('to', `to (${end}) must not be below from (${start})`, 'INVALID_RANGE');
  return { start, end };
}

/** Package size: N = amount in fen, which must fit a safe sub-ticket number. */
export function ticketCount(amount: bigint): number {
  if (amount > MAX_FEN) throw invalid('amount', `amount exceeds ${MAX_FEN} fen`, 'AMOUNT_OVERFLOW');
  return Number(amount);
}

export interface Carved<T extends Span> {
  part: T; // the sub-range acted on
  before?: T; // what stays of the holding to the left
  after?: T; // and to the right
}

/**
 * Cuts [start, end] out of `holding`; the pieces copy every other field of the holding.
 * `splittable` false means only the whole holding may be acted on.
 */
export function carve<T extends Span>(holding: T, start: number, end: number, splittable = true): Carved<T> {
  if (!contains(holding, { start, end })) {
    throw rejected(
      `[${start}, ${end}] is not inside the holding [${holding.start}, ${holding.end}]`,
      'RANGE_NOT_HELD',
      'to',
    );
  }
  const whole = start === holding.start && end === holding.end;
  if (!whole && !splittable) {
    throw rejected(
      `this package is not splittable; act on the whole holding [${holding.start}, ${holding.end}]`,
      'NOT_SPLITTABLE',
      'from',
    );
  }
  const out: Carved<T> = { part: { ...holding, start, end } };
  if (start > holding.start) out.before = { ...holding, start: holding.start, end: start - 1 };
  if (end < holding.end) out.after = { ...holding, start: end + 1, end: holding.end };
  return out;
}

/** The pieces of a carve in ticket order. */
export const pieces = <T extends Span>(c: Carved<T>): T[] =>
  [c.before, c.part, c.after].filter((x): x is T => x !== undefined);

/** Why `spans` do not tile [1, n] exactly (overlap, gap, bad bounds), or undefined when they do. */
export function coverProblem(spans: Span[], n: number): string | undefined {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  let next = 1;
  for (const s of sorted) {
    if (s.end < s.start) return `range [${s.start}, ${s.end}] is empty`;
    if (s.start < next) return `range [${s.start}, ${s.end}] overlaps the previous one`;
    if (s.start > next) return `sub-tickets [${next}, ${s.start - 1}] are not covered`;
    next = s.end + 1;
  }
  if (next > n + 1) return `ranges run past sub-ticket ${n}`;
  return next === n + 1 ? undefined : `sub-tickets [${next}, ${n}] are not covered`;
}
