/**
 * Walks over the cumulative flow edges between lots, for the shapes of trace paths: which
 * accounts money passed through on its way from a deposit to a holder. The amounts a trace
 * reports come from provenance (chaincode/core/provenance.ts); the walk only says how to draw
 * them: it shares an amount over a node's edges pro rata (exact fen), never revisiting a node
 * already on the path, and stops at `maxDepth` hops.
 */
import { apportion } from '../lib/apportion';
import { fen } from '../lib/money';
import { accountOfLot } from './account';
import type { LianjianContext } from './context';
import { lotsOf } from './lots';
import { listJson, range } from './state';

export interface Edge {
  from: string;
  to: string;
  amount: string;
}

export interface TracePath {
  nodes: string[]; // lot ids and the source or sink node at the end
  end: 'deposit' | 'withdrawal' | 'held' | 'untraced';
  amount: string;
}

export type Direction = 'back' | 'forward';

/** Lot ids hold '/'; source and sink nodes (`deposit:…`, `withdrawal:…`) do not. */
export const isLot = (node: string): boolean => node.includes('/');

/** Bounds the edge reads of one trace. */
export const MAX_VISITS = 20_000;

/** The nodes one hop away from `node` in `dir`, with the cumulative amounts that flowed. */
export async function neighbours(
  ctx: LianjianContext,
  dir: Direction,
  node: string,
): Promise<Array<{ node: string; amount: bigint }>> {
  const edges = await listJson<Edge>(ctx, range(dir === 'back' ? 'flow' : 'flowr', node));
  return edges.map((e) => ({ node: dir === 'back' ? e.from : e.to, amount: BigInt(e.amount) }));
}

interface Walk {
  dir: Direction;
  maxDepth: number;
  visits: number;
  out: TracePath[];
}

/** What the lot still holds (forward: the share that stays, 'held'). */
async function heldIn(ctx: LianjianContext, lot: string): Promise<bigint> {
  const l = (await lotsOf(ctx, accountOfLot(lot))).find((x) => x.id === lot);
  return BigInt(l?.amount ?? '0');
}

/** Shares `amount` at the last node of `nodes` over its onward edges; emits finished paths. */
async function explore(ctx: LianjianContext, w: Walk, nodes: string[], amount: bigint): Promise<void> {
  const node = nodes[nodes.length - 1];
  if (amount === 0n) return;
  if (!isLot(node)) {
    w.out.push({ nodes, end: node.startsWith('deposit:') ? 'deposit' : 'withdrawal', amount: fen(amount) });
    return;
  }
  if (nodes.length > w.maxDepth || ++w.visits > MAX_VISITS) return; // the rest is drawn by a shortest path
  const next = (await neighbours(ctx, w.dir, node)).filter((n) => !nodes.includes(n.node));
  if (w.dir === 'forward') next.push({ node: '', amount: await heldIn(ctx, node) });
  if (next.every((n) => n.amount === 0n)) return;
  const parts = apportion(
    amount,
    next.map((n) => n.amount),
  );
  for (const [i, n] of next.entries()) {
    if (n.node === '') {
      if (parts[i] > 0n) w.out.push({ nodes, end: 'held', amount: fen(parts[i]) });
    } else await explore(ctx, w, [...nodes, n.node], parts[i]);
  }
}

/** Path shapes from each start (`prefix` leads to it), amounts shared pro rata. */
export async function walkPaths(
  ctx: LianjianContext,
  dir: Direction,
  starts: Array<{ nodes: string[]; amount: bigint }>,
  maxDepth: number,
): Promise<TracePath[]> {
  const w: Walk = { dir, maxDepth, visits: 0, out: [] };
  for (const s of starts) await explore(ctx, w, s.nodes, s.amount);
  return w.out;
}

/** The shortest chain of flow edges from `from` to `to` in `dir` (both included), or undefined. */
export async function shortestPath(
  ctx: LianjianContext,
  dir: Direction,
  from: string,
  to: string,
): Promise<string[] | undefined> {
  const parent = new Map<string, string>([[from, '']]);
  let frontier = [from];
  for (let visits = 0; frontier.length > 0 && visits < MAX_VISITS;) {
    const next: string[] = [];
    for (const node of frontier) {
      if (!isLot(node)) continue;
      visits++;
      for (const n of await neighbours(ctx, dir, node)) {
        if (parent.has(n.node)) continue;
        parent.set(n.node, node);
        if (n.node === to) {
          const path = [to];
          for (let p = node; p !== ''; p = parent.get(p)!) path.unshift(p);
          return path;
        }
        next.push(n.node);
      }
    }
    frontier = next;
  }
  return undefined;
}

/**
 * Every node reachable from `from` in `dir` (lots, and sources or sinks at the end), breadth
 * first; `complete` is false when the walk hit MAX_VISITS.
 */
export async function reachable(
  ctx: LianjianContext,
  dir: Direction,
  from: string,
): Promise<{ nodes: string[]; complete: boolean }> {
  const seen = new Set<string>([from]);
  const queue = [from];
  for (let i = 0; i < queue.length; i++) {
    if (i >= MAX_VISITS) return { nodes: [...seen], complete: false };
    if (!isLot(queue[i])) continue;
    for (const n of await neighbours(ctx, dir, queue[i])) {
      if (seen.has(n.node)) continue;
      seen.add(n.node);
      queue.push(n.node);
    }
  }
  return { nodes: [...seen], complete: true };
}
