/**
 * Payout instructions: money leaves supervision in two steps. The chain first moves it to the
 * program's payout-pending account (colored prog:<id>) and emits PayoutInstructed; the custodian
 * bank's oracle then confirms (payout -> payee) or fails (payout -> back to the source).
 */
import type { LianjianContext } from '../core/context';
import { Account, moveLots, policyFor, readAccount, requireUsable } from '../core/lots';
import { getJson, putJson } from '../core/state';
import { conflict, forbidden, rejected } from '../lib/errors';
import { sm3 } from '../lib/gm';
import { fen } from '../lib/money';
import { requireText } from '../lib/validate';
import { instructionFor } from './access';
import { addFen, svKeys, loadLine, programColor, saveProgram } from './store';
import type { Instruction, InstructionKind, PaymentRequest, Program, Rail } from './types';

export const instructionId = (program: string, kind: InstructionKind, ref: string, n: number): string =>
  'PI' + sm3(`${program}|${kind}|${ref}|${n}`).slice(0, 40);

export function payoutAccountOf(p: Program): string {
  const id = p.accounts.payout?.[0];
  if (!id) throw rejected(`program ${p.id} has no payout account`, 'NO_PAYOUT_ACCOUNT', 'program');
  return id;
}

/** What one release, wage sheet, refund or arrears payment pays out. */
export interface Payout {
  kind: InstructionKind;
  ref: string; // request, refund or arrears id
  source: Account;
  payees: Array<{ account: Account; amount: bigint }>;
  rail: Rail;
}

/** Moves the total from the source to the payout account, then one instruction per payee. */
export async function instruct(ctx: LianjianContext, p: Program, o: Payout): Promise<Instruction[]> {
  const { kind, ref, source, payees, rail } = o;
  const payout = await readAccount(ctx, payoutAccountOf(p));
  requireUsable(source, 'source', 'debit');
  requireUsable(payout, 'payout', 'credit');
  const total = payees.reduce((s, x) => s + x.amount, 0n);
  await moveLots(ctx, {
    from: source,
    to: payout,
    amount: total,
    kind: `sv_${kind}`,
    ref: `${p.id}:${ref}`,
    recolor: programColor(p.id),
  });
  const out: Instruction[] = [];
  for (const [n, x] of payees.entries()) {
    const i: Instruction = {
      id: instructionId(p.id, kind, ref, n),
      program: p.id,
      kind,
      ref,
      account: payout.id,
      source: source.id,
      payee: x.account.id,
      payeeRef: x.account.offChainRef,
      amount: fen(x.amount),
      rail,
      status: 'instructed',
      instructedTx: ctx.stub.getTxID(),
    };
    await putJson(ctx, svKeys.instruction(i.id), i);
    await putJson(ctx, svKeys.instrByProgram(p.id, i.id), { id: i.id });
    ctx.emit({
      type: 'PayoutInstructed',
      accounts: [source.id, payout.id, i.payee],
      instructionId: i.id,
      program: p.id,
      account: payout.id,
      payee: i.payee,
      payeeRef: i.payeeRef,
      amount: i.amount,
      rail,
      kind,
    });
    out.push(i);
  }
  p.pending[kind] = addFen(p.pending[kind], total);
  return out;
}

/**
 * A final instruction reported again: the same outcome and detail returns it.
 * @throws LedgerError 409 IDEMPOTENCY_CONFLICT (same outcome, other detail) / INSTRUCTION_FINAL
 */
function replayed(i: Instruction, outcome: 'settled' | 'failed', detail: string): Instruction {
  const field = outcome === 'settled' ? 'railRef' : 'reason';
  if (i.status === outcome && (outcome === 'settled' ? i.railRef : i.reason) === detail) return i;
  if (i.status === outcome)
    throw conflict(`instruction ${i.id} was already ${outcome} with another ${field}`, 'IDEMPOTENCY_CONFLICT', field);
  throw conflict(`instruction ${i.id} is already ${i.status}`, 'INSTRUCTION_FINAL', 'instructionId');
}

/** The bank's oracle reports the rail's outcome. Works in any program status: it records an off-chain fact. */
export async function finishPayout(
  ctx: LianjianContext,
  instrId: string,
  outcome: 'settled' | 'failed',
  detail: string,
): Promise<Instruction> {
  const oracle = await ctx.requireRole('oracle');
  const { i, p } = await instructionFor(ctx, oracle, instrId);
  if (oracle.mspId !== p.bank)
    throw forbidden(
      `oracle ${oracle.handle} is not the custodian bank's (${p.bank})`,
      'ORACLE_NOT_FOR_BANK',
      'instructionId',
    );
  const field = outcome === 'settled' ? 'railRef' : 'reason';
  requireText(detail, field, outcome === 'settled' ? 128 : 512);
  if (i.status !== 'instructed') return replayed(i, outcome, detail);
  const payout = await readAccount(ctx, i.account);
  const to = await readAccount(ctx, outcome === 'settled' ? i.payee : i.source);
  requireUsable(payout, 'account', 'debit');
  requireUsable(to, outcome === 'settled' ? 'payee' : 'source', 'credit');
  const amount = BigInt(i.amount);
  await moveLots(ctx, {
    from: payout,
    to,
    amount,
    kind: outcome === 'settled' ? 'sv_payout' : 'sv_return',
    ref: i.id,
    policy: policyFor(`only:${programColor(p.id)}`),
    wallet: 'alert', // the rail already paid (or gave back): it must land
  });
  i.status = outcome;
  i.finalTx = ctx.stub.getTxID();
  if (outcome === 'settled') i.railRef = detail;
  else i.reason = detail;
  await putJson(ctx, svKeys.instruction(i.id), i);
  p.pending[i.kind] = addFen(p.pending[i.kind], -amount);
  if (outcome === 'settled') p.settled[i.kind] = addFen(p.settled[i.kind], amount);
  if (i.kind === 'release' || i.kind === 'wages') await finishRequestPart(ctx, p, i, outcome, amount);
  await saveProgram(ctx, p);
  ctx.emit({
    type: outcome === 'settled' ? 'PayoutSettled' : 'PayoutFailed',
    accounts: [payout.id, to.id],
    instructionId: i.id,
    program: p.id,
    amount: i.amount,
    [field]: detail,
  });
  return i;
}

/** Books one instruction's outcome on its request (and, for a failed release, gives back the line and day). */
async function finishRequestPart(
  ctx: LianjianContext,
  p: Program,
  i: Instruction,
  outcome: 'settled' | 'failed',
  amount: bigint,
): Promise<void> {
  const rk = svKeys.request(p.id, i.ref);
  const r = (await getJson<PaymentRequest>(ctx, rk))!;
  if (outcome === 'settled') {
    r.settledAmount = addFen(r.settledAmount, amount);
    if (r.kind === 'release') {
      p.releasedByLine[r.line] = addFen(p.releasedByLine[r.line], amount);
      p.releasedByMilestone[r.stage ?? ''] = addFen(p.releasedByMilestone[r.stage ?? ''], amount);
    }
    if (r.kind === 'wages' && r.month)
      await putJson(ctx, svKeys.wagesPaid(p.id, r.month), { request: r.id, txId: ctx.stub.getTxID() });
  } else {
    r.failedAmount = addFen(r.failedAmount, amount);
    if (r.kind === 'release') {
      const line = await loadLine(ctx, p, r.line);
      line.used = addFen(line.used, -amount);
      await putJson(ctx, svKeys.line(p.id, line.id), line);
    }
    if (r.day) {
      const d = await getJson<{ amount: string }>(ctx, svKeys.day(p.id, r.day));
      await putJson(ctx, svKeys.day(p.id, r.day), { amount: addFen(d?.amount, -amount) });
    }
  }
  const done = BigInt(r.settledAmount) + BigInt(r.failedAmount) === BigInt(r.amount);
  if (done) r.status = r.failedAmount === '0' ? 'settled' : r.settledAmount === '0' ? 'failed' : 'partial';
  await putJson(ctx, rk, r);
}
