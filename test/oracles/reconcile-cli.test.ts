/**
 * `lianjian reconcile` on a data dir made by the real service: start `node dist/gateway/main.js`
 * (oracles inside), post books through the API, let the mirror carry them, then reconcile from
 * the command line — refused clearly while the service holds the embedded stores, clean after.
 */
import { expect } from 'chai';
import { runCli, Service, startService } from '../support/cli';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LianjianClient } from '../../gateway/sdk';
import { Wallet } from '../../ledger/wallet';

const run = runCli;

describe('lianjian reconcile (spawned, on a data dir made by the service)', function () {
  this.timeout(60_000);
  let dir: string;
  let service: Service | undefined;
  const env = () => ({ LIANJIAN_DATA: dir, LIANJIAN_WALLET: join(dir, 'wallet'), DATABASE_URL: '', LOG_LEVEL: 'warn' });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lj-cli-'));
    service = await startService(env());
    const { url, tls } = service;
    const wallet = new Wallet(join(dir, 'wallet'));
    const bank = new LianjianClient({ baseUrl: url, identity: wallet.get('Org1MSP:bank1')!, tls });
    await bank.post('/v1/accounts', {
      id: 'chain-ent2',
      kind: 'settlement',
      owner: 'Org1MSP:ent2',
      offChainRef: 'core-ent2',
    });
    await bank.post('/v1/books/accounts', { id: 'core-ent2', holder: 'ent2', chainAccount: 'chain-ent2' });
    await bank.post('/v1/books/deposits', { ref: 'cli-dep-1', account: 'core-ent2', amount: '120000' });
    const auditor = new LianjianClient({ baseUrl: url, identity: wallet.get('Org2MSP:auditor1')!, tls });
    for (let i = 0; (await auditor.get<any>('/v1/accounts/chain-ent2/balance')).total !== '120000'; i++) {
      if (i > 200) throw new Error('the in-service mirror did not carry the deposit');
      await new Promise((r) => setTimeout(r, 25));
    }
  });
  after(async () => {
    await service?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says clearly that the service must be stopped while it holds the embedded stores', async () => {
    const r = await run(['reconcile'], env());
    expect(r.code).to.equal(2);
    expect(r.err)
      .to.match(/in use by another process/)
      .and.to.match(/Stop the service/);
  });

  it('after the service stops: progress on stderr, --json and --csv on stdout, exit 0 when clean', async () => {
    expect(await service!.stop()).to.equal(0);
    const json = await run(['reconcile', '--json'], env());
    expect(json.code, json.err).to.equal(0);
    expect(json.err).to.match(/1\/1 accounts, 0 breaks/);
    const res = JSON.parse(json.out);
    expect(res.stats).to.include({ accounts: 1, matched: 1, inFlight: 0 });
    expect(res.anchor.txId).to.be.a('string');
    const csv = await run(['reconcile', '--csv', '--lag-ms', '0'], env());
    expect(csv.code).to.equal(0);
    expect(csv.out.trim().split('\n')).to.deep.equal(['kind,class,account,offTxId,book,chain,side,time,detail']);
    expect((await run(['reconcile', '--bogus'], env())).code).to.equal(2);
  });
});
