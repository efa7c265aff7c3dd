/** The oracles' HTTP surface, signed through the SDK: books postings, reconciliation runs and cases. */
import { signCall } from '../../ledger/intents';
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type { LianjianClient } from '../../gateway/sdk';
import { MirrorOracle } from '../../oracles/mirror';
import { Harness as Gateway, startGateway } from '../gateway/helpers';

describe('oracle routes (books, reconciliation runs and cases)', function () {
  this.timeout(30_000);
  let h: Gateway;
  let bank: LianjianClient, auditor: LianjianClient, regulator: LianjianClient, ent: LianjianClient;
  const post = (c: LianjianClient, path: string, body: unknown = {}) =>
    c.raw<any>('POST', path, body, { idempotencyKey: randomUUID() });

  before(async () => {
    h = await startGateway('oracles');
    [bank, auditor, regulator, ent] = await Promise.all(
      ['Org1MSP:bank1', 'Org2MSP:auditor1', 'Org2MSP:regulator1', 'Org1MSP:ent1'].map((k) => h.client(k)),
    );
    await h.ledger.submit(
      signCall(h.id('Org1MSP:bank1'), {
        fn: 'Money:openAccount',
        args: ['chain-ent1', 'settlement', 'Org1MSP:ent1', 'core-ent1', ''],
      }),
    );
  });
  after(async () => {
    await h.close();
  });

  it('bank posts to the books, idempotent on ref; others may not; origin is not for callers', async () => {
    expect(
      (await post(bank, '/v1/books/accounts', { id: 'core-ent1', holder: 'ent1 结算户', chainAccount: 'chain-ent1' }))
        .status,
    ).to.equal(201);
    const dep = { ref: 'cash-0001', account: 'core-ent1', amount: '250000', counterparty: 'counter 3' };
    const first = await post(bank, '/v1/books/deposits', dep);
    expect(first.status).to.equal(201);
    expect(first.body.movements[0]).to.include({ offTxId: 'cash-0001', chainAccount: 'chain-ent1' });
    expect((await post(bank, '/v1/books/deposits', dep)).body).to.deep.equal(first.body);
    expect((await post(bank, '/v1/books/deposits', { ...dep, amount: '1' })).body.code).to.equal(
      'IDEMPOTENCY_CONFLICT',
    );
    const chainLine = await post(bank, '/v1/books/withdrawals', {
      ref: 'PIfake',
      account: 'core-ent1',
      amount: '1',
      origin: 'chain',
    });
    expect(chainLine.status).to.equal(400); // only the payout executor writes chain-originated lines
    expect((await post(ent, '/v1/books/deposits', { ...dep, ref: 'cash-0002' })).body.code).to.equal('ROLE_REQUIRED');
    expect((await bank.get<any>('/v1/books/accounts/core-ent1')).balance).to.equal('250000');
  });

  it('no run yet is a clear 404; the bank runs one; bank, auditor and regulator read the summary', async () => {
    expect((await auditor.raw<any>('GET', '/v1/recon/runs/latest')).body.code).to.equal('RECON_NO_RUN');
    await new MirrorOracle({
      books: h.oracles.books,
      ledger: h.ledger,
      oracle: h.id('Org1MSP:oracle1'),
    }).runOnce();
    const run = await post(bank, '/v1/recon/runs');
    expect(run.status, JSON.stringify(run.body)).to.equal(201);
    expect(run.body).to.include({ accounts: 1, matched: 1, inFlight: 0, breaksTotal: 0 });
    expect(run.body.anchorTxId).to.match(/^[0-9a-f]+$/);
    for (const c of [bank, auditor, regulator])
      expect((await c.get<any>('/v1/recon/runs/latest')).runId).to.equal(run.body.runId);
    expect((await post(auditor, '/v1/recon/runs')).body.code).to.equal('ROLE_REQUIRED');
    expect((await ent.raw<any>('GET', '/v1/recon/runs/latest')).body.code).to.equal('ROLE_REQUIRED');
  });

  it('a break opens a case; the bank resolves it with a note; the summary counts it per class', async () => {
    await h.oracles.books.tamper('cash-0001', { amount: '240000' });
    const run = await post(bank, '/v1/recon/runs');
    expect(run.body.breaks).to.include({ amount_mismatch: 1, missing_on_chain: 0 });
    const open = await auditor.get<any[]>('/v1/recon/cases', { query: { status: 'open' } });
    expect(open.map((c) => [c.class, c.offTxId])).to.deep.equal([['amount_mismatch', 'cash-0001']]);
    const body = { resolution: 'corrected_off_chain', note: 'teller typo; core line corrected' };
    expect((await post(auditor, `/v1/recon/cases/${open[0].id}/resolve`, body)).body.code).to.equal('ROLE_REQUIRED');
    const done = await post(bank, `/v1/recon/cases/${open[0].id}/resolve`, body);
    expect(done.body).to.include({ status: 'resolved' });
    expect(done.body.resolution).to.include({ type: 'corrected_off_chain', by: 'Org1MSP:bank1' });
    expect(await regulator.get<any[]>('/v1/recon/cases', { query: { status: 'open' } })).to.deep.equal([]);
    expect((await post(bank, '/v1/recon/cases/RCnope/resolve', body)).body.code).to.equal('CASE_NOT_FOUND');
    expect((await regulator.get<any>('/v1/recon/runs/latest')).breaks.amount_mismatch).to.equal(1);
  });
});
