/**
 * Hardware wallets (硬钱包): a card is a 'wallet' account (topped up by mirrored deposits) with
 * a registered SM2 key. POS terminals collect signed offline payments and sync them later.
 * Each card counter value pays once: a second, different payment with a used counter is a
 * double spend, flagged by an Alert and recorded as rejected (never thrown, so the flag stays).
 */
import { forbidden, invalid, rejected } from '../lib/errors';
import { sm3, verify } from '../lib/gm';
import { fen, parseFen } from '../lib/money';
import { requireHex, requireId, requireInt, requireText } from '../lib/validate';
import type { LianjianContext, Member } from '../core/context';
import { Account, accountKey, moveLots, readAccount } from '../core/lots';
import { getJson, putJson } from '../core/state';
import { DAY_MS } from '../lib/china-time';
import { MAX_BATCH } from './policy';
import { CardPayment, cardPaymentMessage, ISO_TIME_RE } from './messages';
import { chargeDaily, checkTier } from './store';
import { Card, CardPaymentRecord, K } from './types';

export async function registerCard(
  ctx: LianjianContext,
  bank: Member,
  id: string,
  account: string,
  publicKey: string,
): Promise<Card> {
  requireId(id, 'card');
  requireHex(publicKey, 'publicKey', 65);
  const acct = await readAccount(ctx, requireId(account, 'account'));
  if (acct.bank !== bank.mspId)
    throw forbidden(`account ${account} is kept by ${acct.bank}`, 'NOT_ACCOUNT_BANK', 'account');
  if (acct.kind !== 'wallet')
    throw rejected(`a card must be a wallet account; ${account} is ${acct.kind}`, 'WALLET_REQUIRED', 'account');
  const card: Card = { id, account: acct.id, owner: acct.owner, publicKey, registeredBy: bank.handle };
  const prev = await getJson<Card>(ctx, K.card(id));
  if (prev) {
    if (prev.account === card.account && prev.publicKey === publicKey) return prev;
    throw rejected(`card ${id} is registered with another account or key`, 'IDEMPOTENCY_CONFLICT', 'card');
  }
  await putJson(ctx, K.card(id), card);
  ctx.emit({ type: 'CardRegistered', accounts: [acct.id], card: id, owner: acct.owner });
  return card;
}

function parsePayment(raw: unknown, i: number): CardPayment {
  const p = raw as Partial<CardPayment>;
  if (!p || typeof p !== 'object') throw invalid(`payments[${i}]`, 'each payment must be an object');
  const f = (name: string) => `payments[${i}].${name}`;
  requireId(p.card, f('card'));
  requireId(p.payee, f('payee'));
  parseFen(p.amount, f('amount'));
  requireInt(p.counter, f('counter'), 1);
  if (typeof p.time !== 'string' || !ISO_TIME_RE.test(p.time) || Number.isNaN(Date.parse(p.time)))
    throw invalid(f('time'), `${f('time')} must be a UTC ISO time`);
  requireText(p.signature, f('signature'), 300);
  return p as CardPayment;
}

export function parseBatch(json: string): CardPayment[] {
  let o: { payments?: unknown };
  try {
    o = JSON.parse(json) as { payments?: unknown };
  } catch {
    throw invalid('batch', 'batch is not valid JSON');
  }
  if (!o || !Array.isArray(o.payments) || o.payments.length === 0 || o.payments.length > MAX_BATCH) {
    throw invalid('batch', `batch must be {"payments": [...]} with 1 to ${MAX_BATCH} payments`);
  }
  return o.payments.map(parsePayment);
}

const FINAL = ['BAD_SIGNATURE', 'DOUBLE_SPEND'];

export type SyncResult = Pick<CardPaymentRecord, 'card' | 'counter' | 'status' | 'code'> & { duplicate?: boolean };

/** Applies one offline payment; every outcome is a record, so a replayed batch changes nothing. */
export async function syncOne(ctx: LianjianContext, me: Member, p: CardPayment): Promise<SyncResult> {
  const hash = sm3(cardPaymentMessage(p) + '|' + p.signature);
  const base = {
    card: p.card,
    counter: p.counter,
    payee: p.payee,
    amount: p.amount,
    time: p.time,
    hash,
    syncedBy: me.handle,
    txId: ctx.stub.getTxID(),
  };
  const out = (r: CardPaymentRecord, duplicate = false): SyncResult => ({
    card: r.card,
    counter: r.counter,
    status: r.status,
    ...(r.code ? { code: r.code } : {}),
    ...(duplicate ? { duplicate } : {}),
  });
  const reject = async (code: string, detail: string): Promise<SyncResult> => {
    const r: CardPaymentRecord = { ...base, status: 'rejected', code, detail };
    await putJson(ctx, K.cardReject(p.card, hash), r);
    ctx.emit({ type: 'CardPaymentRejected', accounts: [p.payee], card: p.card, counter: p.counter, code });
    return out(r);
  };

  // Forgeries and double spends are final; other rejections (balance not yet mirrored, limits) retry on re-sync.
  const again = await getJson<CardPaymentRecord>(ctx, K.cardReject(p.card, hash));
  if (again && FINAL.includes(again.code!)) return out(again, true);
  const seen = await getJson<CardPaymentRecord>(ctx, K.cardPay(p.card, p.counter));
  if (seen && seen.hash === hash) return out(seen, true);

  const payee = await getJson<Account>(ctx, accountKey(p.payee));
  if (!payee || payee.owner !== me.handle)
    return reject('NOT_PAYEE', `payee ${p.payee} is not an account of ${me.handle}`);
  const card = await getJson<Card>(ctx, K.card(p.card));
  if (!card) return reject('CARD_NOT_FOUND', `no card ${p.card}`);
  if (!verify(card.publicKey, cardPaymentMessage(p), p.signature))
    return reject('BAD_SIGNATURE', 'signature does not verify with the card key');
  if (seen) {
    ctx.emit({
      type: 'Alert',
      alert: 'CARD_DOUBLE_SPEND',
      accounts: [card.account, p.payee],
      card: p.card,
      counter: p.counter,
      first: seen.txId,
    });
    return reject('DOUBLE_SPEND', `counter ${p.counter} of card ${p.card} was already spent in tx ${seen.txId}`);
  }
  const amount = BigInt(p.amount);
  const from = await readAccount(ctx, card.account);
  const to = await readAccount(ctx, p.payee);
  if (from.status !== 'active' || to.status !== 'active')
    return reject('ACCOUNT_NOT_ACTIVE', `card account ${from.status}, payee ${to.status}`);
  if (BigInt(from.balance) < amount) {
    ctx.emit({
      type: 'Alert',
      alert: 'CARD_OVERSPEND',
      accounts: [card.account, p.payee],
      card: p.card,
      counter: p.counter,
    });
    return reject('INSUFFICIENT_CARD_BALANCE', `card ${p.card} holds ${from.balance} fen, payment ${p.amount}`);
  }
  const payMs = Date.parse(p.time);
  // Limits are counted on the card's signed clock; a clock running ahead of the chain is suspect.
  if (payMs > ctx.time().getTime() + DAY_MS)
    return reject('PAYMENT_IN_FUTURE', `payment time ${p.time} is ahead of the chain time`);
  const broken = await checkTier(ctx, card.account, amount, payMs);
  if (broken) return reject(broken.code, broken.detail);
  await chargeDaily(ctx, card.account, amount, payMs);
  const legs = await moveLots(ctx, { from, to, amount, kind: 'card_payment', ref: `${p.card}:${p.counter}` });
  const r: CardPaymentRecord = { ...base, status: 'accepted' };
  await putJson(ctx, K.cardPay(p.card, p.counter), r);
  ctx.emit({
    type: 'CardPaymentAccepted',
    accounts: [from.id, to.id],
    card: p.card,
    counter: p.counter,
    amount: fen(amount),
    legs,
  });
  return out(r);
}
