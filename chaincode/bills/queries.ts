/**
 * Read side: a package and its full range map, an enterprise's holdings, the lineage of one
 * sub-ticket and the inbox of answers waiting for a member. Parties of a package and the
 * supervising roles (regulator, auditor, court) may read a package; members read their own
 * holdings and inbox.
 */
import type { LianjianContext, Member } from '../core/context';
import { key, listJson, range } from '../core/state';
import { forbidden, invalid } from '../lib/errors';
import { fen } from '../lib/money';
import { requireId, requireInt, requireText } from '../lib/validate';
import { BillEvent, BillRange, HoldingEntry, Pending } from './model';
import { coverProblem, faceOf, holdsTicket, parseTicket } from './ranges';
import { liableParties } from './settle';
import { packageFor, supervises } from './access';

/** Face totals in fen by a key of each range. */
function totalsBy(ranges: BillRange[], by: (r: BillRange) => string): Record<string, string> {
  const sums = new Map<string, bigint>();
  for (const r of ranges) sums.set(by(r), (sums.get(by(r)) ?? 0n) + faceOf(r));
  return Object.fromEntries([...sums].map(([k, v]) => [k, fen(v)]));
}

/** Every range of the package in ticket order, with the cover check (must be null). */
export async function packageMap(ctx: LianjianContext, me: Member, pkgId: string): Promise<object> {
  const pkg = await packageFor(ctx, me, pkgId);
  const ranges = await listJson<BillRange>(ctx, range('range', pkg.pkg));
  return {
    package: pkg,
    ranges,
    byState: totalsBy(ranges, (r) => r.state),
    coverProblem: coverProblem(ranges, Number(pkg.amount)) ?? null,
  };
}

/** Ranges per holdings page, by default and at most. */
export const HOLDINGS_PAGE = 100;
export const HOLDINGS_MAX_PAGE = 1000;
/** A holdings bookmark: `<pkg>~<16-digit start>` of the last range of the previous page. */
const BOOKMARK_RE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}~[0-9]{16}$/;

/** The fields the totals need, as holdingEntry writes them (anything else falls back to JSON.parse). */
const TOTALS_RE = /^\{"pkg":"([^"]+)","start":(\d+),"end":(\d+),"state":"(\w+)"[,}]/;
type Totals = Pick<HoldingEntry, 'pkg' | 'start' | 'end' | 'state'>;

function readTotals(text: string): Totals {
  const m = TOTALS_RE.exec(text);
  return m
    ? { pkg: m[1], start: Number(m[2]), end: Number(m[3]), state: m[4] as HoldingEntry['state'] }
    : (JSON.parse(text) as HoldingEntry);
}

/**
 * Walks the holdings index lazily in key order (package, then start), as text. Queries have no
 * own writes, so the raw range read misses nothing; `visit` returns false to stop early.
 */
async function walk(
  ctx: LianjianContext,
  from: string,
  end: string,
  visit: (k: string, text: string) => boolean,
): Promise<void> {
  const it = await ctx.stub.getStateByRange(from, end);
  try {
    for (let r = await it.next(); !r.done; r = await it.next()) {
      const v = r.value.value; // decoded in place, never copied: 10,000 of these per call
      if (
        !visit(
          r.value.key,
          Buffer.isBuffer(v) ? v.toString('utf8') : Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('utf8'),
        )
      )
        break;
    }
  } finally {
    await it.close();
  }
}

/**
 * Live (non-terminal) ranges a member holds, one page at a time in (package, start) order. The
 * first page (no bookmark) also carries the totals over every range: count, face, by package
 * and by state (one scan of the compact holdings index). Pass `bookmark` back for the next page;
 * it is '' after the last one.
 */
export async function holdings(
  ctx: LianjianContext,
  me: Member,
  q: { holder: string; pkg: string; bookmark: string; limit: string },
): Promise<object> {
  const { holder, pkg, bookmark, limit } = q;
  const who = holder ? requireText(holder, 'holder', 130) : me.handle;
  if (who !== me.handle && !supervises(me))
    throw forbidden(`${me.handle} may not read the holdings of ${who}`, 'NOT_HOLDER', 'holder');
  const size = limit ? requireInt(limit, 'limit', 1, HOLDINGS_MAX_PAGE) : HOLDINGS_PAGE;
  if (bookmark && !BOOKMARK_RE.test(bookmark))
    throw invalid('bookmark', 'bookmark must be one returned by a previous holdings page', 'INVALID_BOOKMARK');
  const [start, end] = pkg ? range('holding', who, requireId(pkg, 'pkg')) : range('holding', who);
  const prefix = key('holding', who) + '~';
  const after = bookmark ? prefix + bookmark + '\u0000' : '';
  const from = after > start ? after : start;
  const ranges: HoldingEntry[] = [];
  let last = '';
  let more = false;
  const page = (k: string, text: string): boolean => {
    if (ranges.length === size) return !(more = true);
    ranges.push(JSON.parse(text) as HoldingEntry);
    last = k;
    return true;
  };
  const next = () => (more ? last.slice(prefix.length) : '');
  if (bookmark) {
    await walk(ctx, from, end, page);
    return { holder: who, ranges, bookmark: next() };
  }
  // One pass in plain numbers: a sum within one package stays below MAX_FEN (< 2^53).
  const cells = new Map<string, Map<string, number>>(); // pkg → state → face
  let count = 0;
  await walk(ctx, from, end, (k, text) => {
    count++;
    const r = readTotals(text);
    let byPkgState = cells.get(r.pkg);
    if (!byPkgState) {
      byPkgState = new Map<string, number>();
      cells.set(r.pkg, byPkgState);
    }
    byPkgState.set(r.state, (byPkgState.get(r.state) ?? 0) + (r.end - r.start + 1));
    if (!more) page(k, text);
    return true;
  });
  const [byPackage, byState] = [new Map<string, bigint>(), new Map<string, bigint>()];
  for (const [p, states] of cells) {
    for (const [st, v] of states) {
      byPackage.set(p, (byPackage.get(p) ?? 0n) + BigInt(v));
      byState.set(st, (byState.get(st) ?? 0n) + BigInt(v));
    }
  }
  const total = [...byPackage.values()].reduce((a, b) => a + b, 0n);
  const text = (m: Map<string, bigint>) => Object.fromEntries([...m].map(([k, v]) => [k, fen(v)]));
  return {
    holder: who,
    count,
    total: fen(total),
    byPackage: text(byPackage),
    byState: text(byState),
    ranges,
    bookmark: next(),
  };
}

/** Every logged action that covered `ticket`, oldest first: issue, endorsements, pledges, payment... */
export async function lineage(ctx: LianjianContext, me: Member, pkgId: string, ticket: string): Promise<object> {
  const pkg = await packageFor(ctx, me, pkgId);
  const t = parseTicket(ticket, 'ticket', Number(pkg.amount));
  const events = (await listJson<BillEvent>(ctx, range('billev', pkg.pkg))).filter((e) => holdsTicket(e, t));
  const endorsers = events
    .filter((e) =>
      ['BillReceiveSigned', 'BillEndorseSigned', 'BillDiscountSigned', 'BillRecourseSettled'].includes(e.type),
    )
    .map((e) => e.by);
  return { pkg: pkg.pkg, ticket: t, holders: endorsers, events };
}

/** Requests waiting for `who` to answer: to accept, sign, pay, settle. */
export async function inbox(ctx: LianjianContext, me: Member, who: string): Promise<object> {
  const handle = who ? requireText(who, 'member', 130) : me.handle;
  if (handle !== me.handle && !supervises(me))
    throw forbidden(`${me.handle} may not read the inbox of ${handle}`, 'NOT_INBOX_OWNER', 'member');
  const items = await listJson<Pending & { pkg: string; start: number; end: number }>(ctx, range('billinbox', handle));
  return { member: handle, count: items.length, items: items.map((i) => ({ ...i, face: fen(faceOf(i)) })) };
}

/** Parties a dishonored range's creditor may claim against. */
export async function liable(ctx: LianjianContext, me: Member, pkgId: string, r: BillRange): Promise<object> {
  const pkg = await packageFor(ctx, me, pkgId);
  return { pkg: pkg.pkg, from: r.start, to: r.end, state: r.state, liable: liableParties(pkg, r) };
}
