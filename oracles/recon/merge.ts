/**
 * The reconciliation merge (对账): two streams sorted by (account, offTxId), one from the books
 * and one from the chain, walked in lockstep, so memory stays flat however many movements.
 * Differences become rows that say what disagreed: which side, which amounts, which entries
 * (`detail` for people). A difference young enough to still be travelling (within the lag
 * window) is reported as in flight, not as a break.
 */

/** What the merge finds. */
export type MergeBreakClass =
  'missing_on_chain' | 'missing_off_chain' | 'amount_mismatch' | 'duplicate' | 'balance_mismatch';
export const BREAK_CLASSES: MergeBreakClass[] = [
  'missing_on_chain',
  'missing_off_chain',
  'amount_mismatch',
  'duplicate',
  'balance_mismatch',
];
/** Classes of cases: what the merge finds, and `unapproved_debit` (supervised money left in the books without an approved release; opened by the mirror). */
export type BreakClass = MergeBreakClass | 'unapproved_debit';

/** One movement as either side sees it: amount signed (+ credit/deposit, − debit/withdrawal). */
export interface ReconEntry {
  account: string;
  offTxId: string;
  amount: bigint;
  time: string; // ISO; book posting time or chain commit time
}

/** Per-account balances, sorted by account: the books' balance row and the chain's balance. */
export interface ReconBalance {
  account: string;
  book?: bigint;
  chain?: bigint;
}

export interface ReconRow {
  kind: 'break' | 'in_flight';
  class: BreakClass;
  account: string;
  offTxId?: string;
  book?: string; // signed fen as the books have it (balance_mismatch: the books' balance row)
  chain?: string; // as the chain has it (balance_mismatch: the chain balance)
  /** Which side is at odds: the books, the chain, or both (an amount that differs). */
  side?: 'book' | 'chain' | 'both';
  time?: string;
  /** What disagreed, for people: the entries, the amounts on each side, the difference. */
  detail?: string;
  /** The entry keys involved. */
  entries?: string[];
  /** balance_mismatch: the sums of each side's movements, which the balances should equal. */
  bookNet?: string;
  chainNet?: string;
  /** unapproved_debit: the supervision program whose money moved. */
  program?: string;
}

export interface AccountSummary {
  kind: 'account';
  account: string;
  matched: number;
  bookNet: string;
  chainNet: string;
  bookBalance?: string;
  chainBalance?: string;
  breaks: number;
  inFlight: number;
}

export interface MergeOptions {
  now: number; // ms since epoch
  lagMs: number;
  from?: string;
  to?: string;
}

export interface MergeStats {
  rows: number; // movements read, both sides
  accounts: number;
  matched: number;
  breaks: Record<MergeBreakClass, number>;
  inFlight: number;
}

export const emptyStats = (): MergeStats => ({
  rows: 0,
  accounts: 0,
  matched: 0,
  breaks: Object.fromEntries(BREAK_CLASSES.map((c) => [c, 0])) as Record<MergeBreakClass, number>,
  inFlight: 0,
});

/** A one-item lookahead over an async iterator. */
class Peek<T> {
  head: T | undefined;
  private done = false;
  constructor(private readonly it: AsyncIterator<T>) {}
  async fill(): Promise<T | undefined> {
    if (this.head === undefined && !this.done) {
      const r = await this.it.next();
      if (r.done) this.done = true;
      else this.head = r.value;
    }
    return this.head;
  }
  async take(): Promise<T | undefined> {
    const v = await this.fill();
    this.head = undefined;
    return v;
  }
}

const minKey = (...keys: Array<string | undefined>): string | undefined =>
  keys.reduce<string | undefined>((m, k) => (k !== undefined && (m === undefined || k < m) ? k : m), undefined);

/** Takes every entry of `side` with this (account, offTxId): more than one is a duplicate. */
async function group(side: Peek<ReconEntry>, account: string, offTxId: string): Promise<ReconEntry[]> {
  const out: ReconEntry[] = [];
  for (let e = await side.fill(); e && e.account === account && e.offTxId === offTxId; e = await side.fill())
    out.push((await side.take())!);
  return out;
}

const fenText = (v: bigint): string => `${v} fen`;

/** The rows one key's entries on both sides give (no rows: they match). */
function rowsOfKey(
  account: string,
  offTxId: string,
  bs: ReconEntry[],
  cs: ReconEntry[],
  young: (t: string) => boolean,
): ReconRow[] {
  const rows: ReconRow[] = [];
  const [eb, ec] = [bs[0], cs[0]];
  const base = { account, offTxId, entries: [offTxId] };
  if (bs.length > 1)
    rows.push({
      ...base,
      kind: 'break',
      class: 'duplicate',
      side: 'book',
      book: eb.amount.toString(),
      time: eb.time,
      detail: `the books have entry ${offTxId} ${bs.length} times (${fenText(eb.amount)} each); the chain has it ${cs.length} time(s)`,
    });
  if (cs.length > 1)
    rows.push({
      ...base,
      kind: 'break',
      class: 'duplicate',
      side: 'chain',
      chain: ec.amount.toString(),
      time: ec.time,
      detail: `the chain has movement ${offTxId} ${cs.length} times (${fenText(ec.amount)} each); the books have it ${bs.length} time(s)`,
    });
  if (eb && !ec)
    rows.push({
      ...base,
      kind: young(eb.time) ? 'in_flight' : 'break',
      class: 'missing_on_chain',
      side: 'book',
      book: eb.amount.toString(),
      time: eb.time,
      detail: `book entry ${offTxId} of ${fenText(eb.amount)} (${eb.time}) has no movement on chain`,
    });
  else if (ec && !eb)
    rows.push({
      ...base,
      kind: young(ec.time) ? 'in_flight' : 'break',
      class: 'missing_off_chain',
      side: 'chain',
      chain: ec.amount.toString(),
      time: ec.time,
      detail: `chain movement ${offTxId} of ${fenText(ec.amount)} (${ec.time}) has no entry in the books`,
    });
  else if (eb.amount !== ec.amount)
    rows.push({
      ...base,
      kind: 'break',
      class: 'amount_mismatch',
      side: 'both',
      book: eb.amount.toString(),
      chain: ec.amount.toString(),
      time: eb.time,
      detail: `entry ${offTxId}: the books have ${fenText(eb.amount)}, the chain ${fenText(ec.amount)} (a difference of ${fenText(eb.amount - ec.amount)})`,
    });
  return rows;
}

/**
 * What the movement rows do not explain of a balance difference, if anything: a balance that
 * is not the sum of its own side's movements. Says which side, by how much.
 */
export function balanceRow(
  account: string,
  b: { bookBalance: bigint; chainBalance: bigint; bookNet: bigint; chainNet: bigint },
  recent: boolean,
): ReconRow | undefined {
  const bookDrift = b.bookBalance - b.bookNet;
  const chainDrift = b.chainBalance - b.chainNet;
  if (bookDrift === chainDrift) return undefined;
  const parts: string[] = [];
  if (bookDrift !== 0n)
    parts.push(
      `the books' balance row says ${fenText(b.bookBalance)} but its entries add up to ${fenText(b.bookNet)} (${fenText(bookDrift)} unexplained)`,
    );
  if (chainDrift !== 0n)
    parts.push(
      `the chain balance is ${fenText(b.chainBalance)} but the reconciled movements add up to ${fenText(b.chainNet)} (${fenText(chainDrift)} unexplained)`,
    );
  return {
    kind: recent ? 'in_flight' : 'break',
    class: 'balance_mismatch',
    account,
    side: bookDrift !== 0n && chainDrift !== 0n ? 'both' : bookDrift !== 0n ? 'book' : 'chain',
    book: b.bookBalance.toString(),
    chain: b.chainBalance.toString(),
    bookNet: b.bookNet.toString(),
    chainNet: b.chainNet.toString(),
    detail: parts.join('; '),
  };
}

interface AccountMerge {
  rows: ReconRow[];
  matched: Array<{ time: string }>;
  bookNet: bigint;
  chainNet: bigint;
  recent: boolean;
}

/** The entries of both sides under the next key of `account`, if any is left. */
async function nextKey(
  b: Peek<ReconEntry>,
  c: Peek<ReconEntry>,
  account: string,
): Promise<{ offTxId: string; bs: ReconEntry[]; cs: ReconEntry[] } | undefined> {
  const key = (e: ReconEntry | undefined): string | undefined => (e?.account === account ? e.offTxId : undefined);
  const [kb, kc] = [key(await b.fill()), key(await c.fill())];
  const offTxId = minKey(kb, kc);
  if (offTxId === undefined) return undefined;
  return {
    offTxId,
    bs: kb === offTxId ? await group(b, account, offTxId) : [],
    cs: kc === offTxId ? await group(c, account, offTxId) : [],
  };
}

/** Merges one account's entries; returns its rows (unfiltered) and its sums. */
async function mergeAccount(
  b: Peek<ReconEntry>,
  c: Peek<ReconEntry>,
  account: string,
  young: (t: string) => boolean,
  stats: MergeStats,
): Promise<AccountMerge> {
  const out: AccountMerge = { rows: [], matched: [], bookNet: 0n, chainNet: 0n, recent: false };
  for (let k = await nextKey(b, c, account); k; k = await nextKey(b, c, account)) {
    const { offTxId, bs, cs } = k;
    stats.rows += bs.length + cs.length;
    out.bookNet += bs.reduce((s, e) => s + e.amount, 0n);
    out.chainNet += cs.reduce((s, e) => s + e.amount, 0n);
    out.recent ||= [...bs, ...cs].some((e) => young(e.time));
    const rows = rowsOfKey(account, offTxId, bs, cs, young);
    out.rows.push(...rows);
    if (rows.length === 0 && bs.length === 1 && cs.length === 1) out.matched.push({ time: bs[0].time });
  }
  return out;
}

/** Adds the balance row of an account (if the balances disagree beyond its movements) and fills its summary. */
function checkBalance(m: AccountMerge, sum: AccountSummary, bl: ReconBalance): void {
  const balance = {
    bookBalance: bl.book ?? m.bookNet,
    chainBalance: bl.chain ?? m.chainNet,
    bookNet: m.bookNet,
    chainNet: m.chainNet,
  };
  sum.bookBalance = balance.bookBalance.toString();
  sum.chainBalance = balance.chainBalance.toString();
  const row = balanceRow(sum.account, balance, m.recent);
  if (row) m.rows.push(row);
}

/** Counts the rows of an account in its summary and the run's stats. */
function count(rows: ReconRow[], sum: AccountSummary, stats: MergeStats): void {
  for (const r of rows) {
    if (r.kind === 'in_flight') {
      sum.inFlight++;
      stats.inFlight++;
    } else {
      sum.breaks++;
      stats.breaks[r.class as MergeBreakClass]++;
    }
  }
}

export async function* mergeStreams(
  book: AsyncIterable<ReconEntry>,
  chain: AsyncIterable<ReconEntry>,
  balances: AsyncIterable<ReconBalance> | undefined,
  opts: MergeOptions,
  stats: MergeStats = emptyStats(),
): AsyncGenerator<ReconRow | AccountSummary> {
  const b = new Peek(book[Symbol.asyncIterator]());
  const c = new Peek(chain[Symbol.asyncIterator]());
  const bal = balances ? new Peek(balances[Symbol.asyncIterator]()) : undefined;
  const young = (time: string): boolean => Date.parse(time) > opts.now - opts.lagMs;
  const windowed = !!(opts.from || opts.to);
  const inWindow = (time: string | undefined): boolean =>
    !time || ((!opts.from || time >= opts.from) && (!opts.to || time < opts.to));
  for (;;) {
    const account = minKey((await b.fill())?.account, (await c.fill())?.account, (await bal?.fill())?.account);
    if (account === undefined) return;
    stats.accounts++;
    const m = await mergeAccount(b, c, account, young, stats);
    const sum: AccountSummary = {
      kind: 'account',
      account,
      matched: m.matched.filter((x) => inWindow(x.time)).length,
      bookNet: m.bookNet.toString(),
      chainNet: m.chainNet.toString(),
      breaks: 0,
      inFlight: 0,
    };
    stats.matched += sum.matched;
    const bl = (await bal?.fill())?.account === account ? await bal!.take() : undefined;
    if (bl && !windowed) checkBalance(m, sum, bl);
    const rows = m.rows.filter((r) => inWindow(r.time));
    count(rows, sum, stats);
    yield* rows;
    yield sum;
  }
}
