/**
 * `lianjian reconcile` (flags parsed in bin/reconcile.ts): reconciles the books (DATABASE_URL or
 * $LIANJIAN_DATA/books) against the configured ledger as the bank's oracle (RECON_IDENTITY,
 * default Org1MSP:oracle1). Progress on stderr; exit 0 when clean, 1 when real breaks were found,
 * 2 when the stores are busy.
 */
import { join } from 'node:path';
import { loadLedgerConfig } from '../../ledger/config';
import { createLedger } from '../../ledger/index';
import { isLockedError } from '../../network/embedded/store';
import { openServiceWallet } from '../../ledger/wallet';
import type { MemberKey, LedgerClient } from '../../ledger/types';
import { openBooks } from '../books/index';
import { loadOracleConfig } from '../config';
import type { Books } from '../books/types';
import { CaseBook } from './cases';
import type { AccountSummary, ReconRow } from './merge';
import { ReconResult, runReconciliation } from './run';

const CSV_COLS = ['kind', 'class', 'account', 'offTxId', 'book', 'chain', 'side', 'time', 'detail'] as const;
const csv = (v: string | number | undefined): string =>
  v === undefined ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v);

/** What `lianjian reconcile` was asked for (bin/reconcile.ts parses the flags). */
export interface ReconcileOptions {
  account?: string;
  /** ISO times bounding movement time. */
  from?: string;
  to?: string;
  lagMs?: number;
  format: 'text' | 'json' | 'csv';
}

function bar(done: number, total: number, breaks: number): string {
  const w = 30;
  const f = total ? Math.min(w, Math.round((done / total) * w)) : 0;
  return `\r[${'#'.repeat(f)}${'.'.repeat(w - f)}] ${done}/${total} accounts, ${breaks} breaks`;
}

/**
 * Reconciles the books with the chain as RECON_IDENTITY; prints the result in `opts.format`.
 * @returns the exit code: 0 clean, 1 breaks, 2 stores busy or no identity
 */
export async function reconcileCommand(opts: ReconcileOptions): Promise<number> {
  const config = { ...loadLedgerConfig(), ...loadOracleConfig() };
  const wallet = openServiceWallet(config.dataDir);
  const reader = wallet.get(process.env.RECON_IDENTITY || 'Org1MSP:oracle1');
  if (!reader) {
    process.stderr.write(
      `no identity to read the chain with: set RECON_IDENTITY to a service identity (mspId:name) in ${wallet.dir}\n`,
    );
    return 2;
  }
  let books: Books | undefined;
  let ledger: LedgerClient | undefined;
  try {
    books = await openBooks({ databaseUrl: config.databaseUrl, dir: join(config.dataDir, 'books') });
    ledger = await createLedger(config);
  } catch (err) {
    await books?.close().catch(() => undefined);
    if (!isLockedError(err)) throw err;
    process.stderr.write(
      `the embedded ledger or books in ${config.dataDir} are in use by another process (one process at a time).\n` +
        'Stop the service (`npm start`) first, then run `lianjian reconcile` again, or use POST /v1/recon/runs on the running service.\n',
    );
    return 2;
  }
  return run(
    { ...opts, lagMs: opts.lagMs ?? config.reconLagMs, reportDir: join(config.dataDir, 'recon') },
    books,
    ledger,
    reader,
  );
}

/** The run for people: counts, the first rows with what disagreed, the report and its anchor. */
function textReport(res: ReconResult, rows: ReconRow[]): string {
  const s = res.stats;
  const lines = [
    `run ${res.runId} (${res.day}): ${s.accounts} accounts, ${s.rows} movements read, ${s.matched} matched, ${res.breaks} breaks, ${s.inFlight} in flight`,
  ];
  for (const [k, n] of Object.entries(s.breaks)) if (n) lines.push(`  ${k.padEnd(18)} ${n}`);
  for (const r of rows.slice(0, 50)) {
    lines.push(
      `  ${r.kind === 'break' ? 'BREAK ' : 'flight'} ${r.class.padEnd(18)} ${r.account} ${r.offTxId ?? ''} book=${r.book ?? '-'} chain=${r.chain ?? '-'}`,
    );
    if (r.detail) lines.push(`      ${r.detail}`);
  }
  const anchor = res.anchor
    ? ` anchor ${'txId' in res.anchor ? res.anchor.txId : `not anchored (${res.anchor.error})`}`
    : '';
  lines.push(`report ${res.report}`, `root ${res.root}${anchor}`);
  return lines.join('\n') + '\n';
}

async function run(
  opts: ReconcileOptions & { reportDir: string },
  books: Books,
  ledger: LedgerClient,
  reader: MemberKey,
): Promise<number> {
  const tty = process.stderr.isTTY;
  let shown = false;
  const rows: Array<ReconRow> = [];
  if (opts.format === 'csv') process.stdout.write(CSV_COLS.join(',') + '\n');
  try {
    const res = await runReconciliation({
      books,
      ledger,
      reader,
      anchorer: reader,
      cases: new CaseBook(books),
      account: opts.account,
      from: opts.from,
      to: opts.to,
      lagMs: opts.lagMs,
      reportDir: opts.reportDir,
      // A bar that redraws in place on a terminal; plain lines when stderr is a file or pipe.
      onProgress: (p) => {
        shown = true;
        const line = bar(
          p.accounts,
          p.total,
          Object.values(p.stats.breaks).reduce((s, n) => s + n, 0),
        );
        process.stderr.write(tty ? line : line.slice(1) + '\n');
      },
      onRow: (r: ReconRow | AccountSummary) => {
        if (r.kind === 'account') return;
        if (opts.format === 'csv') process.stdout.write(CSV_COLS.map((c) => csv(r[c])).join(',') + '\n');
        else if (rows.length < 10_000) rows.push(r);
      },
    });
    if (shown && tty) process.stderr.write('\n');
    if (opts.format === 'json') process.stdout.write(JSON.stringify({ ...res, rows }, null, 2) + '\n');
    else if (opts.format === 'text') process.stdout.write(textReport(res, rows));
    return res.breaks ? 1 : 0;
  } finally {
    await ledger.close();
    await books.close();
  }
}
