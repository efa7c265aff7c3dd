/**
 * Issue 16.4 through the REST API. Wages no longer depend on someone remembering: the service
 * checks every month of every active wage program by itself (from the program's first month,
 * idempotently), and a month before the program existed is never a missing month. A wage row
 * paying a company (the contractor's own, or anyone's company account) is flagged and the sheet
 * held for the program's regulator.
 */
import { expect } from 'chai';
import { sm3 } from '../../chaincode/lib/gm';
import { EmbeddedLedger } from '../../ledger/embedded/index';
import { attest, Harness, startGateway } from '../gateway/helpers';
import { rest } from '../support/rest';
import { until } from '../support/wait';

const P = '/v1/supervision/programs';
const REG = 'Org2MSP:regulator1';

describe('supervision routes: month-end wage checks and wage rows that do not pay a worker (16.4)', function () {
  this.timeout(60_000);
  let h: Harness;
  const { ok, refused } = rest(() => h);
  let now = Date.parse('2025-03-10T02:00:00Z');
  const setTime = (iso: string): void => {
    now = Date.parse(iso);
    (h.ledger as EmbeddedLedger).now = () => now;
  };
  const alerts = async (): Promise<Array<{ alert: string; detail: string }>> => ok(REG, 'GET', `${P}/wg1/alerts`);
  const missing = async (): Promise<string[]> =>
    (await alerts()).filter((a) => a.alert === 'WAGES_MISSING').map((a) => a.detail.slice(-7));

  before(async () => {
    h = await startGateway('sv-wages');
    setTime('2025-03-10T02:00:00Z');
    const open = (id: string, kind: string, owner: string): Promise<unknown> =>
      ok('Org1MSP:bank1', 'POST', '/v1/accounts', { id, kind, owner, offChainRef: `off-${id}` }, 201);
    await open('wg-wage', 'wage', 'Org1MSP:ent1');
    await open('wg-pay', 'payout', 'Org1MSP:bank1');
    await open('wg-worker', 'wallet', 'Org1MSP:consumer1');
    await open('wg-company', 'settlement', 'Org1MSP:ent2');
    await open('wg-own', 'settlement', 'Org1MSP:ent1');
    await ok(
      REG,
      'POST',
      P,
      {
        id: 'wg1',
        scenario: 'migrant_wages',
        title: '荔城花园 农民工工资',
        party: 'Org1MSP:ent1',
        bank: 'Org1MSP',
        keyAmount: '0',
        contractValue: '100000000',
        policy: { approvers: [REG], required: 1 },
      },
      201,
    );
    await ok('Org1MSP:bank1', 'POST', `${P}/wg1/accounts`, { account: 'wg-wage', role: 'wage' });
    await ok('Org1MSP:bank1', 'POST', `${P}/wg1/accounts`, { account: 'wg-pay', role: 'payout' });
    await ok(REG, 'POST', `${P}/wg1/activate`, {}); // first wage month: 2025-03
    const o = h.id('Org1MSP:oracle1');
    await ok(
      'Org1MSP:oracle1',
      'POST',
      '/v1/mirror/deposits',
      {
        account: 'wg-wage',
        amount: '5000000',
        offTxId: 'wg-d1',
        attestation: attest(o, {
          kind: 'deposit',
          bank: 'Org1MSP',
          account: 'wg-wage',
          offTxId: 'wg-d1',
          amount: '5000000',
        }),
      },
      201,
    );
  });
  after(() => h?.close());

  it('a month before the program existed is not a missing month', async () => {
    const r = await ok('Org1MSP:oracle1', 'POST', `${P}/wg1/wage-checks`, { month: '2024-12' });
    expect(r.status).to.equal('before_program');
    expect(await missing()).to.deep.equal([]);
  });

  it('the service checks every month by itself, from the first month, once', async () => {
    setTime('2025-06-05T02:00:00Z');
    h.oracles.start({
      ledger: h.ledger,
      intervalMs: 3_600_000,
      wageCheckIntervalMs: 3_600_000,
      now: () => now,
    });
    await until('the month-end checks', async () => (await missing()).length === 3);
    expect((await missing()).sort()).to.deep.equal(['2025-03', '2025-04', '2025-05']);
    await h.oracles.wageChecks!.runOnce(); // again: nothing new
    expect(await missing()).to.have.length(3);
  });

  it("a row paying a company is flagged; the sheet waits for the program's regulator", async () => {
    const rows = [
      { worker: sm3('worker 1'), account: 'wg-worker', amount: '300000' },
      { worker: sm3('worker 2'), account: 'wg-company', amount: '200000' },
    ];
    const sheet = await ok(
      'Org1MSP:ent1',
      'POST',
      `${P}/wg1/wage-sheets`,
      { id: 'ws-1', month: '2025-05', sheetHash: sm3('sheet 1'), rows },
      201,
    );
    expect(sheet.status).to.equal('held');
    expect(sheet.flags).to.deep.equal([
      { row: 1, account: 'wg-company', detail: 'the payee account belongs to an organisation, not a worker' },
    ]);
    expect((await alerts()).map((a) => a.alert)).to.include('WAGE_PAYEE_NOT_WORKER');
    await refused(REG, 'POST', `${P}/wg1/requests/ws-1/approve`, {}, [422, 'REQUEST_NOT_PENDING']);
    await refused('Org1MSP:ent1', 'POST', `${P}/wg1/requests/ws-1/hold`, { decision: 'release', comment: 'x' }, [
      403,
      'ROLE_REQUIRED',
    ]);
    const released = await ok(REG, 'POST', `${P}/wg1/requests/ws-1/hold`, {
      decision: 'release',
      comment: '劳务公司代发，已核实',
    });
    expect(released).to.include({ status: 'pending_approval' });
    expect((await ok(REG, 'POST', `${P}/wg1/requests/ws-1/approve`, {})).status).to.equal('instructed');
  });

  it("a row paying the contractor's own account is flagged and can be rejected", async () => {
    const rows = [{ worker: sm3('worker 3'), account: 'wg-own', amount: '100000' }];
    const sheet = await ok(
      'Org1MSP:ent1',
      'POST',
      `${P}/wg1/wage-sheets`,
      { id: 'ws-2', month: '2025-05', sheetHash: sm3('sheet 2'), rows },
      201,
    );
    expect(sheet.flags[0].detail).to.equal('the payee account belongs to the supervised party itself');
    const r = await ok(REG, 'POST', `${P}/wg1/requests/ws-2/hold`, {
      decision: 'reject',
      comment: '工资不得付至总包自有账户',
    });
    expect(r.status).to.equal('rejected');
  });
});
