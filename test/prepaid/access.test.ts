/**
 * Who may see and act on prepaid records (14, on chain): a contract is its consumer's, its
 * merchant's, the escrow bank's and the mandate's; a card payment its holder's, its wallet
 * bank's, the merchant's it paid and the mandate's. Anyone else gets the answer for a missing id;
 * a merchant writes nothing against another merchant's account.
 */
import { signCall } from '../../ledger/intents';
import { expect } from 'chai';
import { HardwareWalletEmulator } from '../../oracles/hwallet/emulator';
import { Harness } from '../support/harness';
import { sameAsMissing } from '../support/same';
import { buy, onboard, plan, wallet } from './fixture';

describe('prepaid access (embedded ledger, second bank org)', function () {
  this.timeout(60_000);
  let h: Harness;
  let contract: string;
  let card: HardwareWalletEmulator;
  let shop: { id: string; account: string };
  before(async () => {
    h = await Harness.create();
    await h.register({ mspId: 'Org3MSP', name: 'merchant3', roles: ['merchant'] });
    shop = await onboard(h, 'fitness', 'beijing');
    const p = await plan(h, shop.id, { mode: 'per_use', unitPrice: '1000', units: 10, coolingOffDays: 7 });
    contract = (await buy(h, p.id, await wallet(h, 50_000n))).id;
    const w = await wallet(h, 100_000n, 4);
    card = new HardwareWalletEmulator(`card-${w}`);
    await h.submit('bank1', 'Prepaid:registerCard', card.card, w, card.publicKey);
    card.topUp('100000');
    const r = await h.submit(
      'merchant1',
      'Prepaid:syncCardPayments',
      JSON.stringify({ payments: [card.pay(shop.account, '500', new Date().toISOString())] }),
    );
    expect(r.accepted).to.equal(1);
  });
  after(() => h?.close());

  it("a contract is not another merchant's, bank's or consumer's to read or act on", async () => {
    for (const who of ['Org3MSP:merchant3', 'bank2', 'consumer3', 'ent1'])
      for (const fn of ['getContract', 'refundQuote'])
        expect(await sameAsMissing(h, { who: who, fn: `Prepaid:${fn}`, args: (id) => [id], id: contract })).to.equal(
          'CONTRACT_NOT_FOUND',
        );
    await sameAsMissing(h, { who: 'consumer3', fn: 'Prepaid:refund', args: (id) => [id], id: contract, submit: true });
    await sameAsMissing(h, {
      who: 'Org3MSP:merchant3',
      fn: 'Prepaid:claimAccrued',
      args: (id) => [id],
      id: contract,
      submit: true,
    });
    for (const who of ['consumer1', 'merchant1', 'bank1', 'regulator1', 'auditor1'])
      expect((await h.evaluate(who, 'Prepaid:getContract', contract)).id).to.equal(contract);
  });

  it("a card payment is its holder's, its bank's and its merchant's", async () => {
    for (const who of ['Org3MSP:merchant3', 'bank2', 'consumer3'])
      expect(
        await sameAsMissing(h, { who: who, fn: 'Prepaid:getCardPayment', args: (id) => [id, '1'], id: card.card }),
      ).to.equal('CARD_PAYMENT_NOT_FOUND');
    for (const who of ['consumer1', 'merchant1', 'bank1', 'auditor1'])
      expect((await h.evaluate(who, 'Prepaid:getCardPayment', card.card, '1')).status).to.equal('accepted');
  });

  it("a merchant syncing a payment to another merchant's account writes nothing against it", async () => {
    const pay = card.pay(shop.account, '700', new Date().toISOString());
    const r = await h.ledger.submit(
      signCall(h.id('Org3MSP:merchant3'), {
        fn: 'Prepaid:syncCardPayments',
        args: [JSON.stringify({ payments: [pay] })],
      }),
    );
    expect(JSON.parse(r.result).results[0]).to.include({ status: 'rejected', code: 'NOT_PAYEE' });
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), 500); // a transaction without events yields nothing
    const named: string[] = [];
    for await (const ev of h.ledger.events(r.blockNumber, ctl.signal))
      if (ev.txId === r.txId) named.push(...ev.envelope.events.flatMap((e) => e.accounts ?? []));
    clearTimeout(timer);
    expect(named).to.not.include(shop.account);
    const again = await h.submit('merchant1', 'Prepaid:syncCardPayments', JSON.stringify({ payments: [pay] }));
    expect(again.results[0]).to.include({ status: 'accepted' }); // the real merchant's sync is untouched
  });

  it('a merchant application is the applicant’s and the regulator’s until approved', async () => {
    await h.openAccount('pa-shop', 'merchant1');
    await h.submit('merchant1', 'Prepaid:applyMerchant', 'pa-m', 'x', 'fitness', 'beijing', 'pa-shop');
    expect(
      await sameAsMissing(h, { who: 'consumer1', fn: 'Prepaid:getMerchant', args: (id) => [id], id: 'pa-m' }),
    ).to.equal('MERCHANT_NOT_FOUND');
    expect((await h.evaluate('regulator1', 'Prepaid:getMerchant', 'pa-m')).status).to.equal('pending');
    expect((await h.evaluate('consumer1', 'Prepaid:getMerchant', shop.id)).status).to.equal('approved');
  });
});
