import { expect } from 'chai';
import { errorCode } from '../support/errors';
import { LedgerError } from '../../chaincode/lib/errors';
import { verify } from '../../chaincode/lib/gm';
import { cardPaymentMessage, useMessage } from '../../chaincode/prepaid/messages';
import { overBalanceCap, tierViolation, WALLET_TIERS } from '../../chaincode/core/wallets';
import {
  accrued,
  checkOpenCap,
  checkPlan,
  coolingOffEnd,
  cstDate,
  elapsedDays,
  openQuantity,
  PlanTerms,
  planPrice,
  progressShare,
  refundSplit,
} from '../../chaincode/prepaid/rules';
import { HardwareWalletEmulator } from '../../oracles/hwallet/emulator';

const DAY = 24 * 3600 * 1000;
const code = errorCode;
const training = (over: Partial<PlanTerms> = {}): PlanTerms => ({
  category: 'training',
  unitPrice: 10000n,
  units: 60,
  mode: 'per_use',
  coolingOffDays: 7,
  nonRefundableBp: 0,
  ...over,
});

describe('prepaid rules', () => {
  describe('caps (training: 60 lessons or 3 months)', () => {
    it('accepts 60 lessons and rejects 61', () => {
      expect(() => checkPlan(training({ units: 60 }), 'beijing')).not.to.throw();
      expect(code(() => checkPlan(training({ units: 61 }), 'beijing'))).to.equal('PLAN_EXCEEDS_CAP');
    });
    it('accepts 90 days and rejects 91', () => {
      expect(() => checkPlan(training({ mode: 'time_linear', units: undefined, days: 90 }), 'beijing')).not.to.throw();
      expect(code(() => checkPlan(training({ mode: 'time_linear', units: undefined, days: 91 }), 'beijing'))).to.equal(
        'PLAN_EXCEEDS_CAP',
      );
    });
    it('forbids a non-refundable part for training, allows one for fitness up to the cap', () => {
      expect(code(() => checkPlan(training({ nonRefundableBp: 1 }), 'beijing'))).to.equal('NON_REFUNDABLE_NOT_ALLOWED');
      const gym: PlanTerms = {
        category: 'fitness',
        unitPrice: 5000n,
        units: 50,
        mode: 'per_use',
        coolingOffDays: 15,
        nonRefundableBp: 1000,
      };
      expect(() => checkPlan(gym, 'jiangsu')).not.to.throw();
      expect(code(() => checkPlan({ ...gym, nonRefundableBp: 1001 }, 'jiangsu'))).to.equal(
        'NON_REFUNDABLE_NOT_ALLOWED',
      );
      expect(code(() => checkPlan({ ...gym, unitPrice: 10001n }, 'jiangsu'))).to.equal('PLAN_EXCEEDS_CAP');
    });
    it("needs the region's cooling-off: Beijing 7, Jiangsu 15", () => {
      expect(code(() => checkPlan(training({ coolingOffDays: 6 }), 'beijing'))).to.equal('COOLING_OFF_TOO_SHORT');
      expect(code(() => checkPlan(training({ coolingOffDays: 14 }), 'jiangsu'))).to.equal('COOLING_OFF_TOO_SHORT');
      expect(() => checkPlan(training({ coolingOffDays: 15 }), 'jiangsu')).not.to.throw();
    });
    it('needs units or days by mode', () => {
      expect(code(() => checkPlan(training({ units: undefined }), 'beijing'))).to.equal('PLAN_NEEDS_UNITS');
      expect(code(() => checkPlan(training({ mode: 'time_linear', units: undefined }), 'beijing'))).to.equal(
        'PLAN_NEEDS_DAYS',
      );
    });
    it('caps open lessons across contracts with one merchant: 60th ok, 61st not', () => {
      expect(() => checkOpenCap('training', [{ units: 40, days: 0 }], { units: 20, days: 0 })).not.to.throw();
      expect(code(() => checkOpenCap('training', [{ units: 40, days: 0 }], { units: 21, days: 0 }))).to.equal(
        'PREPAID_CAP_EXCEEDED',
      );
      expect(code(() => checkOpenCap('training', [{ units: 0, days: 60 }], { units: 0, days: 31 }))).to.equal(
        'PREPAID_CAP_EXCEEDED',
      );
    });
  });

  describe('cooling-off (Civil Code day counting, Beijing time)', () => {
    // Purchase 2026-03-01 10:00 Beijing = 02:00Z; 7 days: 2 Mar .. 8 Mar, ends 9 Mar 00:00 Beijing.
    const bought = Date.parse('2026-03-01T02:00:00Z');
    it('ends at 24:00 Beijing of the last day', () => {
      expect(new Date(coolingOffEnd(bought, 7)).toISOString()).to.equal('2026-03-08T16:00:00.000Z');
      expect(new Date(coolingOffEnd(bought, 15)).toISOString()).to.equal('2026-03-16T16:00:00.000Z');
    });
    it('counts a purchase just before Beijing midnight on its own day', () => {
      const late = Date.parse('2026-03-01T15:59:59Z'); // 23:59:59 Beijing
      expect(new Date(coolingOffEnd(late, 7)).toISOString()).to.equal('2026-03-08T16:00:00.000Z');
    });
    it('daily buckets follow Beijing dates', () => {
      expect(cstDate(Date.parse('2026-03-01T15:59:59Z'))).to.equal('20260301');
      expect(cstDate(Date.parse('2026-03-01T16:00:00Z'))).to.equal('20260302');
    });
  });

  describe('release and refund arithmetic (floor toward the consumer)', () => {
    it('accrues by whole days from the purchase time, the last day takes the rest', () => {
      const t0 = Date.parse('2026-03-01T02:00:00Z');
      expect(elapsedDays(t0, t0 + DAY - 1, 90)).to.equal(0);
      expect(elapsedDays(t0, t0 + DAY, 90)).to.equal(1);
      expect(elapsedDays(t0, t0 + 400 * DAY, 90)).to.equal(90);
      expect(accrued(100000n, 90, 1)).to.equal(1111n);
      expect(accrued(100000n, 90, 90)).to.equal(100000n);
      let sum = 0n;
      for (let d = 1; d <= 90; d++) sum += accrued(100000n, 90, d) - accrued(100000n, 90, d - 1);
      expect(sum).to.equal(100000n);
    });
    it('progress shares telescope to the price', () => {
      const steps = [0, 3333, 6667, 9999, 10000];
      let sum = 0n;
      for (let i = 1; i < steps.length; i++)
        sum += progressShare(100001n, steps[i]) - progressShare(100001n, steps[i - 1]);
      expect(sum).to.equal(100001n);
    });
    it('refund keeps the floored non-refundable part, none when full', () => {
      expect(refundSplit(12345n, 1000, false)).to.deep.equal({ refund: 11111n, fee: 1234n });
      expect(refundSplit(12345n, 1000, true)).to.deep.equal({ refund: 12345n, fee: 0n });
      expect(refundSplit(9n, 1000, false)).to.deep.equal({ refund: 9n, fee: 0n });
    });
    it('open quantity: lessons left, days left, progress rounded up', () => {
      const base = { usedUnits: 0, progressBp: 0, purchasedMs: 0 };
      expect(openQuantity({ ...base, mode: 'per_use', units: 60, usedUnits: 20 }, 0)).to.deep.equal({
        units: 40,
        days: 0,
      });
      expect(openQuantity({ ...base, mode: 'time_linear', days: 90 }, 10 * DAY)).to.deep.equal({ units: 0, days: 80 });
      expect(openQuantity({ ...base, mode: 'progress', units: 60, progressBp: 5001 }, 0)).to.deep.equal({
        units: 30,
        days: 0,
      });
      expect(planPrice(training())).to.equal(600000n);
    });
  });

  describe('e-CNY wallet tiers', () => {
    it('tier 4: 2,000 yuan per payment, 5,000 a day, 10,000 balance', () => {
      const t4 = WALLET_TIERS[4];
      expect(tierViolation(t4, 200000n, 0n)).to.equal(undefined);
      expect(tierViolation(t4, 200001n, 0n)?.code).to.equal('WALLET_PAYMENT_LIMIT');
      expect(tierViolation(t4, 100000n, 400000n)).to.equal(undefined);
      expect(tierViolation(t4, 100001n, 400000n)?.code).to.equal('WALLET_DAILY_LIMIT');
      expect(overBalanceCap(t4, 1000000n)).to.equal(false);
      expect(overBalanceCap(t4, 1000001n)).to.equal(true);
    });
    it('tier 1 has no limits', () => {
      expect(tierViolation(WALLET_TIERS[1], 10n ** 12n, 10n ** 12n)).to.equal(undefined);
      expect(overBalanceCap(WALLET_TIERS[1], 10n ** 12n)).to.equal(false);
    });
  });

  describe('hardware wallet emulator', () => {
    it('signs payments with a monotonic counter the chain can verify', () => {
      const dev = new HardwareWalletEmulator('card-1');
      dev.topUp('1000');
      const a = dev.pay('shop-1', '300', '2026-03-01T02:00:00.000Z');
      const b = dev.pay('shop-1', '300', '2026-03-01T02:01:00.000Z');
      expect([a.counter, b.counter]).to.deep.equal([1, 2]);
      expect(dev.balance).to.equal('400');
      const { signature, ...unsigned } = a;
      expect(verify(dev.publicKey, cardPaymentMessage(unsigned), signature)).to.equal(true);
      expect(verify(dev.publicKey, cardPaymentMessage({ ...unsigned, amount: '301' }), signature)).to.equal(false);
      expect(verify(dev.publicKey, useMessage('c1', 1, 1, 't'), dev.signUse('c1', 1, 1, 't'))).to.equal(true);
    });
    it('refuses to overspend offline; a clone reuses counters', () => {
      const dev = new HardwareWalletEmulator('card-2');
      dev.topUp('100');
      expect(() => dev.pay('shop-1', '101')).to.throw(LedgerError);
      const twin = dev.clone();
      expect(dev.pay('shop-1', '50').counter).to.equal(twin.pay('shop-2', '60').counter);
    });
  });
});
