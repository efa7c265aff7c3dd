/**
 * State access helpers. Keys are simple strings `type~part~part` (Fabric forbids range
 * queries over composite keys, and every list here is a range). Ids cannot contain '~'.
 */
import type { Context } from 'fabric-contract-api';

export const key = (...parts: string[]): string => parts.join('~');
/** The half-open range [prefix~, prefix~\uffff) of every key under `prefix`. */
export const range = (...parts: string[]): [string, string] => [key(...parts) + '~', key(...parts) + '~\uffff'];

/**
 * Fabric reads return committed state, not this transaction's own writes. Rules that touch a
 * key twice in one transaction (a lot credited from two parents) need their own writes, so
 * every write also lands in a per-transaction overlay that reads consult first.
 */
const overlays = new WeakMap<Context, Map<string, string | null>>();
function overlay(ctx: Context): Map<string, string | null> {
  let o = overlays.get(ctx);
  if (!o) {
    o = new Map<string, string | null>();
    overlays.set(ctx, o);
  }
  return o;
}

export async function getJson<T>(ctx: Context, k: string): Promise<T | undefined> {
  const pending = overlay(ctx).get(k);
  if (pending !== undefined) return pending === null ? undefined : (JSON.parse(pending) as T);
  const raw = await ctx.stub.getState(k);
  return raw && raw.length > 0 ? (JSON.parse(Buffer.from(raw).toString('utf8')) as T) : undefined;
}

export async function putJson(ctx: Context, k: string, value: unknown): Promise<void> {
  const text = JSON.stringify(value);
  overlay(ctx).set(k, text);
  await ctx.stub.putState(k, Buffer.from(text));
}

export async function delKey(ctx: Context, k: string): Promise<void> {
  overlay(ctx).set(k, null);
  await ctx.stub.deleteState(k);
}

/** Reads a whole range, own writes included (bounded lists only: lots of one account, lines of one program). */
export async function listJson<T>(ctx: Context, [start, end]: [string, string]): Promise<T[]> {
  const rows = new Map<string, string>();
  const it = await ctx.stub.getStateByRange(start, end);
  try {
    for (let r = await it.next(); !r.done; r = await it.next())
      rows.set(r.value.key, Buffer.from(r.value.value).toString('utf8'));
  } finally {
    await it.close();
  }
  for (const [k, v] of overlay(ctx)) {
    if (k < start || k >= end) continue;
    if (v === null) rows.delete(k);
    else rows.set(k, v);
  }
  return [...rows.keys()].sort().map((k) => JSON.parse(rows.get(k)!) as T);
}

/** One page of a range, keyset style: pass back `next` as `after` for the following page. */
export async function pageJson<T>(
  ctx: Context,
  [start, end]: [string, string],
  limit: number,
  after?: string,
): Promise<{ items: T[]; next?: string }> {
  const from = after ? after + '\u0000' : start;
  const { iterator, metadata } = await ctx.stub.getStateByRangeWithPagination(from, end, limit);
  const items: T[] = [];
  let last: string | undefined;
  try {
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
      items.push(JSON.parse(Buffer.from(r.value.value).toString('utf8')) as T);
      last = r.value.key;
    }
  } finally {
    await iterator.close();
  }
  return { items, next: items.length === limit && Number(metadata.fetchedRecordsCount) === limit ? last : undefined };
}

/** Fixed-width sequence numbers keep lexical order equal to numeric order. */
export const seqKey = (n: number): string => n.toString().padStart(12, '0');
