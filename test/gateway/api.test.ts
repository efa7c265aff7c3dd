import { expect } from 'chai';
import { ApiError, LianjianClient } from '../../gateway/sdk';
import { attest, Harness, startGateway } from './helpers';

/** The core API end to end over real HTTP with the SDK, on the embedded ledger. */
describe('gateway: core API over HTTP (SDK, embedded ledger)', function () {
  this.timeout(60_000);
  let h: Harness;
  let bank: LianjianClient, oracle: LianjianClient, ent: LianjianClient, reg: LianjianClient, aud: LianjianClient;
  before(async () => {
    h = await startGateway('api');
    [bank, oracle, ent, reg, aud] = await Promise.all(
      ['Org1MSP:bank1', 'Org1MSP:oracle1', 'Org1MSP:ent1', 'Org2MSP:regulator1', 'Org2MSP:auditor1'].map((k) =>
        h.client(k),
      ),
    );
  });
  after(() => h.close());

  it('opens, deposits, transfers, reads balance, history, trace and totals', async () => {
    await bank.post('/v1/accounts', { id: 'A', kind: 'settlement', owner: 'Org1MSP:ent1', offChainRef: 'bank-001' });
    const encBank = await h.client('Org1MSP:bank1', { encrypt: true }); // sm4-envelope body
    await encBank.post('/v1/accounts', { id: 'B', kind: 'wallet', owner: 'Org1MSP:ent2', offChainRef: 'bank-002' });
    const o = h.id('Org1MSP:oracle1');
    await oracle.post('/v1/mirror/deposits', {
      account: 'A',
      amount: '100000',
      offTxId: 'D1',
      attestation: attest(o, { kind: 'deposit', bank: 'Org1MSP', account: 'A', offTxId: 'D1', amount: '100000' }),
    });
    const t = await ent.post<{ id: string; amount: string }>('/v1/transfers', {
      id: 'T1',
      from: 'A',
      to: 'B',
      amount: '2550',
      purpose: 'goods',
    });
    expect(t).to.include({ id: 'T1', amount: '2550' });
    expect(await ent.get('/v1/transfers/T1')).to.include({ from: 'A', to: 'B' });
    const bal = await ent.get<{ total: string; byColor: Array<{ color: string; amount: string }> }>(
      '/v1/accounts/A/balance',
    );
    expect(bal.total).to.equal('97450');
    expect(bal.byColor).to.deep.equal([{ color: 'dep:A', amount: '97450', lot: 'A/dep:A' }]);
    const hist = await ent.get<{ items: unknown[] }>('/v1/accounts/A/history', { query: { limit: 1 } });
    expect(hist.items).to.have.length(1);
    expect(await ent.get<unknown[]>('/v1/accounts')).to.have.length(1);
    const back = await aud.get<{ amount: string; paths: Array<{ end: string }> }>('/v1/trace/backward/B');
    expect(back.amount).to.equal('2550');
    expect(back.paths[0].end).to.equal('deposit');
    const fwd = await reg.get<{ paths: Array<{ amount: string }> }>('/v1/trace/forward/Org1MSP/D1');
    expect(fwd.paths.reduce((s, p) => s + BigInt(p.amount), 0n)).to.equal(100000n);
    await oracle.post('/v1/mirror/withdrawals', {
      account: 'B',
      amount: '550',
      offTxId: 'W1',
      attestation: attest(o, { kind: 'withdrawal', bank: 'Org1MSP', account: 'B', offTxId: 'W1', amount: '550' }),
    });
    expect(await aud.get('/v1/totals')).to.deep.equal({
      accounts: 2,
      balances: '99450',
      deposits: '100000',
      withdrawals: '550',
      conserved: true,
    });
  });

  it('freezes and unfreezes; a frozen account rejects transfers with the chain rule', async () => {
    await reg.post('/v1/accounts/A/freeze', { reason: 'inquiry' });
    const e = await ent
      .post('/v1/transfers', { from: 'A', to: 'B', amount: '1', purpose: 'x' })
      .catch((x: ApiError) => x);
    expect(e).to.be.instanceOf(ApiError);
    expect((e as ApiError).status).to.equal(422);
    await reg.post('/v1/accounts/A/unfreeze', { reason: 'cleared' });
    await ent.post('/v1/transfers', { from: 'A', to: 'B', amount: '1', purpose: 'x' });
  });

  it('identity and ledger views', async () => {
    expect(await ent.get('/v1/me')).to.include({ handle: 'Org1MSP:ent1' });
    expect(await ent.get('/v1/members/Org2MSP:regulator1')).to.include({ handle: 'Org2MSP:regulator1' });
    const { height } = await ent.get<{ height: number }>('/v1/height');
    const blk = await ent.get<{ number: number; txs: Array<{ txId: string }> }>(`/v1/blocks/${height - 1}`);
    expect(blk.number).to.equal(height - 1);
    expect(await ent.get(`/v1/transactions/${blk.txs[0].txId}`)).to.include({ txId: blk.txs[0].txId, status: 'VALID' });
    const page = await ent.get<{ items: Array<{ number: number }> }>('/v1/blocks', { query: { from: 0, limit: 3 } });
    expect(page.items.map((b) => b.number)).to.deep.equal([0, 1, 2]);
    const e = await ent.get(`/v1/blocks/${height + 10}`).catch((x: ApiError) => x);
    expect(e).to.include({ status: 404, code: 'BLOCK_NOT_FOUND' });
  });

  it('validation errors name the field; amounts are never numbers', async () => {
    const cases: Array<[unknown, string]> = [
      [{ from: 'A', to: 'B', amount: 15, purpose: 'x' }, 'amount'],
      [{ from: 'A', to: 'B', amount: '1.5', purpose: 'x' }, 'amount'],
      [{ from: 'A', to: 'B', purpose: 'x' }, 'amount'],
      [{ from: 'A', to: 'B', amount: '1', purpose: 'x', extra: 1 }, 'extra'],
    ];
    for (const [body, field] of cases) {
      const e = (await ent.post('/v1/transfers', body).catch((x) => x)) as ApiError;
      expect(e.status, JSON.stringify(body)).to.equal(400);
      expect(e.code).to.equal('VALIDATION_ERROR');
      expect(e.field).to.equal(field);
    }
  });

  it('OpenAPI 3 documents every route with schemas', async () => {
    const res = await new LianjianClient({ baseUrl: await h.baseUrl(), tls: h.tls }).raw('GET', '/openapi.json');
    const doc = res.body as {
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: unknown; responses?: unknown }>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).to.match(/^3\./);
    for (const p of [
      '/v1/accounts',
      '/v1/transfers',
      '/v1/mirror/deposits',
      '/v1/events',
      '/v1/totals',
      '/v1/blocks/{n}',
      '/v1/accounts/{id}/history',
    ])
      expect(doc.paths, p).to.have.property(p);
    expect(JSON.stringify(doc.paths['/v1/transfers'].post.requestBody)).to.contain(
      '#/components/schemas/TransferRequest',
    );
    expect(JSON.stringify(doc.components.schemas.TransferRequest)).to.contain('^(0|[1-9][0-9]{0,17})$');
  });
});
