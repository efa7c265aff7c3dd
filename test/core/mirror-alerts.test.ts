/**
 * What the bank's books do that the chain would not allow is recorded (the books moved the money)
 * and raises an alert: money leaving a frozen account, or an account a business holds (a prepaid
 * escrow here; a supervised account: test/supervision/routes-offchain.test.ts).
 */
import { expect } from 'chai';
import { Harness } from '../support/harness';
import { eventsOf } from '../supervision/fixture';
import { buy, onboard, plan, wallet } from '../prepaid/fixture';

describe('mirrors the chain would not have allowed raise alerts (embedded ledger)', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => {
    h = await Harness.create();
  });
  after(() => h?.close());

  it('money leaving a frozen account', async () => {
    await h.openAccount('ma-1', 'ent1');
    await h.deposit('ma-1', 1000n);
    await h.submit('court1', 'Money:freezeAccount', 'ma-1', 'SZ-2026-1', '保全');
    const from = await h.ledger.height();
    await h.withdraw('ma-1', 400n, 'ma-w1');
    expect(await h.balance('ma-1')).to.equal(600n);
    expect((await eventsOf(h, 'Alert', from)).map((a) => a.alert)).to.deep.equal(['FROZEN_ACCOUNT_MOVED_OFF_CHAIN']);
  });

  it("money leaving a prepaid escrow in the books, not by the contract's release or refund", async () => {
    const shop = await onboard(h, 'fitness', 'beijing');
    const p = await plan(h, shop.id, { mode: 'per_use', unitPrice: '1000', units: 5, coolingOffDays: 7 });
    const c = await buy(h, p.id, await wallet(h, 10_000n));
    const from = await h.ledger.height();
    await h.withdraw(c.escrow, 1000n, 'ma-w2');
    const [a] = await eventsOf(h, 'Alert', from);
    expect(a).to.include({
      alert: 'LOCKED_ACCOUNT_MOVED_OFF_CHAIN',
      lock: `prepaid:${c.id}`,
      amount: '1000',
      offTxId: 'ma-w2',
    });
  });
});
