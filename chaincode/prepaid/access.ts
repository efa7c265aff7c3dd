/**
 * Who may see and act on prepaid records, decided here for every transaction (docs/access.md):
 * - a contract: its consumer, its merchant, the bank (and oracle) keeping its escrow, regulators
 *   and auditors by mandate;
 * - a merchant: anyone once approved (a public listing); the applicant and the mandate before;
 * - a card payment: the card's holder, the bank keeping the card's wallet, the merchant paid,
 *   regulators and auditors.
 * Anyone else is told the record does not exist, alike for missing and unreadable ids.
 */
import { hasMandate, isAccountBank } from '../core/access';
import { readAccount } from '../core/account';
import type { LianjianContext, Member } from '../core/context';
import { getJson } from '../core/state';
import { notFound } from '../lib/errors';
import { requireId, requireInt } from '../lib/validate';
import { loadContract, loadMerchant } from './store';
import { Card, CardPaymentRecord, Merchant, ppKeys, PrepaidContractRecord } from './types';

/** Whether `me` may read contract `c` of merchant `m`. */
export async function canReadContract(
  ctx: LianjianContext,
  me: Member,
  c: PrepaidContractRecord,
  m: Merchant,
): Promise<boolean> {
  if (me.handle === c.consumer || me.handle === m.member || hasMandate(me)) return true;
  const escrow = await readAccount(ctx, c.escrow).catch(() => undefined);
  return !!escrow && isAccountBank(me, escrow);
}

/**
 * The contract if `me` may read it, with its merchant.
 * @throws LedgerError 404 CONTRACT_NOT_FOUND alike for missing and unreadable ids
 */
export async function contractFor(
  ctx: LianjianContext,
  me: Member,
  id: string,
  field = 'contract',
): Promise<{ c: PrepaidContractRecord; m: Merchant }> {
  const c = await loadContract(ctx, requireId(id, field), field);
  const m = await loadMerchant(ctx, c.merchant);
  if (!(await canReadContract(ctx, me, c, m)))
    throw notFound(field, `no prepaid contract ${c.id}`, 'CONTRACT_NOT_FOUND');
  return { c, m };
}

/** Approved and frozen merchants are a public listing; an application is the applicant's and the mandate's. */
export const canReadMerchant = (me: Member, m: Merchant): boolean =>
  m.status === 'approved' || m.status === 'frozen' || me.handle === m.member || hasMandate(me);

/**
 * The merchant if `me` may read it.
 * @throws LedgerError 404 MERCHANT_NOT_FOUND alike for missing and unreadable ids
 */
export async function merchantFor(ctx: LianjianContext, me: Member, id: string, field = 'merchant'): Promise<Merchant> {
  const m = await loadMerchant(ctx, requireId(id, field), field);
  if (!canReadMerchant(me, m)) throw notFound(field, `no merchant ${m.id}`, 'MERCHANT_NOT_FOUND');
  return m;
}

/**
 * An accepted card payment `me` may read: the card's holder or wallet bank, the merchant paid,
 * regulators and auditors.
 * @throws LedgerError 404 CARD_PAYMENT_NOT_FOUND alike for missing and unreadable payments
 */
export async function cardPaymentFor(
  ctx: LianjianContext,
  me: Member,
  cardId: string,
  counter: string,
): Promise<CardPaymentRecord> {
  const n = requireInt(counter, 'counter', 1);
  const r = await getJson<CardPaymentRecord>(ctx, ppKeys.cardPay(requireId(cardId, 'card'), n));
  const card = r && (await getJson<Card>(ctx, ppKeys.card(r.card)));
  const wallet = card && (await readAccount(ctx, card.account).catch(() => undefined));
  const payee = r && (await readAccount(ctx, r.payee).catch(() => undefined));
  const ok =
    !!r &&
    (hasMandate(me) ||
      me.handle === card?.owner ||
      (!!wallet && isAccountBank(me, wallet)) ||
      me.handle === payee?.owner);
  if (!ok) throw notFound('counter', `no accepted payment ${cardId}#${n}`, 'CARD_PAYMENT_NOT_FOUND');
  return r;
}
