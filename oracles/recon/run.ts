/**
 * One reconciliation run: merge books and chain, write the report (JSON lines), open or refresh
 * cases for real breaks, and anchor the day's report root on chain (`Audit:anchor(day, root)`).
 * The root is an SM3 chain over the report rows (h = SM3(h | row)), computed as rows stream by.
 */
import { signCall } from '../../ledger/intents';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { sm3 } from '../../chaincode/lib/gm';
import type { MemberKey, LedgerClient } from '../../ledger/types';
import type { Books } from '../books/types';
import { CaseBook } from './cases';
import { AccountSummary, BREAK_CLASSES, BreakClass, emptyStats, mergeStreams, MergeStats, ReconRow } from './merge';
import { bookEntries, ChainSide, mirroredAccounts } from './sources';
import { chinaDay } from '../../chaincode/lib/china-time';

export interface ReconOptions {
  books: Books;
  ledger: LedgerClient;
  /** Reads the chain (the bank's oracle or an auditor). */
  reader: MemberKey;
  /** Submits the anchor; none = do not anchor. */
  anchorer?: MemberKey;
  cases?: CaseBook;
  account?: string;
  from?: string;
  to?: string;
  lagMs?: number;
  now?: number;
  reportDir: string;
  onProgress?: (p: { accounts: number; total: number; stats: MergeStats }) => void;
  /** Receives every report row (the CLI prints them). */
  onRow?: (row: ReconRow | AccountSummary) => void;
}

export interface ReconResult {
  runId: string;
  day: string;
  time: string;
  stats: MergeStats;
  breaks: number;
  /** Fen at stake per break class: the difference between the two sides (or the one side's amount). */
  breakAmounts: Record<BreakClass, string>;
  root: string;
  report: string;
  anchor?: { txId: string } | { error: string };
}

/** How long a movement may be in flight between books and chain before it is a break. */
export const DEFAULT_RECON_LAG_MS = 5 * 60_000;

/** How many mirrored accounts a run walks (counted only when someone follows its progress). */
async function mirroredCount(o: ReconOptions): Promise<number> {
  let total = 0;
  if (o.onProgress) for await (const _ of mirroredAccounts(o.books, o.account)) total++;
  return total;
}

/** Only a whole-ledger run speaks for the day; filtered runs are for investigation. */
const isWholeLedger = (o: ReconOptions): boolean => !o.account && !o.from && !o.to;

/**
 * Merges the books with the chain, writes the report, opens cases, anchors the root of a
 * whole-ledger run and keeps the run's summary.
 * @throws Error when the books or the chain cannot be read (an anchoring failure is kept, not thrown)
 */
export async function runReconciliation(o: ReconOptions): Promise<ReconResult> {
  const now = o.now ?? Date.now();
  const lagMs = o.lagMs ?? DEFAULT_RECON_LAG_MS;
  const runId = `R${chinaDay(now).replace(/-/g, '')}-${new Date(now).toISOString().slice(11, 19).replace(/:/g, '')}-${randomBytes(3).toString('hex')}`;
  const dir = o.reportDir;
  mkdirSync(dir, { recursive: true });
  const report = join(dir, `${runId}.jsonl`);
  const out = createWriteStream(report);
  const total = await mirroredCount(o);
  const chain = new ChainSide(o.ledger, o.reader, o.books, o.account);
  const stats = emptyStats();
  let root = sm3(`lianjian-recon|${runId}`);
  let breaks = 0;
  const atStake = new Map<BreakClass, bigint>(BREAK_CLASSES.map((c) => [c, 0n]));
  const rows = mergeStreams(
    bookEntries(o.books, o),
    chain.entries(),
    chain.balances(),
    { now, lagMs, from: o.from, to: o.to },
    stats,
  );
  for await (const row of rows) {
    const line = JSON.stringify(row);
    root = sm3(`${root}|${line}`);
    if (!out.write(line + '\n')) await once(out, 'drain');
    o.onRow?.(row);
    if (row.kind === 'break') {
      breaks++;
      atStake.set(row.class, atStake.get(row.class)! + amountAtStake(row));
      await o.cases?.observe(row, runId);
    }
    if (row.kind === 'account' && o.onProgress && stats.accounts % 100 === 0)
      o.onProgress({ accounts: stats.accounts, total, stats });
  }
  out.end();
  await once(out, 'finish');
  o.onProgress?.({ accounts: stats.accounts, total, stats });
  const res: ReconResult = {
    runId,
    day: chinaDay(now),
    time: new Date(now).toISOString(),
    stats,
    breaks,
    breakAmounts: Object.fromEntries([...atStake].map(([c, v]) => [c, v.toString()])) as Record<BreakClass, string>,
    root,
    report,
  };
  const whole = isWholeLedger(o);
  if (o.anchorer && whole) res.anchor = await anchor(o.ledger, o.anchorer, res);
  await o.books.putMeta(`recon-run/${runId}`, { ...res, stats, whole });
  if (whole) await o.books.putMeta(LATEST, summaryOf(res));
  return res;
}

/** Anchors the run's root for its day as `anchorer`; a failure is kept, not thrown. */
async function anchor(ledger: LedgerClient, anchorer: MemberKey, res: ReconResult): Promise<ReconResult['anchor']> {
  try {
    return { txId: (await ledger.submit(signCall(anchorer, { fn: 'Audit:anchor', args: [res.day, res.root] }))).txId };
  } catch (err) {
    return { error: (err as { code?: string }).code ?? String(err) };
  }
}

/** |book − chain| of a break row; a side that has nothing counts as 0. */
function amountAtStake(row: ReconRow): bigint {
  const diff = BigInt(row.book ?? '0') - BigInt(row.chain ?? '0');
  if (row.class === 'duplicate') {
    const one = BigInt(row.side === 'chain' ? (row.chain ?? '0') : (row.book ?? '0'));
    return one < 0n ? -one : one;
  }
  return diff < 0n ? -diff : diff;
}

/** What people see of a run (GET /v1/recon/runs/latest, the console): counts, root, anchor. */
export interface ReconSummary {
  runId: string;
  time: string;
  day: string;
  accounts: number;
  matched: number;
  inFlight: number;
  breaks: MergeStats['breaks'];
  breaksTotal: number;
  /** Fen at stake per class (runs before this field existed have none). */
  breakAmounts?: Record<BreakClass, string>;
  root: string;
  anchorTxId?: string;
  anchorError?: string;
}

const LATEST = 'recon-latest';

export function summaryOf(r: ReconResult): ReconSummary {
  const a = r.anchor;
  return {
    runId: r.runId,
    time: r.time,
    day: r.day,
    accounts: r.stats.accounts,
    matched: r.stats.matched,
    inFlight: r.stats.inFlight,
    breaks: r.stats.breaks,
    breaksTotal: r.breaks,
    breakAmounts: r.breakAmounts,
    root: r.root,
    ...(a && 'txId' in a ? { anchorTxId: a.txId } : {}),
    ...(a && 'error' in a ? { anchorError: a.error } : {}),
  };
}

/** The last whole-ledger run (filtered runs are investigations and do not replace it). */
export const latestRun = (books: Books): Promise<ReconSummary | undefined> => books.getMeta<ReconSummary>(LATEST);

/** Runs reconciliation every `intervalMs` (default 15 min), never overlapping. */
export function scheduleReconciliation(
  o: Omit<ReconOptions, 'now'> & {
    intervalMs?: number;
    /** Also run once right away, so people see a result just after start-up. */
    runAtStart?: boolean;
    onResult?: (r: ReconResult) => void;
    onError?: (e: unknown) => void;
  },
): { stop(): Promise<void> } {
  const every = o.intervalMs ?? 15 * 60_000;
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running) return;
    running = runReconciliation(o)
      .then(o.onResult, o.onError)
      .finally(() => (running = undefined));
  };
  const timer = setInterval(tick, every);
  timer.unref();
  const first = o.runAtStart ? setTimeout(tick, 0) : undefined;
  return {
    stop: async () => {
      clearInterval(timer);
      if (first) clearTimeout(first);
      await running;
    },
  };
}
