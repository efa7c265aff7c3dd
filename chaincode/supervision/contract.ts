/** The Supervision contract: thin transaction wrappers over program, release, payout, wages, refund, report. */
import { Returns, Transaction } from 'fabric-contract-api';
import './models';
import { LianjianContext, LianjianContract, ROLES } from '../core/context';
import { listJson, range } from '../core/state';
import { requireId, requireOneOf, requireText } from '../lib/validate';
import { finishPayout } from './payout';
import {
  activate,
  attachAccount,
  attestMilestone,
  closeProgram,
  createProgram,
  regulatorAction,
  setBudgetLine,
} from './program';
import { forceRefund } from './refund';
import { decide, requestPayment } from './release';
import { programReport, regulatorPrograms } from './report';
import { programFor, instructionFor } from './access';
import { offChainDebits, resolveOffChainDebit } from './off-chain';
import { loadInstruction, loadProgram, loadRequest } from './store';
import type { Alert, Instruction, PaymentRequest } from './types';
import { listPrograms, programHolders, wageMonths } from './queries';
import { checkWages, wagePrograms } from './wage-checks';
import { clearHold, payArrears, releaseWageDeposit, submitWageSheet } from './wages';

const out = (x: unknown) => JSON.stringify(x);

export class SupervisionContract extends LianjianContract {
  constructor() {
    super('Supervision');
  }

  @Transaction()
  @Returns('ProgramRecord')
  async createProgram(ctx: LianjianContext, id: string, specJson: string): Promise<string> {
    return out(await createProgram(ctx, id, specJson));
  }

  @Transaction()
  @Returns('ProgramRecord')
  async attachAccount(ctx: LianjianContext, program: string, account: string, role: string): Promise<string> {
    return out(await attachAccount(ctx, program, account, role));
  }

  @Transaction()
  @Returns('BudgetLineRecord')
  async setBudgetLine(
    ctx: LianjianContext,
    program: string,
    lineId: string,
    category: string,
    cap: string,
    payeesJson: string,
  ): Promise<string> {
    return out(await setBudgetLine(ctx, { program, line: lineId, category, cap, payeesJson }));
  }

  @Transaction()
  @Returns('ProgramRecord')
  async activate(ctx: LianjianContext, program: string): Promise<string> {
    return out(await activate(ctx, program));
  }

  @Transaction()
  @Returns('ProgramRecord')
  async attestMilestone(
    ctx: LianjianContext,
    program: string,
    milestoneId: string,
    evidenceHash: string,
  ): Promise<string> {
    return out(await attestMilestone(ctx, program, milestoneId, evidenceHash));
  }

  @Transaction()
  @Returns('PaymentRequestRecord')
  async requestPayment(
    ctx: LianjianContext,
    program: string,
    requestId: string,
    lineId: string,
    payee: string,
    amount: string,
    purpose: string,
    rail: string,
  ): Promise<string> {
    return out(await requestPayment(ctx, { program, requestId, line: lineId, payee, amount, purpose, rail }));
  }

  @Transaction()
  @Returns('PaymentRequestRecord')
  async approve(ctx: LianjianContext, program: string, requestId: string, comment: string): Promise<string> {
    return out(await decide(ctx, program, requestId, 'approve', comment));
  }

  @Transaction()
  @Returns('PaymentRequestRecord')
  async reject(ctx: LianjianContext, program: string, requestId: string, comment: string): Promise<string> {
    return out(await decide(ctx, program, requestId, 'reject', comment));
  }

  @Transaction()
  @Returns('InstructionRecord')
  async confirmPayout(ctx: LianjianContext, instructionId: string, railRef: string): Promise<string> {
    return out(await finishPayout(ctx, instructionId, 'settled', railRef));
  }

  @Transaction()
  @Returns('InstructionRecord')
  async failPayout(ctx: LianjianContext, instructionId: string, reason: string): Promise<string> {
    return out(await finishPayout(ctx, instructionId, 'failed', reason));
  }

  @Transaction()
  @Returns('PaymentRequestRecord')
  async submitWageSheet(
    ctx: LianjianContext,
    program: string,
    requestId: string,
    month: string,
    sheetHash: string,
    rowsJson: string,
  ): Promise<string> {
    return out(await submitWageSheet(ctx, { program, requestId, month, sheetHash, rowsJson }));
  }

  @Transaction()
  @Returns('WageCheckRecord')
  async checkWages(ctx: LianjianContext, program: string, month: string): Promise<string> {
    return out(await checkWages(ctx, program, month));
  }

  @Transaction()
  @Returns('ArrearsRecord')
  async payArrears(ctx: LianjianContext, program: string, arrearsId: string, rowsJson: string): Promise<string> {
    return out(await payArrears(ctx, program, arrearsId, rowsJson));
  }

  @Transaction()
  @Returns('InstructionRecord')
  async releaseWageDeposit(ctx: LianjianContext, program: string, toAccount: string): Promise<string> {
    return out(await releaseWageDeposit(ctx, program, toAccount));
  }

  @Transaction()
  @Returns('ProgramRecord')
  async freeze(ctx: LianjianContext, program: string, reason: string): Promise<string> {
    return out(await regulatorAction(ctx, 'freeze', program, reason));
  }

  @Transaction()
  @Returns('ProgramRecord')
  async unfreeze(ctx: LianjianContext, program: string, reason: string): Promise<string> {
    return out(await regulatorAction(ctx, 'unfreeze', program, reason));
  }

  @Transaction()
  @Returns('ProgramRecord')
  async suspend(ctx: LianjianContext, program: string, reason: string): Promise<string> {
    return out(await regulatorAction(ctx, 'suspend', program, reason));
  }

  @Transaction()
  @Returns('ProgramRecord')
  async resume(ctx: LianjianContext, program: string, reason: string): Promise<string> {
    return out(await regulatorAction(ctx, 'resume', program, reason));
  }

  @Transaction()
  @Returns('RefundRecord')
  async forceRefund(
    ctx: LianjianContext,
    program: string,
    refundId: string,
    refundsJson: string,
    reason: string,
  ): Promise<string> {
    return out(await forceRefund(ctx, program, refundId, refundsJson, reason));
  }

  /** The program's regulator closes the case of a book entry that moved supervised money off chain. */
  @Transaction()
  @Returns('OffChainDebitRecord')
  async resolveOffChainDebit(ctx: LianjianContext, program: string, offTxId: string, note: string): Promise<string> {
    return out(await resolveOffChainDebit(ctx, program, offTxId, note));
  }

  /** The program's regulator decides on a wage sheet held for it ('release' to approvals, or 'reject'). */
  @Transaction()
  @Returns('PaymentRequestRecord')
  async clearHold(
    ctx: LianjianContext,
    program: string,
    requestId: string,
    decision: string,
    comment: string,
  ): Promise<string> {
    return out(await clearHold(ctx, program, requestId, decision, comment));
  }

  @Transaction()
  @Returns('ProgramRecord')
  async close(ctx: LianjianContext, program: string, reportHash: string): Promise<string> {
    return out(
      await closeProgram(ctx, program, reportHash, async () => programReport(ctx, await loadProgram(ctx, program))),
    );
  }

  @Transaction(false)
  @Returns('ProgramRecord')
  async getProgram(ctx: LianjianContext, program: string): Promise<string> {
    return out(await programFor(ctx, await ctx.requireRole(...ROLES), program));
  }

  @Transaction(false)
  @Returns('PaymentRequestRecord')
  async getRequest(ctx: LianjianContext, program: string, requestId: string): Promise<string> {
    const p = await programFor(ctx, await ctx.requireRole(...ROLES), program);
    return out(await loadRequest(ctx, p, requestId));
  }

  @Transaction(false)
  @Returns('PaymentRequestRecord[]')
  async listRequests(ctx: LianjianContext, program: string): Promise<string> {
    const p = await programFor(ctx, await ctx.requireRole(...ROLES), program);
    return out(await listJson<PaymentRequest>(ctx, range('sv', 'req', p.id)));
  }

  @Transaction(false)
  @Returns('AlertRecord[]')
  async listAlerts(ctx: LianjianContext, program: string): Promise<string> {
    const p = await programFor(ctx, await ctx.requireRole(...ROLES), program);
    return out(await listJson<Alert>(ctx, range('sv', 'alert', p.id)));
  }

  @Transaction(false)
  @Returns('InstructionRecord')
  async getInstruction(ctx: LianjianContext, instructionId: string): Promise<string> {
    return out((await instructionFor(ctx, await ctx.requireRole(...ROLES), instructionId)).i);
  }

  @Transaction(false)
  @Returns('InstructionRecord[]')
  async listInstructions(ctx: LianjianContext, program: string, status: string): Promise<string> {
    const p = await programFor(ctx, await ctx.requireRole(...ROLES), program);
    const s = status ? requireOneOf(status, ['instructed', 'settled', 'failed'] as const, 'status') : '';
    const ids = await listJson<{ id: string }>(ctx, range('sv', 'pinstr', p.id));
    const all = await Promise.all(ids.map((x) => loadInstruction(ctx, x.id)));
    return out(all.filter((i: Instruction) => !s || i.status === s));
  }

  @Transaction(false)
  @Returns('ProgramReportView')
  async report(ctx: LianjianContext, program: string): Promise<string> {
    const p = await programFor(ctx, await ctx.requireRole(...ROLES), program);
    return out(await programReport(ctx, p));
  }

  /** Book entries that moved the program's supervised money without an approved release (cases). */
  @Transaction(false)
  @Returns('OffChainDebitRecord[]')
  async listOffChainDebits(ctx: LianjianContext, program: string): Promise<string> {
    const p = await programFor(ctx, await ctx.requireRole(...ROLES), program);
    return out(await offChainDebits(ctx, p));
  }

  /** Programs with a wage account the caller supervises or keeps (for the month-end wage checks). */
  @Transaction(false)
  @Returns('WageProgramView[]')
  async wagePrograms(ctx: LianjianContext): Promise<string> {
    return out(await wagePrograms(ctx, await ctx.requireRole('regulator', 'auditor', 'oracle', 'bank')));
  }

  /** All programs of one regulator (default: the caller). Regulators and auditors. */
  @Transaction(false)
  @Returns('RegulatorReportView')
  async regulatorReport(ctx: LianjianContext, regulator: string): Promise<string> {
    const me = await ctx.requireRole('regulator', 'auditor');
    const who = regulator ? requireText(regulator, 'regulator', 130) : me.handle;
    const reports = [];
    for (const id of await regulatorPrograms(ctx, who))
      reports.push(await programReport(ctx, await loadProgram(ctx, requireId(id, 'program'))));
    return out({ regulator: who, programs: reports });
  }

  /** The programs the caller may read, with their key figures (queries.ts). */
  @Transaction(false)
  @Returns('ProgramSummaryView[]')
  async listPrograms(ctx: LianjianContext): Promise<string> {
    return out(await listPrograms(ctx));
  }

  /** Holders (户名, org) of the accounts a program names, and each budget line's payees. */
  @Transaction(false)
  @Returns('ProgramHoldersView')
  async programHolders(ctx: LianjianContext, program: string): Promise<string> {
    return out(await programHolders(ctx, program));
  }

  /** The program's wage months: paid, pending, missing, unpaid or not due. */
  @Transaction(false)
  @Returns('WageMonthsView')
  async wageMonths(ctx: LianjianContext, program: string): Promise<string> {
    return out(await wageMonths(ctx, program));
  }
}
