/**
 * Issue 16.2 as found, through the REST API with the oracles running: a plan keeping 10 % on
 * refund (nonRefundableBp 1000); purchase; one co-signed use (books follow: 150.00); refund. The
 * 285.00 fee the chain moves to the merchant reaches the merchant's book account, the wallet's
 * book balance follows the refund, and reconciliation (as `lianjian reconcile --lag-ms 0` runs it)
 * reports no break.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { sign } from '../../chaincode/lib/gm';
import { useMessage } from '../../chaincode/prepaid/messages';
import { runReconciliation } from '../../oracles/recon/run';
import { Harness, startGateway } from '../gateway/helpers';
import { rest } from '../support/rest';
import { until } from '../support/wait';

describe('prepaid routes: a forfeit fee reaches the merchant’s books (16.2)', function () {
  this.timeout(60_000);
  let h: Harness;
  const { ok } = rest(() => h);
  const book = async (id: string): Promise<string> => (await h.oracles.books.getAccount(id))!.balance;

  before(async () => {
    h = await startGateway('pp-books');
    const open = (id: string, kind: string, owner: string): Promise<unknown> =>
      ok('Org1MSP:bank1', 'POST', '/v1/accounts', { id, kind, owner, offChainRef: `off-${id}` }, 201);
    await open('fb-wallet', 'wallet', 'Org1MSP:consumer1');
    await open('fb-escrow', 'escrow', 'Org1MSP:consumer1');
    await open('fb-shop', 'settlement', 'Org1MSP:merchant1');
    const books = (id: string, holder: string, chainAccount: string): Promise<unknown> =>
      ok('Org1MSP:bank1', 'POST', '/v1/books/accounts', { id, holder, chainAccount }, 201);
    await books('ecny-lin', '林女士', 'fb-wallet');
    await books('core-gym', '悦动健身', 'fb-shop');
    await ok('Org1MSP:bank1', 'POST', '/v1/prepaid/wallets/fb-wallet/tier', { tier: 2 });
    await ok(
      'Org1MSP:bank1',
      'POST',
      '/v1/books/deposits',
      { ref: 'fb-top-up', account: 'ecny-lin', amount: '500000' },
      201,
    );
    h.oracles.start({
      ledger: h.ledger,
      intervalMs: 3_600_000,
      wageCheckIntervalMs: 3_600_000,
    });
    await until(
      'the top-up mirrored',
      async () => (await ok('Org1MSP:consumer1', 'GET', '/v1/accounts/fb-wallet/balance')).total === '500000',
    );
    await ok(
      'Org1MSP:merchant1',
      'POST',
      '/v1/prepaid/merchants',
      { id: 'fb-gym', name: '悦动健身', category: 'fitness', region: 'beijing', account: 'fb-shop' },
      201,
    );
    await ok('Org2MSP:regulator1', 'POST', '/v1/prepaid/merchants/fb-gym/review', { decision: 'approve' });
    await ok(
      'Org1MSP:merchant1',
      'POST',
      '/v1/prepaid/plans',
      {
        id: 'fb-20',
        merchant: 'fb-gym',
        name: '20 次卡',
        mode: 'per_use',
        unitPrice: '15000',
        units: 20,
        coolingOffDays: 7,
        nonRefundableBp: 1000,
      },
      201,
    );
  });
  after(() => h?.close());

  it('purchase, one co-signed use, refund: the books follow every movement, reconciliation is clean', async () => {
    await ok(
      'Org1MSP:consumer1',
      'POST',
      '/v1/prepaid/contracts',
      { id: 'fb-c1', plan: 'fb-20', wallet: 'fb-wallet', escrow: 'fb-escrow' },
      201,
    );
    const lin = h.id('Org1MSP:consumer1');
    const time = new Date().toISOString();
    const signature = sign(lin.sm2.privateKey, useMessage('fb-c1', 1, 1, time), lin.sm2.publicKey);
    await ok('Org1MSP:merchant1', 'POST', '/v1/prepaid/contracts/fb-c1/uses', { seq: 1, time, signature }, 201);
    await until('the use booked', async () => (await book('core-gym')) === '15000');
    // Out of cooling-off by the use: the plan keeps 10 % of the unreleased 2,850.00.
    const refunded = await ok('Org1MSP:consumer1', 'POST', '/v1/prepaid/contracts/fb-c1/refund', {});
    expect(refunded).to.include({ refunded: '256500', fee: '28500' });
    await until(
      'the fee and the refund booked',
      async () => (await book('core-gym')) === '43500' && (await book('ecny-lin')) === '456500',
    );
    const r = await runReconciliation({
      books: h.oracles.books,
      ledger: h.ledger,
      reader: h.id('Org1MSP:oracle1'),
      lagMs: 0,
      reportDir: join(h.dir, 'recon-test'),
    });
    expect(r.stats.breaks, JSON.stringify(r.stats)).to.deep.include({
      missing_off_chain: 0,
      missing_on_chain: 0,
      balance_mismatch: 0,
    });
    expect([r.breaks, r.stats.inFlight]).to.deep.equal([0, 0]);
  });
});
