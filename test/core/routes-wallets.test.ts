/**
 * Issue 16.7 as found through the REST API: e-CNY wallet tier limits held for prepaid purchases
 * and card syncs but not for POST /v1/transfers, and the balance cap nowhere.
 */
import { attest, Harness, startGateway } from '../gateway/helpers';
import { rest } from '../support/rest';

describe('transfer routes: wallet tier limits (16.7)', function () {
  this.timeout(60_000);
  let h: Harness;
  const { ok, refused } = rest(() => h);
  before(async () => {
    h = await startGateway('wallets');
    for (const [id, kind, owner] of [
      ['rw-wallet', 'wallet', 'Org1MSP:consumer1'],
      ['rw-shop', 'settlement', 'Org1MSP:merchant1'],
    ])
      await ok('Org1MSP:bank1', 'POST', '/v1/accounts', { id, kind, owner, offChainRef: `off-${id}` }, 201);
    const o = h.id('Org1MSP:oracle1');
    for (const [account, amount] of [
      ['rw-wallet', '900000'],
      ['rw-shop', '5000000'],
    ])
      await ok(
        'Org1MSP:oracle1',
        'POST',
        '/v1/mirror/deposits',
        {
          account,
          amount,
          offTxId: `d-${account}`,
          attestation: attest(o, {
            kind: 'deposit',
            bank: 'Org1MSP',
            account: account,
            offTxId: `d-${account}`,
            amount: amount,
          }),
        },
        201,
      );
  });
  after(() => h?.close());

  it('a tier-4 wallet pays at most 2,000.00 at once', async () => {
    const body = { from: 'rw-wallet', to: 'rw-shop', amount: '200001', purpose: '会员卡' };
    await refused('Org1MSP:consumer1', 'POST', '/v1/transfers', body, [422, 'WALLET_PAYMENT_LIMIT']);
    await ok('Org1MSP:consumer1', 'POST', '/v1/transfers', { ...body, amount: '200000' }, 201);
  });

  it('a transfer does not take a tier-4 wallet past 10,000.00', async () => {
    const body = { from: 'rw-shop', to: 'rw-wallet', amount: '300001', purpose: '退款' };
    await refused('Org1MSP:merchant1', 'POST', '/v1/transfers', body, [422, 'WALLET_OVER_BALANCE_CAP']);
    await ok('Org1MSP:merchant1', 'POST', '/v1/transfers', { ...body, amount: '300000' }, 201);
  });
});
