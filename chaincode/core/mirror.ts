/**
 * Mirrors of the banks' books: money enters and leaves the chain only as a mirrored deposit or
 * withdrawal, submitted by an oracle of the bank that keeps the account and SM2-signed by it,
 * keyed by (bank, off-chain transaction id) so a replay returns the first result. What the books
 * did is a fact the chain records; what breaks a rule raises an Alert instead of a refusal:
 * money leaving a frozen account, money leaving an account a business holds (a supervised
 * account is flagged on its program: chaincode/supervision/off-chain.ts), a wallet over its tier.
 */
import { conflict, forbidden, rejected } from '../lib/errors';
import { verify } from '../lib/gm';
import { fen, parseFen } from '../lib/money';
import { requireId } from '../lib/validate';
import { flagOffChainDebit, OffChainFlag } from '../supervision/off-chain';
import { Account, Leg, readAccount } from './account';
import { accountNotFound } from './access';
import type { LianjianContext, Member } from './context';
import { burn, mint } from './lots';
import { getJson, key, putJson, seqKey } from './state';

export interface Mirror {
  kind: 'deposit' | 'withdrawal';
  bank: string;
  account: string;
  offTxId: string;
  amount: string;
  color: string;
  txId: string;
  legs: Leg[];
  /** A withdrawal out of a supervised account: the program alert and case it raised. */
  flagged?: OffChainFlag;
}

/** What an oracle attests of one mirrored movement (`color` '' for a withdrawal, else the painted color). */
export interface MirrorFields {
  kind: string;
  bank: string;
  account: string;
  offTxId: string;
  amount: string;
  color: string;
}

/** The exact text an oracle signs for one mirrored movement. */
export const mirrorMessage = (m: MirrorFields): string =>
  ['lianjian-mirror', m.kind, m.bank, m.account, m.offTxId, m.amount, m.color].join('|');

export interface MirrorRequest {
  kind: Mirror['kind'];
  account: string;
  amount: string;
  offTxId: string;
  color: string;
  attestation: string;
}

/** The account, if the oracle's bank keeps it; anything else is "no such account". */
async function oracleAccount(ctx: LianjianContext, oracle: Member, id: string): Promise<Account> {
  const acct = await readAccount(ctx, requireId(id, 'account'));
  if (oracle.mspId !== acct.bank) throw accountNotFound(acct.id, 'account');
  return acct;
}

/** Alerts for a movement the books made that the chain would not have allowed. */
async function alertsFor(ctx: LianjianContext, acct: Account, rec: Mirror): Promise<void> {
  if (acct.status === 'frozen')
    ctx.emit({ type: 'Alert', alert: 'FROZEN_ACCOUNT_MOVED_OFF_CHAIN', accounts: [acct.id], offTxId: rec.offTxId });
  if (rec.kind !== 'withdrawal' || !acct.program) return;
  const flag = await flagOffChainDebit(ctx, acct, { amount: BigInt(rec.amount), offTxId: rec.offTxId });
  if (flag) rec.flagged = flag;
  else
    ctx.emit({
      type: 'Alert',
      alert: 'LOCKED_ACCOUNT_MOVED_OFF_CHAIN',
      accounts: [acct.id],
      lock: acct.program,
      amount: rec.amount,
      offTxId: rec.offTxId,
    });
}

/**
 * Records one mirrored deposit or withdrawal.
 * @throws LedgerError 404 ACCOUNT_NOT_FOUND (not kept by the oracle's bank), 403 BAD_ATTESTATION,
 *   409 IDEMPOTENCY_CONFLICT, 422 ACCOUNT_CLOSED / INSUFFICIENT_FUNDS
 */
export async function mirror(ctx: LianjianContext, oracle: Member, r: MirrorRequest): Promise<Mirror> {
  const acct = await oracleAccount(ctx, oracle, r.account);
  const value = parseFen(r.amount, 'amount');
  requireId(r.offTxId, 'offTxId');
  const paint = r.kind === 'deposit' ? (r.color ? requireId(r.color, 'color') : `dep:${acct.id}`) : '';
  const signed = mirrorMessage({
    kind: r.kind,
    bank: acct.bank,
    account: acct.id,
    offTxId: r.offTxId,
    amount: fen(value),
    color: paint,
  });
  if (!oracle.publicKey || !verify(oracle.publicKey, signed, r.attestation))
    throw forbidden(
      'attestation is not a valid SM2 signature of this record by the oracle',
      'BAD_ATTESTATION',
      'attestation',
    );
  const mk = key('mirror', acct.bank, r.offTxId);
  const prev = await getJson<Mirror>(ctx, mk);
  if (prev) {
    if (prev.kind === r.kind && prev.account === acct.id && prev.amount === fen(value) && prev.color === paint)
      return prev;
    throw conflict(
      `off-chain transaction ${r.offTxId} was mirrored with other values`,
      'IDEMPOTENCY_CONFLICT',
      'offTxId',
    );
  }
  if (acct.status === 'closed' || acct.status === 'pending')
    throw rejected(`account ${acct.id} is ${acct.status}`, `ACCOUNT_${acct.status.toUpperCase()}`, 'account');
  const node = `${r.kind}:${acct.bank}:${r.offTxId}`;
  const legs =
    r.kind === 'deposit'
      ? [await mint(ctx, acct, { amount: value, color: paint, source: node, ref: r.offTxId })]
      : await burn(ctx, acct, { amount: value, sink: node, ref: r.offTxId });
  const rec: Mirror = {
    kind: r.kind,
    bank: acct.bank,
    account: acct.id,
    offTxId: r.offTxId,
    amount: fen(value),
    color: paint,
    txId: ctx.stub.getTxID(),
    legs,
  };
  ctx.emit({
    type: r.kind === 'deposit' ? 'Deposited' : 'Withdrawn',
    accounts: [acct.id],
    amount: rec.amount,
    offTxId: r.offTxId,
    color: paint,
  });
  await alertsFor(ctx, acct, rec);
  await putJson(ctx, mk, rec);
  await putJson(ctx, key('mirrors', acct.id, seqKey(acct.histSeq)), { bank: acct.bank, offTxId: r.offTxId });
  return rec;
}
