/**
 * Supervised money leaving in the bank's books (预售资金被直接划扣). A supervised account's money
 * leaves only by an approved release, whose payout the bank books itself (never mirrored). So a
 * mirrored withdrawal out of an account under a program is a movement no one approved: the chain
 * records it as it must (the books moved the money), raises an alert on the program naming the
 * amount and the book entry, and opens a case the program's regulator resolves with a note. The
 * program report lists them.
 */
import type { Account } from '../core/account';
import type { LianjianContext } from '../core/context';
import { getJson, listJson, putJson, range } from '../core/state';
import { rejected } from '../lib/errors';
import { fen } from '../lib/money';
import { requireId, requireText } from '../lib/validate';
import { svKeys, loadProgram, raiseAlert, saveProgram } from './store';
import { requireProgramRegulator } from './access';
import type { Program } from './types';

export const OFF_CHAIN_ALERT = 'UNAPPROVED_OFF_CHAIN_DEBIT';

/** The case a flagged movement opens (key: program, book entry). */
export interface OffChainDebit {
  program: string;
  account: string;
  offTxId: string; // the book entry
  amount: string;
  alert: number; // the program alert's seq
  status: 'open' | 'resolved';
  note?: string;
  resolvedBy?: string;
  time: string;
  txId: string;
}

/** What the mirror reports back: the oracle opens its reconciliation case from it. */
export interface OffChainFlag {
  program: string;
  alert: number;
  amount: string;
  offTxId: string;
}

/** Flags a mirrored withdrawal out of a supervised account; undefined when the account is not under a program. */
export async function flagOffChainDebit(
  ctx: LianjianContext,
  acct: Account,
  m: { amount: bigint; offTxId: string },
): Promise<OffChainFlag | undefined> {
  const p = acct.program ? await getJson<Program>(ctx, svKeys.program(acct.program)) : undefined;
  if (!p) return undefined;
  const a = await raiseAlert(
    ctx,
    p,
    OFF_CHAIN_ALERT,
    `${fen(m.amount)} fen left supervised account ${acct.id} in the bank's books (entry ${m.offTxId}) without an approved release`,
    { accounts: [acct.id] },
  );
  const rec: OffChainDebit = {
    program: p.id,
    account: acct.id,
    offTxId: m.offTxId,
    amount: fen(m.amount),
    alert: a.seq,
    status: 'open',
    time: ctx.time().toISOString(),
    txId: ctx.stub.getTxID(),
  };
  await putJson(ctx, svKeys.offChain(p.id, m.offTxId), rec);
  await saveProgram(ctx, p);
  return { program: p.id, alert: a.seq, amount: rec.amount, offTxId: m.offTxId };
}

/** The program's flagged movements, oldest book entry first. */
export const offChainDebits = (ctx: LianjianContext, p: Program): Promise<OffChainDebit[]> =>
  listJson<OffChainDebit>(ctx, range('sv', 'offchain', p.id));

/**
 * The program's regulator closes a case with what it found (e.g. a court deduction, a bank error
 * reversed). Resolving it again with the same note changes nothing.
 * @throws LedgerError 422 CASE_NOT_FOUND / CASE_RESOLVED
 */
export async function resolveOffChainDebit(
  ctx: LianjianContext,
  programId: string,
  offTxId: string,
  note: string,
): Promise<OffChainDebit> {
  const p = await loadProgram(ctx, programId);
  const reg = await requireProgramRegulator(ctx, p);
  requireText(note, 'note', 2000);
  const k = svKeys.offChain(p.id, requireId(offTxId, 'offTxId'));
  const c = await getJson<OffChainDebit>(ctx, k);
  if (!c) throw rejected(`program ${p.id} has no flagged book entry ${offTxId}`, 'CASE_NOT_FOUND', 'offTxId');
  if (c.status === 'resolved') {
    if (c.note === note) return c;
    throw rejected(`the case of book entry ${offTxId} was resolved already`, 'CASE_RESOLVED', 'offTxId');
  }
  Object.assign(c, { status: 'resolved', note, resolvedBy: reg.handle });
  await putJson(ctx, k, c);
  ctx.emit({ type: 'OffChainDebitResolved', accounts: [c.account], program: p.id, offTxId: c.offTxId, note });
  return c;
}
