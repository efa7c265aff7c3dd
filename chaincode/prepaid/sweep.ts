/**
 * The regulator's refund sweep for a failed (frozen) merchant: every active contract refunded in
 * full, `limit` contracts per transaction, the cursor on chain so an interrupted sweep resumes.
 * A contract that cannot take its refund now (a frozen or closed wallet) is skipped with an
 * alert and retried by every later call until it is refunded, refunded otherwise (the consumer
 * did it), or the regulator records why not (resolveSkipped). The sweep is done only then.
 */
import type { LianjianContext, Member } from '../core/context';
import { getJson, putJson, range } from '../core/state';
import { rejected } from '../lib/errors';
import { fen } from '../lib/money';
import { requireId, requireInt, requireText } from '../lib/validate';
import { refund, refundAccounts } from './escrow';
import { loadContract, loadMerchant } from './store';
import { ppKeys, PrepaidContractRecord } from './types';

export interface Sweep {
  merchant: string;
  after: string; // last contract id visited by the cursor
  visited: number;
  refunded: number;
  amount: string;
  skipped: string[]; // contracts whose wallet could not take the refund yet: retried on every call
  resolved: Array<{ contract: string; note: string; by: string; txId: string }>;
  done: boolean; // the cursor reached the end and nothing is left to retry
  batches: number;
}

const fresh = (merchant: string): Sweep => ({
  merchant,
  after: '',
  visited: 0,
  refunded: 0,
  amount: '0',
  skipped: [],
  resolved: [],
  done: false,
  batches: 0,
});

/** Refunds one active contract in full; false (and an alert) when its accounts cannot take it now. */
async function refundOne(ctx: LianjianContext, s: Sweep, c: PrepaidContractRecord, by: string): Promise<boolean> {
  try {
    await refundAccounts(ctx, c); // checks only; nothing written yet if it throws
  } catch {
    ctx.emit({ type: 'Alert', alert: 'SWEEP_REFUND_SKIPPED', accounts: [c.wallet], contract: c.id });
    return false;
  }
  await refund(ctx, c, true, by);
  s.refunded += 1;
  s.amount = fen(BigInt(s.amount) + BigInt(c.refunded));
  return true;
}

/** Retries the skipped contracts: those refunded now, or no longer active, leave the list. */
async function retrySkipped(ctx: LianjianContext, s: Sweep, by: string): Promise<void> {
  const still: string[] = [];
  for (const id of s.skipped) {
    const c = await loadContract(ctx, id);
    if (c.status === 'active' && !(await refundOne(ctx, s, c, by))) still.push(id);
  }
  s.skipped = still;
}

/**
 * One batch of the sweep: first the contracts skipped before, then up to `limit` new ones.
 * @throws LedgerError 422 MERCHANT_NOT_FROZEN
 */
export async function sweepMerchant(
  ctx: LianjianContext,
  reg: Member,
  merchantId: string,
  limitText: string,
): Promise<Sweep> {
  const m = await loadMerchant(ctx, requireId(merchantId, 'merchant'));
  const limit = requireInt(limitText || '50', 'limit', 1, 200);
  if (m.status !== 'frozen')
    throw rejected(
      `merchant ${m.id} is ${m.status}; freeze it before refunding its consumers`,
      'MERCHANT_NOT_FROZEN',
      'merchant',
    );
  const prev = await getJson<Sweep>(ctx, ppKeys.sweep(m.id));
  const s: Sweep = { ...fresh(m.id), ...prev };
  if (s.done) return s;
  await retrySkipped(ctx, s, reg.handle);
  const ids = await nextContracts(ctx, m.id, s.after, limit);
  for (const id of ids) {
    const c = await loadContract(ctx, id);
    s.after = id;
    s.visited += 1;
    if (c.status === 'active' && !(await refundOne(ctx, s, c, reg.handle))) s.skipped.push(id);
  }
  s.done = ids.length < limit && s.skipped.length === 0;
  s.batches += 1;
  await putJson(ctx, ppKeys.sweep(m.id), s);
  ctx.emit({
    type: 'MerchantRefundBatch',
    accounts: [m.account],
    merchant: m.id,
    visited: s.visited,
    refunded: s.refunded,
    amount: s.amount,
    skipped: s.skipped.length,
    done: s.done,
  });
  return s;
}

/**
 * The regulator records why a skipped contract is settled otherwise (e.g. refunded in cash
 * under a court order); the sweep stops retrying it. Recording it again changes nothing.
 * @throws LedgerError 422 NOT_SKIPPED
 */
export async function resolveSkipped(
  ctx: LianjianContext,
  reg: Member,
  merchantId: string,
  contract: string,
  note: string,
): Promise<Sweep> {
  const m = await loadMerchant(ctx, requireId(merchantId, 'merchant'));
  requireId(contract, 'contract');
  requireText(note, 'note', 1000);
  const s = (await getJson<Sweep>(ctx, ppKeys.sweep(m.id))) ?? fresh(m.id);
  const resolved = s.resolved ?? [];
  if (resolved.some((r) => r.contract === contract && r.note === note)) return s;
  if (!s.skipped.includes(contract))
    throw rejected(`contract ${contract} is not waiting in the sweep of ${m.id}`, 'NOT_SKIPPED', 'contract');
  s.skipped = s.skipped.filter((id) => id !== contract);
  s.resolved = [...resolved, { contract, note, by: reg.handle, txId: ctx.stub.getTxID() }];
  await putJson(ctx, ppKeys.sweep(m.id), s);
  ctx.emit({ type: 'SweepSkipResolved', accounts: [], merchant: m.id, contract, by: reg.handle, note });
  return s;
}

/**
 * The next `limit` contract ids after the cursor. A bounded raw range read (stops after
 * `limit`) rather than listJson, which reads the whole range; the index is never written in
 * the same transaction, so no own-write overlay is missed.
 */
async function nextContracts(ctx: LianjianContext, merchant: string, after: string, limit: number): Promise<string[]> {
  const [start, end] = range('pp-mctr', merchant);
  const from = after ? ppKeys.byMerchant(merchant, after) + '\u0000' : start;
  const it = await ctx.stub.getStateByRange(from, end);
  const ids: string[] = [];
  try {
    for (let r = await it.next(); !r.done && ids.length < limit; r = await it.next()) {
      ids.push((JSON.parse(Buffer.from(r.value.value).toString('utf8')) as { contract: string }).contract);
    }
  } finally {
    await it.close();
  }
  return ids;
}
