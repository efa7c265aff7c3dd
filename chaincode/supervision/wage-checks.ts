/**
 * Month-end wage checks (欠薪预警): a month of an active wage program without a settled wage
 * payout raises one WAGES_MISSING alert once the month and its grace days are over. Months
 * before the program became active are not due. The service runs the checks by itself for every
 * program its oracle may read (oracles/wage-checks.ts); each check is idempotent on (program,
 * month), so running it again changes nothing.
 */
import type { LianjianContext, Member } from '../core/context';
import { getJson, listJson, putJson, range } from '../core/state';
import { rejected } from '../lib/errors';
import { canReadProgram, programFor } from './access';
import { chinaMonth, wagesOverdue } from './rules';
import { raiseAlert, saveProgram, svKeys } from './store';
import type { Program } from './types';
import { requireMonth } from './wages';

export interface WageCheck {
  program: string;
  month: string;
  status: 'paid' | 'not_due' | 'before_program' | 'missing';
  alert?: number;
}

/** The first month wages are due: the month the program became active (created, for older programs). */
export const firstWageMonth = (p: Program): string => chinaMonth(Date.parse(p.activatedAt ?? p.createdAt));

/**
 * Checks one month of a wage program: paid, not due yet, before the program, or missing (one
 * alert, recorded). Regulators, and the oracles of the custodian bank or the regulator's org.
 * @throws LedgerError 404 PROGRAM_NOT_FOUND, 422 NO_WAGE_ACCOUNT
 */
export async function checkWages(ctx: LianjianContext, programId: string, month: string): Promise<WageCheck> {
  const me = await ctx.requireRole('regulator', 'oracle');
  const p = await programFor(ctx, me, programId);
  requireMonth(month);
  if (!p.accounts.wage?.length) throw rejected(`program ${p.id} has no wage account`, 'NO_WAGE_ACCOUNT', 'program');
  if (await getJson(ctx, svKeys.wagesPaid(p.id, month))) return { program: p.id, month, status: 'paid' };
  if (month < firstWageMonth(p)) return { program: p.id, month, status: 'before_program' };
  if (p.status === 'draft' || p.status === 'closed' || !wagesOverdue(month, ctx.time(), p.limits.wageGraceDays ?? 0))
    return { program: p.id, month, status: 'not_due' };
  const prev = await getJson<WageCheck>(ctx, svKeys.wageCheck(p.id, month));
  if (prev) return prev;
  const a = await raiseAlert(ctx, p, 'WAGES_MISSING', `no wage payout settled for ${month}`, {
    accounts: p.accounts.wage,
  });
  const rec: WageCheck = { program: p.id, month, status: 'missing', alert: a.seq };
  await putJson(ctx, svKeys.wageCheck(p.id, month), rec);
  await saveProgram(ctx, p);
  return rec;
}

/** What the scheduler needs to know of a wage program. */
export interface WageProgram {
  program: string;
  status: Program['status'];
  firstMonth: string;
  graceDays: number;
}

/**
 * The wage programs `me` may read that can owe wages (not draft, not closed): every one for
 * regulators and auditors, the custodian bank's own for its bank and oracle members.
 */
export async function wagePrograms(ctx: LianjianContext, me: Member): Promise<WageProgram[]> {
  // Programs are few (one per project or contract); the list is read whole, hourly at most.
  const programs = await listJson<Program>(ctx, range('sv', 'prog'));
  return programs
    .filter((p) => canReadProgram(me, p) && p.accounts.wage?.length && p.status !== 'draft' && p.status !== 'closed')
    .map((p) => ({
      program: p.id,
      status: p.status,
      firstMonth: firstWageMonth(p),
      graceDays: p.limits.wageGraceDays ?? 0,
    }));
}
