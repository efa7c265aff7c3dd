/**
 * The oracles inside the service: one books handle per process (LevelDB allows one opener),
 * the mirror, the payout executor and scheduled reconciliation. The gateway routes and the
 * start-up code (gateway/main.ts) share it through `oracleService(dataDir)`.
 */
import type { Identity, LedgerClient } from '../gateway/ledger/types';
import { join } from 'node:path';
import { dataDir, openBooks } from './books/index';
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
  /** The service's data directory (default LIANJIAN_DATA or ./data). */
  dataDir?: string;
  /** Where alerts, stuck payouts and run results go (the service's logger). */
  log?: (level: 'info' | 'warn' | 'error', msg: string, detail?: unknown) => void;
}

/** One service per books location (PostgreSQL URL or LevelDB folder): each store has one opener. */
const services = new Map<string, Promise<OracleService>>();
const whereBooks = (dir: string): string => process.env.DATABASE_URL || join(dir, 'books');

/** The books and cases alone (routes) of the service keeping its data in `dir`; `startOracles` adds the running oracles. */
export function oracleService(dir = dataDir()): Promise<OracleService> {
  const where = whereBooks(dir);
  let s = services.get(where);
  if (!s) {
    s = openBooks({ dir: join(dir, 'books') }).then((books) => ({
      books,
      cases: new CaseBook(books),
      stop: () => closeService(where, books),
    }));
    services.set(where, s);
    s.catch(() => services.delete(where)); // e.g. books locked: let a later call try again
  }
  return s;
}

async function closeService(where: string, books: Books): Promise<void> {
  services.delete(where);
  await books.close();
}

/** Starts mirror, payouts and the reconciliation schedule as `oracle` (the bank's oracle identity). */
export async function startOracles(
  ledger: LedgerClient,
  oracle: Identity,
  opts: StartOptions = {},
): Promise<OracleService> {
  const where = whereBooks(opts.dataDir ?? dataDir());
  const s = await oracleService(opts.dataDir);
  const log = opts.log ?? (() => undefined);
  const mirror = new MirrorOracle({ books: s.books, ledger, oracle });
  const payouts = new PayoutExecutor({
    books: s.books,
    ledger,
    oracle,
    rails: opts.rails ?? {
      bank: new BankTransferRail(),
      ecny: new EcnyWalletRail(),
      hw_wallet: new HardwareWalletRail(),
    },
  });
  mirror.on('dead', (m, err) => log('error', `mirror parked ${m.offTxId}: the chain refused it`, err));
  mirror.on('failure', (err) => log('warn', 'mirror: books unreachable, retrying', err));
  payouts.on('alert', (text) => log('error', text));
  payouts.on('stuck', (rec) => log('error', `payout ${rec.instructionId} is stuck`, rec));
  s.cases.on('alert', (a) => log('warn', `reconciliation break ${a.class} on ${a.account}`, a));
  const recon = scheduleReconciliation({
    books: s.books,
    ledger,
    reader: oracle,
    anchorer: oracle,
    cases: s.cases,
    intervalMs: opts.intervalMs,
    reportDir: join(opts.dataDir ?? dataDir(), 'recon'),
    onResult: (r) =>
      log(
        r.breaks ? 'warn' : 'info',
        `reconciliation ${r.runId}: ${r.stats.matched} matched, ${r.breaks} breaks, ${r.stats.inFlight} in flight`,
      ),
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
      await closeService(where, books);
    },
  };
  services.set(where, Promise.resolve(running));
  return running;
}

let onDemand: Promise<ReconResult> | undefined;

/** A whole-ledger run now (POST /v1/recon/runs); a second caller while one runs gets that run. */
export async function reconcileNow(ledger: LedgerClient, reader: Identity, dir?: string): Promise<ReconResult> {
  const s = await oracleService(dir);
  const who = s.oracle ?? reader;
  onDemand ??= runReconciliation({
    books: s.books,
    ledger,
    reader: who,
    anchorer: who,
    cases: s.cases,
    reportDir: join(dir ?? dataDir(), 'recon'),
  }).finally(() => (onDemand = undefined));
  return onDemand;
}
