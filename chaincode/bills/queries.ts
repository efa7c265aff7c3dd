/**
 * Read side: a package and its full range map, an enterprise's holdings, the lineage of one
 * sub-ticket and the inbox of answers waiting for a member. Parties of a package and the
 * supervising roles (regulator, auditor, court) may read a package; members read their own
 * holdings and inbox.
 */
import type { LianjianContext, Member } from '../core/context';
import { listJson, pageJson, range } from '../core/state';
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
function totalsBy(ranges: BillRange[], by: (r: BillRange) => string): Record<string, string> {
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

/** A whole range read page by page: queries have no own writes, so no overlay merge or sort is needed. */
async function scan<T>(ctx: LianjianContext, r: [string, string]): Promise<T[]> {
  const out: T[] = [];
  for (let after: string | undefined, first = true; first || after; first = false) {
    const page = await pageJson<T>(ctx, r, 5000, after);
    for (const x of page.items) out.push(x);
    after = page.next;
  }
  return out;
}

/** Live (non-terminal) ranges a member holds, with totals by package and by state. */
export async function holdings(ctx: LianjianContext, me: Member, holder: string, pkg: string): Promise<object> {
  const who = holder ? requireText(holder, 'holder', 130) : me.handle;
  if (who !== me.handle && !supervises(me)) throw forbidden(`${me.handle} may not read the holdings of ${who}`, 'NOT_HOLDER', 'holder');
  const ranges = await scan<HoldingEntry>(ctx, pkg ? range('holding', who, pkg) : range('holding', who));
  // One pass in plain numbers: a sum within one package stays below MAX_FEN (< 2^53).
  const cells = new Map<string, number>();
  for (const r of ranges) {
    const k = `${r.pkg}~${r.state}`;
    cells.set(k, (cells.get(k) ?? 0) + (r.end - r.start + 1));
  }
  const [byPackage, byState] = [new Map<string, bigint>(), new Map<string, bigint>()];
  for (const [k, v] of cells) {
    const [p, st] = k.split('~');
    byPackage.set(p, (byPackage.get(p) ?? 0n) + BigInt(v));
    byState.set(st, (byState.get(st) ?? 0n) + BigInt(v));
  }
  const total = [...byPackage.values()].reduce((a, b) => a + b, 0n);
  const text = (m: Map<string, bigint>) => Object.fromEntries([...m].map(([k, v]) => [k, fen(v)]));
  return { holder: who, count: ranges.length, total: fen(total), byPackage: text(byPackage), byState: text(byState), ranges };
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
