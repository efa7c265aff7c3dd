import { expect } from 'chai';
import { sign } from '../../chaincode/lib/gm';
import { cardPaymentMessage } from '../../chaincode/prepaid/messages';
import { HardwareWalletEmulator } from '../../oracles/hwallet/emulator';
import { Harness } from '../support/harness';
import { buy, expectBalance, onboard, plan, submitWithEvents } from './fixture';

const T0 = '2026-03-01T02:00:00.000Z';
const at = (min: number) => new Date(Date.parse(T0) + min * 60000).toISOString();

describe('prepaid: hardware wallets and offline payments (embedded ledger)', function () {
  this.timeout(120000);
  let h: Harness;
  let shop: { id: string; account: string };
  let dev: HardwareWalletEmulator;
  let cardAccount: string;
  let big: unknown; // rejected for balance, retried after the next top-up
  const sync = (...payments: unknown[]) =>
    submitWithEvents(h, 'merchant1', 'Prepaid:syncCardPayments', JSON.stringify({ payments }));

  before(async () => {
    h = await Harness.create();
    h.setTime(T0);
    shop = await onboard(h, 'services', 'beijing');
    dev = new HardwareWalletEmulator(h.uid('card'));
    cardAccount = h.uid('cardacct');
    await h.openAccount(cardAccount, 'consumer1', 'wallet');
    await h.submit('bank1', 'Prepaid:registerCard', dev.card, cardAccount, dev.publicKey);
    await h.deposit(cardAccount, 100000n); // the top-up, mirrored by the oracle
    dev.topUp('100000');
  });
  after(async () => {
    await h?.expectConserved();
    await h?.close();
  });

  it('accepts signed offline payments on sync; a re-synced batch changes nothing', async () => {
    const batch = [
      dev.pay(shop.account, '1000', at(1)),
      dev.pay(shop.account, '2000', at(2)),
      dev.pay(shop.account, '3000', at(3)),
    ];
    const { result } = await sync(...batch);
    expect(result.accepted).to.equal(3);
    await expectBalance(h, cardAccount, 94000);
    await expectBalance(h, shop.account, 6000);
    const again = await sync(...batch);
    expect(again.result.accepted).to.equal(0);
    expect(again.result.results.every((r: any) => r.duplicate && r.status === 'accepted')).to.equal(true);
    await expectBalance(h, cardAccount, 94000);
    expect(await h.evaluate('auditor1', 'Prepaid:getCardPayment', dev.card, '2')).to.include({
      amount: '2000',
      status: 'accepted',
    });
  });

  it('flags a counter spent twice (a cloned card) and rejects the second payment', async () => {
    const twin = dev.clone();
    const first = dev.pay(shop.account, '500', at(10));
    const second = twin.pay(shop.account, '700', at(11));
    expect(second.counter).to.equal(first.counter);
    const { result, events } = await sync(first, second);
    expect(result.results.map((r: any) => r.status)).to.deep.equal(['accepted', 'rejected']);
    expect(result.results[1].code).to.equal('DOUBLE_SPEND');
    expect(events.find((e) => e.type === 'Alert')).to.include({
      alert: 'CARD_DOUBLE_SPEND',
      card: dev.card,
      counter: first.counter,
    });
    await expectBalance(h, cardAccount, 93500);
    // the flag persisted: syncing the clone's payment again finds the rejection
    const replay = await sync(second);
    expect(replay.result.results[0]).to.include({ status: 'rejected', code: 'DOUBLE_SPEND', duplicate: true });
  });

  it('rejects forged payments and payments to someone else', async () => {
    const real = dev.pay(shop.account, '100', at(20));
    const tampered = { ...real, amount: '99999' };
    const other = new HardwareWalletEmulator(dev.card, { balance: '100' }); // wrong key, same card id
    const stranger = other.pay(shop.account, '100', at(21));
    const { result } = await sync(tampered, stranger);
    expect(result.results.map((r: any) => r.code)).to.deep.equal(['BAD_SIGNATURE', 'BAD_SIGNATURE']);
    const elsewhere = h.uid('other');
    await h.openAccount(elsewhere, 'ent1');
    const unsigned = { card: dev.card, payee: elsewhere, amount: '100', counter: 999, time: at(22) };
    const p = { ...unsigned, signature: sign(dev.export().privateKey, cardPaymentMessage(unsigned)) };
    expect((await sync(p)).result.results[0].code).to.equal('NOT_PAYEE');
    expect((await sync(real)).result.results[0].status).to.equal('accepted');
    await expectBalance(h, cardAccount, 93400);
  });

  it('rejects an offline overspend beyond the mirrored balance, with an alert', async () => {
    const twin = dev.clone();
    twin.topUp('500000'); // a tampered device believes it holds more
    big = twin.pay(shop.account, '150000', at(30));
    const { result, events } = await sync(big);
    expect(result.results[0].code).to.be.oneOf(['INSUFFICIENT_CARD_BALANCE']);
    expect(events.some((e) => e.alert === 'CARD_OVERSPEND')).to.equal(true);
  });

  it("applies the card's tier limits (tier 4: 2,000 yuan per payment)", async () => {
    await h.deposit(cardAccount, 300000n);
    dev.topUp('300000');
    const p = dev.pay(shop.account, '200001', at(40));
    expect((await sync(p)).result.results[0].code).to.equal('WALLET_PAYMENT_LIMIT');
    await expectBalance(h, cardAccount, 393400);
    // a rejection for balance is not final: once the top-up is mirrored, a re-sync pays
    expect((await sync(big)).result.results[0]).to.include({ status: 'accepted' });
    await expectBalance(h, cardAccount, 243400);
  });

  it('co-signs prepaid lessons with the card key', async () => {
    const p = await plan(h, shop.id, { mode: 'per_use', unitPrice: '1000', units: 10, coolingOffDays: 7 });
    const c = await buy(h, p.id, cardAccount);
    const sig = dev.signUse(c.id, 1, 1, T0);
    expect(await h.submit('merchant1', 'Prepaid:consume', c.id, '1', '1', T0, dev.card, sig)).to.include({
      usedUnits: 1,
      released: '1000',
    });
  });
});
