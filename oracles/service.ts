/**
 * The oracles inside the service: the bank's books (one opener per store), reconciliation cases,
 * and once started the mirror, the payout executor and scheduled reconciliation. gateway/main.ts
 * builds the one instance and hands it to the routes; nothing here is module state.
 */
import { join } from 'node:path';
import { unavailable } from '../ledger/errors';
import { Guards } from '../ledger/guard';
import type { MemberKey, LedgerClient } from '../ledger/types';
import { openBooks } from './books/index';
import type { Books, Movement } from './books/types';
import { MirrorOracle } from './mirror';
import { PayoutExecutor, PayoutRecord } from './payouts';
import { BankTransferRail, EcnyWalletRail, HardwareWalletRail, RailAdapter, RailName } from './rails';
import { CaseBook, ReconCase } from './recon/cases';
import { ReconResult, runReconciliation, scheduleReconciliation } from './recon/run';
import { WageChecks } from './wage-checks';

export type OracleLog = (level: 'info' | 'warn' | 'error', msg: string, detail?: unknown) => void;

export interface OracleServiceOptions {
  /** The service's data directory: LevelDB books in `<dataDir>/books`, recon reports in `<dataDir>/recon`. */
  dataDir: string;
  /** Off-chain books in PostgreSQL instead of LevelDB. */
  databaseUrl?: string;
  /** The service's downstream guards (payment rails run under `rail:<name>`). */
  guards: Guards;
  /** Where alerts, stuck payouts and run results go (the service's logger). */
  log?: OracleLog;
  /** The bank's oracle service identity (its own key, in the service's wallet). */
  oracle?: MemberKey;
  /**
   * The bank org (MSP id) whose books these are (BOOKS_BANK; default: the oracle identity's org).
   * Only that bank's operators post and read them; no other bank ever does.
   */
  bank?: string;
}

export interface StartOptions {
  ledger: LedgerClient;
  rails?: Partial<Record<RailName, RailAdapter>>;
  /** Default RECON_INTERVAL_MS or 15 min. */
  intervalMs?: number;
  /** Month-end wage checks (default WAGE_CHECK_INTERVAL_MS or one hour). */
  wageCheckIntervalMs?: number;
  /** The clock of the wage checks (tests). */
  now?: () => number;
}

interface Running {
  mirror: MirrorOracle;
  payouts: PayoutExecutor;
  wageChecks: WageChecks;
  stopSchedule: () => Promise<void>;
}

/** Told of each whole-ledger reconciliation run once it finished (e.g. the EVM witness anchors its root). */
export type ReconRunListener = (result: ReconResult) => void;

export class OracleService {
  private running?: Running;
  private onDemand?: Promise<ReconResult>;
  private readonly runListeners: ReconRunListener[] = [];

  private constructor(
    readonly books: Books,
    readonly cases: CaseBook,
    private readonly options: OracleServiceOptions,
  ) {}

  /**
   * Opens the books (PostgreSQL when `databaseUrl` is set, else LevelDB in the data dir).
   * @throws Error when the books cannot be opened (a LevelDB store is held by another process)
   */
  static async open(options: OracleServiceOptions): Promise<OracleService> {
    const books = await openBooks({ databaseUrl: options.databaseUrl, dir: join(options.dataDir, 'books') });
    return new OracleService(books, new CaseBook(books), options);
  }

  /** The bank's oracle service identity, if the service has one. */
  get oracle(): MemberKey | undefined {
    return this.options.oracle;
  }
  /** The bank org that keeps these books; undefined when the service was given neither it nor an oracle. */
  get bank(): string | undefined {
    return this.options.bank ?? this.options.oracle?.mspId;
  }
  get mirror(): MirrorOracle | undefined {
    return this.running?.mirror;
  }
  get payouts(): PayoutExecutor | undefined {
    return this.running?.payouts;
  }
  get wageChecks(): WageChecks | undefined {
    return this.running?.wageChecks;
  }

  /** Calls `listener` after each whole-ledger run, scheduled or on demand; a listener that throws is logged. */
  onRun(listener: ReconRunListener): void {
    this.runListeners.push(listener);
  }

  private ranOne(result: ReconResult): void {
    for (const listener of this.runListeners) {
      try {
        listener(result);
      } catch (err) {
        this.options.log?.('error', 'a reconciliation run listener failed', err);
      }
    }
  }

  private get reportDir(): string {
    return join(this.options.dataDir, 'recon');
  }

  /**
   * Starts mirror, payouts and the reconciliation schedule as the oracle service identity.
   * @throws Error when the service has no oracle identity
   */
  start(start: StartOptions): void {
    if (this.running) return;
    const { ledger } = start;
    const oracle = this.options.oracle;
    if (!oracle) throw new Error("the oracles need the bank's oracle service identity (ORACLE_IDENTITY)");
    const log = this.options.log ?? ((): void => undefined);
    const mirror = new MirrorOracle({ books: this.books, ledger, oracle, cases: this.cases });
    const wageChecks = new WageChecks({
      ledger,
      oracle,
      books: this.books,
      intervalMs: start.wageCheckIntervalMs,
      now: start.now,
    });
    const payouts = new PayoutExecutor({
      books: this.books,
      ledger,
      oracle,
      guards: this.options.guards,
      rails: start.rails ?? {
        bank: new BankTransferRail(),
        ecny: new EcnyWalletRail(),
        hw_wallet: new HardwareWalletRail(),
      },
    });
    mirror.on('dead', (m: Movement, err: unknown) =>
      log('error', `mirror parked ${m.offTxId}: the chain refused it`, err),
    );
    mirror.on('failure', (err) => log('warn', 'mirror: books unreachable, retrying', err));
    payouts.on('alert', (text: string) => log('error', text));
    payouts.on('stuck', (rec: PayoutRecord) => log('error', `payout ${rec.instructionId} is stuck`, rec));
    this.cases.on('alert', (a: Pick<ReconCase, 'class' | 'account'>) =>
      log('warn', `reconciliation break ${a.class} on ${a.account}`, a),
    );
    const recon = scheduleReconciliation({
      books: this.books,
      ledger,
      reader: oracle,
      anchorer: oracle,
      cases: this.cases,
      intervalMs: start.intervalMs,
      runAtStart: true,
      reportDir: this.reportDir,
      onResult: (r) => {
        log(
          r.breaks ? 'warn' : 'info',
          `reconciliation ${r.runId}: ${r.stats.matched} matched, ${r.breaks} breaks, ${r.stats.inFlight} in flight`,
        );
        this.ranOne(r);
      },
      onError: (err) => log('error', 'reconciliation run failed', err),
    });
    mirror.start();
    payouts.start();
    wageChecks.start((err) => log('error', 'month-end wage checks failed', err));
    this.running = { mirror, payouts, wageChecks, stopSchedule: () => recon.stop() };
  }

  /**
   * A whole-ledger run now (POST /v1/recon/runs), read and anchored as the oracle service
   * identity; a second caller while one runs gets that run.
   * @throws LedgerError 503 ORACLE_IDENTITY_MISSING when the service has no oracle identity
   */
  reconcileNow(ledger: LedgerClient): Promise<ReconResult> {
    const who = this.options.oracle;
    if (!who) {
      return Promise.reject(
        unavailable('ORACLE_IDENTITY_MISSING', 'this service has no oracle identity to reconcile with', 60),
      );
    }
    this.onDemand ??= runReconciliation({
      books: this.books,
      ledger,
      reader: who,
      anchorer: who,
      cases: this.cases,
      reportDir: this.reportDir,
    })
      .then((result) => {
        this.ranOne(result);
        return result;
      })
      .finally(() => (this.onDemand = undefined));
    return this.onDemand;
  }

  /** Finishes in-flight mirror windows and payouts, then closes the books. */
  async stop(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    if (running)
      await Promise.all([
        running.mirror.stop(),
        running.payouts.stop(),
        running.wageChecks.stop(),
        running.stopSchedule(),
      ]);
    await this.onDemand?.catch(() => undefined);
    await this.books.close();
  }
}
