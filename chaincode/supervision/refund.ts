/** Forced refunds (强制退款), e.g. to pre-sale buyers of a failed project: the regulator's power, outside approvals and caps. */
import type { LianjianContext } from '../core/context';
import { readAccount } from '../core/lots';
import { getJson, putJson } from '../core/state';
import { conflict, invalid, rejected } from '../lib/errors';
import { fen, parseFen } from '../lib/money';
import { parseJson, requireId, requireText } from '../lib/validate';
import { instruct } from './payout';
import { pickSource } from './parties';
import { svKeys, loadProgram, recordAction, requireStatus, saveProgram } from './store';
import { requireProgramRegulator } from './access';

export interface Refund {
  id: string;
  program: string;
  reason: string;
  rows: Array<{ account: string; amount: string }>;
  total: string;
  instructions: string[];
  txId: string;
}

export async function forceRefund(
  ctx: LianjianContext,
  programId: string,
  refundId: string,
  refundsJson: string,
  reason: string,
): Promise<Refund> {
  const p = await loadProgram(ctx, programId);
  const reg = await requireProgramRegulator(ctx, p);
  requireId(refundId, 'refundId');
  requireText(reason, 'reason', 512);
  const raw = parseJson<unknown>(refundsJson, 'refunds');
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > 500)
    throw invalid('refunds', 'refunds must be a JSON array of 1-500 {account, amount}');
  let total = 0n;
  const rows = raw.map((x, i) => {
    const o = (x ?? {}) as Record<string, unknown>;
    const amount = parseFen(o.amount, `refunds[${i}].amount`);
    total += amount;
    return { account: requireId(o.account, `refunds[${i}].account`), amount: fen(amount) };
  });
  const k = svKeys.refund(p.id, 'refund', refundId);
  const prev = await getJson<Refund>(ctx, k);
  if (prev) {
    if (JSON.stringify(prev.rows) === JSON.stringify(rows) && prev.reason === reason) return prev;
    throw conflict(`refund ${refundId} exists with other values`, 'IDEMPOTENCY_CONFLICT', 'refundId');
  }
  requireStatus(p, 'active', 'suspended', 'frozen');
  const source = await pickSource(ctx, p, 'supervised', total);
  if (BigInt(source.balance) < total)
    throw rejected(`no supervised account holds the ${total} fen to refund`, 'INSUFFICIENT_FUNDS', 'refunds');
  const payees = [];
  for (const [i, r] of rows.entries())
    payees.push({ account: await readAccount(ctx, r.account, `refunds[${i}].account`), amount: BigInt(r.amount) });
  const instr = await instruct(ctx, p, { kind: 'refund', ref: refundId, source, payees, rail: 'bank' });
  const rec: Refund = {
    id: refundId,
    program: p.id,
    reason,
    rows,
    total: fen(total),
    instructions: instr.map((i) => i.id),
    txId: ctx.stub.getTxID(),
  };
  await putJson(ctx, k, rec);
  await recordAction(ctx, p, 'force_refund', reg.handle, { refund: refundId, total: rec.total, reason });
  await saveProgram(ctx, p);
  ctx.emit({
    type: 'RefundForced',
    accounts: [],
    program: p.id,
    refund: refundId,
    total: rec.total,
    count: rows.length,
    reason,
  });
  return rec;
}
