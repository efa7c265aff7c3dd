/** Supervision state: keys, loading with clear errors, alerts, and who may act on a program. */
import type { LianjianContext, Member } from '../core/context';
import { forbidden, notFound, rejected } from '../lib/errors';
import { requireId } from '../lib/validate';
import { getJson, key, putJson, seqKey } from '../core/state';
import type { Alert, BudgetLine, Instruction, PaymentRequest, Program, ProgramStatus } from './types';

export const K = {
  program: (id: string) => key('sv', 'prog', id),
  byRegulator: (reg: string, id: string) => key('sv', 'byreg', reg, id),
  line: (p: string, line: string) => key('sv', 'line', p, line),
  request: (p: string, r: string) => key('sv', 'req', p, r),
  instruction: (id: string) => key('sv', 'instr', id),
  instrByProgram: (p: string, id: string) => key('sv', 'pinstr', p, id),
  alert: (p: string, seq: number) => key('sv', 'alert', p, seqKey(seq)),
  action: (p: string, seq: number) => key('sv', 'act', p, seqKey(seq)),
  day: (p: string, day: string) => key('sv', 'day', p, day),
  near: (p: string, iso: string, r: string) => key('sv', 'near', p, iso, r),
  wagesPaid: (p: string, month: string) => key('sv', 'wpaid', p, month),
  wageCheck: (p: string, month: string) => key('sv', 'wcheck', p, month),
  // Forced refunds, arrears and the deposit release each keep their own id space.
  refund: (p: string, kind: 'refund' | 'arrears' | 'deposit', id: string) => key('sv', 'refund', p, kind, id),
};

/** Lot color of money released under a program. */
export const programColor = (id: string) => `prog:${id}`;

export async function loadProgram(ctx: LianjianContext, id: string, field = 'program'): Promise<Program> {
  const p = await getJson<Program>(ctx, K.program(requireId(id, field)));
  if (!p) throw notFound(field, `no supervision program ${id}`, 'PROGRAM_NOT_FOUND');
  return p;
}

export const saveProgram = (ctx: LianjianContext, p: Program) => putJson(ctx, K.program(p.id), p);

export async function loadLine(ctx: LianjianContext, p: Program, id: string, field = 'line'): Promise<BudgetLine> {
  const l = await getJson<BudgetLine>(ctx, K.line(p.id, requireId(id, field)));
  if (!l) throw notFound(field, `program ${p.id} has no budget line ${id}`, 'LINE_NOT_FOUND');
  return l;
}

export async function loadRequest(
  ctx: LianjianContext,
  p: Program,
  id: string,
  field = 'requestId',
): Promise<PaymentRequest> {
  const r = await getJson<PaymentRequest>(ctx, K.request(p.id, requireId(id, field)));
  if (!r) throw notFound(field, `program ${p.id} has no request ${id}`, 'REQUEST_NOT_FOUND');
  return r;
}

export async function loadInstruction(ctx: LianjianContext, id: string): Promise<Instruction> {
  const i = await getJson<Instruction>(ctx, K.instruction(requireId(id, 'instructionId')));
  if (!i) throw notFound('instructionId', `no payout instruction ${id}`, 'INSTRUCTION_NOT_FOUND');
  return i;
}

/** The program's own regulator (the bureau that created it). */
export async function requireProgramRegulator(ctx: LianjianContext, p: Program): Promise<Member> {
  const m = await ctx.requireRole('regulator');
  if (m.handle !== p.regulator)
    throw forbidden(
      `program ${p.id} is supervised by ${p.regulator}, not ${m.handle}`,
      'NOT_PROGRAM_REGULATOR',
      'program',
    );
  return m;
}

/** Regulators and auditors read everything; the party, the custodian bank and approvers read their programs. */
export async function requireProgramReader(ctx: LianjianContext, p: Program): Promise<Member> {
  const m = await ctx.requireRole('regulator', 'auditor', 'bank', 'oracle', 'enterprise', 'merchant', 'consumer');
  const ok =
    m.roles.includes('regulator') ||
    m.roles.includes('auditor') ||
    m.handle === p.party ||
    p.policy.approvers.includes(m.handle) ||
    (m.mspId === p.bank && (m.roles.includes('bank') || m.roles.includes('oracle')));
  if (!ok) throw forbidden(`${m.handle} may not read program ${p.id}`, 'NOT_PROGRAM_READER', 'program');
  return m;
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
  await putJson(ctx, K.alert(p.id, a.seq), a);
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
  await putJson(ctx, K.action(p.id, p.actionSeq), {
    seq: p.actionSeq,
    action,
    by,
    ...detail,
    time: ctx.time().toISOString(),
    txId: ctx.stub.getTxID(),
  });
}

export const addFen = (a: string | undefined, b: bigint): string => (BigInt(a ?? '0') + b).toString();
