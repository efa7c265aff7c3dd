/** Prepaid scenario helpers over the lead's harness: merchants, wallets, purchases, signatures, events. */
import { signCall } from '../../ledger/intents';
import { expect } from 'chai';
import type { DomainEvent } from '../../chaincode/core/context';
import { sign } from '../../chaincode/lib/gm';
import { useMessage } from '../../chaincode/prepaid/messages';
import { handleOf, Harness } from '../support/harness';

export const CONSUMER = handleOf('consumer1');

/** merchant1 applies with a settlement account; regulator1 approves. */
export async function onboard(h: Harness, category: string, region: string): Promise<{ id: string; account: string }> {
  const id = h.uid(`m-${category}`);
  const account = h.uid('settle');
  await h.openAccount(account, 'merchant1', 'settlement');
  await h.submit('merchant1', 'Prepaid:applyMerchant', id, `${category} shop`, category, region, account);
  await h.submit('regulator1', 'Prepaid:reviewMerchant', id, 'approve', 'licence checked');
  return { id, account };
}

export async function plan(h: Harness, merchant: string, terms: Record<string, unknown>): Promise<any> {
  const id = h.uid('plan');
  return h.submit('merchant1', 'Prepaid:createPlan', JSON.stringify({ id, merchant, name: 'course', ...terms }));
}

/** A consumer1 e-CNY wallet holding `amount` fen (a mirrored deposit), of tier `tier`. */
export async function wallet(h: Harness, amount: bigint, tier = 2): Promise<string> {
  const id = h.uid('wallet');
  await h.openAccount(id, 'consumer1', 'wallet');
  await h.submit('bank1', 'Prepaid:setWalletTier', id, String(tier));
  if (amount > 0n) await h.deposit(id, amount);
  return id;
}

/** bank1 opens the escrow; consumer1 buys `planId` from `walletId`. */
export async function buy(h: Harness, planId: string, walletId: string): Promise<any> {
  const id = h.uid('ctr');
  const escrow = `esc-${id}`;
  await h.openAccount(escrow, 'consumer1', 'escrow');
  return h.submit('consumer1', 'Prepaid:purchase', id, planId, walletId, escrow);
}

/** consumer1 co-signs lesson `seq`; merchant1 submits it. */
export async function useLesson(
  h: Harness,
  contract: string,
  seq: number,
  units = 1,
  time = new Date().toISOString(),
): Promise<any> {
  const c = h.id('consumer1');
  const sig = sign(c.sm2.privateKey, useMessage(contract, seq, units, time), c.sm2.publicKey);
  return h.submit('merchant1', 'Prepaid:consume', contract, String(seq), String(units), time, '', sig);
}

/** Submits and returns the result with the domain events the transaction emitted. */
export async function submitWithEvents(
  h: Harness,
  who: string,
  fn: string,
  ...args: string[]
): Promise<{ result: any; events: DomainEvent[] }> {
  const r = await h.ledger.submit(signCall(h.id(who), { fn: fn, args: args }));
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), 300); // a tx that emitted nothing has no event to wait for
  let events: DomainEvent[] = [];
  for await (const e of h.ledger.events(r.blockNumber, ac.signal)) {
    if (e.txId === r.txId) {
      events = e.envelope.events;
      break;
    }
    if (e.blockNumber > r.blockNumber) break;
  }
  clearTimeout(timer);
  ac.abort();
  return { result: JSON.parse(r.result), events };
}

export const day = (iso: string, days: number): string => new Date(Date.parse(iso) + days * 86400000).toISOString();

export async function expectBalance(h: Harness, account: string, fen: bigint | number): Promise<void> {
  expect(await h.balance(account), account).to.equal(BigInt(fen));
}
