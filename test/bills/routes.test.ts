import { expect } from 'chai';
import { attest, Harness, startGateway } from '../gateway/helpers';

describe('bills: REST routes (gateway, embedded ledger)', function () {
  this.timeout(60_000);
  let h: Harness;
  const post = async (who: string, url: string, body: unknown) => h.call(who, 'POST', url, body);
  const ok = async (who: string, url: string, body: unknown) => {
    const r = await post(who, url, body);
    expect(r.statusCode, r.body).to.be.oneOf([200, 201]);
    return r.json();
  };
  before(async () => {
    h = await startGateway('bills');
    for (const [id, owner] of [
      ['R-ENT1', 'Org1MSP:ent1'],
      ['R-ENT2', 'Org1MSP:ent2'],
    ]) {
      await ok('Org1MSP:bank1', '/v1/accounts', { id, kind: 'settlement', owner, offChainRef: `off-${id}` });
    }
    const o = h.id('Org1MSP:oracle1');
    await ok('Org1MSP:oracle1', '/v1/mirror/deposits', {
      account: 'R-ENT1',
      amount: '1000000',
      offTxId: 'RD1',
      attestation: attest(o, {
        kind: 'deposit',
        bank: 'Org1MSP',
        account: 'R-ENT1',
        offTxId: 'RD1',
        amount: '1000000',
      }),
    });
  });
  after(() => h?.close());

  it('issues and endorses through REST; the holdings and inbox read back', async () => {
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const d = new Date(`${today}T00:00:00Z`);
    d.setUTCMonth(d.getUTCMonth() + 3);
    const maturity = d.toISOString().slice(0, 10);
    const pkg = await ok('Org1MSP:ent1', '/v1/bills', {
      pkg: 'R-1',
      acceptor: 'Org1MSP:ent1',
      acceptorKind: 'enterprise',
      payee: 'Org1MSP:ent2',
      amount: '5000',
      issueDate: today,
      maturity,
      drawerAccount: 'R-ENT1',
    });
    expect(pkg).to.include({ pkg: 'R-1', status: 'registered', splittable: true, nonTransferable: false });
    await ok('Org1MSP:ent1', '/v1/bills/R-1/present-acceptance', {});
    await ok('Org1MSP:ent1', '/v1/bills/R-1/sign', { from: '1', op: 'accept', account: 'R-ENT1' });
    await ok('Org1MSP:ent1', '/v1/bills/R-1/present-receipt', {});
    await ok('Org1MSP:ent2', '/v1/bills/R-1/sign', { from: '1', op: 'receive', account: 'R-ENT2' });
    await ok('Org1MSP:ent2', '/v1/bills/R-1/endorse', { from: '1', to: '1000', endorsee: 'Org1MSP:ent1' });
    const inbox = (await h.call('Org1MSP:ent1', 'GET', '/v1/bills/inbox')).json();
    expect(inbox.items[0]).to.include({ pkg: 'R-1', op: 'endorse', start: 1, end: 1000 });
    const held = (await h.call('Org1MSP:ent2', 'GET', '/v1/bills?pkg=R-1')).json();
    expect(held).to.include({ count: 2, total: '5000' });
    const page = (await h.call('Org1MSP:ent2', 'GET', '/v1/bills?pkg=R-1&limit=1')).json();
    expect(page).to.include({ count: 2, bookmark: 'R-1~0000000000000001' });
    const rest = (await h.call('Org1MSP:ent2', 'GET', `/v1/bills?pkg=R-1&limit=1&bookmark=${page.bookmark}`)).json();
    expect(rest.ranges.map((r: any) => r.start)).to.deep.equal([1001]);
    const map = (await h.call('Org2MSP:regulator1', 'GET', '/v1/bills/R-1/ranges')).json();
    expect(map.coverProblem).to.equal(null);
    const lin = (await h.call('Org1MSP:ent2', 'GET', '/v1/bills/R-1/lineage/5000')).json();
    expect(lin.events.length).to.be.greaterThan(3);
  });

  it('validates early: schema, role, and chaincode rule errors', async () => {
    const bad = await post('Org1MSP:ent2', '/v1/bills/R-1/endorse', { from: 1, to: '2', endorsee: 'Org1MSP:ent1' });
    expect(bad.statusCode).to.equal(400);
    expect(bad.json().code).to.equal('VALIDATION_ERROR');
    const role = await post('Org1MSP:ent2', '/v1/bills/R-1/freeze', { from: '1', to: '2', reason: 'x' });
    expect(role.statusCode).to.equal(403);
    expect(role.json().code).to.equal('ROLE_REQUIRED');
    const rule = await post('Org1MSP:ent1', '/v1/bills/R-1/endorse', {
      from: '2000',
      to: '2001',
      endorsee: 'Org1MSP:ent2',
    });
    expect(rule.statusCode).to.equal(422);
    expect(rule.json()).to.include({ code: 'NOT_HOLDER', field: 'from' });
  });
});
