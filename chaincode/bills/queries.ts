/**
 * Read side: a package and its full range map, an enterprise's holdings, the lineage of one
 * sub-ticket and the inbox of answers waiting for a member. Parties of a package and the
 * supervising roles (regulator, auditor, court) may read a package; members read their own
 * holdings and inbox.
 */
import type { LianjianContext, Member } from '../core/context';
import { listJson, range } from '../core/state';
import { forbidden } from '../lib/errors';
import { fen } from '../lib/money';
import { requireText } from '../lib/validate';
import { BillEvent, BillPackage, BillRange, HoldingEntry, Pending } from './model';
import { coverProblem, faceOf, holdsTicket, parseTicket } from './ranges';
import { liableParties } from './settle';
import { isParty, loadPackage } from './store';

const SUPERVISORS = ['regulator', 'auditor', 'court'] as const;
const supervises = (m: Member) => SUPERVISORS.some((r) => m.roles.includes(r));

export async function readablePackage(ctx: LianjianContext, me: Member, pkgId: string): Promise<BillPackage> {
  const pkg = await loadPackage(ctx, pkgId);
  if (!supervises(me) && !(await isParty(ctx, pkg.pkg, me.handle))) throw forbidden(`${me.handle} is not a party to ${pkgId}`, 'NOT_BILL_PARTY', 'pkg');
  return pkg;
}

/** Face totals in fen by a key of each range. */
function totalsBy<T extends BillRange | HoldingEntry>(ranges: T[], by: (r: T) => string): Record<string, string> {
  const sums = new Map<string, bigint>();
  for (const r of ranges) sums.set(by(r), (sums.get(by(r)) ?? 0n) + faceOf(r));
  return Object.fromEntries([...sums].map(([k, v]) => [k, fen(v)]));
}

/** Every range of the package in ticket order, with the cover check (must be null). */
export async function packageMap(ctx: LianjianContext, me: Member, pkgId: string): Promise<object> {
  const pkg = await readablePackage(ctx, me, pkgId);
  const ranges = await listJson<BillRange>(ctx, range('range', pkg.pkg));
  return { package: pkg, ranges, byState: totalsBy(ranges, (r) => r.state), coverProblem: coverProblem(ranges, Number(pkg.amount)) ?? null };
}

/** Live (non-terminal) ranges a member holds, with totals by package and by state. */
export async function holdings(ctx: LianjianContext, me: Member, holder: string, pkg: string): Promise<object> {
  const who = holder ? requireText(holder, 'holder', 130) : me.handle;
  if (who !== me.handle && !supervises(me)) throw forbidden(`${me.handle} may not read the holdings of ${who}`, 'NOT_HOLDER', 'holder');
  const ranges = await listJson<HoldingEntry>(ctx, pkg ? range('holding', who, pkg) : range('holding', who));
  const total = ranges.reduce((s, r) => s + faceOf(r), 0n);
  return { holder: who, count: ranges.length, total: fen(total), byPackage: totalsBy(ranges, (r) => r.pkg), byState: totalsBy(ranges, (r) => r.state), ranges };
}

/** Every logged action that covered `ticket`, oldest first: issue, endorsements, pledges, payment... */
export async function lineage(ctx: LianjianContext, me: Member, pkgId: string, ticket: string): Promise<object> {
  const pkg = await readablePackage(ctx, me, pkgId);
  const t = parseTicket(ticket, 'ticket', Number(pkg.amount));
  const events = (await listJson<BillEvent>(ctx, range('billev', pkg.pkg))).filter((e) => holdsTicket(e, t));
  const endorsers = events.filter((e) => ['BillReceiveSigned', 'BillEndorseSigned', 'BillDiscountSigned', 'BillRecourseSettled'].includes(e.type)).map((e) => e.by);
  return { pkg: pkg.pkg, ticket: t, holders: endorsers, events };
}

/** Requests waiting for `who` to answer: to accept, sign, pay, settle. */
export async function inbox(ctx: LianjianContext, me: Member, who: string): Promise<object> {
  const handle = who ? requireText(who, 'member', 130) : me.handle;
  if (handle !== me.handle && !supervises(me)) throw forbidden(`${me.handle} may not read the inbox of ${handle}`, 'NOT_INBOX_OWNER', 'member');
  const items = await listJson<Pending & { pkg: string; start: number; end: number }>(ctx, range('billinbox', handle));
  return { member: handle, count: items.length, items: items.map((i) => ({ ...i, face: fen(faceOf(i)) })) };
}

/** Parties a dishonored range's creditor may claim against. */
export async function liable(ctx: LianjianContext, me: Member, pkgId: string, r: BillRange): Promise<object> {
  const pkg = await readablePackage(ctx, me, pkgId);
  return { pkg: pkg.pkg, from: r.start, to: r.end, state: r.state, liable: liableParties(pkg, r) };
}
