/**
 * Issue 16.7 (prepaid) through the REST API: the regulator's sweep over a failed merchant marked a
 * contract it could not refund (a frozen wallet) as skipped and never came back to it. Now every
 * later batch retries it until it is refunded, or the regulator records why not.
 */
import { expect } from 'chai';
import { attest, Harness, startGateway } from '../gateway/helpers';
import { rest } from '../support/rest';

describe('prepaid routes: the refund sweep retries what it skipped (16.7)', function () {
  this.timeout(60_000);
  let h: Harness;
  const { ok, refused } = rest(() => h);
  const REG = 'Org2MSP:regulator1';
  const open = (id: string, kind: string, owner: string): Promise<unknown> =>
    ok('Org1MSP:bank1', 'POST', '/v1/accounts', { id, kind, owner, offChainRef: `off-${id}` }, 201);

  /** A merchant with one plan, and a contract bought from each wallet. */
  async function merchantWithContracts(m: string, wallets: string[]): Promise<void> {
    await open(`${m}-shop`, 'settlement', 'Org1MSP:merchant1');
    await ok(
      'Org1MSP:merchant1',
      'POST',
      '/v1/prepaid/merchants',
      { id: m, name: m, category: 'fitness', region: 'beijing', account: `${m}-shop` },
      201,
    );
    await ok(REG, 'POST', `/v1/prepaid/merchants/${m}/review`, { decision: 'approve' });
    await ok(
      'Org1MSP:merchant1',
      'POST',
      '/v1/prepaid/plans',
      { id: `${m}-p`, merchant: m, name: '10', mode: 'per_use', unitPrice: '1000', units: 10, coolingOffDays: 7 },
      201,
    );
    const o = h.id('Org1MSP:oracle1');
    for (const w of wallets) {
      await open(w, 'wallet', 'Org1MSP:consumer1');
      await open(`${w}-esc`, 'escrow', 'Org1MSP:consumer1');
      await ok(
        'Org1MSP:oracle1',
        'POST',
        '/v1/mirror/deposits',
        {
          account: w,
          amount: '10000',
          offTxId: `d-${w}`,
          attestation: attest(o, { kind: 'deposit', bank: 'Org1MSP', account: w, offTxId: `d-${w}`, amount: '10000' }),
        },
        201,
      );
      await ok(
        'Org1MSP:consumer1',
        'POST',
        '/v1/prepaid/contracts',
        { id: `${w}-c`, plan: `${m}-p`, wallet: w, escrow: `${w}-esc` },
        201,
      );
    }
    await ok(REG, 'POST', `/v1/prepaid/merchants/${m}/freeze`, { reason: '经营者失联' });
  }

  before(async () => {
    h = await startGateway('pp-sweep');
  });
  after(() => h?.close());

  it('a contract skipped for a frozen wallet is refunded once the wallet is unfrozen', async () => {
    await merchantWithContracts('sw-m1', ['sw-w1', 'sw-w2']);
    await ok(REG, 'POST', '/v1/accounts/sw-w2/freeze', { reason: '司法查询' });
    const s1 = await ok(REG, 'POST', '/v1/prepaid/merchants/sw-m1/refund-all', { limit: 50 });
    expect(s1).to.include({ refunded: 1, done: false });
    expect(s1.skipped).to.deep.equal(['sw-w2-c']);
    const s2 = await ok(REG, 'POST', '/v1/prepaid/merchants/sw-m1/refund-all', { limit: 50 });
    expect(s2).to.include({ refunded: 1, done: false }); // still frozen: still waiting, not forgotten
    await ok(REG, 'POST', '/v1/accounts/sw-w2/unfreeze', { reason: '查询完毕' });
    const s3 = await ok(REG, 'POST', '/v1/prepaid/merchants/sw-m1/refund-all', { limit: 50 });
    expect(s3).to.include({ refunded: 2, done: true, amount: '20000' });
    expect(s3.skipped).to.deep.equal([]);
    expect((await ok('Org1MSP:consumer1', 'GET', '/v1/accounts/sw-w2/balance')).total).to.equal('10000');
  });

  it('or the regulator records why a skipped contract is settled otherwise; then the sweep is done', async () => {
    await merchantWithContracts('sw-m2', ['sw-w3']);
    await ok('Org1MSP:bank1', 'POST', '/v1/accounts/sw-w3/close', {}); // emptied by the purchase: the wallet is gone
    const s1 = await ok(REG, 'POST', '/v1/prepaid/merchants/sw-m2/refund-all', {});
    expect(s1.skipped).to.deep.equal(['sw-w3-c']);
    await refused(REG, 'POST', '/v1/prepaid/merchants/sw-m2/refund-all/resolve', { contract: 'sw-nope', note: 'x' }, [
      422,
      'NOT_SKIPPED',
    ]);
    const r = await ok(REG, 'POST', '/v1/prepaid/merchants/sw-m2/refund-all/resolve', {
      contract: 'sw-w3-c',
      note: '由继承人线下领取，法院(2026)京01民特1号',
    });
    expect(r.skipped).to.deep.equal([]);
    expect(r.resolved[0]).to.include({ contract: 'sw-w3-c', by: REG });
    expect(await ok(REG, 'POST', '/v1/prepaid/merchants/sw-m2/refund-all', {})).to.include({ done: true });
  });

  it('a skipped contract the consumer refunds itself leaves the list; then the sweep is done', async () => {
    await merchantWithContracts('sw-m3', ['sw-w4']);
    await ok(REG, 'POST', '/v1/accounts/sw-w4/freeze', { reason: '冻结' });
    expect((await ok(REG, 'POST', '/v1/prepaid/merchants/sw-m3/refund-all', {})).skipped).to.deep.equal(['sw-w4-c']);
    await ok(REG, 'POST', '/v1/accounts/sw-w4/unfreeze', { reason: '解冻' });
    await ok('Org1MSP:consumer1', 'POST', '/v1/prepaid/contracts/sw-w4-c/refund', {});
    const s = await ok(REG, 'POST', '/v1/prepaid/merchants/sw-m3/refund-all', {});
    expect(s).to.include({ refunded: 0, done: true });
    expect(s.skipped).to.deep.equal([]);
  });
});
