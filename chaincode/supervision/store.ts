/** Supervision state: keys, loading with clear errors, alerts, and who may act on a program. */
import type { LianjianContext } from '../core/context';
import { notFound, rejected } from '../lib/errors';
import { requireId } from '../lib/validate';
import { getJson, key, putJson, seqKey } from '../core/state';
import type { Alert, BudgetLine, Instruction, PaymentRequest, Program, ProgramStatus } from './types';

export const svKeys = {
  program: (id: string): string => key('sv', 'prog', id),
  byRegulator: (reg: string, id: string): string => key('sv', 'byreg', reg, id),
  line: (p: string, line: string): string => key('sv', 'line', p, line),
  request: (p: string, r: string): string => key('sv', 'req', p, r),
  instruction: (id: string): string => key('sv', 'instr', id),
  instrByProgram: (p: string, id: string): string => key('sv', 'pinstr', p, id),
  alert: (p: string, seq: number): string => key('sv', 'alert', p, seqKey(seq)),
  action: (p: string, seq: number): string => key('sv', 'act', p, seqKey(seq)),
  day: (p: string, day: string): string => key('sv', 'day', p, day),
  near: (p: string, iso: string, r: string): string => key('sv', 'near', p, iso, r),
  wagesPaid: (p: string, month: string): string => key('sv', 'wpaid', p, month),
  wageCheck: (p: string, month: string): string => key('sv', 'wcheck', p, month),
  // Forced refunds, arrears and the deposit release each keep their own id space.
  refund: (p: string, kind: 'refund' | 'arrears' | 'deposit', id: string): string => key('sv', 'refund', p, kind, id),
  offChain: (p: string, offTxId: string): string => key('sv', 'offchain', p, offTxId),
};

/** Lot color of money released under a program. */
export const programColor = (id: string): string => `prog:${id}`;

export async function loadProgram(ctx: LianjianContext, id: string, field = 'program'): Promise<Program> {
  const p = await getJson<Program>(ctx, svKeys.program(requireId(id, field)));
  if (!p) throw notFound(field, `no supervision program ${id}`, 'PROGRAM_NOT_FOUND');
  return p;
}

export const saveProgram = (ctx: LianjianContext, p: Program): Promise<void> => putJson(ctx, svKeys.program(p.id), p);

export async function loadLine(ctx: LianjianContext, p: Program, id: string, field = 'line'): Promise<BudgetLine> {
  const l = await getJson<BudgetLine>(ctx, svKeys.line(p.id, requireId(id, field)));
  if (!l) throw notFound(field, `program ${p.id} has no budget line ${id}`, 'LINE_NOT_FOUND');
  return l;
}

export async function loadRequest(
  ctx: LianjianContext,
  p: Program,
  id: string,
  field = 'requestId',
): Promise<PaymentRequest> {
  const r = await getJson<PaymentRequest>(ctx, svKeys.request(p.id, requireId(id, field)));
  if (!r) throw notFound(field, `program ${p.id} has no request ${id}`, 'REQUEST_NOT_FOUND');
  return r;
}

export async function loadInstruction(ctx: LianjianContext, id: string): Promise<Instruction> {
  const i = await getJson<Instruction>(ctx, svKeys.instruction(requireId(id, 'instructionId')));
  if (!i) throw notFound('instructionId', `no payout instruction ${id}`, 'INSTRUCTION_NOT_FOUND');
  return i;
}

/** Money may move under the program only while it is active. */
export function requireStatus(p: Program, ...allowed: ProgramStatus[]): void {
  if (allowed.includes(p.status)) return;
  const code =
    p.status === 'frozen'
      ? 'PROGRAM_FROZEN'
      : p.status === 'suspended'
        ? 'PROGRAM_SUSPENDED'
        : p.status === 'closed'
          ? 'PROGRAM_CLOSED'
          : 'PROGRAM_NOT_ACTIVE';
  throw rejected(`program ${p.id} is ${p.status}; this needs it ${allowed.join(' or ')}`, code, 'program');
}

/** Records an alert (stored, queryable) and emits it as an 'Alert' event. Caller saves the program. */
export async function raiseAlert(
  ctx: LianjianContext,
  p: Program,
  alert: string,
  detail: string,
  extra: { request?: string; accounts?: string[] } = {},
): Promise<Alert> {
  p.alertSeq += 1;
  const a: Alert = {
    program: p.id,
    seq: p.alertSeq,
    alert,
    ...(extra.request ? { request: extra.request } : {}),
    detail,
    time: ctx.time().toISOString(),
    txId: ctx.stub.getTxID(),
  };
  await putJson(ctx, svKeys.alert(p.id, a.seq), a);
  ctx.emit({ type: 'Alert', accounts: extra.accounts ?? [], ...a });
  return a;
}

/** An audit trail entry for regulator actions (the reasons live here, not only in events). */
export async function recordAction(
  ctx: LianjianContext,
  p: Program,
  action: string,
  by: string,
  detail: Record<string, unknown>,
): Promise<void> {
  p.actionSeq += 1;
  await putJson(ctx, svKeys.action(p.id, p.actionSeq), {
    seq: p.actionSeq,
    action,
    by,
    ...detail,
    time: ctx.time().toISOString(),
    txId: ctx.stub.getTxID(),
  });
}

export const addFen = (a: string | undefined, b: bigint): string => (BigInt(a ?? '0') + b).toString();
