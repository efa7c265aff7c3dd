/**
 * What people read of past reconciliation: the runs over time, one run's report lines (so a
 * browser can re-hash them to the root anchored on chain) and a break's two sides in the books.
 */
import { readFile } from 'node:fs/promises';
import { LedgerError } from '../../ledger/errors';
import type { BookAccount, Books, Movement } from '../books/types';
import type { ReconCase } from './cases';
import { ReconResult, ReconSummary, summaryOf } from './run';

/** Run ids as runReconciliation makes them (R<day>-<time>-<hex>). */
export const RUN_ID_RE = /^R[0-9]{8}-[0-9]{6}-[0-9a-f]{6}$/;

/**
 * Whole-ledger runs, newest first (filtered investigation runs are left out).
 * @throws Error when the books cannot be read
 */
export async function listRuns(books: Books, limit: number): Promise<ReconSummary[]> {
  const runs: ReconSummary[] = [];
  for await (const { value } of books.listMeta<ReconResult & { whole?: boolean }>('recon-run/')) {
    if (value.whole !== false) runs.push(summaryOf(value));
  }
  runs.sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0));
  return runs.slice(0, limit);
}

/**
 * One run's report: the JSON lines exactly as hashed into its root (h = SM3(h | line)).
 * @throws LedgerError 404 RECON_RUN_NOT_FOUND, 413 REPORT_TOO_LARGE past `maxLines`
 */
export async function reportLines(
  books: Books,
  runId: string,
  maxLines: number,
): Promise<{ runId: string; day: string; root: string; lines: string[] }> {
  const run = RUN_ID_RE.test(runId) ? await books.getMeta<ReconResult>(`recon-run/${runId}`) : undefined;
  if (!run) throw new LedgerError('RECON_RUN_NOT_FOUND', `no reconciliation run ${runId}`, 'runId', 404);
  let text: string;
  try {
    text = await readFile(run.report, 'utf8');
  } catch {
    throw new LedgerError('RECON_REPORT_GONE', `the report of run ${runId} is no longer kept here`, 'runId', 404);
  }
  const lines = text.split('\n').filter((line) => line !== '');
  if (lines.length > maxLines) {
    throw new LedgerError(
      'REPORT_TOO_LARGE',
      `run ${runId} has ${lines.length} report lines; re-hash it with \`lianjian reconcile\` instead`,
      'runId',
      413,
    );
  }
  return { runId: run.runId, day: run.day, root: run.root, lines };
}

/** The books' side of a case: the account and its journal lines for the case's movement. */
export async function bookSide(books: Books, c: ReconCase): Promise<{ account?: BookAccount; rows: Movement[] }> {
  const account = await books.getAccount(c.account);
  const rows: Movement[] = [];
  if (c.offTxId) {
    for await (const m of books.movementsByAccount({ account: c.account })) if (m.offTxId === c.offTxId) rows.push(m);
  }
  return { ...(account ? { account } : {}), rows };
}
