/**
 * Payment tracing (资金穿透). Backward: where the money now in an account came from, by
 * deposit. Forward: where a deposit went, by holder and withdrawal. Both read the same numbers:
 * the per-deposit provenance every move keeps (chaincode/core/provenance.ts), so for every
 * (deposit, holder) pair the backward and the forward amounts are equal, a backward trace adds
 * up to the balance and a forward trace to the deposit, exactly to the fen. The paths (which
 * accounts the money passed through) are drawn over the flow edges and carry exactly those
 * amounts. Who may trace: whoever may read the account (backward) or the deposit's account
 * (forward); a caller without mandate sees another bank's customers' accounts as '*'.
 */
import { Returns, Transaction } from 'fabric-contract-api';
import './models';
import { apportion } from '../lib/apportion';
import { notFound } from '../lib/errors';
import { fen } from '../lib/money';
import { requireId, requireInt } from '../lib/validate';
import { Account, accountOfLot, readAccount } from './account';
import { canReadAccount, hasMandate } from './access';
import { LianjianContext, LianjianContract, Member, ROLES } from './context';
import { lotsOf } from './lots';
import type { Mirror } from './mirror';
import { readableAccount } from './money';
import { sourcesOf, UNTRACED } from './provenance';
import { getJson, key } from './state';
import { Direction, isLot, reachable, shortestPath, TracePath, walkPaths } from './trace-walk';

export type { TracePath } from './trace-walk';

/** An exact amount that paths must carry from `first` to `last`. */
interface Target {
  first: string;
  last: string;
  amount: bigint;
  end: TracePath['end'];
}

/**
 * Splits each target's exact amount over the walk's paths between the same two nodes, in
 * proportion to their walk amounts; where the walk found none, one shortest path carries it.
 */
async function calibrate(
  ctx: LianjianContext,
  dir: Direction,
  walked: TracePath[],
  targets: Target[],
  prefix: string[],
): Promise<TracePath[]> {
  const out: TracePath[] = [];
  for (const t of targets) {
    const same = walked.filter((p) => p.nodes[prefix.length] === t.first && p.nodes[p.nodes.length - 1] === t.last);
    const weights = same.map((p) => BigInt(p.amount));
    if (weights.some((x) => x > 0n)) {
      apportion(t.amount, weights).forEach((a, i) => {
        if (a > 0n) out.push({ nodes: same[i].nodes, end: t.end, amount: fen(a) });
      });
      continue;
    }
    const hops = t.end === 'untraced' ? undefined : await shortestPath(ctx, dir, t.first, t.last);
    out.push({ nodes: [...prefix, ...(hops ?? [t.first, t.last])], end: t.end, amount: fen(t.amount) });
  }
  return out;
}

const endOf = (source: string): TracePath['end'] => (source === UNTRACED ? 'untraced' : 'deposit');

/**
 * What a caller sees of the nodes. Regulators and auditors see every node. Anyone else sees the
 * accounts it may read and those its own org's bank keeps (and their deposits and withdrawals);
 * another bank's customers' accounts and off-chain ids show as '*': one org's data never reaches
 * another org's members through a trace.
 */
class View {
  private readonly accounts = new Map<string, Account | undefined>();
  constructor(
    private readonly ctx: LianjianContext,
    private readonly me: Member,
  ) {}

  async account(id: string): Promise<Account | undefined> {
    if (!this.accounts.has(id)) this.accounts.set(id, await readAccount(this.ctx, id).catch(() => undefined));
    return this.accounts.get(id);
  }

  /** Whether the caller sees account `id` in a trace. */
  async visible(id: string): Promise<boolean> {
    const a = await this.account(id);
    return !!a && (canReadAccount(this.me, a) || a.bank === this.me.mspId);
  }

  /** The account a source or sink node belongs to (its mirror record). */
  async accountOfNode(node: string): Promise<string | undefined> {
    const [kind, bank, ...rest] = node.split(':');
    if (kind !== 'deposit' && kind !== 'withdrawal') return undefined;
    return (await getJson<Mirror>(this.ctx, key('mirror', bank, rest.join(':'))))?.account;
  }

  async node(node: string): Promise<string> {
    if (hasMandate(this.me) || node === UNTRACED) return node;
    if (!isLot(node) && node.split(':')[1] === this.me.mspId) return node; // its own bank's books
    const acct = isLot(node) ? accountOfLot(node) : await this.accountOfNode(node);
    return acct && (await this.visible(acct)) ? node : '*';
  }

  /** Paths as the caller may see them; paths that look the same once hidden are merged. */
  async paths(paths: TracePath[]): Promise<TracePath[]> {
    const merged = new Map<string, TracePath>();
    for (const p of paths) {
      const nodes = await Promise.all(p.nodes.map((n) => this.node(n)));
      const k = `${p.end}|${nodes.join('>')}`;
      const prev = merged.get(k);
      merged.set(k, { nodes, end: p.end, amount: fen(BigInt(prev?.amount ?? '0') + BigInt(p.amount)) });
    }
    return [...merged.values()];
  }

  /** Holder names of the accounts the caller may read among `ids`. */
  async names(ids: string[]): Promise<Record<string, { holderName: string; holderOrg: string }>> {
    const out: Record<string, { holderName: string; holderOrg: string }> = {};
    for (const id of new Set(ids)) {
      const a = await this.account(id);
      if (a && (hasMandate(this.me) || (await this.visible(id))))
        out[id] = { holderName: a.holderName, holderOrg: a.holderOrg };
    }
    return out;
  }
}

const accountsOf = (paths: TracePath[]): string[] => paths.flatMap((p) => p.nodes.filter(isLot).map(accountOfLot));

/** Adds `amount` under `k`. */
const add = (m: Map<string, bigint>, k: string, amount: bigint): void => {
  m.set(k, (m.get(k) ?? 0n) + amount);
};

export class TraceContract extends LianjianContract {
  constructor() {
    super('Trace');
  }

  /** Where the money now in `account` came from: by deposit (adding up to the balance), and the paths it took. */
  @Transaction(false)
  @Returns('TraceView')
  async backward(ctx: LianjianContext, account: string, maxDepth: string): Promise<string> {
    const me = await ctx.requireRole(...ROLES);
    const a = await readableAccount(ctx, account);
    const depth = requireInt(maxDepth || '32', 'maxDepth', 1, 256);
    const targets: Target[] = [];
    const bySource = new Map<string, bigint>();
    for (const lot of await lotsOf(ctx, a.id)) {
      const sources = await sourcesOf(ctx, lot.id);
      const covered = [...sources.values()].reduce((s, v) => s + v, 0n);
      if (covered < BigInt(lot.amount)) sources.set(UNTRACED, BigInt(lot.amount) - covered);
      for (const [src, amount] of sources) {
        targets.push({ first: lot.id, last: src, amount, end: endOf(src) });
        add(bySource, src, amount);
      }
    }
    const starts = [...new Set(targets.map((t) => t.first))].map((lot) => ({
      nodes: [lot],
      amount: targets.filter((t) => t.first === lot).reduce((s, t) => s + t.amount, 0n),
    }));
    const paths = await calibrate(ctx, 'back', await walkPaths(ctx, 'back', starts, depth), targets, []);
    const view = new View(ctx, me);
    const sources = new Map<string, bigint>();
    for (const [src, amount] of bySource) add(sources, await view.node(src), amount);
    return JSON.stringify({
      account: a.id,
      holderName: a.holderName,
      holderOrg: a.holderOrg,
      amount: a.balance,
      bySource: [...sources].map(([deposit, amount]) => ({ deposit, amount: fen(amount) })),
      paths: await view.paths(paths),
      names: await view.names(accountsOf(paths)),
    });
  }

  /** Where a mirrored deposit went: by holder and withdrawal (adding up to the deposit), and the paths it took. */
  @Transaction(false)
  @Returns('TraceView')
  async forward(ctx: LianjianContext, bank: string, offTxId: string, maxDepth: string): Promise<string> {
    const me = await ctx.requireRole(...ROLES);
    const m = await getJson<Mirror>(ctx, key('mirror', requireId(bank, 'bank'), requireId(offTxId, 'offTxId')));
    const into = m?.kind === 'deposit' ? await readAccount(ctx, m.account).catch(() => undefined) : undefined;
    if (!m || !into || !canReadAccount(me, into))
      throw notFound('offTxId', `no mirrored deposit ${offTxId} at ${bank}`, 'DEPOSIT_NOT_FOUND');
    const depth = requireInt(maxDepth || '32', 'maxDepth', 1, 256);
    const source = `deposit:${m.bank}:${m.offTxId}`;
    const first = m.legs[0].to;
    const reach = await reachable(ctx, 'forward', first);
    const targets: Target[] = [];
    for (const node of reach.nodes) {
      const amount = (await sourcesOf(ctx, node)).get(source) ?? 0n;
      if (amount > 0n) targets.push({ first, last: node, amount, end: isLot(node) ? 'held' : 'withdrawal' });
    }
    const walked = await walkPaths(ctx, 'forward', [{ nodes: [source, first], amount: BigInt(m.amount) }], depth);
    const paths = await calibrate(ctx, 'forward', walked, targets, [source]);
    const view = new View(ctx, me);
    const byHolder = new Map<string, bigint>();
    const withdrawals = new Map<string, bigint>();
    for (const t of targets) {
      if (t.end === 'held') add(byHolder, await view.node(t.last), t.amount);
      else add(withdrawals, await view.node(t.last), t.amount);
    }
    return JSON.stringify({
      deposit: source,
      account: m.account,
      amount: m.amount,
      complete: reach.complete,
      byHolder: [...byHolder].map(([lot, amount]) => ({
        account: lot === '*' ? '*' : accountOfLot(lot),
        lot,
        amount: fen(amount),
      })),
      withdrawals: [...withdrawals].map(([sink, amount]) => ({ sink, amount: fen(amount) })),
      paths: await view.paths(paths),
      names: await view.names(accountsOf(paths)),
    });
  }
}
