/**
 * Maturity: 提示付款 (by the creditor, or 自动提示 via presentDue), 结清 or 拒付 by the acceptor,
 * dishonour on silence past the answer deadline, then 追索 and 清偿 along the chain of liable parties.
 */
import type { LianjianContext, Member } from '../core/context';
import { delKey, listJson, putJson, range } from '../core/state';
import { rejected } from '../lib/errors';
import { packageFor } from './access';
import { applyClaims, claim, groupOf, partsOf } from './claim';
import { BillPackage, BillRange, groupKey, Pending } from './model';
import { creditor, ownAccount, payLeg, record, requireNoPending, requireState, view } from './ops';
import { parseSpan, RangeArg, spansOf } from './ranges';
import { answerDeadline } from './rules';
import { putCarved, putRange, requireLive, target } from './store';

/** The payment presentment of a range on `day`, to the acceptor, paying the creditor. */
function payPending(pkg: BillPackage, r: BillRange, by: string, day: string): Pending {
  const c = creditor(r);
  return {
    op: 'pay',
    to: pkg.acceptor,
    by,
    since: day,
    deadline: answerDeadline(day),
    payTo: c.who,
    payToAccount: c.account,
  };
}

const isOverdue = (r: BillRange, day: string): boolean => r.pending?.op === 'pay' && day > r.pending.deadline!;

/** An unanswered presentment past its deadline counts as refused (拒付). */
function dishonored(r: BillRange, reason: string, day: string): BillRange {
  return { ...r, state: 'dishonored', pending: undefined, dishonor: { reason, date: day } };
}

export interface Presentment {
  requestId: string;
  pkg: string;
  ranges: RangeArg;
  day: string;
}

/**
 * 提示付款: the creditor (holder, or pledgee of a pledged range) presents one range or a set of
 * ranges on or after maturity; the acceptor answers them as one.
 * @throws LedgerError 404 BILL_NOT_FOUND, 422 NOT_YET_DUE / NOT_CREDITOR / RANGE_FROZEN / RANGE_STATE / RANGE_BUSY
 */
export async function presentPayment(ctx: LianjianContext, me: Member, a: Presentment): Promise<object> {
  const pkg = await packageFor(ctx, me, a.pkg);
  const spans = spansOf(a.ranges, Number(pkg.amount));
  if (a.day < pkg.maturity)
    throw rejected(`package ${pkg.pkg} matures on ${pkg.maturity}; today is ${a.day}`, 'NOT_YET_DUE', 'pkg');
  const claims = await claim(ctx, pkg, spans);
  for (const { holding: h } of claims) {
    if (creditor(h).who !== me.handle)
      throw rejected(`${me.handle} may not collect on [${h.start}, ${h.end}]`, 'NOT_CREDITOR', 'from');
    requireLive(h);
    requireState(h, ['held', 'pledged'], 'present for payment');
    requireNoPending(h);
  }
  const group = partsOf(claims).length > 1 ? groupOf(me.handle, a.requestId) : undefined;
  const parts = await applyClaims(ctx, claims, (part) => ({
    ...part,
    pending: { ...payPending(pkg, part, me.handle, a.day), ...(group ? { group } : {}) },
  }));
  if (group) await putJson(ctx, groupKey(pkg.pkg, group), { starts: parts.map((p) => p.start) });
  for (const part of parts)
    await record(ctx, 'BillPresentedForPayment', part, me.handle, {
      to: pkg.acceptor,
      deadline: part.pending!.deadline,
    });
  return parts.length > 1 ? view(parts[0], { ranges: parts.map((p) => view(p)) }) : view(parts[0]);
}

/**
 * 自动提示付款: anyone, on or after maturity, presents every idle range of the package and marks
 * presentments unanswered past the deadline as dishonored. Repeating it changes nothing new.
 */
export async function presentDue(ctx: LianjianContext, me: Member, pkgId: string, day: string): Promise<object> {
  const pkg = await packageFor(ctx, me, pkgId);
  if (day < pkg.maturity)
    throw rejected(`package ${pkgId} matures on ${pkg.maturity}; today is ${day}`, 'NOT_YET_DUE', 'pkg');
  let presented = 0;
  let dishonoredCount = 0;
  for (const r of await listJson<BillRange>(ctx, range('range', pkg.pkg))) {
    if (r.frozen) continue;
    if (isOverdue(r, day)) {
      const next = dishonored(r, 'NO_ANSWER', day);
      await putRange(ctx, next, r);
      await record(ctx, 'BillDishonored', next, me.handle, { reason: 'NO_ANSWER' });
      dishonoredCount++;
    } else if (!r.pending && (r.state === 'held' || r.state === 'pledged')) {
      const next = { ...r, pending: payPending(pkg, r, me.handle, day) };
      await putRange(ctx, next, r);
      await record(ctx, 'BillPresentedForPayment', next, me.handle, { to: pkg.acceptor, automatic: true });
      presented++;
    }
  }
  return { pkg: pkg.pkg, day, presented, dishonored: dishonoredCount };
}

/**
 * 结清: the acceptor pays the face of the presented ranges (one presentment, one answer) to the
 * creditor, by the deadline.
 * @throws LedgerError 422 ANSWER_DEADLINE_PASSED / INSUFFICIENT_FUNDS
 */
export async function pay(
  ctx: LianjianContext,
  me: Member,
  a: { pkg: BillPackage; ranges: BillRange[]; account: string; day: string },
): Promise<BillRange[]> {
  const late = a.ranges.find((r) => isOverdue(r, a.day));
  if (late)
    throw rejected(
      `the answer deadline ${late.pending!.deadline} has passed; the range counts as dishonored`,
      'ANSWER_DEADLINE_PASSED',
      'from',
    );
  const src = await ownAccount(ctx, me, a.account, 'account', 'debit');
  const out: BillRange[] = [];
  for (const r of a.ranges) {
    const leg = await payLeg(ctx, { from: src, to: r.pending!.payToAccount!, range: r, kind: 'bill_payment' });
    const next: BillRange = { ...r, state: 'paid', pending: undefined };
    await putRange(ctx, next, r);
    await record(ctx, 'BillPaid', next, me.handle, {
      to: r.pending!.payTo,
      accounts: [leg.from, leg.to],
      amount: leg.amount,
    });
    out.push(next);
  }
  const group = a.ranges[0].pending?.group;
  if (group) await delKey(ctx, groupKey(a.pkg.pkg, group));
  return out;
}

export function refusePayment(r: BillRange, day: string, reason: string): BillRange {
  return dishonored(r, reason, day);
}

/**
 * Who a dishonored range's creditor may claim against: the acceptor, the drawer and endorsers
 * before the holder (a holder who endorsed earlier has no recourse against its own later
 * parties, 票据法 第六十九条), and their guarantors. An endorser that wrote 不得转让 on its
 * endorsement answers only to its own endorsee (票据法 第三十四条), and its guarantors with it.
 */
export function liableParties(pkg: BillPackage, r: BillRange): string[] {
  const at = r.priors.indexOf(r.holder);
  const before = at >= 0 ? r.priors.slice(0, at) : r.priors;
  const excused = (r.restrictions ?? []).filter((x) => x.endorsee !== r.holder).map((x) => x.endorser);
  const priors = before.filter((p) => !excused.includes(p));
  const guarantors = r.guarantors
    .filter((g) => priors.includes(g.forWhom) && g.guarantor !== r.holder)
    .map((g) => g.guarantor);
  return [...new Set([...priors, ...guarantors, ...(r.holder === pkg.acceptor ? [] : [pkg.acceptor])])];
}

/** 追索: the creditor of a dishonored range (or one unanswered past the deadline) claims its face from a liable party. */
export async function requestRecourse(
  ctx: LianjianContext,
  me: Member,
  a: { pkg: string; from: string; to: string; against: string; day: string },
): Promise<object> {
  const { against, day } = a;
  const pkg = await packageFor(ctx, me, a.pkg);
  const span = parseSpan(a.from, a.to, Number(pkg.amount));
  const t = await target(ctx, pkg.pkg, span.start, span.end);
  const h = isOverdue(t.holding, day) ? dishonored(t.holding, 'NO_ANSWER', day) : t.holding;
  if (creditor(h).who !== me.handle)
    throw rejected(`${me.handle} may not claim on [${span.start}, ${span.end}]`, 'NOT_CREDITOR', 'from');
  requireLive(h);
  requireState(h, ['dishonored'], 'claim recourse on');
  requireNoPending(h);
  if (!liableParties(pkg, h).includes(against)) {
    throw rejected(
      `${against} is not liable on [${span.start}, ${span.end}]; liable: ${liableParties(pkg, h).join(', ')}`,
      'NOT_LIABLE',
      'against',
    );
  }
  const c = creditor(h);
  t.carved.part = {
    ...h,
    start: span.start,
    end: span.end,
    pending: { op: 'recourse', to: against, by: me.handle, since: day, payTo: c.who, payToAccount: c.account },
  };
  if (t.carved.before) t.carved.before = { ...h, end: t.carved.before.end };
  if (t.carved.after) t.carved.after = { ...h, start: t.carved.after.start };
  await putCarved(ctx, t.holding, t.carved);
  await record(ctx, 'BillRecourseClaimed', t.carved.part, me.handle, { to: against });
  return view(t.carved.part);
}

/**
 * The range after `payer` settles a recourse claim on it: the acceptor's payment ends it; anyone
 * else takes it over with the rights of its position (claims only on parties before it).
 */
export function takeOver(pkg: BillPackage, r: BillRange, payer: string, account: string): BillRange {
  if (payer === pkg.acceptor) return { ...r, state: 'settled', pending: undefined };
  const asPrior = r.priors.indexOf(payer);
  const guaranteed = r.guarantors.find((g) => g.guarantor === payer)?.forWhom;
  // A guarantor steps into the place of the party it guaranteed, keeping recourse against it.
  const keep = asPrior >= 0 ? asPrior : r.priors.indexOf(guaranteed!) + 1;
  const priors = r.priors.slice(0, keep);
  const guarantors = r.guarantors.filter((g) => priors.includes(g.forWhom) && g.guarantor !== payer);
  return {
    ...r,
    holder: payer,
    account,
    priors,
    guarantors,
    pending: undefined,
    pledgee: undefined,
    pledgeeAccount: undefined,
  };
}

/**
 * 清偿: the claimed party pays the face to the creditor and takes the range over with the rights
 * of its position: the acceptor's payment ends it; anyone else may claim on from parties before it.
 */
export async function settleRecourse(
  ctx: LianjianContext,
  me: Member,
  pkg: BillPackage,
  r: BillRange,
  account: string,
): Promise<BillRange> {
  const src = await ownAccount(ctx, me, account, 'account', 'debit');
  const leg = await payLeg(ctx, { from: src, to: r.pending!.payToAccount!, range: r, kind: 'bill_recourse' });
  const next = takeOver(pkg, r, me.handle, account);
  await putRange(ctx, next, r);
  await record(ctx, 'BillRecourseSettled', next, me.handle, {
    to: r.pending!.payTo,
    accounts: [leg.from, leg.to],
    amount: leg.amount,
  });
  return next;
}
