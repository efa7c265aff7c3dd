import { expect } from 'chai';
import { fund, Harness, startGateway } from './helpers';

describe('gateway: Idempotency-Key (embedded ledger)', function () {
  this.timeout(60_000);
  let h: Harness;
  const ENT = 'Org1MSP:ent1';
  before(async () => {
    h = await startGateway('idem');
    await fund(h, 'a1', ENT, '100000');
    await fund(h, 'b1', 'Org1MSP:ent2', '0');
  });
  after(() => h.close());

  const transfer = (key: string, amount = '100', purpose = 'rent') =>
    h.call(ENT, 'POST', '/v1/transfers', { from: 'a1', to: 'b1', amount, purpose }, { 'idempotency-key': key });

  it('same key + same body replays the first response without a new transaction', async () => {
    const first = await transfer('pay-001');
    expect(first.statusCode).to.equal(201);
    expect(first.json().id).to.equal('pay-001'); // transfer id defaults to the key
    expect(first.headers['idempotent-replay']).to.equal(undefined);
    const height = await h.ledger.height();
    const again = await transfer('pay-001');
    expect(again.statusCode).to.equal(201);
    expect(again.headers['idempotent-replay']).to.equal('true');
    expect(again.body).to.equal(first.body);
    expect(await h.ledger.height()).to.equal(height);
  });

  it('same key + different body is 409 IDEMPOTENCY_KEY_REUSED and changes nothing', async () => {
    await transfer('pay-002');
    const bal = (await h.call(ENT, 'GET', '/v1/accounts/a1/balance')).json().total;
    const r = await transfer('pay-002', '999');
    expect(r.statusCode).to.equal(409);
    expect(r.json()).to.deep.include({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'Idempotency-Key' });
    expect((await h.call(ENT, 'GET', '/v1/accounts/a1/balance')).json().total).to.equal(bal);
  });

  it('concurrent duplicates run once and all get the same answer', async () => {
    const height = await h.ledger.height();
    const rs = await Promise.all(Array.from({ length: 6 }, () => transfer('pay-003')));
    expect(new Set(rs.map((r) => r.body)).size).to.equal(1);
    expect(rs.filter((r) => r.headers['idempotent-replay'] === 'true')).to.have.length(5);
    expect(await h.ledger.height()).to.equal(height + 1);
  });

  it('keys are per caller: another identity may use the same key', async () => {
    const r = await h.call(
      'Org1MSP:bank1',
      'POST',
      '/v1/accounts',
      { id: 'c1', kind: 'general', owner: ENT, offChainRef: 'r' },
      { 'idempotency-key': 'pay-001' },
    );
    expect(r.statusCode).to.equal(201);
  });

  it('a rejected write changed nothing and is judged again on retry; a missing or bad key is 400', async () => {
    const r1 = await transfer('pay-004', '999999999');
    expect(r1.statusCode).to.equal(422);
    const r2 = await transfer('pay-004', '999999999');
    expect(r2.statusCode).to.equal(422);
    expect(r2.headers['idempotent-replay']).to.equal(undefined);
    const r3 = await transfer('pay-004', '100'); // nothing was kept under the key: the corrected request runs
    expect(r3.statusCode).to.equal(201);
    const none = await h.call(
      ENT,
      'POST',
      '/v1/transfers',
      { from: 'a1', to: 'b1', amount: '1', purpose: 'x' },
      { 'idempotency-key': '' },
    );
    expect(none.statusCode).to.equal(400);
    expect(none.json()).to.deep.include({ code: 'IDEMPOTENCY_KEY_REQUIRED', field: 'Idempotency-Key' });
    const bad = await transfer('bad key with spaces');
    expect(bad.statusCode).to.equal(400);
    expect(bad.json().field).to.equal('Idempotency-Key');
  });
});
