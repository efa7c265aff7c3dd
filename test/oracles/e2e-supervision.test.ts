/**
 * Issue #8 end to end on the embedded ledger: the bank's books and the chain's supervised
 * account are mirrored; deposits flow in through the mirror, a supervised release is paid on
 * the bank rail and booked as a chain-originated debit, and reconciliation proves both ledgers
 * agree — on the happy path, on the rail-rejection path, and finds a real break when one exists.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_GUARD, Guards } from '../../ledger/guard';
import { LevelBooks } from '../../oracles/books/level';
import { MirrorOracle } from '../../oracles/mirror';
import { CLEARING_ACCOUNT } from '../../oracles/chain-moves';
import { PayoutExecutor } from '../../oracles/payouts';
import { BankTransferRail } from '../../oracles/rails';
import { CaseBook } from '../../oracles/recon/cases';
import { latestRun, runReconciliation } from '../../oracles/recon/run';
import { Harness } from '../support/harness';
import { until } from '../support/wait';
import { Fixture, makeProgram, REG, release } from '../supervision/fixture';

/** Generous rail guards: these tests count attempts, not breaker trips. */
const guards = new Guards({ ...DEFAULT_GUARD, timeoutMs: 5000, volumeThreshold: 1000 });

describe('oracles end to end: books ↔ supervised account, payouts, reconciliation (embedded)', function () {
  this.timeout(60_000);
  let h: Harness;
  let books: LevelBooks;
  let dir: string;
  let f: Fixture;
  let mirror: MirrorOracle;
  let payouts: PayoutExecutor;
  let bank: BankTransferRail;
  const cases = () => new CaseBook(books);
  const recon = (o: { lagMs?: number; cases?: CaseBook } = {}) =>
    runReconciliation({
      books,
      ledger: h.ledger,
      reader: h.id('oracle1'),
      anchorer: h.id('oracle1'),
      cases: o.cases,
      lagMs: o.lagMs ?? 0,
      reportDir: join(dir, 'recon'),
    });
  const instruction = (id: string) => h.evaluate(REG, 'Supervision:getInstruction', id);

  before(async () => {
    h = await Harness.create();
    dir = mkdtempSync(join(tmpdir(), 'lj-e2e-'));
    books = new LevelBooks(join(dir, 'books'));
    f = await makeProgram(h, {}, 0n);
    await books.openAccount({ id: 'core-sup-1', holder: 'ent1 监管户', chainAccount: f.sup });
    mirror = new MirrorOracle({ books, ledger: h.ledger, oracle: h.id('oracle1'), idleMs: 50 });
    bank = new BankTransferRail({}, new Set([`off-${f.contractor}`])); // the worker's bank does not know the account
    payouts = new PayoutExecutor({
      guards,
      books,
      ledger: h.ledger,
      oracle: h.id('oracle1'),
      rails: { bank },
      retryBaseMs: 1,
    });
    mirror.start();
  });
  after(async () => {
    await Promise.all([mirror.stop(), payouts.stop()]);
    await books.close();
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('deposits posted in the books reach the supervised account through the mirror', async () => {
    await books.deposit({ ref: 'dep-001', account: 'core-sup-1', amount: '6000000', counterparty: 'buyer 张' });
    await books.deposit({ ref: 'dep-002', account: 'core-sup-1', amount: '4000000', counterparty: 'buyer 李' });
    await mirror.drained();
    expect(await h.balance(f.sup)).to.equal(10_000_000n);
    const r = await recon();
    expect(r.breaks).to.equal(0);
    expect(r.stats.matched).to.equal(2);
  });

  let paid: string;
  it('a release waiting for the bank is in flight within the lag window and a break after it', async () => {
    const req = await release(h, f, '1000000');
    expect(req.status).to.equal('instructed');
    [paid] = req.instructions;
    expect(await h.balance(f.sup)).to.equal(9_000_000n); // released on chain, still at the bank
    const young = await recon({ lagMs: 3_600_000 });
    expect(young.breaks).to.equal(0);
    expect(young.stats.inFlight).to.equal(1);
    const overdue = await recon({ lagMs: 0 });
    expect(overdue.stats.breaks.missing_off_chain).to.equal(1); // released, never executed: operators must look
    expect(overdue.stats.breaks.balance_mismatch).to.equal(0); // the instruction row explains the whole difference
  });

  it('the payout executor pays on the rail, books the chain-originated debit, confirms; recon is clean', async () => {
    payouts.start();
    await until('the payout to settle', async () => (await instruction(paid)).status === 'settled');
    await until('the payout record', async () => (await payouts.record(paid))?.status === 'confirmed');
    expect(bank.balances.get(`off-${f.contractor}`)).to.equal(1_000_000n);
    const p = (await books.posting(paid))!;
    expect(p).to.include({ kind: 'withdrawal', from: 'core-sup-1', amount: '1000000', origin: 'chain' });
    expect(p.movements[0]).to.include({ offTxId: paid, origin: 'chain' });
    expect((await books.getAccount('core-sup-1'))!.balance).to.equal('9000000');
    await mirror.drained();
    const hist = await h.evaluate('auditor1', 'Money:history', f.sup, '0', '500');
    expect(hist.items.filter((x: any) => x.kind === 'withdrawal')).to.deep.equal([]); // never mirrored back
    const r = await recon();
    expect(r.breaks, JSON.stringify(r.stats)).to.equal(0);
    expect(r.stats.inFlight).to.equal(0);
    expect(r.stats.matched).to.equal(3);
    await h.expectConserved();
  });

  it('a rail rejection fails the payout, the funds return on chain, nothing is booked, recon is clean', async () => {
    const req = await release(h, f, '50000', f.worker);
    const [id] = req.instructions;
    await until('the payout to fail', async () => (await instruction(id)).status === 'failed');
    expect((await instruction(id)).reason).to.match(/^PAYEE_ACCOUNT_UNKNOWN/);
    expect(await books.posting(id)).to.equal(undefined);
    expect(await h.balance(f.sup)).to.equal(9_000_000n);
    const r = await recon();
    expect(r.breaks, JSON.stringify(r.stats)).to.equal(0);
    expect(r.stats.matched).to.equal(3);
    await h.expectConserved();
  });

  it('an edited book line is found and classified, opens a case, and stops alerting once resolved', async () => {
    await books.tamper(paid, { amount: '999000' }); // the core's line no longer says what the bank paid
    const book = cases();
    const alerts: any[] = [];
    book.on('alert', (a) => alerts.push(a));
    const r = await recon({ cases: book });
    expect(r.stats.breaks).to.deep.equal({
      missing_on_chain: 0,
      missing_off_chain: 0,
      amount_mismatch: 1,
      duplicate: 0,
      balance_mismatch: 0,
    });
    const [c] = await book.list('open');
    expect(c).to.include({
      class: 'amount_mismatch',
      account: 'core-sup-1',
      offTxId: paid,
      book: '-999000',
      chain: '-1000000',
    });
    expect(alerts).to.have.length(1);
    await book.resolve(c.id, {
      resolution: 'corrected_off_chain',
      note: 'core line re-keyed from the rail receipt',
      by: 'Org1MSP:bank1',
    });
    alerts.length = 0;
    const again = await recon({ cases: book });
    expect(again.breaks).to.equal(1); // still there until the books are fixed, but no longer alerting
    expect(alerts).to.deep.equal([]);
    expect((await book.get(c.id))!.status).to.equal('resolved');
    await books.tamper(paid, { amount: '1000000' });
    const fixed = await recon({ cases: book });
    expect(fixed.breaks).to.equal(0);
    const latest = (await latestRun(books))!;
    expect(latest).to.include({ runId: fixed.runId, matched: 3, breaksTotal: 0, accounts: 1, root: fixed.root });
    expect(latest.anchorTxId).to.be.a('string');
  });

  it('a release to a payee mirrored in the same books is one internal transfer: balanced, recon clean, replay books nothing twice', async () => {
    const g = await makeProgram(h, {}, 0n);
    await books.openAccount({ id: 'core-sup-2', holder: 'ent1 监管户 2', chainAccount: g.sup });
    await books.openAccount({ id: 'core-con-2', holder: 'ent2 供应商', chainAccount: g.contractor });
    const total = async () => {
      let s = 0n;
      for await (const a of books.accounts()) s += BigInt(a.balance);
      return s;
    };
    const bal = async (id: string) => BigInt((await books.getAccount(id))?.balance ?? '0');
    const before = await total();
    await books.deposit({ ref: 'dep-101', account: 'core-sup-2', amount: '3000000', counterparty: 'buyer 王' });
    await mirror.drained();
    const req = await release(h, g, '1000000');
    const [id] = req.instructions;
    await until('the internal payout to settle', async () => (await instruction(id)).status === 'settled');
    await until('the payout record', async () => (await payouts.record(id))?.status === 'confirmed');
    expect((await instruction(id)).railRef).to.equal(`books:${id}`);
    expect(bank.balances.get(`off-${g.contractor}`)).to.equal(undefined); // no rail: the bank paid in its own books
    await until(
      'the payee side followed',
      async () => ((await books.getMeta<{ seq: number }>(`chain-moves/${g.contractor}`))?.seq ?? 0) > 0,
    );
    const p = (await books.posting(id))!;
    expect(p).to.include({
      kind: 'transfer',
      from: 'core-sup-2',
      to: 'core-con-2',
      amount: '1000000',
      origin: 'chain',
    });
    expect(p.movements.map((m) => m.offTxId).sort()).to.deep.equal([`${id}:cr`, `${id}:dr`]);
    expect(await bal('core-sup-2')).to.equal(2_000_000n);
    expect(await bal('core-con-2')).to.equal(1_000_000n);
    expect(await bal(CLEARING_ACCOUNT)).to.equal(0n);
    expect(await total()).to.equal(before + 3_000_000n); // only the real deposit changed the bank's total
    await mirror.drained();
    expect(await h.balance(g.sup)).to.equal(2_000_000n);
    expect(await h.balance(g.contractor)).to.equal(1_000_000n);
    const chainLines = (await books.journal(0n, 10_000)).filter((m) => m.origin === 'chain');
    expect(chainLines.filter((m) => m.account === 'core-con-2')).to.have.length(1); // sv_payout_in not booked again
    const r = await recon();
    expect(r.breaks, JSON.stringify(r.stats)).to.equal(0);
    expect(r.stats.inFlight).to.equal(0);
    expect(r.stats.matched).to.equal(3 + 3); // earlier three + dep-101, <id>:dr, <id>:cr
    // Replay: account checkpoints reset and a second follower from block 0.
    const lines = (await books.journal(0n, 10_000)).length;
    for (const acct of [f.sup, g.sup, g.contractor]) await books.putMeta(`chain-moves/${acct}`, { seq: 0 });
    await payouts.moves.sync();
    const again = new PayoutExecutor({
      guards,
      books,
      ledger: h.ledger,
      oracle: h.id('oracle1'),
      rails: { bank },
      retryBaseMs: 1,
      name: 'payouts-replay',
    });
    again.start();
    await until('the replay caught up', async () => !!(await again.checkpoint()));
    await new Promise((res) => setTimeout(res, 300));
    await again.stop();
    expect(
      await again.handle({
        instructionId: id,
        account: g.payout,
        payee: g.contractor,
        payeeRef: '',
        amount: '1000000',
        rail: 'bank',
      }),
    ).to.include({ status: 'confirmed' });
    expect((await books.journal(0n, 10_000)).length).to.equal(lines);
    expect(await bal('core-sup-2')).to.equal(2_000_000n);
    expect(await bal('core-con-2')).to.equal(1_000_000n);
    expect(await bal(CLEARING_ACCOUNT)).to.equal(0n);
    expect(await total()).to.equal(before + 3_000_000n);
    expect((await recon()).breaks).to.equal(0);
    await h.expectConserved();
  });
});
