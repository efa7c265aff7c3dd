import { expect } from 'chai';
import type { BillPackage, BillRange } from '../../chaincode/bills/model';
import { liableParties, takeOver } from '../../chaincode/bills/settle';
import { Harness } from '../support/harness';
import { A, at, H, issue, map, setup } from './fixture';

describe('bills: maturity, payment and recourse (embedded ledger)', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => (h = await setup()));
  after(async () => h?.close());

  it('is not due the day before maturity; on maturity day the acceptor pays the holder', async () => {
    h.setTime(at('2025-01-15'));
    await issue(h, 'S-PAY', { acceptor: 'bank1' });
    h.setTime(at('2025-07-14'));
    await h.fails('NOT_YET_DUE', 'ent2', 'Bills:presentPayment', h.uid(), 'S-PAY', '1', '100000');
    await h.fails('NOT_YET_DUE', 'auditor1', 'Bills:presentDue', 'S-PAY');
    h.setTime(at('2025-07-15'));
    await h.fails('AFTER_MATURITY', 'ent2', 'Bills:endorse', h.uid(), 'S-PAY', '1', '10', H.ent1);
    await h.fails('AFTER_MATURITY', 'ent2', 'Bills:discount', h.uid(), 'S-PAY', '1', '10', H.bank1, '300');
    const before = await h.balance(A.ent2);
    await h.submit('ent2', 'Bills:presentPayment', h.uid(), 'S-PAY', '1', '40000');
    expect((await h.evaluate('bank1', 'Bills:inbox', '')).items[0]).to.include({
      op: 'pay',
      pkg: 'S-PAY',
      deadline: '2025-07-18',
      face: '40000',
    });
    await h.submit('bank1', 'Bills:sign', h.uid(), 'S-PAY', '1', 'pay', A.bank1);
    expect((await h.balance(A.ent2)) - before).to.equal(40_000n);
    h.setTime(at('2025-07-16')); // the day after maturity: still presentable
    await h.submit('ent2', 'Bills:presentPayment', h.uid(), 'S-PAY', '40001', '100000');
    await h.submit('bank1', 'Bills:sign', h.uid(), 'S-PAY', '40001', 'pay', A.bank1);
    expect(await map(h, 'S-PAY')).to.deep.equal([
      [1, 40000, 'ent2', 'paid'],
      [40001, 100000, 'ent2', 'paid'],
    ]);
    expect((await h.evaluate('ent2', 'Bills:holdings', '', 'S-PAY', '', '')).count).to.equal(0);
    await h.expectConserved();
  });

  it('presents automatically on maturity, skips frozen ranges, and dishonors silence after 3 days', async () => {
    h.setTime(at('2025-01-15'));
    await issue(h, 'S-AUTO');
    h.setTime(at('2025-02-01'));
    await h.submit('ent2', 'Bills:endorse', h.uid(), 'S-AUTO', '1', '100', H.ent1);
    await h.submit('ent1', 'Bills:sign', h.uid(), 'S-AUTO', '1', 'endorse', A.ent1);
    await h.submit('regulator1', 'Bills:freeze', h.uid(), 'S-AUTO', '50001', '100000', '', 'inquiry');
    h.setTime(at('2025-07-15'));
    expect(await h.submit('auditor1', 'Bills:presentDue', 'S-AUTO')).to.include({ presented: 2, dishonored: 0 });
    expect(await h.submit('auditor1', 'Bills:presentDue', 'S-AUTO')).to.include({ presented: 0, dishonored: 0 });
    await h.submit('ent1', 'Bills:sign', h.uid(), 'S-AUTO', '1', 'pay', A.ent1); // acceptor and holder are both ent1: nothing moves
    h.setTime(at('2025-07-18')); // deadline day: still in time
    expect(await h.submit('ent2', 'Bills:presentDue', 'S-AUTO')).to.include({ dishonored: 0 });
    h.setTime(at('2025-07-19'));
    await h.fails('ANSWER_DEADLINE_PASSED', 'ent1', 'Bills:sign', h.uid(), 'S-AUTO', '101', 'pay', A.ent1);
    expect(await h.submit('ent2', 'Bills:presentDue', 'S-AUTO')).to.include({ presented: 0, dishonored: 1 });
    expect(await map(h, 'S-AUTO')).to.deep.equal([
      [1, 100, 'ent1', 'paid'],
      [101, 50000, 'ent2', 'dishonored'],
      [50001, 100000, 'ent2', 'held'],
    ]);
  });

  it('refusal → recourse along the chain → settled by the acceptor; money conserved', async () => {
    h.setTime(at('2025-01-15'));
    await issue(h, 'S-REC', { amount: '1000000' });
    h.setTime(at('2025-03-17')); // 120 days to maturity
    await h.submit('ent2', 'Bills:discount', h.uid(), 'S-REC', '1', '500000', H.bank1, '250');
    const d = await h.submit('bank1', 'Bills:sign', h.uid(), 'S-REC', '1', 'discount', A.bank1);
    expect(d).to.include({ days: 120, interest: '4167', proceeds: '495833' }); // 500000 × 2.5% × 120/360 = 4166.67 → 4167
    h.setTime(at('2025-07-15'));
    await h.submit('bank1', 'Bills:presentPayment', h.uid(), 'S-REC', '1', '500000');
    await h.submit('ent1', 'Bills:reject', h.uid(), 'S-REC', '1', 'pay', 'insufficient funds');
    expect((await h.evaluate('bank1', 'Bills:liable', 'S-REC', '1')).liable).to.deep.equal([H.ent1, H.ent2]);
    await h.fails('NOT_LIABLE', 'bank1', 'Bills:recourse', h.uid(), 'S-REC', '1', '500000', 'Org2MSP:court1');
    await h.submit('bank1', 'Bills:recourse', h.uid(), 'S-REC', '1', '200000', H.ent2); // part of the range
    const [ent2b, bankb] = [await h.balance(A.ent2), await h.balance(A.bank1)];
    await h.submit('ent2', 'Bills:sign', h.uid(), 'S-REC', '1', 'recourse', A.ent2);
    expect(bankb - (await h.balance(A.bank1))).to.equal(-200_000n);
    expect(ent2b - (await h.balance(A.ent2))).to.equal(200_000n);
    expect((await h.evaluate('ent2', 'Bills:liable', 'S-REC', '1')).liable).to.deep.equal([H.ent1]);
    await h.submit('ent2', 'Bills:recourse', h.uid(), 'S-REC', '1', '200000', H.ent1);
    await h.submit('ent1', 'Bills:sign', h.uid(), 'S-REC', '1', 'recourse', A.ent1);
    expect((await map(h, 'S-REC')).slice(0, 2)).to.deep.equal([
      [1, 200000, 'ent2', 'settled'],
      [200001, 500000, 'bank1', 'dishonored'],
    ]);
    const lin = await h.evaluate('regulator1', 'Bills:lineage', 'S-REC', '1');
    expect(lin.holders.map((x: string) => x.split(':')[1])).to.deep.equal(['ent2', 'bank1', 'ent2', 'ent1']);
    await h.expectConserved();
  });

  it('pays a pledged range to the pledgee (质权人收款)', async () => {
    h.setTime(at('2025-01-15'));
    await issue(h, 'S-PLG');
    await h.submit('ent2', 'Bills:pledge', h.uid(), 'S-PLG', '1', '100000', H.bank1);
    await h.submit('bank1', 'Bills:sign', h.uid(), 'S-PLG', '1', 'pledge', A.bank1);
    h.setTime(at('2025-07-15'));
    await h.fails('NOT_CREDITOR', 'ent2', 'Bills:presentPayment', h.uid(), 'S-PLG', '1', '100000');
    await h.submit('bank1', 'Bills:presentPayment', h.uid(), 'S-PLG', '1', '100000');
    const before = await h.balance(A.bank1);
    await h.submit('ent1', 'Bills:sign', h.uid(), 'S-PLG', '1', 'pay', A.ent1);
    expect((await h.balance(A.bank1)) - before).to.equal(100_000n);
    expect(await map(h, 'S-PLG')).to.deep.equal([[1, 100000, 'ent2', 'paid']]);
    await h.expectConserved();
  });
});

describe('bills: recourse positions (pure)', () => {
  const pkg = { acceptor: 'acc', drawer: 'd' } as BillPackage;
  const r = (holder: string, priors: string[], guarantors: BillRange['guarantors'] = []) =>
    ({ pkg: 'p', start: 1, end: 10, holder, account: 'x', state: 'dishonored', priors, guarantors }) as BillRange;

  it('lists the acceptor, the parties before the holder and their guarantors', () => {
    expect(liableParties(pkg, r('e3', ['d', 'e1', 'e2'], [{ guarantor: 'g', forWhom: 'e1' }]))).to.deep.equal([
      'd',
      'e1',
      'e2',
      'g',
      'acc',
    ]);
    // a holder that endorsed earlier has no claim on its own later parties
    expect(liableParties(pkg, r('e1', ['d', 'e1', 'e2']))).to.deep.equal(['d', 'acc']);
    expect(liableParties(pkg, r('d', ['d', 'e1']))).to.deep.equal(['acc']);
  });

  it('hands the range to whoever settles, with the claims of its position', () => {
    const base = r(
      'e3',
      ['d', 'e1', 'e2'],
      [
        { guarantor: 'g', forWhom: 'e1' },
        { guarantor: 'g2', forWhom: 'e2' },
      ],
    );
    expect(takeOver(pkg, base, 'e2', 'a2')).to.include({ holder: 'e2', account: 'a2' });
    expect(takeOver(pkg, base, 'e2', 'a2').priors).to.deep.equal(['d', 'e1']);
    expect(takeOver(pkg, base, 'e2', 'a2').guarantors).to.deep.equal([{ guarantor: 'g', forWhom: 'e1' }]);
    // the guarantor of e1 keeps its claim on e1 and those before
    expect(takeOver(pkg, base, 'g', 'ag').priors).to.deep.equal(['d', 'e1']);
    expect(takeOver(pkg, base, 'acc', 'aa').state).to.equal('settled');
  });
});
