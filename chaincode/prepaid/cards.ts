/**
 * Hardware wallets (硬钱包): a card is a 'wallet' account (topped up by mirrored deposits) with
 * a registered SM2 key. POS terminals collect signed offline payments and sync them later.
 * Each card counter value pays once: a second, different payment with a used counter is a
 * double spend, flagged by an Alert and recorded as rejected (never thrown, so the flag stays).
 */
import { invalid, rejected } from '../lib/errors';
import { sm3, verify } from '../lib/gm';
import { fen, parseFen } from '../lib/money';
import { requireHex, requireId, requireInt, requireText } from '../lib/validate';
import type { LianjianContext, Member } from '../core/context';
import { keptAccount } from '../core/access';
import { Account, accountKey, moveLots, readAccount } from '../core/lots';
import { walletProblem } from '../core/wallets';
import { getJson, putJson } from '../core/state';
import { DAY_MS } from '../lib/china-time';
import { MAX_BATCH } from './policy';
import { CardPayment, cardPaymentMessage, ISO_TIME_RE } from './messages';
import { Card, CardPaymentRecord, ppKeys } from './types';

export async function registerCard(
  ctx: LianjianContext,
  bank: Member,
  id: string,
  account: string,
  publicKey: string,
): Promise<Card> {
  requireId(id, 'card');
  requireHex(publicKey, 'publicKey', 65);
  const acct = await keptAccount(ctx, bank, account);
  if (acct.kind !== 'wallet')
    throw rejected(`a card must be a wallet account; ${account} is ${acct.kind}`, 'WALLET_REQUIRED', 'account');
  const card: Card = { id, account: acct.id, owner: acct.owner, publicKey, registeredBy: bank.handle };
  const prev = await getJson<Card>(ctx, ppKeys.card(id));
  if (prev) {
    if (prev.account === card.account && prev.publicKey === publicKey) return prev;
    throw rejected(`card ${id} is registered with another account or key`, 'IDEMPOTENCY_CONFLICT', 'card');
  }
  await putJson(ctx, ppKeys.card(id), card);
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

const resultOf = (
  r: Pick<CardPaymentRecord, 'card' | 'counter' | 'status' | 'code'>,
  duplicate = false,
): SyncResult => ({
  card: r.card,
  counter: r.counter,
  status: r.status,
  ...(r.code ? { code: r.code } : {}),
  ...(duplicate ? { duplicate } : {}),
});

type Problem = { code: string; detail: string } | undefined;

/** Why an authentic, first-seen payment cannot move money now: accounts, balance, clock, wallet limits. */
async function applyProblem(ctx: LianjianContext, p: CardPayment, from: Account, to: Account): Promise<Problem> {
  const amount = BigInt(p.amount);
  if (from.status !== 'active' || to.status !== 'active')
    return { code: 'ACCOUNT_NOT_ACTIVE', detail: `card account ${from.status}, payee ${to.status}` };
  if (BigInt(from.balance) < amount) {
    ctx.emit({ type: 'Alert', alert: 'CARD_OVERSPEND', accounts: [from.id, to.id], card: p.card, counter: p.counter });
    return {
      code: 'INSUFFICIENT_CARD_BALANCE',
      detail: `card ${p.card} holds ${from.balance} fen, payment ${p.amount}`,
    };
  }
  const payMs = Date.parse(p.time);
  // Limits are counted on the card's signed clock; a clock running ahead of the chain is suspect.
  if (payMs > ctx.time().getTime() + DAY_MS)
    return { code: 'PAYMENT_IN_FUTURE', detail: `payment time ${p.time} is ahead of the chain time` };
  return walletProblem(ctx, { from, to, amount, atMs: payMs });
}

/** Why a payment is refused for good (forged, double spent, unknown card), or undefined. */
function authenticityProblem(
  ctx: LianjianContext,
  p: CardPayment,
  card: Card | undefined,
  seen: CardPaymentRecord | undefined,
): Problem {
  if (!card) return { code: 'CARD_NOT_FOUND', detail: `no card ${p.card}` };
  if (!verify(card.publicKey, cardPaymentMessage(p), p.signature))
    return { code: 'BAD_SIGNATURE', detail: 'signature does not verify with the card key' };
  if (!seen) return undefined;
  ctx.emit({
    type: 'Alert',
    alert: 'CARD_DOUBLE_SPEND',
    accounts: [card.account, p.payee],
    card: p.card,
    counter: p.counter,
    first: seen.txId,
  });
  return {
    code: 'DOUBLE_SPEND',
    detail: `counter ${p.counter} of card ${p.card} was already spent in tx ${seen.txId}`,
  };
}

/**
 * Applies one offline payment to one of the caller's own accounts; every outcome on the
 * caller's account is a record, so a replayed batch changes nothing. A payee that is not the
 * caller's gets no record and no event (a merchant writes nothing against another's account).
 */
export async function syncOne(ctx: LianjianContext, me: Member, p: CardPayment): Promise<SyncResult> {
  const payee = await getJson<Account>(ctx, accountKey(p.payee));
  if (!payee || payee.owner !== me.handle)
    return { card: p.card, counter: p.counter, status: 'rejected', code: 'NOT_PAYEE' };
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
  // Forgeries and double spends are final; other rejections (balance not yet mirrored, limits) retry on re-sync.
  const again = await getJson<CardPaymentRecord>(ctx, ppKeys.cardReject(p.card, hash));
  if (again && FINAL.includes(again.code!)) return resultOf(again, true);
  const seen = await getJson<CardPaymentRecord>(ctx, ppKeys.cardPay(p.card, p.counter));
  if (seen && seen.hash === hash) return resultOf(seen, true);
  const card = await getJson<Card>(ctx, ppKeys.card(p.card));
  const from = card && (await readAccount(ctx, card.account));
  const problem = authenticityProblem(ctx, p, card, seen) ?? (await applyProblem(ctx, p, from!, payee));
  if (problem) {
    const r: CardPaymentRecord = { ...base, status: 'rejected', ...problem };
    await putJson(ctx, ppKeys.cardReject(p.card, hash), r);
    ctx.emit({
      type: 'CardPaymentRejected',
      accounts: [p.payee],
      card: p.card,
      counter: p.counter,
      code: problem.code,
    });
    return resultOf(r);
  }
  const amount = BigInt(p.amount);
  const legs = await moveLots(ctx, {
    from: from!,
    to: payee,
    amount,
    kind: 'card_payment',
    ref: `${p.card}:${p.counter}`,
    atMs: Date.parse(p.time),
  });
  const r: CardPaymentRecord = { ...base, status: 'accepted' };
  await putJson(ctx, ppKeys.cardPay(p.card, p.counter), r);
  ctx.emit({
    type: 'CardPaymentAccepted',
    accounts: [from!.id, payee.id],
    card: p.card,
    counter: p.counter,
    amount: fen(amount),
    legs,
  });
  return resultOf(r);
}
