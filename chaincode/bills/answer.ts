/**
 * Answers to a waiting request, addressed by the start of the range that carries it:
 * sign (承兑, 签收, 背书签收, 质押签收, 贴现签收, 保证签收, 结清, 清偿), reject (拒绝承兑,
 * 驳回收票, 拒签, 拒付, 拒绝清偿) and revoke (the requester withdraws). The signer names the op
 * it signs, so a request swapped underneath it cannot be signed by mistake.
 */
import type { LianjianContext, Member } from '../core/context';
import { putJson } from '../core/state';
import { rejected } from '../lib/errors';
import { requireOneOf, requireText } from '../lib/validate';
import { BillPackage, BillRange, PendingOp, pkgKey } from './model';
import { ownAccount, partyWithRole, payLeg, record, requireBefore, today, view } from './ops';
import { faceOf, parseTicket } from './ranges';
import { discountTerms } from './rules';
import { pay, refusePayment, settleRecourse } from './settle';
import { findHolding, loadPackage, putRange, requireLive } from './store';

export const OPS: readonly PendingOp[] = [
  'accept',
  'receive',
  'endorse',
  'pledge',
  'discount',
  'guarantee',
  'pay',
  'recourse',
];

/** The range starting at `from` with a request waiting for (or, to revoke, made by) the caller. */
async function waiting(ctx: LianjianContext, me: Member, pkgId: string, from: string, op: string, side: 'to' | 'by') {
  const pkg = await loadPackage(ctx, pkgId);
  const want = requireOneOf(op, OPS, 'op');
  const start = parseTicket(from, 'from', Number(pkg.amount));
  const r = await findHolding(ctx, pkg.pkg, start);
  if (r.start !== start)
    throw rejected(
      `no range of ${pkgId} starts at ${start} (the one holding it starts at ${r.start})`,
      'RANGE_NOT_FOUND',
      'from',
    );
  if (!r.pending || r.pending[side] !== me.handle)
    throw rejected(
      `nothing on [${r.start}, ${r.end}] waits ${side === 'to' ? 'for' : 'from'} ${me.handle}`,
      'NOTHING_PENDING',
      'from',
    );
  if (r.pending.op !== want)
    throw rejected(`[${r.start}, ${r.end}] waits for a ${r.pending.op}, not a ${want}`, 'OP_MISMATCH', 'op');
  requireLive(r);
  return { pkg, r, op: want };
}

const done = (r: BillRange, more: Partial<BillRange>): BillRange => ({ ...r, pending: undefined, ...more });

export async function sign(
  ctx: LianjianContext,
  me: Member,
  pkgId: string,
  from: string,
  op: string,
  account: string,
): Promise<object> {
  const { pkg, r, op: o } = await waiting(ctx, me, pkgId, from, op, 'to');
  const day = today(ctx);
  if (o === 'pay') return view(await pay(ctx, me, pkg, r, account, day));
  if (o === 'recourse') return view(await settleRecourse(ctx, me, pkg, r, account));
  requireBefore(pkg, day, o);
  let next: BillRange;
  let extra: Record<string, unknown> = {};
  if (o === 'accept') {
    await partyWithRole(ctx, me.handle, 'caller', pkg.acceptorKind);
    await ownAccount(ctx, me, account, 'account', 'debit');
    await putJson(ctx, pkgKey(pkg.pkg), { ...pkg, status: 'accepted', acceptorAccount: account } satisfies BillPackage);
    next = done(r, { state: 'accepted' });
  } else if (o === 'receive' || o === 'endorse') {
    await partyWithRole(ctx, me.handle, 'caller', 'enterprise');
    await ownAccount(ctx, me, account, 'account', 'credit');
    next = done(r, {
      state: 'held',
      holder: me.handle,
      account,
      priors: o === 'receive' ? [pkg.drawer] : [...r.priors, r.holder],
    });
    if (o === 'receive') await putJson(ctx, pkgKey(pkg.pkg), { ...pkg, status: 'issued' } satisfies BillPackage);
  } else if (o === 'pledge') {
    await partyWithRole(ctx, me.handle, 'caller', 'bank');
    await ownAccount(ctx, me, account, 'account', 'credit');
    next = done(r, { state: 'pledged', pledgee: me.handle, pledgeeAccount: account });
  } else if (o === 'discount') {
    await partyWithRole(ctx, me.handle, 'caller', 'bank');
    const src = await ownAccount(ctx, me, account, 'account', 'debit');
    const terms = discountTerms(faceOf(r), r.pending!.rateBp!, day, pkg.maturity);
    const leg = await payLeg(ctx, src, r.account, r, 'bill_discount', terms.proceeds);
    next = done(r, { holder: me.handle, account, priors: [...r.priors, r.holder] });
    extra = {
      accounts: [leg.from, leg.to],
      days: terms.days,
      rateBp: r.pending!.rateBp,
      interest: terms.interest.toString(),
      proceeds: terms.proceeds.toString(),
    };
  } else {
    await partyWithRole(ctx, me.handle, 'caller', 'enterprise', 'bank');
    next = done(r, { guarantors: [...r.guarantors, { guarantor: me.handle, forWhom: r.holder }] });
  }
  await putRange(ctx, next, r);
  await record(ctx, `Bill${o[0].toUpperCase()}${o.slice(1)}Signed`, next, me.handle, { to: r.pending!.by, ...extra });
  return view(next, extra.interest ? { interest: extra.interest, proceeds: extra.proceeds, days: extra.days } : {});
}

export async function reject(
  ctx: LianjianContext,
  me: Member,
  pkgId: string,
  from: string,
  op: string,
  reason: string,
): Promise<object> {
  requireText(reason, 'reason', 512);
  const { pkg, r, op: o } = await waiting(ctx, me, pkgId, from, op, 'to');
  const day = today(ctx);
  let next: BillRange;
  if (o === 'accept') {
    next = done(r, { state: 'refused' });
    await putJson(ctx, pkgKey(pkg.pkg), { ...pkg, status: 'refused' } satisfies BillPackage);
  } else if (o === 'pay') {
    next = refusePayment(r, day, reason);
  } else {
    next = done(r, {});
  }
  await putRange(ctx, next, r);
  await record(
    ctx,
    o === 'pay' ? 'BillDishonored' : `Bill${o[0].toUpperCase()}${o.slice(1)}Rejected`,
    next,
    me.handle,
    { to: r.pending!.by, reason },
  );
  return view(next);
}

/** The requester withdraws a request not yet answered (a presentment for payment stands). */
export async function revoke(
  ctx: LianjianContext,
  me: Member,
  pkgId: string,
  from: string,
  op: string,
): Promise<object> {
  const { r, op: o } = await waiting(ctx, me, pkgId, from, op, 'by');
  if (o === 'pay') throw rejected('a presentment for payment cannot be withdrawn', 'CANNOT_REVOKE', 'op');
  const next = done(r, {});
  await putRange(ctx, next, r);
  await record(ctx, `Bill${o[0].toUpperCase()}${o.slice(1)}Revoked`, next, me.handle, { to: r.pending!.to });
  return view(next);
}
