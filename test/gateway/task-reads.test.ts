/**
 * The read routes the console's task views use, per role, through the REST API: each caller sees
 * what it is party to or what its mandate covers, and nothing else (the chaincode decides).
 */
import { expect } from 'chai';
import { ApiError } from '../../gateway/sdk';
import { AUDITOR, BANK, CONSUMER, ENT1, ENT2, EXTRA, MERCHANT, REGULATOR, startWorld, World } from '../console/world';

const codeOf = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
    return 'OK';
  } catch (e) {
    return (e as ApiError).code;
  }
};

describe('gateway: reads for the task views, scoped per role', function () {
  this.timeout(90_000);
  let world: World;
  before(async () => {
    world = await startWorld();
  });
  after(async () => world?.close());

  it('programs: regulators and the custodian bank list them with figures; others see none of them', async () => {
    type Summary = { id: string; released: string; waiting: number; alerts: number };
    const ids = (list: Summary[]) => list.map((p) => p.id).sort();
    const all = await world.as(REGULATOR).get<Summary[]>('/v1/supervision/programs');
    expect(ids(all)).to.deep.equal(['demo-licheng-garden', EXTRA.wages.program]);
    expect(all.find((p) => p.id === 'demo-licheng-garden')).to.include({ released: '80000000', waiting: 1 });
    expect(all.find((p) => p.id === EXTRA.wages.program)?.alerts).to.equal(1);
    expect(ids(await world.as(BANK).get('/v1/supervision/programs'))).to.deep.equal(ids(all));
    expect(ids(await world.as(ENT1).get('/v1/supervision/programs'))).to.deep.equal(ids(all));
    expect(await world.as(ENT2).get('/v1/supervision/programs')).to.deep.equal([]);
    expect(await world.as(CONSUMER).get('/v1/supervision/programs')).to.deep.equal([]);
    expect(await codeOf(world.as(ENT2).get('/v1/supervision/programs/demo-licheng-garden/holders'))).to.equal(
      'PROGRAM_NOT_FOUND', // as for a program that does not exist
    );
  });

  it('program holders name people (户名) and give each budget line its payees', async () => {
    const r = await world.as(AUDITOR).get<{
      holders: Record<string, { name: string; org: string }>;
      lines: Array<{ id: string; payees: string[] }>;
    }>('/v1/supervision/programs/demo-licheng-garden/holders');
    expect(r.holders['demo-presale']).to.include({ name: '荔城花园预售监管户', org: 'Org1MSP' }); // the account's own 户名
    expect(r.holders['demo-ent2-main'].name).to.equal('兴化建材 Xinghua Building Supplies');
    expect(r.lines).to.deep.equal([
      { id: 'construction', category: '建安工程 construction and materials', payees: ['demo-ent2-main'] },
    ]);
  });

  it('wage months: paid, missing (the alert), not due', async () => {
    const r = await world
      .as(ENT1)
      .get<{ months: Array<{ month: string; status: string; amount?: string }> }>(
        `/v1/supervision/programs/${EXTRA.wages.program}/wage-months`,
      );
    const by = Object.fromEntries(r.months.map((m) => [m.month, m]));
    expect(by[world.wages.paidMonth]).to.include({ status: 'paid', amount: EXTRA.wages.amount });
    expect(by[world.wages.missingMonth].status).to.equal('missing');
    expect(r.months[r.months.length - 1].status).to.equal('not_due');
  });

  it('bill packages: parties and supervisors; a member outside the bill sees none', async () => {
    type Pkg = { pkg: string; mine: string; waitingForMe: number };
    const [ent2] = await world.as(ENT2).get<Pkg[]>('/v1/bills/packages');
    expect(ent2).to.include({ pkg: 'demo-bill-1', mine: '30000000', waitingForMe: 1 });
    expect((await world.as(REGULATOR).get<Pkg[]>('/v1/bills/packages')).map((p) => p.pkg)).to.deep.equal([
      'demo-bill-1',
    ]);
    expect(await world.as(MERCHANT).get('/v1/bills/packages')).to.deep.equal([]);
  });

  it('prepaid: a consumer lists its contracts with escrow and refund-now; a merchant its own; an enterprise none', async () => {
    type View = { id: string; escrowBalance: string; refundNow: { full: boolean; refund: string } };
    const mine = await world.as(CONSUMER).get<View[]>('/v1/prepaid/contracts');
    expect(mine.map((c) => c.id).sort()).to.deep.equal(['demo-c1', EXTRA.merchant2.contract]);
    expect(mine.find((c) => c.id === 'demo-c1')).to.deep.include({
      escrowBalance: '300000',
      refundNow: { full: true, refund: '300000', fee: '0' },
    });
    expect(
      (await world.as(MERCHANT).get<View[]>(`/v1/prepaid/contracts?merchant=${EXTRA.merchant2.id}`)).map((c) => c.id),
    ).to.deep.equal([EXTRA.merchant2.contract]);
    expect(await codeOf(world.as(ENT1).get('/v1/prepaid/contracts'))).to.equal('ROLE_REQUIRED');
    const merchants = await world.as(CONSUMER).get<Array<{ id: string; plans: unknown[] }>>('/v1/prepaid/merchants');
    expect(merchants.map((m) => [m.id, m.plans.length])).to.deep.equal([
      ['demo-m1', 1],
      [EXTRA.merchant2.id, 1],
    ]);
  });

  it('reconciliation: runs with fen at stake, a case with both rows, anchors; not for enterprises', async () => {
    const runs = await world
      .as(AUDITOR)
      .get<Array<{ runId: string; day: string; root: string; breakAmounts: Record<string, string> }>>('/v1/recon/runs');
    expect(runs).to.have.length(3); // at start-up, then the two the fixture asked for
    expect(runs[0].breakAmounts.amount_mismatch).to.equal('1000');
    const [open] = await world.as(REGULATOR).get<Array<{ id: string }>>('/v1/recon/cases');
    const detail = await world.as(REGULATOR).get<{
      bookRows: Array<{ amount: string }>;
      chainRows: Array<{ amount: string }>;
      chainAccount: string;
    }>(`/v1/recon/cases/${open.id}`);
    expect(detail.chainAccount).to.equal('demo-ent2-main');
    expect(detail.bookRows.map((r) => r.amount)).to.deep.equal(['50001000']);
    expect(detail.chainRows.map((r) => r.amount)).to.deep.equal(['50000000']);
    const anchors = await world.as(AUDITOR).get<Array<{ root: string }>>(`/v1/recon/anchors?day=${runs[0].day}`);
    expect(anchors.map((a) => a.root)).to.include(runs[0].root);
    const report = await world
      .as(BANK)
      .get<{ lines: string[]; root: string }>(`/v1/recon/runs/${runs[0].runId}/report`);
    expect(report.root).to.equal(runs[0].root);
    expect(await codeOf(world.as(ENT1).get('/v1/recon/runs'))).to.equal('ROLE_REQUIRED');
    expect(await codeOf(world.as(ENT1).get(`/v1/recon/cases/${open.id}`))).to.equal('ROLE_REQUIRED');
  });

  it("a transaction's signed intent: auditors and the signer read it, other members do not", async () => {
    const sign = await world.as(ENT1).raw(
      'POST',
      '/v1/transfers',
      {
        from: 'demo-ent1-main',
        to: 'demo-ent2-main',
        amount: '100',
        purpose: 'intent read test',
      },
      { idempotencyKey: 'intent-read-test' },
    );
    const txId = String(sign.headers.get('x-lj-tx-id'));
    const proof = await world
      .as(AUDITOR)
      .get<{ signer: string; intent: { kind: string; body: string }; publicKey: string }>(
        `/v1/transactions/${txId}/intent`,
      );
    expect(proof.signer).to.equal(ENT1);
    expect(proof.intent.kind).to.equal('http');
    expect(JSON.parse(proof.intent.body)).to.include({ amount: '100', purpose: 'intent read test' });
    expect(proof.publicKey).to.match(/^04[0-9a-f]{128}$/);
    expect(await codeOf(world.as(ENT1).get(`/v1/transactions/${txId}/intent`))).to.equal('OK');
    // Someone else's transaction answers as a missing one (docs/access.md).
    expect(await codeOf(world.as(MERCHANT).get(`/v1/transactions/${txId}/intent`))).to.equal('TX_NOT_FOUND');
    expect(await codeOf(world.as(MERCHANT).get(`/v1/transactions/${txId}`))).to.equal('TX_NOT_FOUND');
    const plain = await world.as(ENT1).get<Record<string, unknown>>(`/v1/transactions/${txId}`);
    expect(plain).to.not.have.property('intent');
  });

  it('a trace names the holders of every account on its paths', async () => {
    const t = await world
      .as(ENT2)
      .get<{ names: Record<string, { holderName: string }> }>('/v1/trace/backward/demo-ent2-main');
    expect(Object.fromEntries(Object.entries(t.names).map(([id, h]) => [id, h.holderName]))).to.deep.equal({
      'demo-ent2-main': '兴化建材 Xinghua Building Supplies',
      'demo-ent1-main': '闽建地产 Minjian Property',
      'demo-presale': '荔城花园预售监管户',
      'demo-presale-payout': '托管行监管待付户',
    });
  });
});
