import { expect } from 'chai';
import { errorCode } from '../support/errors';
import fc from 'fast-check';
import { chinaDay } from '../../chaincode/lib/china-time';
import {
  addDays,
  addMonths,
  answerDeadline,
  checkTerm,
  daysBetween,
  discountInterest,
  discountTerms,
  latestMaturity,
  parseDate,
} from '../../chaincode/bills/rules';

const code = errorCode;

describe('bills: dates and term', () => {
  it('parses real calendar dates only', () => {
    expect(parseDate('2024-02-29', 'd')).to.equal('2024-02-29');
    for (const bad of ['2025-02-29', '2025-13-01', '2025-1-01', '20250101', '', null, '1999-12-31']) {
      expect(
        code(() => parseDate(bad, 'd')),
        String(bad),
      ).to.equal('INVALID_DATE');
    }
  });

  it('takes the China calendar day of the tx time (UTC+8)', () => {
    expect(chinaDay(new Date('2025-03-01T15:59:59Z'))).to.equal('2025-03-01');
    expect(chinaDay(new Date('2025-03-01T16:00:00Z'))).to.equal('2025-03-02');
  });

  it('adds calendar months, clamping to the last day of a shorter month', () => {
    expect(addMonths('2025-01-15', 6)).to.equal('2025-07-15');
    expect(addMonths('2025-08-31', 6)).to.equal('2026-02-28');
    expect(addMonths('2023-08-31', 6)).to.equal('2024-02-29');
    expect(addMonths('2025-12-31', 6)).to.equal('2026-06-30');
    expect(addMonths('2025-07-31', 6)).to.equal('2026-01-31');
  });

  it('allows 6 months exactly, refuses 6 months and one day', () => {
    const today = '2025-01-15';
    expect(latestMaturity(today)).to.equal('2025-07-15');
    expect(() => checkTerm(today, '2025-07-15', today)).not.to.throw();
    expect(code(() => checkTerm(today, '2025-07-16', today))).to.equal('TERM_TOO_LONG');
    // month-end issue: the last allowed day is the clamped month end
    expect(() => checkTerm('2025-08-31', '2026-02-28', '2025-08-31')).not.to.throw();
    expect(code(() => checkTerm('2025-08-31', '2026-03-01', '2025-08-31'))).to.equal('TERM_TOO_LONG');
  });

  it('refuses issue in the future and maturity that has come', () => {
    expect(code(() => checkTerm('2025-01-16', '2025-03-01', '2025-01-15'))).to.equal('ISSUE_DATE_IN_FUTURE');
    expect(code(() => checkTerm('2025-01-15', '2025-01-15', '2025-01-15'))).to.equal('MATURITY_BEFORE_ISSUE');
    expect(code(() => checkTerm('2025-01-01', '2025-01-15', '2025-01-15'))).to.equal('MATURITY_PASSED');
  });

  it('counts days and deadlines', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).to.equal(2);
    expect(daysBetween('2025-03-01', '2025-02-28')).to.equal(-1);
    expect(addDays('2025-12-30', 3)).to.equal('2026-01-02');
    expect(answerDeadline('2025-07-15')).to.equal('2025-07-18');
  });
});

describe('bills: discount interest', () => {
  it('is face × rate × days / 360, rounded half up to the fen', () => {
    // 1,000,000.00 yuan at 3.00% for 90 days = 7,500.00 yuan exactly
    expect(discountInterest(100_000_000n, 300, 90)).to.equal(750_000n);
    // 100.00 yuan at 2.50% for 1 day = 0.6944 fen -> 1 fen (half up)
    expect(discountInterest(10_000n, 250, 1)).to.equal(1n);
    expect(discountInterest(72n, 2500, 1)).to.equal(0n); // 0.05 fen -> 0
    expect(discountInterest(720n, 2500, 1)).to.equal(1n); // exactly 0.5 fen -> 1 (half up)
    expect(discountInterest(2160n, 2500, 1)).to.equal(2n);
    expect(discountInterest(1800n, 2500, 1)).to.equal(1n); // 1.25 -> 1
  });

  it('gives proceeds = face − interest and refuses a discount on or after maturity', () => {
    const t = discountTerms(100_000_000n, 300, '2025-04-16', '2025-07-15');
    expect(t).to.deep.equal({ days: 90, interest: 750_000n, proceeds: 99_250_000n });
    expect(code(() => discountTerms(100n, 300, '2025-07-15', '2025-07-15'))).to.equal('TOO_LATE_TO_DISCOUNT');
    expect(code(() => discountTerms(1n, 10000, '2025-01-01', '2025-07-01'))).to.equal('DISCOUNT_EXCEEDS_FACE');
  });

  it('property: interest is the exact quotient rounded half up, never above face for rates ≤ 100% and terms ≤ 360 days', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 15n }),
        fc.integer({ min: 0, max: 10000 }),
        fc.integer({ min: 0, max: 360 }),
        (face, bp, days) => {
          const i = discountInterest(face, bp, days);
          const exact2 = (face * BigInt(bp) * BigInt(days) * 2n) / 3_600_000n; // twice the exact value, floored
          expect(i >= 0n && i <= face).to.equal(true);
          expect(i).to.equal((exact2 + 1n) / 2n);
        },
      ),
    );
  });
});
