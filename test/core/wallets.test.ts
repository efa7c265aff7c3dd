/**
 * Issue 16.7: e-CNY wallet tier limits on every path that moves money into or out of a wallet
 * (docs/rules.md lists them). Payments someone decides are refused; movements that must land
 * (the bank's books moved the money, a refund, a payout the rail already paid) go through and
 * raise an Alert naming the wallet. Purchases and card payments: test/prepaid.
 */
import { expect } from 'chai';
import { sign } from '../../chaincode/lib/gm';
import { useMessage } from '../../chaincode/prepaid/messages';
import { HardwareWalletEmulator } from '../../oracles/hwallet/emulator';
import { Harness } from '../support/harness';
import { eventsOf } from '../supervision/fixture';

describe('wallet tier limits on every path (16.7)', function () {
  this.timeout(60_000);
  let h: Harness;
  let n = 0;
  /** A consumer1 wallet of tier 4 (anonymous: 10,000 yuan cap, 2,000 per payment, 5,000 a day) holding `fen`. */
  const wallet = async (fen: bigint): Promise<string> => {
    const id = `wl-${++n}`;
    await h.openAccount(id, 'consumer1', 'wallet');
    if (fen > 0n) await h.deposit(id, fen);
    return id;
  };
  const alertsSince = async (block: number): Promise<Array<{ alert: string; accounts: string[] }>> =>
    eventsOf(h, 'Alert', block);

  before(async () => {
    h = await Harness.create();
    await h.openAccount('wl-shop', 'merchant1');
    await h.deposit('wl-shop', 5_000_000n);
  });
  after(() => h?.close());

  it('Money:transfer out of a wallet: per payment and per day', async () => {
    const w = await wallet(900_000n);
    await h.fails('WALLET_PAYMENT_LIMIT', 'consumer1', 'Money:transfer', 'wl-t1', w, 'wl-shop', '200001', 'p', '');
    for (const [i, amt] of ['200000', '200000'].entries())
      await h.submit('consumer1', 'Money:transfer', `wl-d${i}`, w, 'wl-shop', amt, 'p', '');
    const e = await h.fails(
      'WALLET_DAILY_LIMIT',
      'consumer1',
      'Money:transfer',
      'wl-t2',
      w,
      'wl-shop',
      '100001',
      'p',
      '',
    );
    expect(e.field).to.equal('from');
  });

  it('Money:transfer into a wallet over its balance cap', async () => {
    const w = await wallet(950_000n);
    const e = await h.fails(
      'WALLET_OVER_BALANCE_CAP',
      'merchant1',
      'Money:transfer',
      'wl-t3',
      'wl-shop',
      w,
      '50001',
      'p',
      '',
    );
    expect(e.field).to.equal('to');
    await h.submit('merchant1', 'Money:transfer', 'wl-t4', 'wl-shop', w, '50000', 'p', ''); // exactly at the cap
  });

  it('a mirrored deposit past the cap lands (the books hold it) and raises an alert', async () => {
    const w = await wallet(0n);
    const from = await h.ledger.height();
    await h.deposit(w, 1_000_001n);
    expect(await h.balance(w)).to.equal(1_000_001n);
    expect((await alertsSince(from)).map((a) => [a.alert, a.accounts])).to.deep.equal([
      ['WALLET_OVER_BALANCE_CAP', [w]],
    ]);
  });

  it('a mirrored withdrawal over the per-payment limit lands and raises an alert', async () => {
    const w = await wallet(500_000n);
    const from = await h.ledger.height();
    await h.withdraw(w, 300_000n);
    expect(await h.balance(w)).to.equal(200_000n);
    expect((await alertsSince(from)).map((a) => a.alert)).to.deep.equal(['WALLET_PAYMENT_LIMIT']);
  });

  it('a supervision payout settling into a full wallet lands and raises an alert', async () => {
    const worker = await wallet(990_000n);
    for (const [id, kind, owner] of [
      ['wl-sup', 'supervised', 'ent1'],
      ['wl-pay', 'payout', 'bank1'],
    ])
      await h.openAccount(id, owner, kind);
    const spec = {
      scenario: 'generic',
      title: 'w',
      party: 'Org1MSP:ent1',
      bank: 'Org1MSP',
      keyAmount: '1000000',
      policy: { approvers: ['Org2MSP:regulator1'], required: 1 },
    };
    await h.submit('regulator1', 'Supervision:createProgram', 'wl-prog', JSON.stringify(spec));
    await h.submit('bank1', 'Supervision:attachAccount', 'wl-prog', 'wl-sup', 'supervised');
    await h.submit('bank1', 'Supervision:attachAccount', 'wl-prog', 'wl-pay', 'payout');
    await h.submit('regulator1', 'Supervision:setBudgetLine', 'wl-prog', 'l', 'x', '1000000', JSON.stringify([worker]));
    await h.submit('regulator1', 'Supervision:activate', 'wl-prog');
    await h.deposit('wl-sup', 1_000_000n);
    await h.submit('ent1', 'Supervision:requestPayment', 'wl-prog', 'r1', 'l', worker, '20000', 'wages', 'ecny');
    const r = await h.submit('regulator1', 'Supervision:approve', 'wl-prog', 'r1', 'ok');
    const from = await h.ledger.height();
    await h.submit('oracle1', 'Supervision:confirmPayout', r.instructions[0], 'ECNY-1');
    expect(await h.balance(worker)).to.equal(1_010_000n);
    expect((await alertsSince(from)).map((a) => [a.alert, a.accounts])).to.deep.equal([
      ['WALLET_OVER_BALANCE_CAP', [worker]],
    ]);
  });

  it('a prepaid refund into a full wallet lands and raises an alert', async () => {
    const w = await wallet(100_000n);
    await h.openAccount('wl-shop2', 'merchant1');
    await h.submit('merchant1', 'Prepaid:applyMerchant', 'wl-m', 'gym', 'fitness', 'beijing', 'wl-shop2');
    await h.submit('regulator1', 'Prepaid:reviewMerchant', 'wl-m', 'approve', '');
    await h.submit(
      'merchant1',
      'Prepaid:createPlan',
      JSON.stringify({
        id: 'wl-p',
        merchant: 'wl-m',
        name: 'x',
        mode: 'per_use',
        unitPrice: '10000',
        units: 10,
        coolingOffDays: 7,
      }),
    );
    await h.openAccount('wl-esc', 'consumer1', 'escrow');
    await h.submit('consumer1', 'Prepaid:purchase', 'wl-c', 'wl-p', w, 'wl-esc');
    await h.deposit(w, 950_000n); // topped up meanwhile: the refund would lift it past the cap
    const from = await h.ledger.height();
    await h.submit('consumer1', 'Prepaid:refund', 'wl-c');
    expect(await h.balance(w)).to.equal(1_050_000n);
    expect((await alertsSince(from)).map((a) => a.alert)).to.deep.equal(['WALLET_OVER_BALANCE_CAP']);
  });

  it('bill money into a wallet over its cap is refused (the discounting bank pays by choice)', async () => {
    await h.submit('bank1', 'Money:openAccount', 'wl-bank', 'settlement', 'Org1MSP:bank1', 'x', '');
    await h.deposit('wl-bank', 10_000_000n);
    await h.openAccount('wl-ent1', 'ent1');
    await h.openAccount('wl-ent2w', 'ent2', 'wallet');
    const day = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const d = new Date(`${day}T00:00:00Z`);
    d.setUTCMonth(d.getUTCMonth() + 2);
    await h.submit(
      'ent1',
      'Bills:register',
      'WL-B',
      'Org1MSP:ent1',
      'enterprise',
      'Org1MSP:ent2',
      '2000000',
      day,
      d.toISOString().slice(0, 10),
      'false',
      'true',
      'wl-ent1',
    );
    await h.submit('ent1', 'Bills:presentAcceptance', 'wl-1', 'WL-B');
    await h.submit('ent1', 'Bills:sign', 'wl-2', 'WL-B', '1', 'accept', 'wl-ent1');
    await h.submit('ent1', 'Bills:presentReceipt', 'wl-3', 'WL-B');
    await h.submit('ent2', 'Bills:sign', 'wl-4', 'WL-B', '1', 'receive', 'wl-ent2w'); // ent2 holds it with a wallet
    await h.deposit('wl-ent2w', 990_000n);
    await h.submit('ent2', 'Bills:discount', 'wl-5', 'WL-B', '1', '100000', 'Org1MSP:bank1', '300');
    const e = await h.fails(
      'WALLET_OVER_BALANCE_CAP',
      'bank1',
      'Bills:sign',
      'wl-6',
      'WL-B',
      '1',
      'discount',
      'wl-bank',
    );
    expect(e.detail).to.include('wl-ent2w');
  });

  it('a prepaid release into a merchant wallet past its cap lands (the service was delivered) and raises an alert', async () => {
    await h.openAccount('wl-mw', 'merchant1', 'wallet');
    await h.deposit('wl-mw', 995_000n);
    await h.submit('merchant1', 'Prepaid:applyMerchant', 'wl-m2', 'gym', 'fitness', 'beijing', 'wl-mw');
    await h.submit('regulator1', 'Prepaid:reviewMerchant', 'wl-m2', 'approve', '');
    await h.submit(
      'merchant1',
      'Prepaid:createPlan',
      JSON.stringify({
        id: 'wl-p2',
        merchant: 'wl-m2',
        name: 'x',
        mode: 'per_use',
        unitPrice: '10000',
        units: 5,
        coolingOffDays: 7,
      }),
    );
    const w = await wallet(100_000n);
    await h.openAccount('wl-esc2', 'consumer1', 'escrow');
    await h.submit('consumer1', 'Prepaid:purchase', 'wl-c2', 'wl-p2', w, 'wl-esc2');
    const me = h.id('consumer1');
    const time = new Date().toISOString();
    const from = await h.ledger.height();
    await h.submit(
      'merchant1',
      'Prepaid:consume',
      'wl-c2',
      '1',
      '1',
      time,
      '',
      sign(me.sm2.privateKey, useMessage('wl-c2', 1, 1, time), me.sm2.publicKey),
    );
    expect(await h.balance('wl-mw')).to.equal(1_005_000n);
    expect((await alertsSince(from)).map((a) => [a.alert, a.accounts])).to.deep.equal([
      ['WALLET_OVER_BALANCE_CAP', ['wl-mw']],
    ]);
  });

  it('a card payment into a full merchant wallet is recorded as refused, and retried on the next sync', async () => {
    const cardWallet = await wallet(50_000n);
    const card = new HardwareWalletEmulator('wl-card');
    await h.submit('bank1', 'Prepaid:registerCard', card.card, cardWallet, card.publicKey);
    card.topUp('50000');
    const p = card.pay('wl-mw', '10000', new Date().toISOString()); // wl-mw holds 1,005,000: over its cap already
    const r = await h.submit('merchant1', 'Prepaid:syncCardPayments', JSON.stringify({ payments: [p] }));
    expect(r.results[0]).to.include({ status: 'rejected', code: 'WALLET_OVER_BALANCE_CAP' });
    expect(await h.balance(cardWallet)).to.equal(50_000n);
  });
});
