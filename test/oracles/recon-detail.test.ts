/**
 * Issue 16.6: reconciliation rows say what disagreed. The case as found: a balance_mismatch row
 * listing identical book and chain balances — the books' balance row agrees with the chain while
 * its own journal lines do not add up to it. The row now names the side, the amounts on each side
 * and the entries, in words a person can act on.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LevelBooks } from '../../oracles/books/level';
import { MirrorOracle } from '../../oracles/mirror';
import { runReconciliation } from '../../oracles/recon/run';
import type { ReconRow } from '../../oracles/recon/merge';
import { Harness } from '../support/harness';

describe('reconciliation rows say what disagreed (16.6)', function () {
  this.timeout(60_000);
  let h: Harness;
  let books: LevelBooks;
  let dir: string;
  const rows = async (): Promise<ReconRow[]> => {
    const r = await runReconciliation({
      books,
      ledger: h.ledger,
      reader: h.id('oracle1'),
      lagMs: 0,
      reportDir: join(dir, 'recon'),
    });
    return readFileSync(r.report, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as ReconRow)
      .filter((x) => (x.kind as string) !== 'account');
  };

  before(async () => {
    h = await Harness.create();
    dir = mkdtempSync(join(tmpdir(), 'lj-rd-'));
    books = new LevelBooks(join(dir, 'books'));
    await h.openAccount('rd-a', 'ent1');
    await books.openAccount({ id: 'core-a', holder: 'ent1', chainAccount: 'rd-a' });
    await books.deposit({ ref: 'rd-1', account: 'core-a', amount: '10000' });
    await books.deposit({ ref: 'rd-2', account: 'core-a', amount: '500' });
    await new MirrorOracle({ books, ledger: h.ledger, oracle: h.id('oracle1') }).runOnce();
  });
  after(async () => {
    await books.close();
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('identical balances, a journal line that no longer adds up: the row says which side and by how much', async () => {
    await books.tamper('rd-2', { amount: '400' }); // the line (and the balance row) drop by 100 ...
    await books.tamper('', { account: 'core-a', balanceDelta: '100' }); // ... and the balance row is put back
    const out = await rows();
    const balance = out.find((r) => r.class === 'balance_mismatch')!;
    expect(balance).to.include({
      account: 'core-a',
      side: 'book',
      book: '10500',
      chain: '10500',
      bookNet: '10400',
      chainNet: '10500',
    });
    expect(balance.detail).to.equal(
      "the books' balance row says 10500 fen but its entries add up to 10400 fen (100 fen unexplained)",
    );
    const line = out.find((r) => r.class === 'amount_mismatch')!;
    expect(line).to.include({ offTxId: 'rd-2', side: 'both', book: '400', chain: '500' });
    expect(line.entries).to.deep.equal(['rd-2']);
    expect(line.detail).to.equal('entry rd-2: the books have 400 fen, the chain 500 fen (a difference of -100 fen)');
  });

  it('a book line the chain never saw, a chain movement the books never saw', async () => {
    await books.tamper('rd-2', { amount: '500' });
    await books.tamper('', { account: 'core-a', balanceDelta: '-100' });
    await books.deposit({ ref: 'rd-3', account: 'core-a', amount: '7' }); // not mirrored yet
    await h.deposit('rd-a', 9n, 'rd-chain-only');
    const out = await rows();
    expect(out.find((r) => r.class === 'missing_on_chain')).to.include({ side: 'book', offTxId: 'rd-3', book: '7' });
    expect(out.find((r) => r.class === 'missing_on_chain')!.detail).to.match(
      /^book entry rd-3 of 7 fen \(.+\) has no movement on chain$/,
    );
    expect(out.find((r) => r.class === 'missing_off_chain')!.detail).to.match(
      /^chain movement rd-chain-only of 9 fen \(.+\) has no entry in the books$/,
    );
  });
});
