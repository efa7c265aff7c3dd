/**
 * Who may see and act on a supervision program, decided here for every transaction
 * (docs/access.md): regulators and auditors by mandate; the supervised party; the program's
 * named approvers; the custodian bank's bank and oracle members; the oracle of the regulator's
 * org (it attests milestones). Anyone else is told the program does not exist, alike for
 * missing and unreadable ids, and learns nothing about its instructions or requests.
 */
import { hasMandate } from '../core/access';
import type { LianjianContext, Member } from '../core/context';
import { forbidden, notFound } from '../lib/errors';
import { loadInstruction, loadProgram } from './store';
import type { Instruction, Program } from './types';

/** The custodian bank's own members (bank, oracle). */
export const isCustodian = (m: Member, p: Program): boolean =>
  m.mspId === p.bank && (m.roles.includes('bank') || m.roles.includes('oracle'));

export function canReadProgram(m: Member, p: Program): boolean {
  return (
    hasMandate(m) ||
    m.handle === p.party ||
    p.policy.approvers.includes(m.handle) ||
    isCustodian(m, p) ||
    (m.roles.includes('oracle') && m.mspId === p.regulatorOrg)
  );
}

const programNotFound = (id: string, field: string): Error =>
  notFound(field, `no supervision program ${id}`, 'PROGRAM_NOT_FOUND');

/**
 * The program if `me` may read it.
 * @throws LedgerError 404 PROGRAM_NOT_FOUND when it does not exist or `me` may not read it
 */
export async function programFor(ctx: LianjianContext, me: Member, id: string, field = 'program'): Promise<Program> {
  const p = await loadProgram(ctx, id, field);
  if (!canReadProgram(me, p)) throw programNotFound(p.id, field);
  return p;
}

/**
 * A caller who is not `allowed` on the program: "no such program" unless it may read it, then
 * a 403 with `code`.
 */
export function refuse(me: Member, p: Program, code: string, detail: string, field = 'program'): Error {
  return canReadProgram(me, p) ? forbidden(detail, code, field) : programNotFound(p.id, field);
}

/**
 * An instruction of a program `me` may read.
 * @throws LedgerError 404 INSTRUCTION_NOT_FOUND alike for missing and unreadable ids
 */
export async function instructionFor(
  ctx: LianjianContext,
  me: Member,
  id: string,
): Promise<{ i: Instruction; p: Program }> {
  const i = await loadInstruction(ctx, id);
  const p = await loadProgram(ctx, i.program);
  if (!canReadProgram(me, p)) throw notFound('instructionId', `no payout instruction ${i.id}`, 'INSTRUCTION_NOT_FOUND');
  return { i, p };
}

/**
 * The program's own regulator (the bureau that created it): the one who changes it.
 * @throws LedgerError 404 PROGRAM_NOT_FOUND (not readable), 403 NOT_PROGRAM_REGULATOR
 */
export async function requireProgramRegulator(ctx: LianjianContext, p: Program): Promise<Member> {
  const m = await ctx.requireRole('regulator');
  if (m.handle !== p.regulator)
    throw refuse(m, p, 'NOT_PROGRAM_REGULATOR', `program ${p.id} is supervised by ${p.regulator}, not ${m.handle}`);
  return m;
}
