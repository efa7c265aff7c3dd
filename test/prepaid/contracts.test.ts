import { expect } from 'chai';
import { sign } from '../../chaincode/lib/gm';
import { useMessage } from '../../chaincode/prepaid/messages';
import { Harness } from '../support/harness';
import { buy, CONSUMER, day, expectBalance, onboard, plan, useLesson, wallet } from './fixture';

// 2026-03-01 10:00 Beijing. Jiangsu cooling-off (15 days) ends 2026-03-17 00:00 Beijing = 03-16T16:00Z.
const T0 = '2026-03-01T02:00:00.000Z';
const LAST_MOMENT_JIANGSU = '2026-03-16T15:59:59.999Z';
const NEXT_DAY_JIANGSU = '2026-03-16T16:00:00.000Z';

describe('prepaid contracts (embedded ledger)', function () {
  this.timeout(120000);
  let h: Harness;
  let school: { id: string; account: string };
  let gym: { id: string; account: string };
  // The lesson cap counts all of a consumer's open contracts with a merchant: a fresh school per test.
  const freshSchool = async () => (school = await onboard(h, 'training', 'beijing'));

  before(async () => {
    h = await Harness.create();
    h.setTime(T0);
    gym = await onboard(h, 'fitness', 'jiangsu');
  });
  after(async () => {
    await h?.expectConserved();
    await h?.close();
  });

  beforeEach(freshSchool);

  describe('onboarding and plans', () => {
    it("needs the regulator's approval before selling", async () => {
      const acct = h.uid('settle');
      await h.openAccount(acct, 'merchant1');
      const id = h.uid('m-pending');
      await h.submit('merchant1', 'Prepaid:applyMerchant', id, 'new school', 'training', 'beijing', acct);
      await h.fails('ROLE_REQUIRED', 'consumer1', 'Prepaid:reviewMerchant', id, 'approve', '');
      const p = JSON.stringify({
        id: h.uid('plan'),
        merchant: id,
        name: 'x',
        mode: 'per_use',
        unitPrice: '100',
        units: 10,
        coolingOffDays: 7,
      });
      await h.fails('MERCHANT_NOT_APPROVED', 'merchant1', 'Prepaid:createPlan', p);
    });

    it('accepts a 60-lesson training plan and refuses a 61-lesson one', async () => {
      const ok = await plan(h, school.id, { mode: 'per_use', unitPrice: '10000', units: 60, coolingOffDays: 7 });
      expect(ok.price).to.equal('600000');
      const p = JSON.stringify({
        id: h.uid('plan'),
        merchant: school.id,
        name: 'x',
        mode: 'per_use',
        unitPrice: '10000',
        units: 61,
        coolingOffDays: 7,
      });
      await h.fails('PLAN_EXCEEDS_CAP', 'merchant1', 'Prepaid:createPlan', p);
    });

    it('a withdrawn plan is no longer sold', async () => {
      const p = await plan(h, school.id, { mode: 'per_use', unitPrice: '100', units: 10, coolingOffDays: 7 });
      await h.fails('ROLE_REQUIRED', 'consumer1', 'Prepaid:withdrawPlan', p.id);
      expect((await h.submit('merchant1', 'Prepaid:withdrawPlan', p.id)).status).to.equal('withdrawn');
      const w = await wallet(h, 1000n);
      await h.openAccount(`esc-${w}`, 'consumer1', 'escrow');
      await h.fails('PLAN_WITHDRAWN', 'consumer1', 'Prepaid:purchase', h.uid('ctr'), p.id, w, `esc-${w}`);
    });

    it("refuses a cooling-off shorter than the region's and a fee where the category forbids it", async () => {
      const base = { id: h.uid('plan'), merchant: gym.id, name: 'x', mode: 'per_use', unitPrice: '100', units: 10 };
      await h.fails(
        'COOLING_OFF_TOO_SHORT',
        'merchant1',
        'Prepaid:createPlan',
        JSON.stringify({ ...base, coolingOffDays: 7 }),
      );
      const t = {
        id: h.uid('plan'),
        merchant: school.id,
        name: 'x',
        mode: 'per_use',
        unitPrice: '100',
        units: 10,
        coolingOffDays: 7,
        nonRefundableBp: 100,
      };
      await h.fails('NON_REFUNDABLE_NOT_ALLOWED', 'merchant1', 'Prepaid:createPlan', JSON.stringify(t));
    });
  });

  describe('purchase and lessons', () => {
    it("locks the price in the consumer's escrow, visible as locked, not transferable", async () => {
      const p = await plan(h, school.id, { mode: 'per_use', unitPrice: '10000', units: 60, coolingOffDays: 7 });
      const w = await wallet(h, 700000n);
      const c = await buy(h, p.id, w);
      await expectBalance(h, w, 100000);
      await expectBalance(h, c.escrow, 600000);
      const held = await h.evaluate('consumer1', 'Prepaid:holdings', '');
      const esc = held.accounts.find((a: any) => a.id === c.escrow);
      expect(esc).to.include({ kind: 'escrow', balance: '600000', lockedTo: c.id });
      await h.fails(
        'SUPERVISED_ACCOUNT',
        'consumer1',
        'Money:transfer',
        h.uid('t'),
        c.escrow,
        w,
        '1',
        'take it back',
        '',
      );
      expect((await h.evaluate('auditor1', 'Money:balance', c.escrow)).byColor[0].color).to.equal(`ctr:${c.id}`);
      // replaying the purchase returns the first result and moves nothing
      expect((await h.submit('consumer1', 'Prepaid:purchase', c.id, p.id, w, c.escrow)).txId).to.equal(c.txId);
      await expectBalance(h, w, 100000);
    });

    it('releases the 60th lesson and refuses a 61st', async () => {
      const p = await plan(h, school.id, { mode: 'per_use', unitPrice: '10000', units: 60, coolingOffDays: 7 });
      const c = await buy(h, p.id, await wallet(h, 600000n));
      const before = await h.balance(school.account);
      await useLesson(h, c.id, 1, 59, T0);
      const last = { seq: 60, time: day(T0, 1) };
      const twoMore = sign(h.id('consumer1').sm2.privateKey, useMessage(c.id, 60, 2, last.time));
      await h.fails('NO_UNITS_LEFT', 'merchant1', 'Prepaid:consume', c.id, '60', '2', last.time, '', twoMore);
      const done = await useLesson(h, c.id, 60, 1, last.time);
      expect(done).to.include({ usedUnits: 60, released: '600000', status: 'completed' });
      expect(await h.balance(school.account)).to.equal(before + 600000n);
      await expectBalance(h, c.escrow, 0);
      await h.fails(
        'CONTRACT_CLOSED',
        'merchant1',
        'Prepaid:consume',
        c.id,
        '61',
        '1',
        last.time,
        '',
        sign(h.id('consumer1').sm2.privateKey, useMessage(c.id, 61, 1, last.time)),
      );
      // the 60th lesson replayed is a no-op
      expect((await useLesson(h, c.id, 60, 1, last.time)).released).to.equal('600000');
    });

    it("needs the consumer's signature and lessons in order", async () => {
      const p = await plan(h, school.id, { mode: 'per_use', unitPrice: '10000', units: 10, coolingOffDays: 7 });
      const c = await buy(h, p.id, await wallet(h, 100000n));
      const forged = sign(h.id('merchant1').sm2.privateKey, useMessage(c.id, 1, 1, T0));
      await h.fails('BAD_CONSUMER_SIGNATURE', 'merchant1', 'Prepaid:consume', c.id, '1', '1', T0, '', forged);
      const sig2 = sign(h.id('consumer1').sm2.privateKey, useMessage(c.id, 2, 1, T0));
      await h.fails('USE_OUT_OF_ORDER', 'merchant1', 'Prepaid:consume', c.id, '2', '1', T0, '', sig2);
    });

    it('caps open lessons across contracts with one merchant (60, not 61)', async () => {
      const p40 = await plan(h, school.id, { mode: 'per_use', unitPrice: '100', units: 40, coolingOffDays: 7 });
      const p21 = await plan(h, school.id, { mode: 'per_use', unitPrice: '100', units: 21, coolingOffDays: 7 });
      const p20 = await plan(h, school.id, { mode: 'per_use', unitPrice: '100', units: 20, coolingOffDays: 7 });
      const w = await wallet(h, 100000n);
      const c40 = await buy(h, p40.id, w);
      const esc = h.uid('esc');
      await h.openAccount(esc, 'consumer1', 'escrow');
      await h.fails('PREPAID_CAP_EXCEEDED', 'consumer1', 'Prepaid:purchase', h.uid('ctr'), p21.id, w, esc);
      await buy(h, p20.id, w);
      await useLesson(h, c40.id, 1, 1, T0);
      // 39 + 20 open: one more lesson fits, as the 60th
      const p1 = await plan(h, school.id, { mode: 'per_use', unitPrice: '100', units: 1, coolingOffDays: 7 });
      await buy(h, p1.id, w);
      expect((await h.evaluate('consumer1', 'Prepaid:holdings', CONSUMER)).locked).to.not.equal('0');
    });

    it("refuses a purchase over the wallet tier's per-payment limit", async () => {
      const p = await plan(h, school.id, { mode: 'per_use', unitPrice: '10000', units: 21, coolingOffDays: 7 });
      const w = await wallet(h, 300000n, 4);
      await h.openAccount(`esc-${w}`, 'consumer1', 'escrow');
      await h.fails('WALLET_PAYMENT_LIMIT', 'consumer1', 'Prepaid:purchase', h.uid('ctr'), p.id, w, `esc-${w}`);
    });
  });

  describe('refunds', () => {
    const gymPlan = () =>
      plan(h, gym.id, { mode: 'per_use', unitPrice: '5000', units: 50, coolingOffDays: 15, nonRefundableBp: 1000 });

    it('is full on the last day of cooling-off', async () => {
      h.setTime(T0);
      const c = await buy(h, (await gymPlan()).id, await wallet(h, 250000n));
      h.setTime(LAST_MOMENT_JIANGSU);
      expect(await h.evaluate('consumer1', 'Prepaid:refundQuote', c.id)).to.include({
        full: true,
        refund: '250000',
        fee: '0',
      });
      const r = await h.submit('consumer1', 'Prepaid:refund', c.id);
      expect(r).to.include({ status: 'refunded', refunded: '250000', fee: '0' });
      await expectBalance(h, c.wallet, 250000);
      h.setTime(T0);
    });

    it('keeps the declared non-refundable part from the day after', async () => {
      h.setTime(T0);
      const c = await buy(h, (await gymPlan()).id, await wallet(h, 250000n));
      h.setTime(NEXT_DAY_JIANGSU);
      const r = await h.submit('consumer1', 'Prepaid:refund', c.id);
      expect(r).to.include({ refunded: '225000', fee: '25000' });
      await expectBalance(h, c.wallet, 225000);
      // a second refund returns the first result
      expect((await h.submit('consumer1', 'Prepaid:refund', c.id)).closedTx).to.equal(r.closedTx);
      h.setTime(T0);
    });

    it('returns the unused lessons after partial use (fee on the unreleased part only)', async () => {
      const c = await buy(h, (await gymPlan()).id, await wallet(h, 250000n));
      await useLesson(h, c.id, 1, 2, T0);
      const r = await h.submit('consumer1', 'Prepaid:refund', c.id);
      // 240000 unreleased, 10% kept: used inside cooling-off is no longer "nothing used"
      expect(r).to.include({ released: '10000', refunded: '216000', fee: '24000' });
      await expectBalance(h, c.escrow, 0);
      await expectBalance(h, c.wallet, 216000);
    });

    it('training: partial use refunds every unused lesson in full', async () => {
      const p = await plan(h, school.id, { mode: 'per_use', unitPrice: '10000', units: 20, coolingOffDays: 7 });
      const c = await buy(h, p.id, await wallet(h, 200000n));
      await useLesson(h, c.id, 1, 5, T0);
      expect(await h.submit('consumer1', 'Prepaid:refund', c.id)).to.include({
        released: '50000',
        refunded: '150000',
        fee: '0',
      });
    });
  });

  describe('other release modes', () => {
    it('time_linear: no claim in cooling-off, then accrued by day; a refund settles accrual first', async () => {
      h.setTime(T0);
      const p = await plan(h, gym.id, {
        mode: 'time_linear',
        unitPrice: '1000',
        days: 30,
        coolingOffDays: 15,
        nonRefundableBp: 1000,
      });
      const c = await buy(h, p.id, await wallet(h, 30000n));
      h.setTime(day(T0, 3));
      await h.fails('COOLING_OFF_ACTIVE', 'merchant1', 'Prepaid:claimAccrued', c.id);
      h.setTime(day(T0, 20));
      expect((await h.submit('merchant1', 'Prepaid:claimAccrued', c.id)).released).to.equal('20000');
      h.setTime(day(T0, 25));
      const r = await h.submit('consumer1', 'Prepaid:refund', c.id);
      expect(r).to.include({ released: '25000', refunded: '4500', fee: '500', status: 'refunded' });
      h.setTime(T0);
    });

    it('progress: releases by attested percentage, never backwards', async () => {
      const p = await plan(h, school.id, { mode: 'progress', unitPrice: '10000', units: 40, coolingOffDays: 7 });
      const c = await buy(h, p.id, await wallet(h, 400000n));
      await h.fails('ROLE_REQUIRED', 'merchant1', 'Prepaid:attestProgress', c.id, h.uid('att'), '2500');
      expect((await h.submit('oracle1', 'Prepaid:attestProgress', c.id, h.uid('att'), '2500')).released).to.equal(
        '100000',
      );
      await h.fails('PROGRESS_BACKWARDS', 'regulator1', 'Prepaid:attestProgress', c.id, h.uid('att'), '2000');
      expect(await h.submit('regulator1', 'Prepaid:attestProgress', c.id, h.uid('att'), '10000')).to.include({
        released: '400000',
        status: 'completed',
      });
    });
  });
});
