import { expect } from 'chai';
import { attest, Harness, startGateway } from '../gateway/helpers';

describe('supervision routes (gateway over the embedded ledger)', function () {
  let h: Harness;
  const P = '/v1/supervision/programs';
  before(async () => {
    h = await startGateway('sv');
  });
  after(async () => h.close());

  const ok = async (who: string, method: string, url: string, body?: unknown, status = 200) => {
    const r = await h.call(who, method, url, body);
    expect(r.statusCode, r.body).to.equal(status);
    return r.json();
  };

  it('schema and early role checks answer before the ledger', async () => {
    const bad = await h.call('Org2MSP:regulator1', 'POST', P, {
      scenario: 'generic',
      title: 't',
      party: 'Org1MSP:ent1',
      bank: 'Org1MSP',
      keyAmount: 100,
      policy: { approvers: ['Org2MSP:regulator1'], required: 1 },
    });
    expect(bad.statusCode).to.equal(400);
    expect(bad.json().code).to.equal('VALIDATION_ERROR');
    const role = await h.call('Org1MSP:consumer1', 'POST', P, {
      scenario: 'generic',
      title: 't',
      party: 'Org1MSP:ent1',
      bank: 'Org1MSP',
      keyAmount: '100',
      policy: { approvers: ['Org2MSP:regulator1'], required: 1 },
    });
    expect(role.statusCode).to.equal(403);
    expect(role.json().code).to.equal('ROLE_REQUIRED');
  });

  it('a release end to end over REST', async () => {
    for (const [id, kind, owner] of [
      ['r-sup', 'supervised', 'Org1MSP:ent1'],
      ['r-pay', 'payout', 'Org1MSP:bank1'],
      ['r-con', 'settlement', 'Org1MSP:ent2'],
    ]) {
      await ok('Org1MSP:bank1', 'POST', '/v1/accounts', { id, kind, owner, offChainRef: `off-${id}` }, 201);
    }
    const spec = {
      id: 'rp1',
      scenario: 'generic',
      title: 'REST program',
      party: 'Org1MSP:ent1',
      bank: 'Org1MSP',
      keyAmount: '1000000',
      policy: { approvers: ['Org2MSP:regulator1', 'Org1MSP:bank1'], required: 2 },
    };
    expect((await ok('Org2MSP:regulator1', 'POST', P, spec, 201)).status).to.equal('draft');
    await ok('Org1MSP:bank1', 'POST', `${P}/rp1/accounts`, { account: 'r-sup', role: 'supervised' });
    await ok('Org1MSP:bank1', 'POST', `${P}/rp1/accounts`, { account: 'r-pay', role: 'payout' });
    await ok('Org2MSP:regulator1', 'POST', `${P}/rp1/lines`, {
      line: 'l1',
      category: 'labour',
      cap: '500000',
      payees: ['r-con'],
    });
    await ok('Org2MSP:regulator1', 'POST', `${P}/rp1/activate`, {});
    const oracle = h.id('Org1MSP:oracle1');
    await ok(
      'Org1MSP:oracle1',
      'POST',
      '/v1/mirror/deposits',
      {
        account: 'r-sup',
        amount: '1000000',
        offTxId: 'd1',
        attestation: attest(oracle, {
          kind: 'deposit',
          bank: 'Org1MSP',
          account: 'r-sup',
          offTxId: 'd1',
          amount: '1000000',
        }),
      },
      201,
    );
    const req = await ok(
      'Org1MSP:ent1',
      'POST',
      `${P}/rp1/requests`,
      { id: 'q1', line: 'l1', payee: 'r-con', amount: '500000', purpose: 'wages of the crew' },
      201,
    );
    expect(req.status).to.equal('pending_approval');
    await ok('Org2MSP:regulator1', 'POST', `${P}/rp1/requests/q1/approve`, {});
    const done = await ok('Org1MSP:bank1', 'POST', `${P}/rp1/requests/q1/approve`, { comment: 'ok' });
    expect(done.status).to.equal('instructed');
    await ok('Org1MSP:oracle1', 'POST', `/v1/supervision/instructions/${done.instructions[0]}/confirm`, {
      railRef: 'BANK-1',
    });
    const rep = await ok('Org2MSP:auditor1', 'GET', `${P}/rp1/report`);
    expect(rep).to.include({ released: '500000', held: '500000' });
    const over = await ok(
      'Org1MSP:ent1',
      'POST',
      `${P}/rp1/requests`,
      { id: 'q2', line: 'l1', payee: 'r-con', amount: '1', purpose: 'one fen over' },
      201,
    );
    expect(over.status).to.equal('rejected');
    expect((await ok('Org2MSP:regulator1', 'GET', '/v1/supervision/report')).programs).to.have.length(1);
    expect(await ok('Org1MSP:ent1', 'GET', `${P}/rp1/instructions?status=settled`)).to.have.length(1);
  });
});
