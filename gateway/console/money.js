// Money on screen: integer fen (digit strings or bigint) shown as yuan with exactly 2 decimals.
// Digits come from bigint/string math only; floats are used for drawing sizes, never for labels.

/** Fen (digit string, number of whole fen, or bigint) → bigint; throws on anything else. */
export function toFen(v) {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^-?[0-9]{1,30}$/.test(v)) return BigInt(v);
  throw new Error(`not an amount in fen: ${String(v)}`);
}

/** '10000007' → '100,000.07'; '-5' → '-0.05'. */
export function yuan(fen) {
  let v = toFen(fen);
  const neg = v < 0n;
  if (neg) v = -v;
  const whole = (v / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = (v % 100n).toString().padStart(2, '0');
  return `${neg ? '-' : ''}${whole}.${cents}`;
}

/** '¥ 100,000.07' */
export const cny = (fen) => `¥${yuan(fen)}`;

export const sumFen = (xs) => xs.reduce((s, x) => s + toFen(x), 0n);

/** part / whole as a float in [0, 1] for geometry only. */
export function share(part, whole) {
  const p = toFen(part),
    w = toFen(whole);
  if (w <= 0n) return 0;
  return Number((p * 1000000n) / w) / 1000000;
}

/** What a person types in yuan ('1,234.5', '¥100') → fen digit string; throws on anything else. */
export function parseYuan(text) {
  const t = String(text).replace(/[¥,\s]/g, '');
  const m = /^([0-9]{1,16})(?:\.([0-9]{1,2}))?$/.exec(t);
  if (!m) throw new Error('金额格式：元，最多两位小数 Amount in yuan, at most 2 decimals (e.g. 1234.50)');
  const fen = BigInt(m[1]) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'));
  if (fen <= 0n) throw new Error('金额必须大于零 The amount must be above zero');
  return fen.toString();
}
