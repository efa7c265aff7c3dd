/**
 * Read side for people working a program list: the programs a caller may read with their key
 * figures, who holds the accounts a program pays from and to (户名), and the wage months as a
 * calendar. Every read goes through access.ts: one rule decides who sees a program.
 */
import { LianjianContext, ROLES } from '../core/context';
import { Holder, holdersOf } from '../core/holders';
import { getJson, listJson, range } from '../core/state';
import { chinaDay } from '../lib/china-time';
import { programReport } from './report';
import { wagesOverdue } from './rules';
import { canReadProgram, programFor } from './access';
import { svKeys } from './store';
import type { BudgetLine, Instruction, PaymentRequest, Program } from './types';

export interface ProgramSummary {
  id: string;
  title: string;
  scenario: string;
  status: string;
  party: string;
  bank: string;
  regulator: string;
  keyAmount: string;
  deposited: string;
  held: string;
  available: string;
  released: string;
  pending: string;
  refunded: string;
  alerts: number;
  milestones: number;
  attested: number;
  /** Requests waiting for approvals. */
  waiting: number;
  createdAt: string;
}

/** Whether the caller may read `p`, by the one rule in access.ts. */
async function mayRead(ctx: LianjianContext, p: Program): Promise<boolean> {
  const me = await ctx.caller();
  return !!me && canReadProgram(me, p);
}

/**
 * The programs the caller may read (regulators and auditors: all; a party, approver or the
 * custodian bank: theirs), by id, with the figures a list shows. Other callers get none.
 * @throws LedgerError from state reads only
 */
export async function listPrograms(ctx: LianjianContext): Promise<ProgramSummary[]> {
  const out: ProgramSummary[] = [];
  for (const p of await listJson<Program>(ctx, range('sv', 'prog'))) {
    if (!(await mayRead(ctx, p))) continue;
    const report = await programReport(ctx, p);
    const requests = await listJson<PaymentRequest>(ctx, range('sv', 'req', p.id));
    out.push({
      id: p.id,
      title: p.title,
      scenario: p.scenario,
      status: p.status,
      party: p.party,
      bank: p.bank,
      regulator: p.regulator,
      keyAmount: p.keyAmount,
      deposited: report.deposited,
      held: report.held,
      available: report.available,
      released: report.released,
      pending: report.pending,
      refunded: report.refunded,
      alerts: p.alertSeq,
      milestones: p.milestones.length,
      attested: p.attested.length,
      waiting: requests.filter((r) => r.status === 'pending_approval').length,
      createdAt: p.createdAt,
    });
  }
  return out;
}

/**
 * Holders (户名, org) of every account a program names — its own accounts, the payees of its
 * budget lines and of its payout instructions — and each line's payees (the whitelist, 定向).
 * @throws LedgerError 404 PROGRAM_NOT_FOUND, 404 PROGRAM_NOT_FOUND alike for missing and unreadable programs
 */
export async function programHolders(
  ctx: LianjianContext,
  programId: string,
): Promise<{ holders: Record<string, Holder>; lines: Array<{ id: string; category: string; payees: string[] }> }> {
  const p = await programFor(ctx, await ctx.requireRole(...ROLES), programId);
  const lines = await listJson<BudgetLine>(ctx, range('sv', 'line', p.id));
  const instructionIds = await listJson<{ id: string }>(ctx, range('sv', 'pinstr', p.id));
  const payees: string[] = [];
  for (const { id } of instructionIds) {
    const i = await getJson<Instruction>(ctx, svKeys.instruction(id));
    if (i) payees.push(i.payee, i.source);
  }
  const holders = await holdersOf(ctx, [
    ...Object.values(p.accounts).flat(),
    ...lines.flatMap((l) => l.payees),
    ...payees,
  ]);
  return { holders, lines: lines.map((l) => ({ id: l.id, category: l.category, payees: l.payees })) };
}

export type WageMonthStatus = 'paid' | 'pending' | 'missing' | 'unpaid' | 'not_due';

export interface WageMonth {
  month: string;
  /** paid: a wage payout settled; pending: a sheet is in approval or payout; missing: checked overdue (欠薪 alert); unpaid: overdue, not yet checked; not_due. */
  status: WageMonthStatus;
  amount?: string;
  request?: string;
  alert?: number;
}

/** 'YYYY-MM' months from `first` to `last`, inclusive. */
function monthsBetween(first: string, last: string): string[] {
  const out: string[] = [];
  let [year, month] = first.split('-').map(Number);
  for (let guard = 0; guard < 600; guard++) {
    const m = `${year}-${String(month).padStart(2, '0')}`;
    if (m > last) break;
    out.push(m);
    month = month === 12 ? 1 : month + 1;
    if (month === 1) year++;
  }
  return out;
}

/**
 * The wage months of a program, from its creation (or the first month filed or checked) to now: paid, pending, missing (an alert
 * was raised), unpaid (overdue, not checked yet) or not due. Empty without a wage account.
 * @throws LedgerError 404 PROGRAM_NOT_FOUND, 404 PROGRAM_NOT_FOUND alike for missing and unreadable programs
 */
export async function wageMonths(
  ctx: LianjianContext,
  programId: string,
): Promise<{ program: string; months: WageMonth[] }> {
  const p = await programFor(ctx, await ctx.requireRole(...ROLES), programId);
  if (!p.accounts.wage?.length) return { program: p.id, months: [] };
  const now = ctx.time();
  const sheets = (await listJson<PaymentRequest>(ctx, range('sv', 'req', p.id))).filter((r) => r.kind === 'wages');
  const months: WageMonth[] = [];
  // From the earliest month anything was filed or checked for (sheets may be for months before the program).
  const checked = await listJson<{ month: string }>(ctx, range('sv', 'wcheck', p.id));
  const first = [
    chinaDay(new Date(p.createdAt)).slice(0, 7),
    ...sheets.map((r) => r.month!),
    ...checked.map((c) => c.month),
  ]
    .filter(Boolean)
    .sort()[0];
  for (const month of monthsBetween(first, chinaDay(now).slice(0, 7))) {
    const paid = await getJson<{ request: string }>(ctx, svKeys.wagesPaid(p.id, month));
    const sheet = sheets.find((r) => r.month === month && (paid ? r.id === paid.request : r.status !== 'rejected'));
    const check = await getJson<{ status: string; alert?: number }>(ctx, svKeys.wageCheck(p.id, month));
    const base = { month, ...(sheet ? { amount: sheet.amount, request: sheet.id } : {}) };
    if (paid) months.push({ ...base, status: 'paid' });
    else if (sheet && ['pending_approval', 'instructed', 'partial'].includes(sheet.status))
      months.push({ ...base, status: 'pending' });
    else if (check?.status === 'missing') months.push({ ...base, status: 'missing', alert: check.alert });
    else if (wagesOverdue(month, now, p.limits.wageGraceDays ?? 0)) months.push({ ...base, status: 'unpaid' });
    else months.push({ ...base, status: 'not_due' });
  }
  return { program: p.id, months };
}
