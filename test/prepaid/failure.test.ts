import { expect } from 'chai';
import { sign } from '../../chaincode/lib/gm';
import { useMessage } from '../../chaincode/prepaid/messages';
import { Harness } from '../support/harness';
import { buy, expectBalance, onboard, plan, submitWithEvents, useLesson, wallet } from './fixture';

const T0 = '2026-03-01T02:00:00.000Z';

describe('prepaid: a failing merchant (embedded ledger)', function () {
  this.timeout(120000);
  let h: Harness;
  let gym: { id: string; account: string };
  const contracts: any[] = [];
  const wallets: string[] = [];
  let planId = '';

  before(async () => {
    h = await Harness.create();
    h.setTime(T0);
    gym = await onboard(h, 'fitness', 'jiangsu');
    const p = await plan(h, gym.id, {
      mode: 'per_use',
      unitPrice: '5000',
      units: 10,
      coolingOffDays: 15,
      nonRefundableBp: 1000,
    });
    for (let i = 0; i < 5; i++) {
      wallets.push(await wallet(h, 50000n));
      contracts.push(await buy(h, (planId = p.id), wallets[i]));
      await useLesson(h, contracts[i].id, 1, i + 1, T0); // contract i used i+1 visits
    }
  });
  after(async () => {
    await h?.expectConserved();
    await h?.close();
  });

  it('sweeps only a frozen merchant', async () => {
    await h.fails('MERCHANT_NOT_FROZEN', 'regulator1', 'Prepaid:refundMerchant', gym.id, '2');
    await h.fails('ROLE_REQUIRED', 'merchant1', 'Prepaid:freezeMerchant', gym.id, 'self');
    const { result, events } = await submitWithEvents(
      h,
      'regulator1',
      'Prepaid:freezeMerchant',
      gym.id,
      'owner vanished',
    );
    expect(result.status).to.equal('frozen');
    expect(events.map((e) => e.type)).to.deep.equal(['MerchantFrozen']);
  });

  it('stops releases and sales on a frozen merchant', async () => {
    const sig = sign(h.id('consumer1').sm2.privateKey, useMessage(contracts[0].id, 2, 1, T0));
    await h.fails('MERCHANT_FROZEN', 'merchant1', 'Prepaid:consume', contracts[0].id, '2', '1', T0, '', sig);
    const esc = h.uid('esc');
    await h.openAccount(esc, 'consumer1', 'escrow');
    await h.fails('MERCHANT_FROZEN', 'consumer1', 'Prepaid:purchase', h.uid('ctr'), planId, wallets[0], esc);
    const p = JSON.stringify({
      id: h.uid('plan'),
      merchant: gym.id,
      name: 'x',
      mode: 'per_use',
      unitPrice: '100',
      units: 1,
      coolingOffDays: 15,
    });
    await h.fails('MERCHANT_FROZEN', 'merchant1', 'Prepaid:createPlan', p);
  });

  it('a consumer refunding on their own gets everything unreleased (no fee on a failed merchant)', async () => {
    h.setTime('2026-04-01T02:00:00.000Z'); // long after cooling-off
    const r = await h.submit('consumer1', 'Prepaid:refund', contracts[4].id);
    expect(r).to.include({ released: '25000', refunded: '25000', fee: '0' });
  });

  it('refunds every consumer in resumable batches, idempotently', async () => {
    const s1 = await h.submit('regulator1', 'Prepaid:refundMerchant', gym.id, '2');
    expect(s1).to.include({ visited: 2, refunded: 2, done: false });
    const s2 = await h.submit('regulator1', 'Prepaid:refundMerchant', gym.id, '2');
    expect(s2).to.include({ visited: 4, refunded: 4, done: false });
    const s3 = await h.submit('regulator1', 'Prepaid:refundMerchant', gym.id, '2');
    expect(s3).to.include({ visited: 5, refunded: 4, done: true, amount: String(45000 + 40000 + 35000 + 30000) });
    const again = await h.submit('regulator1', 'Prepaid:refundMerchant', gym.id, '2');
    expect(again).to.deep.equal(s3);
    for (let i = 0; i < 5; i++) {
      await expectBalance(h, wallets[i], 50000 - 5000 * (i + 1));
      await expectBalance(h, contracts[i].escrow, 0);
      expect((await h.evaluate('consumer1', 'Prepaid:getContract', contracts[i].id)).status).to.equal('refunded');
    }
    await expectBalance(h, gym.account, 5000 * (1 + 2 + 3 + 4 + 5));
    await h.expectConserved();
  });

  it("traces each consumer's money: wallet -> contract -> merchant, and back", async () => {
    const t = await h.evaluate('auditor1', 'Trace:backward', gym.account, '');
    const total = t.paths.reduce((s: bigint, p: any) => s + BigInt(p.amount), 0n);
    expect(total).to.equal(await h.balance(gym.account));
    for (let i = 0; i < 5; i++) {
      const path = t.paths.find((p: any) => p.nodes.includes(`${contracts[i].escrow}/ctr:${contracts[i].id}`));
      expect(path, `contract ${i}`).to.not.equal(undefined);
      expect(path.nodes[0]).to.equal(`${gym.account}/prepaid:${gym.id}`);
      expect(path.nodes[2]).to.equal(`${wallets[i]}/dep:${wallets[i]}`);
      expect(path.end).to.equal('deposit');
      expect(path.amount).to.equal(String(5000 * (i + 1)));
    }
    const back = await h.evaluate('consumer1', 'Trace:backward', wallets[0], '');
    const refunded = back.paths.find((p: any) => p.nodes[0] === `${wallets[0]}/refund:${gym.id}`);
    expect(refunded.nodes).to.include(`${contracts[0].escrow}/ctr:${contracts[0].id}`);
    expect(refunded.amount).to.equal('45000');
  });
});
