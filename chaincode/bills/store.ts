/**
 * Reading and writing bill state. Every range write keeps three indexes in step: the end
 * index (find the holding of any ticket), the holder's holdings and the answering party's inbox.
 */
import type { LianjianContext, Member } from '../core/context';
import { delKey, getJson, key, putJson, range, seqKey } from '../core/state';
import { conflict, notFound, rejected } from '../lib/errors';
import { requireId } from '../lib/validate';
import {
  BillEvent,
  BillPackage,
  BillRange,
  HoldingEntry,
  endKey,
  holdingKey,
  inboxKey,
  partyKey,
  pkgKey,
  rangeKey,
  requestKey,
  TERMINAL,
} from './model';
import { carve, Carved, pieces } from './ranges';

export async function loadPackage(ctx: LianjianContext, pkg: string): Promise<BillPackage> {
  const p = await getJson<BillPackage>(ctx, pkgKey(requireId(pkg, 'pkg')));
  if (!p) throw notFound('pkg', `no bill package ${pkg}`, 'BILL_NOT_FOUND');
  return p;
}

/**
 * The holding containing `ticket`: one get when the ticket starts a range, else the first key
 * of the end index at or after it. Called before any write of the transaction, so the
 * committed-state scan cannot miss this transaction's own writes.
 */
export async function findHolding(ctx: LianjianContext, pkg: string, ticket: number): Promise<BillRange> {
  const exact = await getJson<BillRange>(ctx, rangeKey(pkg, ticket));
  if (exact) return exact;
  const [, stop] = range('rangeend', pkg);
  const it = await ctx.stub.getStateByRange(endKey(pkg, ticket), stop);
  let start: number | undefined;
  try {
    const r = await it.next();
    if (!r.done) start = (JSON.parse(Buffer.from(r.value.value).toString('utf8')) as { start: number }).start;
  } finally {
    await it.close();
  }
  const found = start !== undefined ? await getJson<BillRange>(ctx, rangeKey(pkg, start)) : undefined;
  if (!found || found.start > ticket || found.end < ticket)
    throw notFound('from', `sub-ticket ${ticket} of ${pkg} is in no range`, 'RANGE_NOT_FOUND');
  return found;
}

/** What the holdings index keeps of a range: enough for the holdings query, small enough to scan 10,000. */
export const holdingEntry = (r: BillRange): HoldingEntry => ({
  pkg: r.pkg,
  start: r.start,
  end: r.end,
  state: r.state,
  ...(r.pending ? { waiting: r.pending.op } : {}),
  ...(r.frozen ? { frozen: true } : {}),
});

/** Writes one range (bumping its seq in place) and its indexes; `old` is what the same start key held before. */
/** Drops the index entries of what the same start key held before that `r` no longer has. */
async function dropStaleIndexes(ctx: LianjianContext, r: BillRange, old: BillRange, live: boolean): Promise<void> {
  if (old.end !== r.end) await delKey(ctx, endKey(r.pkg, old.end));
  if (old.holder !== r.holder || !live) await delKey(ctx, holdingKey(old.holder, r.pkg, r.start));
  if (old.pending && old.pending.to !== r.pending?.to) await delKey(ctx, inboxKey(old.pending.to, r.pkg, r.start));
}

/** Whether the holdings index entry of `r` differs from what `old` left there. */
const holdingChanged = (r: BillRange, old?: BillRange): boolean =>
  !(old && old.holder === r.holder && JSON.stringify(holdingEntry(old)) === JSON.stringify(holdingEntry(r)));

export async function putRange(ctx: LianjianContext, r: BillRange, old?: BillRange): Promise<void> {
  r.seq = Math.max(r.seq ?? 0, old?.seq ?? 0) + 1;
  const live = !TERMINAL.includes(r.state);
  if (old) await dropStaleIndexes(ctx, r, old, live);
  await putJson(ctx, rangeKey(r.pkg, r.start), r);
  if (old?.end !== r.end) await putJson(ctx, endKey(r.pkg, r.end), { start: r.start });
  // Skip index writes that would not change anything: fewer keys per operation.
  if (live && holdingChanged(r, old)) await putJson(ctx, holdingKey(r.holder, r.pkg, r.start), holdingEntry(r));
  if (r.pending)
    await putJson(ctx, inboxKey(r.pending.to, r.pkg, r.start), {
      pkg: r.pkg,
      start: r.start,
      end: r.end,
      ...r.pending,
    });
}

/** Writes the pieces of a holding, in ticket order: the left-most replaces the holding at its start key. */
export async function putPieces(ctx: LianjianContext, holding: BillRange, parts: BillRange[]): Promise<void> {
  const [first, ...rest] = parts;
  await putRange(ctx, first, holding);
  for (const p of rest) await putRange(ctx, p);
}

/** Writes the pieces of a carve. */
export async function putCarved(ctx: LianjianContext, holding: BillRange, c: Carved<BillRange>): Promise<void> {
  await putPieces(ctx, holding, pieces(c));
}

export interface Target {
  pkg: BillPackage;
  holding: BillRange;
  carved: Carved<BillRange>;
  part: BillRange;
}

/** Finds the holding of [from, to] and carves the sub-range out (nothing written yet). */
export async function target(ctx: LianjianContext, pkgId: string, from: number, to: number): Promise<Target> {
  const pkg = await loadPackage(ctx, pkgId);
  const holding = await findHolding(ctx, pkgId, from);
  const carved = carve(holding, from, to, pkg.splittable);
  return { pkg, holding, carved, part: carved.part };
}

export function requireLive(r: BillRange, field = 'from'): void {
  if (r.frozen)
    throw rejected(
      `[${r.start}, ${r.end}] of ${r.pkg} is frozen by ${r.frozen.by}: ${r.frozen.reason}`,
      'RANGE_FROZEN',
      field,
    );
}

/**
 * Appends to the package's event log, keyed by the range's seq (no package-wide counter to
 * contend on): the events of one sub-ticket's ancestors sort in the order they happened.
 */
const seqs = new WeakMap<LianjianContext, number>();
export async function logEvent(
  ctx: LianjianContext,
  seq: number,
  e: Omit<BillEvent, 'txId' | 'time'>,
): Promise<BillEvent> {
  const n = (seqs.get(ctx) ?? 0) + 1;
  seqs.set(ctx, n);
  const t = ctx.time();
  const ev = { ...e, txId: ctx.stub.getTxID(), time: t.toISOString() } as BillEvent;
  await putJson(ctx, key('billev', ev.pkg, seqKey(seq), ctx.stub.getTxID(), String(n).padStart(4, '0')), ev);
  return ev;
}

/** Remembers that a member took part in a package (who may read its map and lineage). */
export async function addParty(ctx: LianjianContext, pkg: string, handle: string): Promise<void> {
  if (!(await getJson(ctx, partyKey(pkg, handle)))) await putJson(ctx, partyKey(pkg, handle), { handle });
}

export async function isParty(ctx: LianjianContext, pkg: string, handle: string): Promise<boolean> {
  return (await getJson(ctx, partyKey(pkg, handle))) !== undefined;
}

/**
 * Idempotency on the caller's request id: a replay with the same arguments returns the first
 * result and changes nothing; the same id with other arguments is IDEMPOTENCY_CONFLICT.
 */
export async function once(
  ctx: LianjianContext,
  me: Member,
  id: string,
  args: unknown[],
  run: () => Promise<unknown>,
): Promise<string> {
  const k = requestKey(me.handle, requireId(id, 'id'));
  const fp = JSON.stringify(args);
  const prev = await getJson<{ fp: string; result: string }>(ctx, k);
  if (prev) {
    if (prev.fp === fp) return prev.result;
    throw conflict(`request ${id} was made with other values`, 'IDEMPOTENCY_CONFLICT', 'id');
  }
  const result = JSON.stringify(await run());
  await putJson(ctx, k, { fp, result, txId: ctx.stub.getTxID() });
  return result;
}
