/**
 * Migrant wages (农民工工资): a monthly wage sheet paid from the dedicated wage account as one
 * release split into per-worker payouts; a missing month raises an alert; the wage deposit
 * (工资保证金, 1-3 % of the contract value) is released at completion or pays arrears.
 */
import type { LianjianContext } from '../core/context';
import { Account, readAccount } from '../core/lots';
import { getJson, putJson } from '../core/state';
import { conflict, forbidden, invalid, rejected } from '../lib/errors';
import { fen, parseFen } from '../lib/money';
import { parseJson, requireHex, requireId } from '../lib/validate';
import { instruct } from './payout';
import { pickSource, requireParty } from './parties';
import { isMonth, requiredApprovals, Violation, wagesOverdue } from './rules';
import { K, loadProgram, raiseAlert, requireProgramRegulator, requireStatus, saveProgram } from './store';
import type { Instruction, PaymentRequest, Program, WageRow } from './types';

function parseRows(json: string): { rows: WageRow[]; total: bigint } {
  const raw = parseJson<unknown>(json, 'rows');
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > 500)
    throw invalid('rows', 'rows must be a JSON array of 1-500 {worker, account, amount}');
  let total = 0n;
  const rows = raw.map((x, i) => {
    const o = (x ?? {}) as Record<string, unknown>;
    const amount = parseFen(o.amount, `rows[${i}].amount`);
    total += amount;
    return {
      worker: requireHex(o.worker, `rows[${i}].worker`, 32),
      account: requireId(o.account, `rows[${i}].account`),
      amount: fen(amount),
    };
  });
  return { rows, total };
}

const requireMonth = (m: string) => {
  if (!isMonth(m)) throw invalid('month', 'month must be YYYY-MM');
  return m;
};

/** The party submits a signed monthly wage sheet (its SM3 hash + rows); approvals follow the program policy. */
export async function submitWageSheet(
  ctx: LianjianContext,
  programId: string,
  requestId: string,
  month: string,
  sheetHash: string,
  rowsJson: string,
): Promise<PaymentRequest> {
  const p = await loadProgram(ctx, programId);
  const me = await requireParty(ctx, p);
  requireId(requestId, 'requestId');
  requireMonth(month);
  requireHex(sheetHash, 'sheetHash', 32);
  const { rows, total } = parseRows(rowsJson);
  const prev = await getJson<PaymentRequest>(ctx, K.request(p.id, requestId));
  if (prev) {
    if (
      prev.kind === 'wages' &&
      prev.month === month &&
      prev.sheetHash === sheetHash &&
      JSON.stringify(prev.rows) === JSON.stringify(rows)
    )
      return prev;
    throw conflict(`request ${requestId} exists with other values`, 'IDEMPOTENCY_CONFLICT', 'requestId');
  }
  requireStatus(p, 'active');
  if (!p.accounts.wage?.length) throw rejected(`program ${p.id} has no wage account`, 'NO_WAGE_ACCOUNT', 'program');
  for (const [i, r] of rows.entries()) await readAccount(ctx, r.account, `rows[${i}].account`);
  const r: PaymentRequest = {
    program: p.id,
    id: requestId,
    kind: 'wages',
    line: '',
    payee: '',
    amount: fen(total),
    purpose: `wages ${month}`,
    rail: 'bank',
    requestedBy: me.handle,
    requestedAt: ctx.time().toISOString(),
    required: requiredApprovals(
      p.policy,
      total,
      p.limits.approvalThreshold === undefined ? undefined : BigInt(p.limits.approvalThreshold),
    ),
    approvals: [],
    status: 'pending_approval',
    reasons: [],
    instructions: [],
    month,
    sheetHash,
    rows,
    settledAmount: '0',
    failedAmount: '0',
    txId: ctx.stub.getTxID(),
  };
  await putJson(ctx, K.request(p.id, r.id), r);
  ctx.emit({
    type: 'PaymentRequested',
    program: p.id,
    request: r.id,
    kind: 'wages',
    month,
    amount: r.amount,
    workers: rows.length,
    sheetHash,
  });
  return r;
}

/** Rules for paying a wage sheet now: funds in the wage account, every worker account usable. */
export async function wageViolations(
  ctx: LianjianContext,
  p: Program,
  r: PaymentRequest,
): Promise<{ v: Violation[]; source: Account; payees: Array<{ account: Account; amount: bigint }> }> {
  const total = BigInt(r.amount);
  const source = await pickSource(ctx, p, 'wage', total);
  const v: Violation[] = [];
  if (BigInt(source.balance) < total)
    v.push({
      code: 'INSUFFICIENT_FUNDS',
      field: 'amount',
      detail: `the wage account holds ${source.balance} fen, the sheet needs ${total}`,
      alert: true,
    });
  const payees = [];
  for (const row of r.rows ?? []) {
    const account = await readAccount(ctx, row.account);
    if (account.status !== 'active')
      v.push({
        code: 'WORKER_ACCOUNT_UNUSABLE',
        field: 'rows',
        detail: `worker account ${account.id} is ${account.status}`,
        alert: false,
      });
    payees.push({ account, amount: BigInt(row.amount) });
  }
  return { v, source, payees };
}

/** Anyone with the regulator or oracle role checks a month; an overdue month without a settled payout raises one alert. */
export async function checkWages(
  ctx: LianjianContext,
  programId: string,
  month: string,
): Promise<{ program: string; month: string; status: string; alert?: number }> {
  await ctx.requireRole('regulator', 'oracle');
  const p = await loadProgram(ctx, programId);
  requireMonth(month);
  if (!p.accounts.wage?.length) throw rejected(`program ${p.id} has no wage account`, 'NO_WAGE_ACCOUNT', 'program');
  if (await getJson(ctx, K.wagesPaid(p.id, month))) return { program: p.id, month, status: 'paid' };
  if (p.status === 'draft' || p.status === 'closed' || !wagesOverdue(month, ctx.time(), p.limits.wageGraceDays ?? 0))
    return { program: p.id, month, status: 'not_due' };
  const prev = await getJson<{ program: string; month: string; status: string; alert: number }>(
    ctx,
    K.wageCheck(p.id, month),
  );
  if (prev) return prev;
  const a = await raiseAlert(ctx, p, 'WAGES_MISSING', `no wage payout settled for ${month}`, {
    accounts: p.accounts.wage,
  });
  const rec = { program: p.id, month, status: 'missing', alert: a.seq };
  await putJson(ctx, K.wageCheck(p.id, month), rec);
  await saveProgram(ctx, p);
  return rec;
}

/** The regulator pays wage arrears (欠薪) out of the wage deposit, one payout per worker. */
export async function payArrears(
  ctx: LianjianContext,
  programId: string,
  arrearsId: string,
  rowsJson: string,
): Promise<{ id: string; rows: WageRow[]; instructions: string[] }> {
  const p = await loadProgram(ctx, programId);
  await requireProgramRegulator(ctx, p);
  requireId(arrearsId, 'arrearsId');
  const { rows, total } = parseRows(rowsJson);
  const k = K.refund(p.id, 'arrears', arrearsId);
  const prev = await getJson<{ id: string; rows: WageRow[]; instructions: string[] }>(ctx, k);
  if (prev) {
    if (JSON.stringify(prev.rows) === JSON.stringify(rows)) return prev;
    throw conflict(`arrears payment ${arrearsId} exists with other values`, 'IDEMPOTENCY_CONFLICT', 'arrearsId');
  }
  requireStatus(p, 'active', 'suspended', 'frozen');
  const source = await pickSource(ctx, p, 'deposit', total);
  if (BigInt(source.balance) < total)
    throw rejected(`the wage deposit holds ${source.balance} fen, ${total} needed`, 'INSUFFICIENT_FUNDS', 'rows');
  const payees = [];
  for (const [i, r] of rows.entries())
    payees.push({ account: await readAccount(ctx, r.account, `rows[${i}].account`), amount: BigInt(r.amount) });
  const instr = await instruct(ctx, p, 'arrears', arrearsId, source, payees, 'bank');
  const rec = { id: arrearsId, rows, instructions: instr.map((i) => i.id) };
  await putJson(ctx, k, rec);
  await saveProgram(ctx, p);
  return rec;
}

/** At completion the wage deposit goes back to the party's own (unsupervised) account. */
export async function releaseWageDeposit(
  ctx: LianjianContext,
  programId: string,
  toAccount: string,
): Promise<Instruction> {
  const p = await loadProgram(ctx, programId);
  await requireProgramRegulator(ctx, p);
  const to = await readAccount(ctx, requireId(toAccount, 'toAccount'), 'toAccount');
  const k = K.refund(p.id, 'deposit', 'release');
  const prev = await getJson<Instruction>(ctx, k);
  if (prev) {
    if (prev.payee === to.id) return prev;
    throw conflict('the wage deposit was already released to another account', 'IDEMPOTENCY_CONFLICT', 'toAccount');
  }
  if (to.owner !== p.party || to.program)
    throw forbidden(`toAccount must be an unsupervised account of ${p.party}`, 'NOT_PARTY_ACCOUNT', 'toAccount');
  requireStatus(p, 'active', 'suspended');
  const final = p.milestones[p.milestones.length - 1];
  if (final && !p.attested.includes(final.id))
    throw rejected(`the deposit is released at completion (milestone ${final.id})`, 'NOT_COMPLETED', 'program');
  const source = await pickSource(ctx, p, 'deposit', 0n);
  if (source.balance === '0') throw rejected('the wage deposit account is empty', 'INSUFFICIENT_FUNDS', 'program');
  const [i] = await instruct(
    ctx,
    p,
    'deposit',
    'deposit-release',
    source,
    [{ account: to, amount: BigInt(source.balance) }],
    'bank',
  );
  await putJson(ctx, k, i);
  await saveProgram(ctx, p);
  return i;
}
