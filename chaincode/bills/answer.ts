/**
 * Answers to a waiting request, addressed by the start of a range that carries it:
 * sign (承兑, 签收, 背书签收, 质押签收, 贴现签收, 保证签收, 结清, 清偿), reject (拒绝承兑,
 * 驳回收票, 拒签, 拒付, 拒绝清偿) and revoke (the requester withdraws). The signer names the op
 * it signs, so a request swapped underneath it cannot be signed by mistake. A request that
 * covered several ranges is answered as a whole: one answer signs, rejects or revokes them all.
 */
import type { LianjianContext, Member } from '../core/context';
import { delKey, getJson, putJson } from '../core/state';
import { rejected } from '../lib/errors';
import { requireOneOf, requireText } from '../lib/validate';
import { packageFor } from './access';
import { BillPackage, BillRange, groupKey, PendingOp, pkgKey, rangeKey } from './model';
import { ownAccount, partyWithRole, payLeg, record, requireBefore, today, view } from './ops';
import { faceOf, parseTicket } from './ranges';
import { discountTerms } from './rules';
import { pay, refusePayment, settleRecourse } from './settle';
import { findHolding, putRange, requireLive } from './store';
import { apportion } from '../lib/apportion';

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

export interface Answer {
  pkg: string;
  from: string; // the start of a range carrying the request
  op: string;
}

interface Waiting {
  pkg: BillPackage;
  op: PendingOp;
  ranges: BillRange[]; // every range of the request, in ticket order
}

/** The ranges of the request that `r` carries: `r` alone, or every range of its group still waiting. */
async function requestRanges(ctx: LianjianContext, pkg: BillPackage, r: BillRange): Promise<BillRange[]> {
  const group = r.pending?.group;
  if (!group) return [r];
  const g = await getJson<{ starts: number[] }>(ctx, groupKey(pkg.pkg, group));
  const all = await Promise.all((g?.starts ?? [r.start]).map((s) => getJson<BillRange>(ctx, rangeKey(pkg.pkg, s))));
  return all.filter((x): x is BillRange => !!x && x.pending?.group === group).sort((a, b) => a.start - b.start);
}

/** The request waiting for (side 'to') or made by (side 'by') the caller on the range starting at `from`. */
async function waiting(ctx: LianjianContext, me: Member, a: Answer, side: 'to' | 'by'): Promise<Waiting> {
  const pkg = await packageFor(ctx, me, a.pkg);
  const want = requireOneOf(a.op, OPS, 'op');
  const start = parseTicket(a.from, 'from', Number(pkg.amount));
  const r = await findHolding(ctx, pkg.pkg, start);
  if (r.start !== start)
    throw rejected(
      `no range of ${pkg.pkg} starts at ${start} (the one holding it starts at ${r.start})`,
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
  const ranges = await requestRanges(ctx, pkg, r);
  for (const x of ranges) requireLive(x);
  return { pkg, op: want, ranges };
}

const done = (r: BillRange, more: Partial<BillRange>): BillRange => ({ ...r, pending: undefined, ...more });
const titled = (op: string): string => `${op[0].toUpperCase()}${op.slice(1)}`;

/** What the whole request shows once answered: the first range, and all of them when several. */
function result(ranges: BillRange[], more: Record<string, unknown> = {}): object {
  return ranges.length > 1 ? view(ranges[0], { ...more, ranges: ranges.map((r) => view(r)) }) : view(ranges[0], more);
}

/** Writes the answered ranges and records each; drops the group's index. */
async function finish(
  ctx: LianjianContext,
  w: Waiting,
  pairs: Array<{ before: BillRange; after: BillRange; extra?: Record<string, unknown> }>,
  type: string,
  by: string,
): Promise<BillRange[]> {
  for (const { before, after, extra } of pairs) {
    await putRange(ctx, after, before);
    await record(ctx, type, after, by, { to: before.pending!.by, ...extra });
  }
  const group = w.ranges[0].pending?.group;
  if (group) await delKey(ctx, groupKey(w.pkg.pkg, group));
  return pairs.map((p) => p.after);
}

/**
 * 贴现签收: the bank takes the ranges and pays the holder the face less interest. The interest
 * of the whole request is computed once on its total face (half up, 360-day year) and shared
 * over the ranges by face in exact fen.
 */
async function signDiscount(ctx: LianjianContext, me: Member, w: Waiting, account: string, day: string) {
  await partyWithRole(ctx, me.handle, 'caller', 'bank');
  const src = await ownAccount(ctx, me, account, 'account', 'debit');
  const faces = w.ranges.map(faceOf);
  const terms = discountTerms(
    faces.reduce((s, f) => s + f, 0n),
    w.ranges[0].pending!.rateBp!,
    day,
    w.pkg.maturity,
  );
  const interest = apportion(terms.interest, faces);
  const pairs = [];
  for (const [i, r] of w.ranges.entries()) {
    const leg = await payLeg(ctx, {
      from: src,
      to: r.account,
      range: r,
      kind: 'bill_discount',
      amount: faces[i] - interest[i],
    });
    const after = done(r, { holder: me.handle, account, priors: [...r.priors, r.holder] });
    pairs.push({
      before: r,
      after,
      extra: {
        accounts: [leg.from, leg.to],
        days: terms.days,
        rateBp: r.pending!.rateBp,
        interest: interest[i].toString(),
        proceeds: leg.amount,
      },
    });
  }
  const ranges = await finish(ctx, w, pairs, 'BillDiscountSigned', me.handle);
  return result(ranges, {
    interest: terms.interest.toString(),
    proceeds: terms.proceeds.toString(),
    days: terms.days,
  });
}

/** The range after `me` signs a request that moves no money (accept, receive, endorse, pledge, guarantee). */
function signed(me: Member, w: Waiting, r: BillRange, account: string): BillRange {
  const op = w.op;
  if (op === 'accept') return done(r, { state: 'accepted' });
  if (op === 'receive' || op === 'endorse') {
    const restriction = r.pending!.noFurther ? [{ endorser: r.holder, endorsee: me.handle }] : [];
    return done(r, {
      state: 'held',
      holder: me.handle,
      account,
      priors: op === 'receive' ? [w.pkg.drawer] : [...r.priors, r.holder],
      ...(restriction.length ? { restrictions: [...(r.restrictions ?? []), ...restriction] } : {}),
    });
  }
  if (op === 'pledge') return done(r, { state: 'pledged', pledgee: me.handle, pledgeeAccount: account });
  return done(r, { guarantors: [...r.guarantors, { guarantor: me.handle, forWhom: r.holder }] });
}

/** Checks the signer's role and account for a request that moves no money. */
async function checkSigner(ctx: LianjianContext, me: Member, w: Waiting, account: string): Promise<void> {
  const op = w.op;
  if (op === 'accept') {
    await partyWithRole(ctx, me.handle, 'caller', w.pkg.acceptorKind);
    await ownAccount(ctx, me, account, 'account', 'debit');
    await putJson(ctx, pkgKey(w.pkg.pkg), {
      ...w.pkg,
      status: 'accepted',
      acceptorAccount: account,
    } satisfies BillPackage);
  } else if (op === 'receive' || op === 'endorse') {
    await partyWithRole(ctx, me.handle, 'caller', 'enterprise');
    await ownAccount(ctx, me, account, 'account', 'credit');
    if (op === 'receive') await putJson(ctx, pkgKey(w.pkg.pkg), { ...w.pkg, status: 'issued' } satisfies BillPackage);
  } else if (op === 'pledge') {
    await partyWithRole(ctx, me.handle, 'caller', 'bank');
    await ownAccount(ctx, me, account, 'account', 'credit');
  } else await partyWithRole(ctx, me.handle, 'caller', 'enterprise', 'bank');
}

/** Signs the request waiting for the caller on the range starting at `a.from` (and the rest of its request). */
export async function sign(ctx: LianjianContext, me: Member, a: Answer & { account: string }): Promise<object> {
  const w = await waiting(ctx, me, a, 'to');
  const day = today(ctx);
  if (w.op === 'pay') return result(await pay(ctx, me, { pkg: w.pkg, ranges: w.ranges, account: a.account, day }));
  if (w.op === 'recourse') return view(await settleRecourse(ctx, me, w.pkg, w.ranges[0], a.account));
  requireBefore(w.pkg, day, w.op);
  if (w.op === 'discount') return signDiscount(ctx, me, w, a.account, day);
  await checkSigner(ctx, me, w, a.account);
  const pairs = [];
  for (const r of w.ranges) pairs.push({ before: r, after: signed(me, w, r, a.account) });
  return result(await finish(ctx, w, pairs, `Bill${titled(w.op)}Signed`, me.handle));
}

/** Refuses the request (拒绝承兑, 驳回, 拒付 → dishonored, ...). */
export async function reject(ctx: LianjianContext, me: Member, a: Answer & { reason: string }): Promise<object> {
  requireText(a.reason, 'reason', 512);
  const w = await waiting(ctx, me, a, 'to');
  const day = today(ctx);
  if (w.op === 'accept') await putJson(ctx, pkgKey(w.pkg.pkg), { ...w.pkg, status: 'refused' } satisfies BillPackage);
  const pairs = w.ranges.map((r) => ({
    before: r,
    after:
      w.op === 'accept'
        ? done(r, { state: 'refused' })
        : w.op === 'pay'
          ? refusePayment(r, day, a.reason)
          : done(r, {}),
    extra: { reason: a.reason },
  }));
  const type = w.op === 'pay' ? 'BillDishonored' : `Bill${titled(w.op)}Rejected`;
  return result(await finish(ctx, w, pairs, type, me.handle));
}

/** The requester withdraws a request not yet answered (a presentment for payment stands). */
export async function revoke(ctx: LianjianContext, me: Member, a: Answer): Promise<object> {
  const w = await waiting(ctx, me, a, 'by');
  if (w.op === 'pay') throw rejected('a presentment for payment cannot be withdrawn', 'CANNOT_REVOKE', 'op');
  const pairs = w.ranges.map((r) => ({ before: r, after: done(r, {}) }));
  for (const { before, after } of pairs) {
    await putRange(ctx, after, before);
    await record(ctx, `Bill${titled(w.op)}Revoked`, after, me.handle, { to: before.pending!.to });
  }
  const group = w.ranges[0].pending?.group;
  if (group) await delKey(ctx, groupKey(w.pkg.pkg, group));
  return result(pairs.map((p) => p.after));
}
