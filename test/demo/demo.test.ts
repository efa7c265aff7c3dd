/**
 * `lianjian demo` against the real service: `node dist/gateway/main.js` as a child (oracles
 * inside) on an ephemeral port with a temp data dir. The demo runs twice; the second run must
 * write nothing (same totals, same height). Also: a clear non-zero exit when nothing listens.
 */
import { expect } from 'chai';
import { runCli, Service, startService } from '../support/cli';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDemo, TRACE_ACCOUNT } from '../../bin/demo';
import { LianjianClient } from '../../gateway/sdk';
import { Wallet } from '../../ledger/wallet';

const cli = runCli;

/** A port nobody listens on (bound then released). */
const freePort = () =>
  new Promise<number>((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });

describe('lianjian demo (against the real service, spawned)', function () {
  this.timeout(120_000);
  let dir: string;
  let url: string;
  let service: Service | undefined;
  const as = (keyId: string) =>
    new LianjianClient({ baseUrl: url, identity: new Wallet(join(dir, 'wallet')).get(keyId)!, tls: service!.tls });
  const balance = async (id: string) =>
    (await as('Org2MSP:auditor1').get<{ total: string }>(`/v1/accounts/${id}/balance`)).total;
  // ledger state that a no-op run must leave alone
  const snapshot = async () => ({
    totals: await as('Org2MSP:auditor1').get('/v1/totals'),
    height: (await as('Org2MSP:auditor1').get<{ height: number }>('/v1/height')).height,
  });
  const first: string[] = [];
  let afterFirst: Awaited<ReturnType<typeof snapshot>>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lj-demo-'));
    // RECON_INTERVAL_MS high: no scheduled reconciliation anchors a block between the two runs
    service = await startService({
      LIANJIAN_DATA: dir,
      LIANJIAN_WALLET: join(dir, 'wallet'),
      DATABASE_URL: '',
      LOG_LEVEL: 'warn',
      RECON_INTERVAL_MS: '86400000',
    });
    url = service.url;
  });
  after(async () => {
    await service?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('seeds the story: accounts, mirrored deposits, transfers, a settled release, a bill, a prepaid contract', async () => {
    const r = await runDemo({ url, tls: service!.tls, walletDir: join(dir, 'wallet'), log: (l) => first.push(l) });
    expect(r.skipped, first.join('\n')).to.deep.equal([]);
    expect(r.changed).to.be.greaterThan(20);
    expect(first.filter((l) => l.startsWith('✓')).length, first.join('\n')).to.equal(7);
    expect(first.join('\n'))
      .to.include(`${url}/console/`)
      .and.include(join(dir, 'wallet/Org1MSP/ent2.json'))
      .and.include(TRACE_ACCOUNT);

    // fen, as digit strings: deposits 2,000,000.00 / 500,000.00 / 20,000.00 / 3,000,000.00 yuan
    expect(await balance('demo-ent1-main')).to.equal(String(200000000 - 12000000 + 1500000));
    expect(await balance('demo-ent2-main')).to.equal(String(50000000 + 12000000 - 345678 - 1500000 + 80000000));
    expect(await balance('demo-merchant1-shop')).to.equal('345678');
    expect(await balance('demo-consumer1-wallet')).to.equal('1700000');
    expect(await balance('demo-consumer1-escrow')).to.equal('300000');
    expect(await balance('demo-presale')).to.equal('220000000');
    expect(await balance('demo-presale-payout')).to.equal('0');
    afterFirst = await snapshot();
    expect(afterFirst.totals).to.deep.include({
      accounts: 7,
      balances: '552000000',
      deposits: '552000000',
      withdrawals: '0',
      conserved: true,
    });

    // the account to trace: its money goes back to three deposits, one of them through the supervised release
    const trace = await as('Org1MSP:ent2').get<{ amount: string; paths: Array<{ nodes: string[]; amount: string }> }>(
      `/v1/trace/backward/${TRACE_ACCOUNT}`,
    );
    expect(trace.amount).to.equal('140154322');
    const byDeposit = Object.fromEntries(trace.paths.map((p) => [p.nodes[p.nodes.length - 1], p.amount]));
    expect(byDeposit).to.deep.equal({
      'deposit:Org1MSP:demo-dep-ent2': '48154322',
      'deposit:Org1MSP:demo-dep-ent1': '12000000',
      'deposit:Org1MSP:demo-dep-presale': '80000000',
    });
    expect(trace.paths.find((p) => p.nodes.includes('demo-presale-payout/prog:demo-licheng-garden'))?.amount).to.equal(
      '80000000',
    );

    const program = await as('Org2MSP:regulator1').get<any>('/v1/supervision/programs/demo-licheng-garden');
    expect(program).to.deep.include({
      scenario: 'presale_housing',
      status: 'active',
      attested: ['permit'],
      releasedByLine: { construction: '80000000' },
    });
    expect(program.milestones.map((m: { id: string }) => m.id)).to.include('first_registration'); // the Putian preset
    const bill = await as('Org1MSP:ent1').get<any>('/v1/bills/demo-bill-1/ranges');
    expect(bill.ranges.map((x: any) => [x.start, x.end, x.holder])).to.deep.equal([
      [1, 20000000, 'Org1MSP:ent1'],
      [20000001, 50000000, 'Org1MSP:ent2'],
    ]);
    expect(await as('Org1MSP:consumer1').get('/v1/prepaid/contracts/demo-c1')).to.include({
      price: '300000',
      status: 'active',
    });
  });

  it('a second run changes nothing: same totals, same height, every step "already there"', async () => {
    const lines: string[] = [];
    const r = await runDemo({ url, tls: service!.tls, walletDir: join(dir, 'wallet'), log: (l) => lines.push(l) });
    expect(r.changed, lines.join('\n')).to.equal(0);
    expect(
      lines.filter((l) => l.startsWith('✓') && !l.endsWith('(already there)')),
      lines.join('\n'),
    ).to.deep.equal([]);
    expect(lines.join('\n')).to.include('nothing to change');
    expect(await snapshot()).to.deep.equal(afterFirst);
  });

  it('the CLI: same no-op through `lianjian demo`, and a clear exit 1 when the service is not reachable', async () => {
    expect(url).to.match(/^https:\/\//);
    // The service's CA is found in the local data dir, as `npx lianjian demo` finds ./data/tls/ca.crt.
    const ok = await cli(['demo', '--url', url, '--wallet', join(dir, 'wallet')], { LIANJIAN_DATA: dir });
    expect(ok.code, ok.err).to.equal(0);
    expect(ok.out).to.include('nothing to change');
    expect(await snapshot()).to.deep.equal(afterFirst);
    const explicit = await cli([
      'demo',
      `--url=${url}`,
      '--ca',
      join(dir, 'tls', 'ca.crt'),
      '--wallet',
      join(dir, 'wallet'),
    ]);
    expect(explicit.code, explicit.err).to.equal(0);
    const untrusted = await cli(['demo', '--url', url, '--wallet', join(dir, 'wallet')], { LIANJIAN_DATA: tmpdir() });
    expect(untrusted.code).to.equal(1);
    expect(untrusted.err)
      .to.match(/certificate/)
      .and.match(/--ca/);
    const down = await cli(['demo', '--url', `http://127.0.0.1:${await freePort()}`, '--wallet', join(dir, 'wallet')]);
    expect(down.code).to.equal(1);
    expect(down.err)
      .to.match(/cannot reach Lianjian at http:\/\/127\.0\.0\.1:\d+/)
      .and.match(/npm start/);
    expect((await cli(['demo', '--bogus'])).code).to.equal(2);
  });
});
