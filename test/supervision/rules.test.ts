import { expect } from 'chai';
import { preset, putian2022, xian2021 } from '../../chaincode/supervision/presets';
import {
  isStructuring,
  milestoneCap,
  milestoneCapBp,
  milestoneProblem,
  monthEnd,
  nearThreshold,
  nextMilestone,
  ReleaseFacts,
  releaseViolations,
  requiredApprovals,
  shareOf,
  wageDepositProblem,
  wagesOverdue,
} from '../../chaincode/supervision/rules';
import { chinaDay } from '../../chaincode/lib/china-time';

const codes = (f: Partial<ReleaseFacts>) => releaseViolations({ ...base, ...f }).map((v) => v.code);
const base: ReleaseFacts = {
  amount: 100n,
  whitelisted: true,
  personal: false,
  lineCap: 1000n,
  lineUsed: 0n,
  dayUsed: 0n,
  available: 10_000n,
};

describe('supervision rules', () => {
  it('shares round down in integer fen', () => {
    expect(shareOf(999n, 3000)).to.equal(299n); // 299.7
    expect(shareOf(10_000_001n, 500)).to.equal(500_000n);
    expect(shareOf(12345678901234567n, 10000)).to.equal(12345678901234567n);
  });

  it('milestone caps follow the last attested milestone and keep retention until the final one', () => {
    const { milestones, retentionBp } = putian2022();
    expect(milestoneCapBp(milestones, [], retentionBp)).to.equal(0);
    expect(milestoneCapBp(milestones, ['permit'], retentionBp)).to.equal(3000);
    const allButLast = milestones.slice(0, -1).map((m) => m.id);
    expect(milestoneCapBp(milestones, allButLast, retentionBp)).to.equal(9500); // filing says 100 %, 5 % retained
    expect(
      milestoneCapBp(
        milestones,
        milestones.map((m) => m.id),
        retentionBp,
      ),
    ).to.equal(10000);
    expect(milestoneCap(1_000_001n, milestones, ['permit', 'half_floors'], retentionBp)).to.equal(500_000n);
    expect(milestoneCapBp([], [], 0)).to.equal(10000);
    expect(nextMilestone(milestones, ['permit'])!.id).to.equal('half_floors');
  });

  it('Xi’an 2021 preset: interim caps only above 7 floors, 1 % until first registration', () => {
    expect(xian2021(7).milestones.map((m) => m.capBp)).to.deep.equal([5000, 9500, 9900, 10000, 10000]);
    const tall = xian2021(18);
    expect(tall.milestones.slice(0, 2).map((m) => m.capBp)).to.deep.equal([2000, 3500]);
    const ids = tall.milestones.map((m) => m.id);
    expect(milestoneCapBp(tall.milestones, ids.slice(0, -1), tall.retentionBp)).to.equal(9900);
    expect(milestoneProblem(tall.milestones)).to.equal('');
    expect(milestoneProblem(preset('putian2022').milestones)).to.equal('');
  });

  it('milestone lists must rise and end at 100 %', () => {
    expect(
      milestoneProblem([
        { id: 'a', name: 'a', capBp: 5000 },
        { id: 'b', name: 'b', capBp: 4000 },
      ]),
    ).to.match(/capBp/);
    expect(milestoneProblem([{ id: 'a', name: 'a', capBp: 5000 }])).to.match(/10000/);
    expect(
      milestoneProblem([
        { id: 'a', name: 'a', capBp: 10000 },
        { id: 'a', name: 'a', capBp: 10000 },
      ]),
    ).to.match(/repeated/);
  });

  it('approvals: m of n below the threshold, requiredAbove (default all) at it', () => {
    const p = { approvers: ['r', 'b', 's'], required: 2 };
    expect(requiredApprovals(p, 99n, 100n)).to.equal(2);
    expect(requiredApprovals(p, 100n, 100n)).to.equal(3);
    expect(requiredApprovals({ ...p, requiredAbove: 2 }, 100n, 100n)).to.equal(2);
    expect(requiredApprovals(p, 10n ** 12n)).to.equal(2);
  });

  it('a release exactly at each cap passes; one fen over fails with the right code', () => {
    expect(codes({ amount: 1000n })).to.deep.equal([]);
    expect(codes({ amount: 1001n })).to.deep.equal(['LINE_CAP_EXCEEDED']);
    expect(codes({ amount: 500n, lineUsed: 500n })).to.deep.equal([]);
    expect(codes({ amount: 501n, lineUsed: 500n })).to.deep.equal(['LINE_CAP_EXCEEDED']);
    expect(codes({ perPayment: 100n })).to.deep.equal([]);
    expect(codes({ perPayment: 99n })).to.deep.equal(['PER_PAYMENT_LIMIT']);
    expect(codes({ perDay: 300n, dayUsed: 200n })).to.deep.equal([]);
    expect(codes({ perDay: 300n, dayUsed: 201n })).to.deep.equal(['PER_DAY_LIMIT']);
    expect(codes({ personal: true, personalPerPayment: 100n })).to.deep.equal([]);
    expect(codes({ personal: true, personalPerPayment: 99n })).to.deep.equal(['PERSONAL_LIMIT']);
    expect(codes({ personal: false, personalPerPayment: 99n })).to.deep.equal([]);
    expect(codes({ milestone: { cap: 300n, used: 200n, stage: 'permit' } })).to.deep.equal([]);
    expect(codes({ milestone: { cap: 300n, used: 201n, stage: 'permit' } })).to.deep.equal(['MILESTONE_CAP']);
    expect(codes({ available: 100n })).to.deep.equal([]);
    expect(codes({ available: 99n })).to.deep.equal(['INSUFFICIENT_FUNDS']);
    expect(codes({ whitelisted: false })).to.deep.equal(['PAYEE_NOT_WHITELISTED']);
  });

  it('alert rules are flagged as alerts', () => {
    const v = releaseViolations({
      ...base,
      whitelisted: false,
      personal: true,
      personalPerPayment: 1n,
      milestone: { cap: 0n, used: 0n, stage: '' },
      perPayment: 1n,
    });
    expect(v.filter((x) => x.alert).map((x) => x.code)).to.deep.equal([
      'PAYEE_NOT_WHITELISTED',
      'PERSONAL_LIMIT',
      'MILESTONE_CAP',
    ]);
  });

  it('structuring: the third payment within 10 % below the threshold', () => {
    expect(nearThreshold(99_999n, 100_000n)).to.equal(true);
    expect(nearThreshold(90_000n, 100_000n)).to.equal(true);
    expect(nearThreshold(89_999n, 100_000n)).to.equal(false);
    expect(nearThreshold(100_000n, 100_000n)).to.equal(false);
    expect(isStructuring(1, 95_000n, 100_000n)).to.equal(false);
    expect(isStructuring(2, 95_000n, 100_000n)).to.equal(true);
    expect(isStructuring(5, 50_000n, 100_000n)).to.equal(false);
  });

  it('days and months are China time (UTC+8)', () => {
    expect(chinaDay(new Date('2024-03-01T15:59:59.999Z'))).to.equal('2024-03-01');
    expect(chinaDay(new Date('2024-03-01T16:00:00Z'))).to.equal('2024-03-02');
    expect(monthEnd('2024-01').toISOString()).to.equal('2024-01-31T16:00:00.000Z');
    expect(monthEnd('2024-12').toISOString()).to.equal('2024-12-31T16:00:00.000Z');
    expect(wagesOverdue('2024-01', new Date('2024-01-31T15:59:59.999Z'))).to.equal(false);
    expect(wagesOverdue('2024-01', new Date('2024-01-31T16:00:00Z'))).to.equal(true);
    expect(wagesOverdue('2024-01', new Date('2024-02-05T00:00:00Z'), 5)).to.equal(false);
  });

  it('wage deposit is 1-3 %', () => {
    expect(wageDepositProblem(100)).to.equal('');
    expect(wageDepositProblem(300)).to.equal('');
    expect(wageDepositProblem(99)).to.not.equal('');
    expect(wageDepositProblem(301)).to.not.equal('');
  });
});
