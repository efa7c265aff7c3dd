import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MirrorOracle } from '../../oracles/mirror';
import { CaseBook } from '../../oracles/recon/cases';
import { runReconciliation } from '../../oracles/recon/run';
import { openChainAccounts, openTestChain, TestChain } from './chain';
import { eachBackend } from './support';

eachBackend('reconciliation', (fx) => {
  let chain: TestChain;
  let reportDir: string;
  beforeEach(async () => {
    chain = await openTestChain();
    await openChainAccounts(chain, ['c-a', 'c-b', 'c-c']);
    reportDir = mkdtempSync(join(tmpdir(), 'lj-recon-'));
    const b = fx().books;
    for (const id of ['a', 'b', 'c']) await b.openAccount({ id, holder: id, chainAccount: `c-${id}` });
    await b.openAccount({ id: 'plain', holder: 'not mirrored' });
    for (let i = 0; i < 6; i++)
      await b.deposit({ ref: `d${i}`, account: ['a', 'b', 'c'][i % 3], amount: String(1000 + i) });
    await b.transfer({ ref: 't1', from: 'a', to: 'b', amount: '300' });
    await b.withdraw({ ref: 'w1', account: 'c', amount: '200' });
    await b.deposit({ ref: 'p1', account: 'plain', amount: '5' });
    await new MirrorOracle({ books: b, ledger: chain.ledger, oracle: chain.ids.oracle }).runOnce();
  });
  afterEach(async () => {
    await chain.ledger.close();
    rmSync(chain.dir, { recursive: true, force: true });
    rmSync(reportDir, { recursive: true, force: true });
  });

  const run = (cases?: CaseBook, lagMs = 0) =>
    runReconciliation({
      books: fx().books,
      ledger: chain.ledger,
      reader: chain.ids.oracle,
      anchorer: chain.ids.bank,
      cases,
      lagMs,
      reportDir,
    });

  it('reports zero breaks on a clean run, writes the report and tries to anchor its root', async () => {
    const r = await run();
    expect(r.breaks).to.equal(0);
    expect(r.stats.matched).to.equal(9);
    expect(r.stats.accounts).to.equal(3);
    const rows = readFileSync(r.report, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(
      rows.filter((x) => x.kind === 'account').map((x) => [x.account, x.bookBalance, x.chainBalance]),
    ).to.deep.equal([
      ['a', '1703', '1703'],
      ['b', '2305', '2305'],
      ['c', '1807', '1807'],
    ]);
    expect(r.root).to.match(/^[0-9a-f]{64}$/);
    expect(r.anchor).to.satisfy((a: { txId?: string; error?: string }) => !!(a.txId || a.error)); // Audit:anchor may not exist yet
  });

  it('finds and classifies every injected break, tells in-flight items apart, and stops alerting once resolved', async () => {
    const b = fx().books;
    await b.tamper('d0', { amount: '999' }); // edited journal row
    await b.deposit({ ref: 'late', account: 'b', amount: '77' }); // never mirrored
    await b.tamper('d1', { duplicate: true }); // double-posted in the core
    await b.tamper('d2', { drop: true }); // on chain, gone from the books
    await b.tamper('', { account: 'a', balanceDelta: '5' }); // balance row drifts alone
    const cases = new CaseBook(b);
    const alerts: Array<{ class: string }> = [];
    cases.on('alert', (a) => alerts.push(a));
    const young = await run(undefined, 3_600_000);
    expect(young.stats.inFlight).to.be.greaterThan(0); // 'late' and the fresh tampering are still young
    const r = await run(cases);
    expect(r.stats.breaks).to.deep.equal({
      missing_on_chain: 1,
      missing_off_chain: 1,
      amount_mismatch: 1,
      duplicate: 1,
      balance_mismatch: 1,
    });
    const open = await cases.list('open');
    expect(open.map((c) => `${c.class}:${c.account}:${c.offTxId ?? ''}`)).to.have.members([
      'amount_mismatch:a:d0',
      'missing_on_chain:b:late',
      'duplicate:b:d1',
      'missing_off_chain:c:d2',
      'balance_mismatch:a:',
    ]);
    expect(alerts).to.have.length(5);
    const late = open.find((c) => c.offTxId === 'late')!;
    await cases.resolve(late.id, { resolution: 'compensating_mirror', note: 'mirror re-driven', by: 'Org1MSP:bank1' });
    alerts.length = 0;
    await run(cases);
    expect(alerts.map((a) => a.class)).to.not.include('missing_on_chain');
    expect(alerts).to.have.length(4);
    const kept = (await cases.get(late.id))!;
    expect(kept.status).to.equal('resolved');
    expect(kept.log.map((l) => l.what)).to.deep.equal([
      `opened by run ${kept.firstRun}`,
      'resolved: compensating_mirror',
    ]);
  });
});
