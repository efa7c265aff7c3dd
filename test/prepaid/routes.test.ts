import { expect } from 'chai';
import { sign } from '../../chaincode/lib/gm';
import { useMessage } from '../../chaincode/prepaid/messages';
import { attest, Harness, startGateway } from '../gateway/helpers';

/** The prepaid REST routes over the gateway (signed inject), on the embedded ledger. */
describe('prepaid: gateway routes', function () {
  this.timeout(60_000);
  let h: Harness;
  const ok = async (who: string, method: string, url: string, body?: unknown, status = 200) => {
    const r = await h.call(who, method, url, body);
    expect(r.statusCode, `${method} ${url}: ${r.body}`).to.equal(status);
    return r.json();
  };
  before(async () => {
    h = await startGateway('prepaid');
  });
  after(() => h?.close());

  it('onboards, sells, consumes and refunds over REST', async () => {
    const open = (id: string, kind: string, owner: string) =>
      ok('Org1MSP:bank1', 'POST', '/v1/accounts', { id, kind, owner, offChainRef: `off-${id}` }, 201);
    await open('shop', 'settlement', 'Org1MSP:merchant1');
    await open('w1', 'wallet', 'Org1MSP:consumer1');
    await open('esc1', 'escrow', 'Org1MSP:consumer1');
    const o = h.id('Org1MSP:oracle1');
    await ok(
      'Org1MSP:oracle1',
      'POST',
      '/v1/mirror/deposits',
      {
        account: 'w1',
        amount: '100000',
        offTxId: 'D1',
        attestation: attest(o, { kind: 'deposit', bank: 'Org1MSP', account: 'w1', offTxId: 'D1', amount: '100000' }),
      },
      201,
    );
    await ok(
      'Org1MSP:merchant1',
      'POST',
      '/v1/prepaid/merchants',
      { id: 'm1', name: 'Piano school', category: 'training', region: 'beijing', account: 'shop' },
      201,
    );
    expect(
      await ok('Org2MSP:regulator1', 'POST', '/v1/prepaid/merchants/m1/review', { decision: 'approve' }),
    ).to.include({ status: 'approved' });
    await ok(
      'Org1MSP:merchant1',
      'POST',
      '/v1/prepaid/plans',
      {
        id: 'p1',
        merchant: 'm1',
        name: '10 lessons',
        mode: 'per_use',
        unitPrice: '10000',
        units: 10,
        coolingOffDays: 7,
      },
      201,
    );
    await ok('Org1MSP:bank1', 'POST', '/v1/prepaid/wallets/w1/tier', { tier: 2 });
    const c = await ok(
      'Org1MSP:consumer1',
      'POST',
      '/v1/prepaid/contracts',
      { id: 'c1', plan: 'p1', wallet: 'w1', escrow: 'esc1' },
      201,
    );
    expect(c).to.include({ price: '100000', status: 'active' });
    const held = await ok('Org1MSP:consumer1', 'GET', '/v1/prepaid/holdings');
    expect(held).to.include({ available: '0', locked: '100000' });
    const cons = h.id('Org1MSP:consumer1');
    const time = new Date().toISOString();
    const signature = sign(cons.sm2.privateKey, useMessage('c1', 1, 1, time), cons.sm2.publicKey);
    expect(
      await ok('Org1MSP:merchant1', 'POST', '/v1/prepaid/contracts/c1/uses', { seq: 1, time, signature }, 201),
    ).to.include({ usedUnits: 1 });
    expect(await ok('Org1MSP:consumer1', 'GET', '/v1/prepaid/contracts/c1/refund-quote')).to.include({
      refund: '90000',
      fee: '0',
    });
    expect(await ok('Org1MSP:consumer1', 'POST', '/v1/prepaid/contracts/c1/refund', {})).to.include({
      status: 'refunded',
      refunded: '90000',
    });
  });

  it('validates early and maps chain rules to HTTP', async () => {
    const bad = await h.call('Org1MSP:merchant1', 'POST', '/v1/prepaid/plans', {
      id: 'p2',
      merchant: 'm1',
      name: 'x',
      mode: 'per_use',
      unitPrice: 100,
      units: 10,
      coolingOffDays: 7,
    });
    expect(bad.statusCode).to.equal(400);
    expect(bad.json().code).to.equal('VALIDATION_ERROR');
    const cap = await h.call('Org1MSP:merchant1', 'POST', '/v1/prepaid/plans', {
      id: 'p3',
      merchant: 'm1',
      name: 'x',
      mode: 'per_use',
      unitPrice: '100',
      units: 61,
      coolingOffDays: 7,
    });
    expect(cap.statusCode).to.equal(422);
    expect(cap.json()).to.include({ code: 'PLAN_EXCEEDS_CAP', field: 'units' });
    const role = await h.call('Org1MSP:consumer1', 'POST', '/v1/prepaid/merchants/m1/freeze', { reason: 'x' });
    expect(role.statusCode).to.equal(403);
  });
});
