/**
 * Payment tracing (资金穿透) over the cumulative flow edges between lots.
 * Backward: where the money now in an account came from, down to the deposits.
 * Forward: where a deposit went, down to the current holders and withdrawals.
 * A merged lot cannot tell which of its parents' fen it still holds, so amounts are shared
 * pro rata to the flows, in exact fen: the paths of one trace always add up to its amount.
 * Money can circle back to a lot it passed (A pays B, B pays A back): it is shared again from
 * there, so round trips do not hide the source.
 */
import { Transaction } from 'fabric-contract-api';
import { apportion } from '../lib/apportion';
import { notFound } from '../lib/errors';
import { fen } from '../lib/money';
import { requireId, requireInt } from '../lib/validate';
import { LianjianContext, LianjianContract } from './context';
import { Lot, lotsOf } from './lots';
import { readableAccount } from './money';
import type { Mirror } from './money';
import { getJson, key, listJson, range } from './state';
import { accountsInNodes, holdersOf } from './holders';

interface Edge {
  from: string;
  to: string;
  amount: string;
}

export interface TracePath {
  nodes: string[]; // lot ids and the source or sink node at the end
  end: 'deposit' | 'withdrawal' | 'held' | 'cycle' | 'depth';
  amount: string;
}

const isLot = (node: string) => node.includes('/');
/** Rounds of re-sharing money that circled back; each round shrinks it by the cycle's share. */
const MAX_ROUNDS = 24;
/** Bounds the work of one trace (edge reads); past it, paths end with 'depth'. */
const MAX_VISITS = 20_000;

interface Walk {
  dir: 'back' | 'forward';
  maxDepth: number;
  visits: number;
  out: Map<string, TracePath>;
}

function emit(w: Walk, nodes: string[], end: TracePath['end'], amount: bigint): void {
  if (amount === 0n) return;
  const k = `${end}|${nodes.join('>')}`;
  const prev = w.out.get(k);
  w.out.set(k, { nodes, end, amount: fen(BigInt(prev?.amount ?? '0') + amount) });
}

/**
 * Shares `amount` at `node` over its edges (and, forward, what the lot still holds). Money that
 * reaches a lot already on the path is handed back to that lot, which shares it again: the
 * rounds converge to the flow-proportional answer. What rounding leaves circling is placed in a
 * `final` pass where edges back into the path are closed and a dead end hands its amount back
 * to its caller, which tries its other edges: it lands on a real source or holder.
 * Returns the amounts handed back to ancestors, by ancestor.
 */
async function walk(
  ctx: LianjianContext,
  w: Walk,
  node: string,
  amount: bigint,
  path: string[],
  final = false,
): Promise<Map<string, bigint>> {
  const back = new Map<string, bigint>();
  if (amount === 0n) return back;
  if (path.includes(node)) return back.set(node, amount);
  const nodes = [...path, node];
  if (!isLot(node)) {
    emit(w, nodes, node.startsWith('deposit:') ? 'deposit' : 'withdrawal', amount);
    return back;
  }
  if (path.length >= w.maxDepth || ++w.visits > MAX_VISITS) {
    emit(w, nodes, 'depth', amount);
    return back;
  }
  const edges = await listJson<Edge>(ctx, range(w.dir === 'back' ? 'flow' : 'flowr', node));
  const next = edges.map((e) => (w.dir === 'back' ? e.from : e.to));
  const weights = edges.map((e) => BigInt(e.amount));
  if (w.dir === 'forward') {
    const account = node.slice(0, node.indexOf('/'));
    const held = (await lotsOf(ctx, account)).find((l: Lot) => l.id === node);
    next.push('');
    weights.push(BigInt(held?.amount ?? '0'));
  }
  const dead = new Set<number>(); // in the final pass: edges that led nowhere new
  const share = async (amt: bigint, last: boolean): Promise<bigint> => {
    const kept = weights.map((wt, i) => (!last || (!nodes.includes(next[i]) && !dead.has(i)) ? wt : 0n));
    if (kept.every((k) => k === 0n)) {
      back.set(path[path.length - 1] ?? node, (back.get(path[path.length - 1] ?? node) ?? 0n) + amt);
      return 0n;
    }
    const parts = apportion(amt, kept);
    let returned = 0n;
    for (let i = 0; i < next.length; i++) {
      if (next[i] === '') emit(w, nodes, 'held', parts[i]);
      else {
        for (const [to, a] of await walk(ctx, w, next[i], parts[i], nodes, last)) {
          if (to !== node) back.set(to, (back.get(to) ?? 0n) + a);
          else if (a > 0n) {
            returned += a;
            if (last) dead.add(i);
          }
        }
      }
    }
    return returned;
  };
  let pending = final ? 0n : await share(amount, false);
  for (let round = 1; pending > 0n && round < MAX_ROUNDS; round++) pending = await share(pending, false);
  for (pending = final ? amount : pending; pending > 0n;) pending = await share(pending, true);
  return back;
}

async function trace(
  ctx: LianjianContext,
  dir: Walk['dir'],
  starts: Array<{ node: string; amount: bigint }>,
  prefix: string[],
  maxDepth: number,
): Promise<TracePath[]> {
  const w: Walk = { dir, maxDepth, visits: 0, out: new Map() };
  for (const s of starts) {
    // Whatever no path could place (all of it circles) is reported as such, never dropped.
    for (const [, a] of await walk(ctx, w, s.node, s.amount, prefix)) emit(w, [...prefix, s.node], 'cycle', a);
  }
  return [...w.out.values()];
}

export class TraceContract extends LianjianContract {
  constructor() {
    super('Trace');
  }

  /** Where the money now in `account` came from: one path per source, amounts in fen adding up to the balance. */
  @Transaction(false)
  async backward(ctx: LianjianContext, account: string, maxDepth: string): Promise<string> {
    const a = await readableAccount(ctx, account);
    const depth = requireInt(maxDepth || '32', 'maxDepth', 1, 256);
    const lots = await lotsOf(ctx, a.id);
    const paths = await trace(
      ctx,
      'back',
      lots.map((l) => ({ node: l.id, amount: BigInt(l.amount) })),
      [],
      depth,
    );
    // 户名 of every account on the paths: the caller may run this trace, so it may read who the money passed.
    const holders = await holdersOf(ctx, [a.id, ...accountsInNodes(paths.flatMap((p) => p.nodes))]);
    return JSON.stringify({ account: a.id, amount: a.balance, paths, holders });
  }

  /** Where a mirrored deposit went: current holders, withdrawals, amounts adding up to the deposit. */
  @Transaction(false)
  async forward(ctx: LianjianContext, bank: string, offTxId: string, maxDepth: string): Promise<string> {
    await ctx.requireRole('regulator', 'auditor', 'bank');
    const m = await getJson<Mirror>(ctx, key('mirror', requireId(bank, 'bank'), requireId(offTxId, 'offTxId')));
    if (!m || m.kind !== 'deposit')
      throw notFound('offTxId', `no mirrored deposit ${offTxId} at ${bank}`, 'DEPOSIT_NOT_FOUND');
    const depth = requireInt(maxDepth || '32', 'maxDepth', 1, 256);
    const source = `deposit:${m.bank}:${m.offTxId}`;
    const paths = await trace(ctx, 'forward', [{ node: m.legs[0].to, amount: BigInt(m.amount) }], [source], depth);
    const holders = await holdersOf(ctx, [m.account, ...accountsInNodes(paths.flatMap((p) => p.nodes))]);
    return JSON.stringify({ deposit: source, account: m.account, amount: m.amount, paths, holders });
  }
}
