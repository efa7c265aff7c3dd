import { expect } from 'chai';
import { signCall } from '../../ledger/intents';
import { Harness } from '../support/harness';
import { A, at, H, issue, map, setup } from './fixture';

describe('bills: circulation (embedded ledger)', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => (h = await setup()));
  after(async () => h?.close());
  beforeEach(() => h.setTime(at('2025-02-01')));

  const endorse = async (pkg: string, from: number, to: number, by = 'ent2', endorsee = 'ent1') => {
    await h.submit(by, 'Bills:endorse', h.uid(), pkg, String(from), String(to), H[endorsee as 'ent1']);
    await h.submit(endorsee, 'Bills:sign', h.uid(), pkg, String(from), 'endorse', A[endorsee as 'ent1']);
  };

  it('endorses [1,1], [N,N], a middle part and splits a range already split', async () => {
    h.setTime(at('2025-01-15'));
    await issue(h, 'C-SPLIT', { amount: '1000' });
    h.setTime(at('2025-02-01'));
    await endorse('C-SPLIT', 1, 1);
    await endorse('C-SPLIT', 1000, 1000);
    await endorse('C-SPLIT', 400, 599); // middle of [2, 999]: found through the end index
    await endorse('C-SPLIT', 450, 459, 'ent1', 'ent2'); // split the split
    expect(await map(h, 'C-SPLIT')).to.deep.equal([
      [1, 1, 'ent1', 'held'],
      [2, 399, 'ent2', 'held'],
      [400, 449, 'ent1', 'held'],
      [450, 459, 'ent2', 'held'],
      [460, 599, 'ent1', 'held'],
      [600, 999, 'ent2', 'held'],
      [1000, 1000, 'ent1', 'held'],
    ]);
    const ent1 = await h.evaluate('ent1', 'Bills:holdings', '', 'C-SPLIT', '', '');
    expect(ent1).to.include({ count: 4, total: String(1 + 50 + 140 + 1) });
    const lin = await h.evaluate('ent1', 'Bills:lineage', 'C-SPLIT', '455');
    expect(lin.holders.map((x: string) => x.split(':')[1])).to.deep.equal(['ent2', 'ent1', 'ent2']);
    const other = await h.evaluate('ent1', 'Bills:lineage', 'C-SPLIT', '700');
    expect(other.holders.map((x: string) => x.split(':')[1])).to.deep.equal(['ent2']);
  });

  it('finds a mid-range holding with one bounded read of the end index', async () => {
    h.setTime(at('2025-01-15'));
    await issue(h, 'C-MID', { amount: '100000' });
    h.setTime(at('2025-02-01'));
    for (const [a, b] of [
      [1, 100],
      [60001, 60100],
      [90001, 90100],
    ])
      await endorse('C-MID', a, b);
    // [101, 60000] is held by ent2; act on its middle: the end index is read from 30000 up to [101, 60000]'s end only.
    const r = await h.ledger.submit(
      signCall(h.id('ent2'), { fn: 'Bills:endorse', args: [h.uid(), 'C-MID', '30000', '30010', H.ent1] }),
    );
    const tx = (await (h.ledger as any).core.getBlock(r.blockNumber)).txs.find((t: any) => t.txId === r.txId);
    expect(tx.ranges).to.have.length(1);
    expect(tx.ranges[0]).to.include({ exhausted: false });
    expect(tx.ranges[0].keys.map(([k]: [string]) => k)).to.deep.equal(['rangeend~C-MID~0000000000060000']);
  });

  it('pages holdings by bookmark: totals over all ranges come with the first page', async () => {
    const first = await h.evaluate('ent1', 'Bills:holdings', '', 'C-SPLIT', '', '3');
    expect(first).to.include({ count: 4, total: '192' });
    expect(first.byState).to.deep.equal({ held: '192' });
    expect(first.ranges.map((r: any) => [r.start, r.end])).to.deep.equal([
      [1, 1],
      [400, 449],
      [460, 599],
    ]);
    expect(first.bookmark).to.equal('C-SPLIT~0000000000000460');
    const second = await h.evaluate('ent1', 'Bills:holdings', '', 'C-SPLIT', first.bookmark, '3');
    expect(second).to.not.have.property('count');
    expect(second.ranges.map((r: any) => [r.start, r.end])).to.deep.equal([[1000, 1000]]);
    expect(second.bookmark).to.equal('');
    const exact = await h.evaluate('ent1', 'Bills:holdings', '', 'C-SPLIT', '', '4');
    expect([exact.ranges.length, exact.bookmark]).to.deep.equal([4, '']);
    const err = await h.ledger
      .evaluate(signCall(h.id('ent1'), { fn: 'Bills:holdings', args: ['', 'C-SPLIT', '../x', ''] }))
      .catch((e) => e);
    expect(err).to.include({ code: 'INVALID_BOOKMARK', field: 'bookmark' });
    const big = await h.ledger
      .evaluate(signCall(h.id('ent1'), { fn: 'Bills:holdings', args: ['', '', '', '1001'] }))
      .catch((e) => e);
    expect(big).to.include({ field: 'limit' });
  });

  it('refuses acting on what the caller does not hold, across a range border, or on a pending range', async () => {
    await h.fails('NOT_HOLDER', 'ent1', 'Bills:endorse', h.uid(), 'C-SPLIT', '2', '10', H.ent2);
    await h.fails('NOT_HOLDER', 'ent2', 'Bills:endorse', h.uid(), 'C-SPLIT', '390', '420', H.ent1); // [400, 449] is ent1's
    await h.fails('INVALID_TICKET', 'ent2', 'Bills:endorse', h.uid(), 'C-SPLIT', '600', '1001', H.ent1);
    await h.submit('ent2', 'Bills:endorse', h.uid(), 'C-SPLIT', '600', '699', H.ent1);
    await h.fails('RANGE_BUSY', 'ent2', 'Bills:pledge', h.uid(), 'C-SPLIT', '600', '650', H.bank1);
    expect((await h.evaluate('ent1', 'Bills:inbox', '')).items.find((i: any) => i.pkg === 'C-SPLIT')).to.include({
      op: 'endorse',
      start: 600,
      end: 699,
      face: '100',
    });
    await h.submit('ent1', 'Bills:reject', h.uid(), 'C-SPLIT', '600', 'endorse', 'no contract');
    expect((await map(h, 'C-SPLIT')).slice(-3)).to.deep.equal([
      [600, 699, 'ent2', 'held'],
      [700, 999, 'ent2', 'held'],
      [1000, 1000, 'ent1', 'held'],
    ]);
  });

  it('refuses to endorse, pledge or discount a non-transferable bill', async () => {
    h.setTime(at('2025-01-15'));
    await issue(h, 'C-NT', { nonTransferable: true });
    await h.fails('BILL_NOT_TRANSFERABLE', 'ent2', 'Bills:endorse', h.uid(), 'C-NT', '1', '10', H.ent1);
    await h.fails('BILL_NOT_TRANSFERABLE', 'ent2', 'Bills:pledge', h.uid(), 'C-NT', '1', '10', H.bank1);
    await h.fails('BILL_NOT_TRANSFERABLE', 'ent2', 'Bills:discount', h.uid(), 'C-NT', '1', '10', H.bank1, '300');
  });

  it('moves an unsplittable package only whole', async () => {
    h.setTime(at('2025-01-15'));
    await issue(h, 'C-WHOLE', { splittable: false });
    await h.fails('NOT_SPLITTABLE', 'ent2', 'Bills:endorse', h.uid(), 'C-WHOLE', '1', '99999', H.ent1);
    await endorse('C-WHOLE', 1, 100000);
    expect(await map(h, 'C-WHOLE')).to.deep.equal([[1, 100000, 'ent1', 'held']]);
  });

  it('freezes part of a range: nothing acts on it until a court unfreezes it', async () => {
    h.setTime(at('2025-01-15'));
    await issue(h, 'C-FRZ');
    await h.fails('ROLE_REQUIRED', 'ent1', 'Bills:freeze', h.uid(), 'C-FRZ', '1', '10', 'x', 'x');
    await h.submit(
      'court1',
      'Bills:freeze',
      h.uid(),
      'C-FRZ',
      '101',
      '200',
      'HU01-MINCHU-1',
      'case (2025) 沪01民初1号',
    );
    await h.fails('RANGE_FROZEN', 'ent2', 'Bills:endorse', h.uid(), 'C-FRZ', '150', '160', H.ent1);
    await h.fails('RANGE_FROZEN', 'ent2', 'Bills:pledge', h.uid(), 'C-FRZ', '101', '200', H.bank1);
    await endorse('C-FRZ', 1, 100); // the rest is free
    await h.submit('court1', 'Bills:unfreeze', h.uid(), 'C-FRZ', '101', 'judgment executed');
    await endorse('C-FRZ', 101, 200);
    expect((await map(h, 'C-FRZ')).slice(0, 2)).to.deep.equal([
      [1, 100, 'ent1', 'held'],
      [101, 200, 'ent1', 'held'],
    ]);
  });

  it('pledges to a bank: a pledged range cannot circulate until the bank releases it', async () => {
    h.setTime(at('2025-01-15'));
    await issue(h, 'C-PLG');
    await h.fails('PARTY_ROLE_REQUIRED', 'ent2', 'Bills:pledge', h.uid(), 'C-PLG', '1', '500', H.ent1);
    await h.submit('ent2', 'Bills:pledge', h.uid(), 'C-PLG', '1', '500', H.bank1);
    await h.submit('bank1', 'Bills:sign', h.uid(), 'C-PLG', '1', 'pledge', A.bank1);
    await h.fails('RANGE_STATE', 'ent2', 'Bills:endorse', h.uid(), 'C-PLG', '1', '10', H.ent1);
    await h.fails('RANGE_STATE', 'ent2', 'Bills:discount', h.uid(), 'C-PLG', '1', '500', H.bank1, '300');
    await h.fails('ROLE_REQUIRED', 'ent2', 'Bills:release', h.uid(), 'C-PLG', '1', '500');
    await h.submit('bank1', 'Bills:release', h.uid(), 'C-PLG', '1', '200');
    expect((await map(h, 'C-PLG')).slice(0, 3)).to.deep.equal([
      [1, 200, 'ent2', 'held'],
      [201, 500, 'ent2', 'pledged'],
      [501, 100000, 'ent2', 'held'],
    ]);
    await endorse('C-PLG', 1, 200);
  });

  it('discounts at a bank: the bank pays face − interest (half up) and becomes the holder', async () => {
    h.setTime(at('2025-01-15'));
    await issue(h, 'C-DSC', { amount: '100000000' }); // 1,000,000.00 yuan
    h.setTime(at('2025-04-16')); // 90 days to 2025-07-15
    const before = await h.balance(A.ent2);
    await h.submit('ent2', 'Bills:discount', h.uid(), 'C-DSC', '1', '100000000', H.bank1, '300');
    const r = await h.submit('bank1', 'Bills:sign', h.uid(), 'C-DSC', '1', 'discount', A.bank1);
    expect(r).to.include({ interest: '750000', proceeds: '99250000', days: 90, holder: H.bank1 });
    expect((await h.balance(A.ent2)) - before).to.equal(99_250_000n);
    const bal = await h.evaluate('ent2', 'Money:balance', A.ent2);
    expect(bal.byColor.find((c: any) => c.color === 'bill:C-DSC')).to.include({ amount: '99250000' });
    await h.expectConserved();
  });

  it('records a guarantee as a liable party', async () => {
    h.setTime(at('2025-01-15'));
    await issue(h, 'C-GTY');
    await h.submit('ent2', 'Bills:guarantee', h.uid(), 'C-GTY', '1', '100', H.bank1);
    await h.submit('bank1', 'Bills:sign', h.uid(), 'C-GTY', '1', 'guarantee', '');
    const m = await h.evaluate('regulator1', 'Bills:packageMap', 'C-GTY');
    expect(m.ranges[0].guarantors).to.deep.equal([{ guarantor: H.bank1, forWhom: H.ent2 }]);
  });
});
