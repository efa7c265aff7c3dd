/**
 * Circulation requests on holdings: 背书, 质押, 贴现, 保证 (the counterparty answers with
 * sign/reject), 解质押 by the pledgee, and 冻结/解冻 by a court or regulator. A request may name
 * one range or a set of the caller's ranges, adjacent or not (chaincode/bills/claim.ts); acting
 * on part of a holding splits it first; the parts carry the request.
 */
import type { LianjianContext, Member } from '../core/context';
import { newFreeze, requireLifter } from '../core/freeze';
import { putJson } from '../core/state';
import { rejected } from '../lib/errors';
import { requireInt, requireText } from '../lib/validate';
import { packageFor } from './access';
import { applyClaims, claim, Claim, groupOf, partsOf } from './claim';
import { BillPackage, BillRange, groupKey, Pending, TERMINAL } from './model';
import {
  partyWithRole,
  record,
  requireBefore,
  requireNoPending,
  requireState,
  requireTransferable,
  today,
  view,
} from './ops';
import { RangeArg, spansOf } from './ranges';
import { POLICY } from './rules';
import { findHolding, putCarved, putRange, requireLive, target } from './store';

export type RequestOp = 'endorse' | 'pledge' | 'discount' | 'guarantee';

const EVENT: Record<RequestOp, string> = {
  endorse: 'BillEndorseRequested',
  pledge: 'BillPledgeRequested',
  discount: 'BillDiscountRequested',
  guarantee: 'BillGuaranteeRequested',
};

const COUNTERPARTY_ROLES = {
  endorse: ['enterprise'],
  guarantee: ['enterprise', 'bank'],
  pledge: ['bank'],
  discount: ['bank'],
} as const;

export interface Request {
  op: RequestOp;
  requestId: string; // the caller's request id: groups the ranges of one request
  pkg: string;
  ranges: RangeArg;
  counterparty: string;
  rateBp?: string; // discount
  noFurther?: boolean; // endorse: 不得转让 written by this endorser
}

/** Every holding a request covers is the caller's and free to act on now. */
function requireClaimable(me: Member, pkg: BillPackage, claims: Claim[], op: RequestOp, day: string): void {
  for (const { holding: h } of claims) {
    if (h.holder !== me.handle)
      throw rejected(`${me.handle} does not hold [${h.start}, ${h.end}] of ${pkg.pkg}`, 'NOT_HOLDER', 'from');
    requireLive(h);
    requireState(h, ['held'], op);
    requireNoPending(h);
  }
  if (op !== 'guarantee') requireTransferable(pkg, op);
  requireBefore(pkg, day, op);
}

/**
 * The holder asks `counterparty` to take (endorse), take as pledge, discount or guarantee the
 * ranges; all of them or none.
 * @throws LedgerError 404 BILL_NOT_FOUND, 422 NOT_HOLDER / RANGE_FROZEN / RANGE_BUSY / RANGE_STATE / ...
 */
export async function request(ctx: LianjianContext, me: Member, a: Request): Promise<object> {
  const pkg = await packageFor(ctx, me, a.pkg);
  const spans = spansOf(a.ranges, Number(pkg.amount));
  const other = await partyWithRole(ctx, a.counterparty, 'counterparty', ...COUNTERPARTY_ROLES[a.op]);
  const rateBp = a.op === 'discount' ? requireInt(a.rateBp, 'rateBp', 1, POLICY.maxRateBp) : undefined;
  if (other.handle === me.handle)
    throw rejected('the counterparty must not be the holder', 'SELF_COUNTERPARTY', 'counterparty');
  const claims = await claim(ctx, pkg, spans);
  const day = today(ctx);
  requireClaimable(me, pkg, claims, a.op, day);
  const several = partsOf(claims).length > 1;
  const group = several ? groupOf(me.handle, a.requestId) : undefined;
  const pending: Pending = {
    op: a.op,
    to: other.handle,
    by: me.handle,
    since: day,
    ...(rateBp !== undefined ? { rateBp } : {}),
    ...(group ? { group } : {}),
    ...(a.noFurther ? { noFurther: true } : {}),
  };
  const parts = await applyClaims(ctx, claims, (part) => ({ ...part, pending }));
  if (group) await putJson(ctx, groupKey(pkg.pkg, group), { starts: parts.map((p) => p.start) });
  for (const part of parts)
    await record(ctx, EVENT[a.op], part, me.handle, {
      to: other.handle,
      ...(rateBp !== undefined ? { rateBp } : {}),
      ...(a.noFurther ? { noFurther: true } : {}),
    });
  return several ? view(parts[0], { ranges: parts.map((p) => view(p)) }) : view(parts[0]);
}

/** 解质押: the pledgee releases a pledged range back to the holder. */
export async function release(ctx: LianjianContext, me: Member, pkgId: string, span: RangeArg): Promise<object> {
  const pkg = await packageFor(ctx, me, pkgId);
  const [s] = spansOf(span, Number(pkg.amount));
  const t = await target(ctx, pkg.pkg, s.start, s.end);
  const h = t.holding;
  if (h.pledgee !== me.handle)
    throw rejected(`${me.handle} is not the pledgee of [${s.start}, ${s.end}]`, 'NOT_PLEDGEE', 'from');
  requireLive(h);
  requireState(h, ['pledged'], 'release');
  requireNoPending(h);
  t.carved.part = { ...t.part, state: 'held', pledgee: undefined, pledgeeAccount: undefined };
  await putCarved(ctx, h, t.carved);
  await record(ctx, 'BillPledgeReleased', t.carved.part, me.handle, { to: h.holder });
  return view(t.carved.part);
}

export interface FreezeOrder {
  pkg: string;
  from: string;
  to: string;
  order: string; // the court's order; '' for a regulator's own decision
  reason: string;
}

/** 冻结: a court (under its order) or a regulator freezes [from, to]; nothing but unfreezing touches it until then. */
export async function freeze(ctx: LianjianContext, me: Member, o: FreezeOrder): Promise<object> {
  const pkg = await packageFor(ctx, me, o.pkg);
  const [s] = spansOf(o, Number(pkg.amount));
  const f = newFreeze(ctx, me, o.order, o.reason);
  const t = await target(ctx, pkg.pkg, s.start, s.end);
  if (t.holding.frozen)
    throw rejected(
      `[${t.holding.start}, ${t.holding.end}] is already frozen by ${t.holding.frozen.by}`,
      'RANGE_FROZEN',
      'from',
    );
  if (TERMINAL.includes(t.holding.state))
    throw rejected(`[${t.holding.start}, ${t.holding.end}] is ${t.holding.state}`, 'RANGE_STATE', 'from');
  t.carved.part = { ...t.part, frozen: { by: me.handle, order: f.order, reason: f.reason, since: today(ctx) } };
  await putCarved(ctx, t.holding, t.carved);
  await record(ctx, 'BillFrozen', t.carved.part, me.handle, { order: f.order, reason: f.reason });
  return view(t.carved.part, { frozen: t.carved.part.frozen });
}

/** 解冻: the authority that froze the range starting at `from` lifts the freeze. */
export async function unfreeze(
  ctx: LianjianContext,
  me: Member,
  pkgId: string,
  from: string,
  reason: string,
): Promise<object> {
  requireText(reason, 'reason', 512);
  const pkg = await packageFor(ctx, me, pkgId);
  const [s] = spansOf({ from, to: from }, Number(pkg.amount));
  const h: BillRange = await findHolding(ctx, pkg.pkg, s.start);
  if (!h.frozen) throw rejected(`[${h.start}, ${h.end}] is not frozen`, 'RANGE_NOT_FROZEN', 'from');
  if (h.start !== s.start) throw rejected(`the frozen range starts at ${h.start}`, 'RANGE_NOT_FOUND', 'from');
  requireLifter(me, { by: h.frozen.by, order: h.frozen.order ?? h.frozen.reason }, 'from');
  const next: BillRange = { ...h, frozen: undefined };
  await putRange(ctx, next, h);
  await record(ctx, 'BillUnfrozen', next, me.handle, { reason });
  return view(next);
}
