/**
 * The oracles inside the service: one books handle per process (LevelDB allows one opener),
 * the mirror, the payout executor and scheduled reconciliation. The gateway routes and the
 * lead's start-up code share it through `oracleService()`.
 */
import type { Identity, LedgerClient } from '../gateway/ledger/types';
import { openBooks } from './books/index';
import type { Books } from './books/types';
import { MirrorOracle } from './mirror';
import { PayoutExecutor } from './payouts';
import { BankTransferRail, EcnyWalletRail, HardwareWalletRail, RailAdapter, RailName } from './rails';
import { CaseBook } from './recon/cases';
import { scheduleReconciliation } from './recon/run';

export interface OracleService {
  books: Books;
  cases: CaseBook;
  mirror?: MirrorOracle;
  payouts?: PayoutExecutor;
  stop(): Promise<void>;
}

let current: Promise<OracleService> | undefined;

/** The books and cases alone (routes); `startOracles` adds the running oracles. */
export function oracleService(): Promise<OracleService> {
  current ??= openBooks().then((books) => ({ books, cases: new CaseBook(books), stop: () => books.close() }));
  return current;
}

/** Starts mirror, payouts and the reconciliation schedule as `oracle` (the bank's oracle identity). */
export async function startOracles(ledger: LedgerClient, oracle: Identity, rails?: Partial<Record<RailName, RailAdapter>>): Promise<OracleService> {
  const s = await oracleService();
  const mirror = new MirrorOracle({ books: s.books, ledger, oracle });
  const payouts = new PayoutExecutor({ books: s.books, ledger, oracle, rails: rails ?? { bank: new BankTransferRail(), ecny: new EcnyWalletRail(), hw_wallet: new HardwareWalletRail() } });
  const recon = scheduleReconciliation({ books: s.books, ledger, reader: oracle, anchorer: oracle, cases: s.cases });
  mirror.start();
  payouts.start();
  const books = s.books;
  const running: OracleService = {
    ...s,
    mirror,
    payouts,
    stop: async () => {
      await Promise.all([mirror.stop(), payouts.stop(), recon.stop()]);
      await books.close();
      current = undefined;
    },
  };
  current = Promise.resolve(running);
  return running;
}
