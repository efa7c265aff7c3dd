/**
 * Splits an integer amount in proportion to integer weights, exactly (largest remainder):
 * the parts always add up to `amount`. Used wherever fen are shared pro rata.
 */
export function apportion(amount: bigint, weights: bigint[]): bigint[] {
  const total = weights.reduce((s, w) => s + w, 0n);
  if (total === 0n) return weights.map((_, i) => (i === 0 ? amount : 0n));
  const parts = weights.map((w) => (amount * w) / total);
  let left = amount - parts.reduce((s, p) => s + p, 0n);
  const order = weights
    .map((w, i) => ({ i, rem: (amount * w) % total }))
    .sort((a, b) => (a.rem === b.rem ? a.i - b.i : a.rem > b.rem ? -1 : 1));
  for (let k = 0; left > 0n; k++) {
    parts[order[k % order.length].i] += 1n;
    left -= 1n;
  }
  return parts;
}
