/**
 * Money is integer fen (分) as bigint in memory and a decimal string on the wire and in state.
 * Never a JS number: amounts above 2^53 fen exist in bill and supervision totals.
 */
import { invalid } from './errors';

/** Largest amount one value may carry: 10^15 fen (10 trillion yuan), far above any real account. */
export const MAX_FEN = 10n ** 15n;
const FEN_RE = /^(0|[1-9][0-9]{0,17})$/;

/** Parses a non-negative integer fen string; `positive` also rejects zero. */
export function parseFen(value: unknown, field = 'amount', positive = true): bigint {
  if (typeof value === 'bigint') return checkRange(value, field, positive);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value))
      throw invalid(field, `${field} must be an integer number of fen`, 'INVALID_AMOUNT');
    return checkRange(BigInt(value), field, positive);
  }
  if (typeof value !== 'string' || !FEN_RE.test(value)) {
    throw invalid(field, `${field} must be a non-negative integer number of fen written as digits`, 'INVALID_AMOUNT');
  }
  return checkRange(BigInt(value), field, positive);
}

function checkRange(v: bigint, field: string, positive: boolean): bigint {
  if (v < 0n || (positive && v === 0n))
    throw invalid(field, `${field} must be ${positive ? 'positive' : 'non-negative'}`, 'INVALID_AMOUNT');
  if (v > MAX_FEN) throw invalid(field, `${field} exceeds the maximum of ${MAX_FEN} fen`, 'AMOUNT_OVERFLOW');
  return v;
}

export const fen = (v: bigint): string => v.toString();

/** Sums fen strings exactly. */
export function sumFen(values: Iterable<string | bigint>): bigint {
  let total = 0n;
  for (const v of values) total += BigInt(v);
  return total;
}

/** Formats fen as yuan for people ("1234.05"); never parse this back. */
export function yuan(v: bigint | string): string {
  const n = BigInt(v);
  const sign = n < 0n ? '-' : '';
  const a = n < 0n ? -n : n;
  return `${sign}${a / 100n}.${(a % 100n).toString().padStart(2, '0')}`;
}
