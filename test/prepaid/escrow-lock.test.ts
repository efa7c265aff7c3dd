import { expect } from 'chai';
import { Harness } from '../support/harness';
import { buy, onboard, plan, wallet } from './fixture';

describe('prepaid escrow lock (embedded ledger)', function () {
  this.timeout(60000);
  let h: Harness;
  before(async () => {
    h = await Harness.create();
    h.setTime('2026-03-01T02:00:00.000Z');
  });
  after(async () => h.close());

  it('Money:transfer refuses to credit a locked escrow (it could never leave: refunds take only the contract color)', async () => {
    const school = await onboard(h, 'training', 'beijing');
    const p = await plan(h, school.id, { mode: 'per_use', unitPrice: '100', units: 10, coolingOffDays: 7 });
    const c = await buy(h, p.id, await wallet(h, 5_000n));
    const other = await wallet(h, 700n);
    await h.fails('ACCOUNT_LOCKED', 'consumer1', 'Money:transfer', h.uid('t'), other, c.escrow, '700', 'top up', '');
    const r = await h.submit('consumer1', 'Prepaid:refund', c.id);
    expect(r.refunded).to.equal('1000');
    expect(await h.balance(c.escrow)).to.equal(0n);
    await h.expectConserved();
  });
});
