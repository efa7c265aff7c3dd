/**
 * A request over a set of ranges is answered as one (16.5): rejecting or revoking any of its
 * ranges answers all of them; a presentment of a set dishonoured by one refusal.
 */
import { expect } from 'chai';
import { Harness } from '../support/harness';
import { makeProgram } from '../supervision/fixture';
import { A, at, H, issue, map, register, setup } from './fixture';

describe('bills: answering a request over a set of ranges (embedded ledger)', function () {
  this.timeout(60_000);
  let h: Harness;
  const ranges = (...xs: Array<[number, number]>): string =>
    JSON.stringify(xs.map(([from, to]) => ({ from: String(from), to: String(to) })));
  before(async () => {
    h = await setup();
    await issue(h, 'SET-1', { maturity: '2025-04-15' });
    h.setTime(at('2025-02-01'));
  });
  after(() => h?.close());

  it('revoking one range of an endorsement withdraws the whole request', async () => {
    const r = await h.submit(
      'ent2',
      'Bills:endorseRanges',
      h.uid(),
      'SET-1',
      ranges([1, 10], [21, 30]),
      H.ent1,
      'false',
    );
    expect(r.ranges).to.have.length(2);
    await h.submit('ent2', 'Bills:revoke', h.uid(), 'SET-1', '21', 'endorse');
    expect((await h.evaluate('ent1', 'Bills:inbox', '')).items.filter((i: any) => i.pkg === 'SET-1')).to.deep.equal([]);
  });

  it('rejecting one range of an endorsement refuses the whole request', async () => {
    await h.submit('ent2', 'Bills:endorseRanges', h.uid(), 'SET-1', ranges([1, 10], [21, 30]), H.ent1, 'false');
    await h.submit('ent1', 'Bills:reject', h.uid(), 'SET-1', '1', 'endorse', 'no contract behind it');
    expect((await map(h, 'SET-1')).every((x) => x[2] === 'ent2' && x[3] === 'held')).to.equal(true);
    expect((await h.evaluate('ent1', 'Bills:inbox', '')).items.filter((i: any) => i.pkg === 'SET-1')).to.deep.equal([]);
  });

  it('a pledge across two adjacent holdings is one request, signed once', async () => {
    await h.submit('ent2', 'Bills:endorse', h.uid(), 'SET-1', '41', '50', H.ent1);
    await h.submit('ent1', 'Bills:sign', h.uid(), 'SET-1', '41', 'endorse', A.ent1);
    await h.submit('ent1', 'Bills:endorse', h.uid(), 'SET-1', '41', '50', H.ent2);
    await h.submit('ent2', 'Bills:sign', h.uid(), 'SET-1', '41', 'endorse', A.ent2); // [41, 50] and [51, ...] now
    const r = await h.submit('ent2', 'Bills:pledge', h.uid(), 'SET-1', '45', '60', H.bank1);
    expect(r.ranges.map((x: any) => [x.from, x.to])).to.deep.equal([
      [45, 50],
      [51, 60],
    ]);
    await h.submit('bank1', 'Bills:sign', h.uid(), 'SET-1', '51', 'pledge', A.bank1);
    const pledged = (await map(h, 'SET-1')).filter((x) => x[3] === 'pledged').map((x) => [x[0], x[1]]);
    expect(pledged).to.deep.equal([
      [45, 50],
      [51, 60],
    ]);
  });

  it('an account under a supervision program pays no bill', async () => {
    const f = await makeProgram(h);
    await register(h, 'SET-SV2', { maturity: '2025-04-15', issueDate: '2025-02-01' });
    await h.submit('ent1', 'Bills:presentAcceptance', h.uid(), 'SET-SV2');
    await h.fails('SUPERVISED_ACCOUNT', 'ent1', 'Bills:sign', h.uid(), 'SET-SV2', '1', 'accept', f.sup);
  });

  it('a refused presentment of a set dishonours every range of it', async () => {
    h.setTime(at('2025-04-15'));
    await h.submit('ent2', 'Bills:presentPaymentRanges', h.uid(), 'SET-1', ranges([1, 10], [21, 30]));
    await h.submit('ent1', 'Bills:reject', h.uid(), 'SET-1', '21', 'pay', '资金不足');
    const states = (await map(h, 'SET-1')).filter((x) => x[0] === 1 || x[0] === 21).map((x) => x[3]);
    expect(states).to.deep.equal(['dishonored', 'dishonored']);
  });
});
