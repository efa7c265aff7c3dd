/**
 * Circulation requests on a holding: 背书, 质押, 贴现, 保证 (the counterparty answers with
 * sign/reject), 解质押 by the pledgee, and 冻结/解冻 by a court or regulator. Acting on part
 * of a holding splits it first; the part carries the request.
 */
import type { LianjianContext, Member } from '../core/context';
import { rejected } from '../lib/errors';
import { requireInt, requireText } from '../lib/validate';
import { BillRange, Pending, TERMINAL } from './model';
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
import { parseSpan } from './ranges';
import { POLICY } from './rules';
import { findHolding, loadPackage, putCarved, requireLive, target } from './store';

export type RequestOp = 'endorse' | 'pledge' | 'discount' | 'guarantee';

const EVENT: Record<RequestOp, string> = {
  endorse: 'BillEndorseRequested',
  pledge: 'BillPledgeRequested',
  discount: 'BillDiscountRequested',
  guarantee: 'BillGuaranteeRequested',
};

/** The holder asks `counterparty` to take (endorse), take as pledge, discount or guarantee [from, to]. */
export async function request(
  ctx: LianjianContext,
  me: Member,
  op: RequestOp,
  pkgId: string,
  from: string,
  to: string,
  counterparty: string,
  rate?: string,
): Promise<object> {
  const pkg = await loadPackage(ctx, pkgId);
  const span = parseSpan(from, to, Number(pkg.amount));
  const roles =
    op === 'endorse'
      ? (['enterprise'] as const)
      : op === 'guarantee'
        ? (['enterprise', 'bank'] as const)
        : (['bank'] as const);
  const other = await partyWithRole(ctx, counterparty, 'counterparty', ...roles);
  const rateBp = op === 'discount' ? requireInt(rate, 'rateBp', 1, POLICY.maxRateBp) : undefined;
  const t = await target(ctx, pkgId, span.start, span.end);
  const h = t.holding;
  if (h.holder !== me.handle)
    throw rejected(`${me.handle} does not hold [${span.start}, ${span.end}] of ${pkgId}`, 'NOT_HOLDER', 'from');
  if (other.handle === me.handle)
    throw rejected('the counterparty must not be the holder', 'SELF_COUNTERPARTY', 'counterparty');
  requireLive(h);
  requireState(h, ['held'], op);
  requireNoPending(h);
  const day = today(ctx);
  if (op !== 'guarantee') requireTransferable(pkg, op);
  requireBefore(pkg, day, op);
  const pending: Pending = {
    op,
    to: other.handle,
    by: me.handle,
    since: day,
    ...(rateBp !== undefined ? { rateBp } : {}),
  };
  t.carved.part = { ...t.part, pending };
  await putCarved(ctx, h, t.carved);
  await record(ctx, EVENT[op], t.carved.part, me.handle, {
    to: other.handle,
    ...(rateBp !== undefined ? { rateBp } : {}),
  });
  return view(t.carved.part);
}

/** 解质押: the pledgee releases a pledged range back to the holder. */
export async function release(
  ctx: LianjianContext,
  me: Member,
  pkgId: string,
  from: string,
  to: string,
): Promise<object> {
  const pkg = await loadPackage(ctx, pkgId);
  const span = parseSpan(from, to, Number(pkg.amount));
  const t = await target(ctx, pkgId, span.start, span.end);
  const h = t.holding;
  if (h.pledgee !== me.handle)
    throw rejected(`${me.handle} is not the pledgee of [${span.start}, ${span.end}]`, 'NOT_PLEDGEE', 'from');
  requireLive(h);
  requireState(h, ['pledged'], 'release');
  requireNoPending(h);
  t.carved.part = { ...t.part, state: 'held', pledgee: undefined, pledgeeAccount: undefined };
  await putCarved(ctx, h, t.carved);
  await record(ctx, 'BillPledgeReleased', t.carved.part, me.handle, { to: h.holder });
  return view(t.carved.part);
}

/** 冻结: a court or regulator freezes [from, to]; nothing but unfreezing touches it until then. */
export async function freeze(
  ctx: LianjianContext,
  me: Member,
  pkgId: string,
  from: string,
  to: string,
  reason: string,
): Promise<object> {
  requireText(reason, 'reason', 512);
  const pkg = await loadPackage(ctx, pkgId);
  const span = parseSpan(from, to, Number(pkg.amount));
  const t = await target(ctx, pkgId, span.start, span.end);
  if (t.holding.frozen)
    throw rejected(
      `[${t.holding.start}, ${t.holding.end}] is already frozen by ${t.holding.frozen.by}`,
      'RANGE_FROZEN',
      'from',
    );
  if (TERMINAL.includes(t.holding.state))
    throw rejected(`[${t.holding.start}, ${t.holding.end}] is ${t.holding.state}`, 'RANGE_STATE', 'from');
  t.carved.part = { ...t.part, frozen: { by: me.handle, reason, since: today(ctx) } };
  await putCarved(ctx, t.holding, t.carved);
  await record(ctx, 'BillFrozen', t.carved.part, me.handle, { reason });
  return view(t.carved.part, { frozen: t.carved.part.frozen });
}

/** 解冻: lifts a freeze on the whole frozen range starting at `from`. */
export async function unfreeze(
  ctx: LianjianContext,
  me: Member,
  pkgId: string,
  from: string,
  reason: string,
): Promise<object> {
  requireText(reason, 'reason', 512);
  const pkg = await loadPackage(ctx, pkgId);
  const span = parseSpan(from, from, Number(pkg.amount));
  const h: BillRange = await findHolding(ctx, pkgId, span.start);
  if (!h.frozen) throw rejected(`[${h.start}, ${h.end}] is not frozen`, 'RANGE_NOT_FROZEN', 'from');
  if (h.start !== span.start) throw rejected(`the frozen range starts at ${h.start}`, 'RANGE_NOT_FOUND', 'from');
  const next: BillRange = { ...h, frozen: undefined };
  await putCarved(ctx, h, { part: next });
  await record(ctx, 'BillUnfrozen', next, me.handle, { reason });
  return view(next);
}
