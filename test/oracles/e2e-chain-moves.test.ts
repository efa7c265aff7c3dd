/**
 * Chain-originated movements on mirrored accounts (oracles/chain-moves.ts) on the embedded
 * ledger: a `Money:transfer` between two mirrored accounts is booked as one book transfer, one
 * to / from an unmirrored chain account against the clearing account; a replay books nothing
 * twice; reconciliation matches them by the same key and is clean.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LevelBooks } from '../../oracles/books/level';
import { CLEARING_ACCOUNT } from '../../oracles/chain-moves';
import { MirrorOracle } from '../../oracles/mirror';
import { PayoutExecutor } from '../../oracles/payouts';
import { runReconciliation } from '../../oracles/recon/run';
import { Harness } from '../support/harness';
import { until } from '../support/wait';

describe('oracles: chain movements on mirrored accounts are booked (embedded)', function () {
  this.timeout(60_000);
  let h: Harness;
  let books: LevelBooks;
  let dir: string;
  let mirror: MirrorOracle;
  let payouts: PayoutExecutor;
  const a = `cm-a-${Date.now()}`;
  const b = `cm-b-${Date.now()}`;
  const c = `cm-c-${Date.now()}`; // on chain only
  const bal = async (id: string) => BigInt((await books.getAccount(id))?.balance ?? '0');
  const lines = async () => (await books.journal(0n, 10_000)).length;
  const recon = () =>
    runReconciliation({
      books,
      ledger: h.ledger,
      reader: h.id('oracle1'),
      anchorer: h.id('oracle1'),
      lagMs: 0,
      reportDir: join(dir, 'recon'),
    });

  before(async () => {
    h = await Harness.create();
    dir = mkdtempSync(join(tmpdir(), 'lj-cm-'));
    books = new LevelBooks(join(dir, 'books'));
    await h.openAccount(a, 'ent1');
    await h.openAccount(b, 'ent2');
    await h.openAccount(c, 'ent2');
    await books.openAccount({ id: 'core-a', holder: 'ent1', chainAccount: a });
    await books.openAccount({ id: 'core-b', holder: 'ent2', chainAccount: b });
    mirror = new MirrorOracle({ books, ledger: h.ledger, oracle: h.id('oracle1'), idleMs: 50 });
    payouts = new PayoutExecutor({ books, ledger: h.ledger, oracle: h.id('oracle1'), rails: {}, retryBaseMs: 1 });
    mirror.start();
    payouts.start();
  });
  after(async () => {
    await Promise.all([mirror.stop(), payouts.stop()]);
    await books.close();
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('books a transfer between mirrored accounts and to / from an unmirrored one, once each', async () => {
    await books.deposit({ ref: 'cm-dep-1', account: 'core-a', amount: '100000' });
    await mirror.drained();
    await h.submit('ent1', 'Money:transfer', 'cm-t1', a, b, '8000', 'goods', '');
    await h.submit('ent2', 'Money:transfer', 'cm-t2', b, c, '500', 'to chain only', '');
    await h.submit('ent2', 'Money:transfer', 'cm-t3', c, a, '200', 'back from chain only', '');
    await until(
      'the chain movements booked',
      async () => (await bal('core-a')) === 92_200n && (await bal('core-b')) === 7_500n,
    );
    expect(await bal(CLEARING_ACCOUNT)).to.equal(300n);
    const clearing = await books.getAccount(CLEARING_ACCOUNT);
    expect(clearing?.chainAccount).to.equal(undefined);
    const journal = await books.journal(0n, 10_000);
    const chainLines = journal.filter((m) => m.origin === 'chain');
    expect(chainLines).to.have.length(6); // three transfers, two lines each
    expect(new Set(chainLines.map((m) => m.ref)).size).to.equal(3);
    await mirror.drained();
    expect(await h.balance(a)).to.equal(92_200n); // nothing re-mirrored
    expect(await h.balance(b)).to.equal(7_500n);
  });

  it('a replay (events from block 0, account checkpoints reset) books nothing twice', async () => {
    const before = await lines();
    for (const acct of [a, b]) await books.putMeta(`chain-moves/${acct}`, { seq: 0 });
    await payouts.moves.sync();
    const again = new PayoutExecutor({
      books,
      ledger: h.ledger,
      oracle: h.id('oracle1'),
      rails: {},
      retryBaseMs: 1,
      name: 'payouts-replay',
    });
    again.start();
    await until('the replay caught up', async () => !!(await again.checkpoint()));
    await new Promise((r) => setTimeout(r, 300));
    await again.stop();
    expect(await lines()).to.equal(before);
    expect(await bal('core-a')).to.equal(92_200n);
    expect(await bal(CLEARING_ACCOUNT)).to.equal(300n);
  });

  it('reconciliation matches every chain movement by its key: no breaks', async () => {
    const r = await recon();
    expect(r.breaks).to.equal(0);
    expect(r.stats.inFlight).to.equal(0);
    expect(r.stats.matched).to.equal(1 + 2 + 1 + 1); // the deposit, t1 on both sides, t2 on b, t3 on a
  });
});
