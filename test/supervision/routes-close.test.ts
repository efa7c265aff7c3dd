/**
 * Issue 16.7 (supervision) through the REST API: a program holding money could be closed
 * (close checked only outstanding payouts), after which its money moved by a plain transfer.
 * A program now closes only at zero balance: its money leaves by release or refund first.
 */
import { expect } from 'chai';
import { sm3 } from '../../chaincode/lib/gm';
import { attest, Harness, startGateway } from '../gateway/helpers';
import { rest } from '../support/rest';

const P = '/v1/supervision/programs';
const REG = 'Org2MSP:regulator1';

describe('supervision routes: a program closes only at zero balance (16.7)', function () {
  this.timeout(60_000);
  let h: Harness;
  const { ok, refused } = rest(() => h);
  before(async () => {
    h = await startGateway('sv-close');
    for (const [id, kind, owner] of [
      ['cl-sup', 'supervised', 'Org1MSP:ent1'],
      ['cl-pay', 'payout', 'Org1MSP:bank1'],
      ['cl-buyer', 'wallet', 'Org1MSP:consumer1'],
    ])
      await ok('Org1MSP:bank1', 'POST', '/v1/accounts', { id, kind, owner, offChainRef: `off-${id}` }, 201);
    await ok(
      REG,
      'POST',
      P,
      {
        id: 'cl1',
        scenario: 'generic',
        title: 'c',
        party: 'Org1MSP:ent1',
        bank: 'Org1MSP',
        keyAmount: '500000',
        policy: { approvers: [REG], required: 1 },
      },
      201,
    );
    await ok('Org1MSP:bank1', 'POST', `${P}/cl1/accounts`, { account: 'cl-sup', role: 'supervised' });
    await ok('Org1MSP:bank1', 'POST', `${P}/cl1/accounts`, { account: 'cl-pay', role: 'payout' });
    await ok(REG, 'POST', `${P}/cl1/activate`, {});
    const o = h.id('Org1MSP:oracle1');
    await ok(
      'Org1MSP:oracle1',
      'POST',
      '/v1/mirror/deposits',
      {
        account: 'cl-sup',
        amount: '500000',
        offTxId: 'cl-d1',
        attestation: attest(o, {
          kind: 'deposit',
          bank: 'Org1MSP',
          account: 'cl-sup',
          offTxId: 'cl-d1',
          amount: '500000',
        }),
      },
      201,
    );
  });
  after(() => h?.close());

  it('refuses to close while the accounts hold money; closes once it is refunded', async () => {
    const reportHash = sm3('final report');
    const e = await refused(REG, 'POST', `${P}/cl1/close`, { reportHash }, [422, 'PROGRAM_NOT_EMPTY']);
    expect(e.message).to.include('500000');
    await refused(
      'Org1MSP:ent1',
      'POST',
      '/v1/transfers',
      { from: 'cl-sup', to: 'cl-buyer', amount: '1', purpose: 'x' },
      [403, 'SUPERVISED_ACCOUNT'],
    );
    const r = await ok(
      REG,
      'POST',
      `${P}/cl1/refunds`,
      { reason: '项目终止', refunds: [{ account: 'cl-buyer', amount: '500000' }] },
      201,
    );
    await ok('Org1MSP:oracle1', 'POST', `/v1/supervision/instructions/${r.instructions[0]}/confirm`, {
      railRef: 'R-1',
    });
    expect((await ok(REG, 'POST', `${P}/cl1/close`, { reportHash })).status).to.equal('closed');
  });
});
