/**
 * The oracles inside the service: one books handle per process (LevelDB allows one opener),
 * the mirror, the payout executor and scheduled reconciliation. The gateway routes and the
 * start-up code (gateway/main.ts) share it through `oracleService()`.
 */
import type { Identity, LedgerClient } from '../gateway/ledger/types';
import { openBooks } from './books/index';
import type { Books } from './books/types';
import { MirrorOracle } from './mirror';
import { PayoutExecutor } from './payouts';
import { BankTransferRail, EcnyWalletRail, HardwareWalletRail, RailAdapter, RailName } from './rails';
import { CaseBook } from './recon/cases';
import { ReconResult, runReconciliation, scheduleReconciliation } from './recon/run';

export interface OracleService {
  books: Books;
  cases: CaseBook;
  /** The bank's oracle identity, once started: scheduled and on-demand runs read as it. */
  oracle?: Identity;
  mirror?: MirrorOracle;
  payouts?: PayoutExecutor;
  stop(): Promise<void>;
}

export interface StartOptions {
  rails?: Partial<Record<RailName, RailAdapter>>;
  /** Default RECON_INTERVAL_MS or 15 min. */
  intervalMs?: number;
  /** Where alerts, stuck payouts and run results go (the service's logger). */
  log?: (level: 'info' | 'warn' | 'error', msg: string, detail?: unknown) => void;
}

let current: Promise<OracleService> | undefined;

/** The books and cases alone (routes); `startOracles` adds the running oracles. */
export function oracleService(): Promise<OracleService> {
  current ??= openBooks().then((books) => ({ books, cases: new CaseBook(books), stop: () => closeService(books) }));
  current.catch(() => (current = undefined)); // e.g. books locked: let a later call try again
  return current;
}

async function closeService(books: Books): Promise<void> {
  current = undefined;
  await books.close();
}

/** Starts mirror, payouts and the reconciliation schedule as `oracle` (the bank's oracle identity). */
export async function startOracles(ledger: LedgerClient, oracle: Identity, opts: StartOptions = {}): Promise<OracleService> {
  const s = await oracleService();
  const log = opts.log ?? (() => undefined);
  const mirror = new MirrorOracle({ books: s.books, ledger, oracle });
  const payouts = new PayoutExecutor({ books: s.books, ledger, oracle, rails: opts.rails ?? { bank: new BankTransferRail(), ecny: new EcnyWalletRail(), hw_wallet: new HardwareWalletRail() } });
  mirror.on('dead', (m, err) => log('error', `mirror parked ${m.offTxId}: the chain refused it`, err));
  mirror.on('failure', (err) => log('warn', 'mirror: books unreachable, retrying', err));
  payouts.on('alert', (text) => log('error', text));
  payouts.on('stuck', (rec) => log('error', `payout ${rec.instructionId} is stuck`, rec));
  s.cases.on('alert', (a) => log('warn', `reconciliation break ${a.class} on ${a.account}`, a));
  const recon = scheduleReconciliation({
    books: s.books, ledger, reader: oracle, anchorer: oracle, cases: s.cases, intervalMs: opts.intervalMs,
    onResult: (r) => log(r.breaks ? 'warn' : 'info', `reconciliation ${r.runId}: ${r.stats.matched} matched, ${r.breaks} breaks, ${r.stats.inFlight} in flight`),
    onError: (err) => log('error', 'reconciliation run failed', err),
  });
  mirror.start();
  payouts.start();
  const books = s.books;
  const running: OracleService = {
    ...s,
    oracle,
    mirror,
    payouts,
    stop: async () => {
      await Promise.all([mirror.stop(), payouts.stop(), recon.stop()]);
      await closeService(books);
    },
  };
  current = Promise.resolve(running);
  return running;
}

let onDemand: Promise<ReconResult> | undefined;

/** A whole-ledger run now (POST /v1/recon/runs); a second caller while one runs gets that run. */
export async function reconcileNow(ledger: LedgerClient, reader: Identity): Promise<ReconResult> {
  const s = await oracleService();
  const who = s.oracle ?? reader;
  onDemand ??= runReconciliation({ books: s.books, ledger, reader: who, anchorer: who, cases: s.cases }).finally(() => (onDemand = undefined));
  return onDemand;
}
