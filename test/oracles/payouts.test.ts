import { expect } from 'chai';
import { LedgerError } from '../../chaincode/lib/errors';
import { generateKeyPair } from '../../chaincode/lib/gm';
import { DEFAULT_GUARD, Guards } from '../../ledger/guard';
import type { MemberKey } from '../../ledger/types';
import { LevelBooks } from '../../oracles/books/level';
import { PayoutExecutor } from '../../oracles/payouts';
import { BankTransferRail, EcnyWalletRail, HardwareWalletRail } from '../../oracles/rails';
import { FakeLedger } from './fake-ledger';
import { booksFixture, BooksFixture } from './support';
import { until } from '../support/wait';

const oracle: MemberKey = {
  keyId: 'Org1MSP:oracle1',
  mspId: 'Org1MSP',
  name: 'oracle1',
  roles: ['oracle'],
  admin: false,
  sm2: generateKeyPair(),
};
const instr = (id: string, rail: string, payeeRef: string, amount = '1000', account = 'payout-1') => ({
  type: 'PayoutInstructed',
  accounts: [account, 'payee'],
  instructionId: id,
  program: 'P1',
  account,
  payee: 'payee',
  payeeRef,
  amount,
  rail,
  kind: 'release',
});

/** Generous rail guards: these tests count attempts, not breaker trips. */
const guards = new Guards({ ...DEFAULT_GUARD, timeoutMs: 5000, volumeThreshold: 1000 });

describe('payout executor', () => {
  let fx: BooksFixture;
  let ledger: FakeLedger;
  beforeEach(async () => {
    fx = await booksFixture('level');
    ledger = new FakeLedger();
    ledger.accounts = { 'payout-1': { bank: 'Org1MSP' }, 'payout-other': { bank: 'Org3MSP' } };
  });
  afterEach(() => fx.dispose());

  it('pays each instruction once through flaky rails and reports the outcome on chain', async () => {
    const bank = new BankTransferRail({
      latencyMs: [1, 10],
      timeoutBeforeRate: 0.2,
      timeoutAfterRate: 0.2,
      duplicateRate: 0.3,
    });
    const ecny = new EcnyWalletRail();
    ecny.openWallet('w4', 4);
    ecny.openWallet('w1', 1);
    const hw = new HardwareWalletRail();
    hw.registerCard('card1');
    const ex = new PayoutExecutor({
      guards,
      ledger,
      oracle,
      books: fx.books,
      rails: { bank, ecny, hw_wallet: hw },
      retryBaseMs: 1,
      maxAttempts: 30,
    });
    const ids: string[] = [];
    for (let n = 0; n < 30; n++) {
      ids.push(`PI${n}`);
      ledger.emitEnvelope([instr(`PI${n}`, 'bank', `acct${n % 3}`)]);
    }
    ledger.emitEnvelope([
      instr('PE1', 'ecny', 'w4', '1500000'),
      instr('PE2', 'ecny', 'w1', '1500000'),
      instr('PH1', 'hwallet', 'card1', '5000'),
    ]);
    ledger.emitEnvelope([instr('PX', 'bank', 'acct0', '1', 'payout-other'), { type: 'Transferred', accounts: [] }]);
    ex.start();
    await until('33 confirmations on chain', () => ledger.submits.length === 33);
    await until(
      'the executor',
      async () => JSON.stringify(await ex.checkpoint()) === JSON.stringify({ block: 32, txIndex: 0 }),
    );
    await ex.stop();
    const confirmed = ledger.submits.filter((s) => s.fn === 'Supervision:confirmPayout').map((s) => s.args[0]);
    expect(confirmed).to.have.members([...ids, 'PE2', 'PH1']);
    const failed = ledger.submits.filter((s) => s.fn === 'Supervision:failPayout');
    expect(failed.map((s) => s.args[0])).to.deep.equal(['PE1']);
    expect(failed[0].args[1]).to.match(/^WALLET_TIER_LIMIT/);
    expect(bank.stats.executed).to.equal(30); // timeouts and duplicate deliveries never paid twice
    expect([...bank.balances.values()].reduce((a, b) => a + b, 0n)).to.equal(30_000n);
    expect(hw.cards.get('card1')!.pending).to.equal(5000n);
    expect((await ex.record('PX'))!.status).to.equal('skipped'); // another bank's payout
  });

  it('resumes after a restart without paying or reporting twice', async () => {
    const bank = new BankTransferRail({ latencyMs: [5, 15] });
    const rails = { bank };
    for (let n = 0; n < 20; n++) ledger.emitEnvelope([instr(`PI${n}`, 'bank', 'a')]);
    ledger.failNext.set('Supervision:confirmPayout', [new LedgerError('MVCC_READ_CONFLICT', 'raced', undefined, 409)]);
    let ex = new PayoutExecutor({ guards, ledger, oracle, books: fx.books, rails, retryBaseMs: 1, concurrency: 4 });
    ex.start();
    await until('the executor', () => ledger.submits.length >= 6);
    await ex.stop();
    ex = new PayoutExecutor({ guards, ledger, oracle, books: fx.books, rails, retryBaseMs: 1, concurrency: 4 });
    ex.start();
    await until('the executor', async () => (await ex.checkpoint())?.block === 20);
    await ex.stop();
    const confirmed = ledger.submits.filter((s) => s.fn === 'Supervision:confirmPayout').map((s) => s.args[0]);
    // a replayed confirm is a no-op on chain; each instruction paid once at the rail
    expect(new Set(confirmed).size).to.equal(20);
    expect(bank.stats.executed).to.equal(20);
    expect(fx.books).to.be.instanceOf(LevelBooks);
  });

  it('parks a payout as stuck when the rail never answers, and fails it when no rail exists', async () => {
    const bank = new BankTransferRail({ timeoutBeforeRate: 1 });
    const ex = new PayoutExecutor({
      guards,
      ledger,
      oracle,
      books: fx.books,
      rails: { bank },
      retryBaseMs: 1,
      maxAttempts: 3,
    });
    const stuck: string[] = [];
    ex.on('stuck', (r) => stuck.push(r.instructionId));
    expect((await ex.handle(instr('S1', 'bank', 'a')))!.status).to.equal('stuck');
    expect(stuck).to.deep.equal(['S1']);
    expect((await ex.handle(instr('N1', 'swift', 'a')))!.status).to.equal('failed');
    expect(ledger.submits.map((s) => s.fn)).to.deep.equal(['Supervision:failPayout']);
  });
});

describe('payout executor: a failing chain read', () => {
  it('retries the instruction instead of an unhandled rejection, then passes the checkpoint', async () => {
    const fx = await booksFixture('level');
    const ledger = new FakeLedger();
    ledger.accounts = { 'payout-1': { bank: 'Org1MSP' } };
    let busy = 2; // the ledger answers 503 to the first reads of the payout account
    const evaluate = ledger.evaluate.bind(ledger);
    ledger.evaluate = async (call) => {
      if (call.fn === 'Money:getAccount' && busy-- > 0)
        throw new LedgerError('LEDGER_BUSY', 'try later', undefined, 503);
      return evaluate(call);
    };
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    const ex = new PayoutExecutor({
      guards,
      ledger,
      oracle,
      books: fx.books,
      rails: { bank: new BankTransferRail() },
      retryBaseMs: 1,
    });
    const alerts: string[] = [];
    ex.on('alert', (a: string) => alerts.push(a));
    try {
      ledger.emitEnvelope([instr('PR1', 'bank', 'acct1')]);
      ex.start();
      await until('the executor', async () => (await ex.checkpoint())?.block === 1);
      expect(unhandled).to.deep.equal([]);
      expect((await ex.record('PR1'))?.status).to.equal('confirmed');
      expect(ledger.submits.filter((s) => s.fn === 'Supervision:confirmPayout')).to.have.length(1);
      expect(alerts.some((a) => a.includes('PR1') && a.includes('LEDGER_BUSY'))).to.equal(true);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await ex.stop();
      await fx.dispose();
    }
  });
});
