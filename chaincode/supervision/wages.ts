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
import { parseJson, requireHex, requireId, requireOneOf, requireText } from '../lib/validate';
import { instruct } from './payout';
import { pickSource, requireParty } from './parties';
import { memberByHandle } from '../core/identity';
import { isMonth, requiredApprovals, Violation, wagePayeeProblem } from './rules';
import { svKeys, loadProgram, loadRequest, raiseAlert, requireStatus, saveProgram } from './store';
import { requireProgramRegulator } from './access';
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

export const requireMonth = (m: string): string => {
  if (!isMonth(m)) throw invalid('month', 'month must be YYYY-MM');
  return m;
};

/** The party submits a signed monthly wage sheet (its SM3 hash + rows); approvals follow the program policy. */
export interface WageSheet {
  program: string;
  requestId: string;
  month: string; // YYYY-MM
  sheetHash: string; // SM3 of the signed sheet
  rowsJson: string; // [{worker, account, amount}]
}

export async function submitWageSheet(ctx: LianjianContext, w: WageSheet): Promise<PaymentRequest> {
  const { program: programId, requestId, month, sheetHash, rowsJson } = w;
  const p = await loadProgram(ctx, programId);
  const me = await requireParty(ctx, p);
  requireId(requestId, 'requestId');
  requireMonth(month);
  requireHex(sheetHash, 'sheetHash', 32);
  const { rows, total } = parseRows(rowsJson);
  const prev = await getJson<PaymentRequest>(ctx, svKeys.request(p.id, requestId));
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
  const flags = await flagRows(ctx, p, rows);
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
    status: flags.length ? 'held' : 'pending_approval',
    reasons: [],
    instructions: [],
    month,
    sheetHash,
    rows,
    ...(flags.length ? { flags } : {}),
    settledAmount: '0',
    failedAmount: '0',
    txId: ctx.stub.getTxID(),
  };
  for (const f of flags)
    await raiseAlert(ctx, p, 'WAGE_PAYEE_NOT_WORKER', `row ${f.row} (${f.account}): ${f.detail}`, {
      request: r.id,
      accounts: [f.account],
    });
  if (flags.length) await saveProgram(ctx, p);
  await putJson(ctx, svKeys.request(p.id, r.id), r);
  ctx.emit({
    type: 'PaymentRequested',
    program: p.id,
    accounts: [],
    request: r.id,
    status: r.status,
    kind: 'wages',
    month,
    amount: r.amount,
    workers: rows.length,
    sheetHash,
  });
  return r;
}

/** Rows whose payee is not an individual worker's account: the sheet is held for the program's regulator. */
async function flagRows(
  ctx: LianjianContext,
  p: Program,
  rows: WageRow[],
): Promise<NonNullable<PaymentRequest['flags']>> {
  const flags: NonNullable<PaymentRequest['flags']> = [];
  for (const [i, row] of rows.entries()) {
    const a = await readAccount(ctx, row.account, `rows[${i}].account`);
    const owner = await memberByHandle(ctx, a.owner, `rows[${i}].account`);
    const detail = wagePayeeProblem({ ownerRoles: owner.roles, owner: a.owner, party: p.party, kind: a.kind });
    if (detail) flags.push({ row: i, account: a.id, detail });
  }
  return flags;
}

/**
 * The program's regulator decides on a held wage sheet: 'release' sends it to the approvers as
 * any sheet, 'reject' ends it. Repeating the decision changes nothing.
 * @throws LedgerError 422 REQUEST_NOT_HELD
 */
export async function clearHold(
  ctx: LianjianContext,
  programId: string,
  requestId: string,
  decision: string,
  comment: string,
): Promise<PaymentRequest> {
  const p = await loadProgram(ctx, programId);
  const reg = await requireProgramRegulator(ctx, p);
  const d = requireOneOf(decision, ['release', 'reject'] as const, 'decision');
  requireText(comment, 'comment', 512);
  const r = await loadRequest(ctx, p, requestId);
  if (r.hold?.decision === d && r.hold.comment === comment) return r;
  if (r.status !== 'held') throw rejected(`request ${r.id} is ${r.status}, not held`, 'REQUEST_NOT_HELD', 'requestId');
  r.hold = { decision: d, by: reg.handle, comment, time: ctx.time().toISOString() };
  r.status = d === 'release' ? 'pending_approval' : 'rejected';
  if (d === 'reject') r.reasons = [{ code: 'WAGE_PAYEE_NOT_WORKER', detail: `${reg.handle}: ${comment}` }];
  await putJson(ctx, svKeys.request(p.id, r.id), r);
  ctx.emit({ type: 'WageSheetHoldCleared', program: p.id, accounts: [], request: r.id, decision: d, by: reg.handle });
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
  const k = svKeys.refund(p.id, 'arrears', arrearsId);
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
  const instr = await instruct(ctx, p, { kind: 'arrears', ref: arrearsId, source, payees, rail: 'bank' });
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
  const k = svKeys.refund(p.id, 'deposit', 'release');
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
  const [i] = await instruct(ctx, p, {
    kind: 'deposit',
    ref: 'deposit-release',
    source,
    payees: [{ account: to, amount: BigInt(source.balance) }],
    rail: 'bank',
  });
  await putJson(ctx, k, i);
  await saveProgram(ctx, p);
  return i;
}
