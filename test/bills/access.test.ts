/**
 * Who may see and act on a bill package (14, on chain): its parties and the supervising roles.
 * Anyone else — a second bank's enterprise here — gets the answer for a package that does not
 * exist, and no error tells it the drawer, the maturity or the amounts.
 */
import { signCall } from '../../ledger/intents';
import { expect } from 'chai';
import type { LedgerError } from '../../chaincode/lib/errors';
import { Harness } from '../support/harness';
import { sameAsMissing } from '../support/same';
import { A, at, H, issue, setup } from './fixture';

describe('bills access (embedded ledger, second bank org)', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => {
    h = await setup();
    await issue(h, 'AC-1', { maturity: '2025-06-30' });
    h.setTime(at('2025-02-01'));
  });
  after(() => h?.close());

  it('a non-party reads nothing of a package', async () => {
    for (const fn of ['getPackage', 'packageMap'])
      expect(await sameAsMissing(h, { who: 'ent4', fn: `Bills:${fn}`, args: (id) => [id], id: 'AC-1' })).to.equal(
        'BILL_NOT_FOUND',
      );
    await sameAsMissing(h, { who: 'ent4', fn: 'Bills:lineage', args: (id) => [id, '1'], id: 'AC-1' });
    await sameAsMissing(h, { who: 'bank2', fn: 'Bills:liable', args: (id) => [id, '1'], id: 'AC-1' });
  });

  it('a non-party acts on nothing, and no error names the drawer, the maturity or an amount', async () => {
    const tries: Array<[string, string, (id: string) => string[]]> = [
      ['ent4', 'Bills:endorse', (id) => ['x1', id, '1', '10', H.ent1]],
      ['ent4', 'Bills:presentPayment', (id) => ['x2', id, '1', '10']],
      ['ent4', 'Bills:sign', (id) => ['x3', id, '1', 'endorse', A.ent1]],
      ['ent4', 'Bills:presentAcceptance', (id) => ['x4', id]],
      ['bank2', 'Bills:presentDue', (id) => [id]],
      ['ent4', 'Bills:endorseRanges', (id) => ['x5', id, JSON.stringify([{ from: '1', to: '10' }]), H.ent1, 'false']],
    ];
    for (const [who, fn, args] of tries) {
      expect(await sameAsMissing(h, { who: who, fn: fn, args: args, id: 'AC-1', submit: true })).to.equal(
        'BILL_NOT_FOUND',
      );
      const e = await h.ledger.submit(signCall(h.id(who), { fn: fn, args: args('AC-1') })).catch((x: LedgerError) => x);
      expect((e as LedgerError).detail).to.not.match(/ent1|2025-06-30|100000/);
    }
  });
});
