/**
 * Provenance (资金来源构成): which mirrored deposit every fen of a lot came from, kept as the
 * money moves. A move takes its amount from the lot's sources pro rata, in exact fen (largest
 * remainder, sources in key order), and adds the same per-source amounts where it lands (a lot,
 * or the sink of a withdrawal). That one apportionment is what both trace directions read: the
 * amount of deposit d that holder h holds is one stored number, so a backward trace of h and a
 * forward trace of d agree to the fen, every lot's sources add up to its amount and every
 * deposit's shares add up to the deposit, cycles or not.
 */
import { apportion } from '../lib/apportion';
import { fen } from '../lib/money';
import type { LianjianContext } from './context';
import { delKey, getJson, key, putJson } from './state';

/** Amount by source node (`deposit:<bank>:<offTxId>`). */
export type Sources = Map<string, bigint>;

/** Money that predates provenance (a lot written before it was kept) is traced to this node. */
export const UNTRACED = 'untraced';

interface Stored {
  parts: Array<[string, string]>; // [source node, fen], in source order
}

const provKey = (node: string): string => key('prov', node);

/** The sources of a lot or sink node (empty when none are recorded). */
export async function sourcesOf(ctx: LianjianContext, node: string): Promise<Sources> {
  const s = await getJson<Stored>(ctx, provKey(node));
  return new Map((s?.parts ?? []).map(([src, amount]) => [src, BigInt(amount)]));
}

async function save(ctx: LianjianContext, node: string, sources: Sources): Promise<void> {
  const parts = [...sources]
    .filter(([, amount]) => amount > 0n)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([src, amount]): [string, string] => [src, fen(amount)]);
  if (parts.length === 0) await delKey(ctx, provKey(node));
  else await putJson(ctx, provKey(node), { parts } satisfies Stored);
}

/** Adds `sources` to what `node` holds. */
export async function addSources(ctx: LianjianContext, node: string, sources: Sources): Promise<void> {
  const have = await sourcesOf(ctx, node);
  for (const [src, amount] of sources) have.set(src, (have.get(src) ?? 0n) + amount);
  await save(ctx, node, have);
}

/**
 * Takes `amount` out of the lot `node` (holding `lotAmount` before the take), shared over its
 * sources pro rata in exact fen; returns the per-source amounts taken (they add up to `amount`).
 */
export async function takeSources(
  ctx: LianjianContext,
  node: string,
  amount: bigint,
  lotAmount: bigint,
): Promise<Sources> {
  const have = await sourcesOf(ctx, node);
  const covered = [...have.values()].reduce((s, v) => s + v, 0n);
  if (covered < lotAmount) have.set(UNTRACED, (have.get(UNTRACED) ?? 0n) + lotAmount - covered);
  const order = [...have.keys()].sort();
  const parts = apportion(
    amount,
    order.map((src) => have.get(src)!),
  );
  const taken: Sources = new Map();
  order.forEach((src, i) => {
    if (parts[i] === 0n) return;
    taken.set(src, parts[i]);
    have.set(src, have.get(src)! - parts[i]);
  });
  await save(ctx, node, have);
  return taken;
}
