/**
 * Money:transfer — the owner moves money to another account. Keyed by the caller's request id:
 * a replay with the same values returns the first transfer. A supervised account pays only by
 * a payment request; a locked escrow or payout account takes nothing in; wallet tier limits
 * apply both ways (chaincode/core/wallets.ts).
 */
import { conflict, forbidden, notFound } from '../lib/errors';
import { fen, parseFen } from '../lib/money';
import { requireId, requireText } from '../lib/validate';
import { Leg, readAccount, requireUsable } from './account';
import { accountFor, ownedAccount } from './access';
import type { LianjianContext, Member } from './context';
import { moveLots } from './lots';
import { getJson, key, putJson } from './state';

export interface Transfer {
  id: string;
  from: string;
  to: string;
  amount: string;
  purpose: string;
  ref: string;
  legs: Leg[];
  txId: string;
  time: string;
  by: string;
}

export interface TransferRequest {
  id: string;
  from: string;
  to: string;
  amount: string;
  purpose: string;
  ref: string;
}

export const transferKey = (id: string): string => key('xfer', id);

/**
 * Moves `amount` from the caller's account `from` to `to`.
 * @throws LedgerError 404 ACCOUNT_NOT_FOUND, 403 NOT_ACCOUNT_OWNER / SUPERVISED_ACCOUNT / ACCOUNT_LOCKED,
 *   409 IDEMPOTENCY_CONFLICT, 422 INSUFFICIENT_FUNDS / ACCOUNT_FROZEN / WALLET_* limits
 */
export async function transfer(ctx: LianjianContext, me: Member, r: TransferRequest): Promise<Transfer> {
  requireId(r.id, 'id');
  const value = parseFen(r.amount, 'amount');
  requireText(r.purpose, 'purpose', 256);
  requireText(r.ref, 'ref', 128, true);
  const src = await ownedAccount(ctx, me, r.from, 'from');
  const dst = await readAccount(ctx, requireId(r.to, 'to'), 'to');
  const prev = await getJson<Transfer>(ctx, transferKey(r.id));
  if (prev) {
    const same =
      prev.by === me.handle &&
      prev.from === r.from &&
      prev.to === r.to &&
      prev.amount === fen(value) &&
      prev.purpose === r.purpose &&
      prev.ref === r.ref;
    if (same) return prev;
    throw conflict(`transfer id ${r.id} is taken; use another request id`, 'IDEMPOTENCY_CONFLICT', 'id');
  }
  if (src.program)
    throw forbidden(
      `account ${src.id} is supervised by program ${src.program}; use a payment request`,
      'SUPERVISED_ACCOUNT',
      'from',
    );
  requireUsable(src, 'from', 'debit');
  requireUsable(dst, 'to', 'credit');
  // A locked escrow (prepaid contract) or payout account lets out only its own color: anything else sent in would be stuck.
  if (dst.program && (dst.kind === 'escrow' || dst.kind === 'payout'))
    throw forbidden(
      `account ${dst.id} is locked to ${dst.program}; only its contract or program moves money into it`,
      'ACCOUNT_LOCKED',
      'to',
    );
  const legs = await moveLots(ctx, { from: src, to: dst, amount: value, kind: 'transfer', ref: r.ref || r.id });
  const t: Transfer = {
    id: r.id,
    from: src.id,
    to: dst.id,
    amount: fen(value),
    purpose: r.purpose,
    ref: r.ref,
    legs,
    txId: ctx.stub.getTxID(),
    time: ctx.time().toISOString(),
    by: me.handle,
  };
  await putJson(ctx, transferKey(r.id), t);
  ctx.emit({ type: 'Transferred', accounts: [src.id, dst.id], id: r.id, amount: t.amount, purpose: r.purpose });
  return t;
}

/**
 * A transfer the caller may read (it may read its `from` or its `to` account).
 * @throws LedgerError 404 TRANSFER_NOT_FOUND alike for missing and unreadable ids
 */
export async function transferFor(ctx: LianjianContext, me: Member, id: string): Promise<Transfer> {
  const t = await getJson<Transfer>(ctx, transferKey(requireId(id, 'id')));
  const readable = async (acct: string): Promise<boolean> =>
    accountFor(ctx, me, acct).then(
      () => true,
      () => false,
    );
  if (!t || !((await readable(t.from)) || (await readable(t.to))))
    throw notFound('id', `no transfer ${id}`, 'TRANSFER_NOT_FOUND');
  return t;
}
