/**
 * Payment tracing (资金穿透) over the cumulative flow edges between lots.
 * Backward: where the money now in an account came from, down to the deposits.
 * Forward: where a deposit went, down to the current holders and withdrawals.
 * A merged lot cannot tell which of its parents' fen it still holds, so amounts are shared
 * pro rata to the flows, in exact fen: the paths of one trace always add up to its amount.
 * Money can circle back to a lot it passed; a path stops there and says so ('cycle').
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

async function walk(ctx: LianjianContext, dir: 'back' | 'forward', node: string, amount: bigint, path: string[], maxDepth: number, out: TracePath[]): Promise<void> {
  const nodes = [...path, node];
  if (amount === 0n) return;
  if (!isLot(node)) {
    out.push({ nodes, end: node.startsWith('deposit:') ? 'deposit' : 'withdrawal', amount: fen(amount) });
    return;
  }
  if (path.includes(node)) return void out.push({ nodes, end: 'cycle', amount: fen(amount) });
  if (path.length >= maxDepth) return void out.push({ nodes, end: 'depth', amount: fen(amount) });
  const edges = await listJson<Edge>(ctx, range(dir === 'back' ? 'flow' : 'flowr', node));
  const next = edges.map((e) => (dir === 'back' ? e.from : e.to));
  const weights = edges.map((e) => BigInt(e.amount));
  if (dir === 'forward') {
    // What the lot still holds is a destination too.
    const [account, color] = [node.slice(0, node.indexOf('/')), node.slice(node.indexOf('/') + 1)];
    const held = (await lotsOf(ctx, account)).find((l: Lot) => l.color === color);
    next.push('');
    weights.push(BigInt(held?.amount ?? '0'));
  }
  const parts = apportion(amount, weights);
  for (let i = 0; i < next.length; i++) {
    if (next[i] === '') {
      if (parts[i] > 0n) out.push({ nodes, end: 'held', amount: fen(parts[i]) });
    } else {
      await walk(ctx, dir, next[i], parts[i], nodes, maxDepth, out);
    }
  }
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
    const paths: TracePath[] = [];
    for (const lot of await lotsOf(ctx, a.id)) await walk(ctx, 'back', lot.id, BigInt(lot.amount), [], depth, paths);
    return JSON.stringify({ account: a.id, amount: a.balance, paths });
  }

  /** Where a mirrored deposit went: current holders, withdrawals, amounts adding up to the deposit. */
  @Transaction(false)
  async forward(ctx: LianjianContext, bank: string, offTxId: string, maxDepth: string): Promise<string> {
    await ctx.requireRole('regulator', 'auditor', 'bank');
    const m = await getJson<Mirror>(ctx, key('mirror', requireId(bank, 'bank'), requireId(offTxId, 'offTxId')));
    if (!m || m.kind !== 'deposit') throw notFound('offTxId', `no mirrored deposit ${offTxId} at ${bank}`, 'DEPOSIT_NOT_FOUND');
    const depth = requireInt(maxDepth || '32', 'maxDepth', 1, 256);
    const paths: TracePath[] = [];
    const source = `deposit:${m.bank}:${m.offTxId}`;
    await walk(ctx, 'forward', m.legs[0].to, BigInt(m.amount), [source], depth, paths);
    return JSON.stringify({ deposit: source, account: m.account, amount: m.amount, paths });
  }
}
