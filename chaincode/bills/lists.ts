/**
 * The packages a member can open from a list: the ones it is a party to (drawer, acceptor,
 * payee, endorsee, pledgee...), or every package for the supervising roles (regulator,
 * auditor, court). Each with its face totals by state, so a list shows where the money is.
 */
import type { LianjianContext, Member } from '../core/context';
import { listJson, range } from '../core/state';
import { fen } from '../lib/money';
import type { BillPackage, BillRange } from './model';
import { faceOf } from './ranges';
import { canReadPackage } from './access';

export interface PackageSummary extends BillPackage {
  /** Face (fen) by range state, over the whole package. */
  byState: Record<string, string>;
  /** Face (fen) the caller holds in live ranges. */
  mine: string;
  /** Requests on the package waiting for the caller's answer. */
  waitingForMe: number;
}

const LIVE = new Set(['draft', 'accepted', 'held', 'pledged', 'dishonored']);

/**
 * Every package `me` may read, by package number. A package it may not read is skipped, by the
 * same rule as reading one (access.ts).
 * @throws LedgerError from state reads only
 */
export async function packagesOf(ctx: LianjianContext, me: Member): Promise<PackageSummary[]> {
  const out: PackageSummary[] = [];
  for (const pkg of await listJson<BillPackage>(ctx, range('billpkg'))) {
    if (!(await canReadPackage(ctx, me, pkg))) continue;
    const ranges = await listJson<BillRange>(ctx, range('range', pkg.pkg));
    const byState = new Map<string, bigint>();
    let mine = 0n;
    for (const r of ranges) {
      byState.set(r.state, (byState.get(r.state) ?? 0n) + faceOf(r));
      if (r.holder === me.handle && LIVE.has(r.state)) mine += faceOf(r);
    }
    out.push({
      ...pkg,
      byState: Object.fromEntries([...byState].map(([state, face]) => [state, fen(face)])),
      mine: fen(mine),
      waitingForMe: ranges.filter((r) => r.pending?.to === me.handle).length,
    });
  }
  return out;
}
