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

/** Most ranges one request may cover. */
export const MAX_SPANS = 100;

/**
 * Parses a JSON list of ranges `[{"from": "1", "to": "100"}, ...]` inside [1, n]: returned in
 * ticket order; overlapping ranges are refused (adjacent ones are fine).
 */
export function parseSpans(json: string, n: number): Span[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw invalid('ranges', 'ranges is not valid JSON', 'INVALID_RANGE');
  }
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_SPANS)
    throw invalid('ranges', `ranges must be a JSON array of 1 to ${MAX_SPANS} {from, to}`, 'INVALID_RANGE');
  const spans = raw.map((x) => {
    const o = (x ?? {}) as { from?: unknown; to?: unknown };
    return parseSpan(o.from, o.to, n);
  });
  spans.sort((a, b) => a.start - b.start);
  for (let i = 1; i < spans.length; i++)
    if (spans[i].start <= spans[i - 1].end)
      throw invalid('ranges', `range [${spans[i].start}, ${spans[i].end}] overlaps another`, 'INVALID_RANGE');
  return spans;
}

/** One piece of a holding cut by several parts: `part` marks the pieces acted on. */
export interface Piece<T extends Span> {
  range: T;
  part: boolean;
}

/**
 * Cuts the `parts` (in order, disjoint, inside the holding) out of `holding`: every piece of the
 * holding in ticket order, those acted on marked. `splittable` false: only the whole holding.
 */
export function carveMany<T extends Span>(holding: T, parts: Span[], splittable = true): Array<Piece<T>> {
  const out: Array<Piece<T>> = [];
  let next = holding.start;
  for (const p of parts) {
    if (!contains(holding, p))
      throw rejected(
        `[${p.start}, ${p.end}] is not inside the holding [${holding.start}, ${holding.end}]`,
        'RANGE_NOT_HELD',
        'to',
      );
    if (p.start > next) out.push({ range: { ...holding, start: next, end: p.start - 1 }, part: false });
    out.push({ range: { ...holding, start: p.start, end: p.end }, part: true });
    next = p.end + 1;
  }
  if (next <= holding.end) out.push({ range: { ...holding, start: next, end: holding.end }, part: false });
  if (!splittable && out.length > 1)
    throw rejected(
      `this package is not splittable; act on the whole holding [${holding.start}, ${holding.end}]`,
      'NOT_SPLITTABLE',
      'from',
    );
  return out;
}

/** The ranges a request names: one [from, to], or a JSON list of them (`ranges`). */
export type RangeArg = { from: string; to: string } | { ranges: string };

export const spansOf = (arg: RangeArg, n: number): Span[] =>
  'ranges' in arg ? parseSpans(arg.ranges, n) : [parseSpan(arg.from, arg.to, n)];
