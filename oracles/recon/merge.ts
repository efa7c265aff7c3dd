/**
 * The reconciliation merge (对账): two streams sorted by (account, offTxId), one from the books
 * and one from the chain, walked in lockstep, so memory stays flat however many movements.
 * Differences become rows; a difference young enough to still be travelling (within the lag
 * window) is reported as in flight, not as a break.
 */

export type BreakClass =
  'missing_on_chain' | 'missing_off_chain' | 'amount_mismatch' | 'duplicate' | 'balance_mismatch';
export const BREAK_CLASSES: BreakClass[] = [
  'missing_on_chain',
  'missing_off_chain',
  'amount_mismatch',
  'duplicate',
  'balance_mismatch',
];

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
  book?: string; // signed fen as the books have it
  chain?: string;
  side?: 'book' | 'chain'; // for duplicates
  time?: string;
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
  breaks: Record<BreakClass, number>;
  inFlight: number;
}

export const emptyStats = (): MergeStats => ({
  rows: 0,
  accounts: 0,
  matched: 0,
  breaks: { missing_on_chain: 0, missing_off_chain: 0, amount_mismatch: 0, duplicate: 0, balance_mismatch: 0 },
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
  const inWindow = (time: string | undefined): boolean =>
    !time || ((!opts.from || time >= opts.from) && (!opts.to || time < opts.to));
  for (;;) {
    const account = minKey(
      (await b.fill())?.account,
      (await c.fill())?.account,
      bal ? (await bal.fill())?.account : undefined,
    );
    if (account === undefined) return;
    stats.accounts++;
    const sum: AccountSummary = {
      kind: 'account',
      account,
      matched: 0,
      bookNet: '0',
      chainNet: '0',
      breaks: 0,
      inFlight: 0,
    };
    let bookNet = 0n;
    let chainNet = 0n;
    let recent = false;
    const rows: ReconRow[] = [];
    const emit = (row: ReconRow): void => {
      if (!inWindow(row.time)) return;
      if (row.kind === 'in_flight') (sum.inFlight++, stats.inFlight++);
      else (sum.breaks++, stats.breaks[row.class]++);
      rows.push(row);
    };
    for (;;) {
      const hb = await b.fill();
      const hc = await c.fill();
      const bk = hb?.account === account ? hb.offTxId : undefined;
      const ck = hc?.account === account ? hc.offTxId : undefined;
      const offTxId = minKey(bk, ck);
      if (offTxId === undefined) break;
      const bs = bk === offTxId ? await group(b, account, offTxId) : [];
      const cs = ck === offTxId ? await group(c, account, offTxId) : [];
      stats.rows += bs.length + cs.length;
      for (const e of bs) bookNet += e.amount;
      for (const e of cs) chainNet += e.amount;
      const [eb, ec] = [bs[0], cs[0]];
      const time = eb?.time ?? ec!.time;
      if (young(time) || (ec && young(ec.time))) recent = true;
      if (bs.length > 1)
        emit({
          kind: 'break',
          class: 'duplicate',
          account,
          offTxId,
          side: 'book',
          book: eb.amount.toString(),
          time: eb.time,
        });
      if (cs.length > 1)
        emit({
          kind: 'break',
          class: 'duplicate',
          account,
          offTxId,
          side: 'chain',
          chain: ec.amount.toString(),
          time: ec.time,
        });
      if (eb && !ec)
        emit({
          kind: young(eb.time) ? 'in_flight' : 'break',
          class: 'missing_on_chain',
          account,
          offTxId,
          book: eb.amount.toString(),
          time: eb.time,
        });
      else if (ec && !eb)
        emit({
          kind: young(ec.time) ? 'in_flight' : 'break',
          class: 'missing_off_chain',
          account,
          offTxId,
          chain: ec.amount.toString(),
          time: ec.time,
        });
      else if (eb.amount !== ec.amount)
        emit({
          kind: 'break',
          class: 'amount_mismatch',
          account,
          offTxId,
          book: eb.amount.toString(),
          chain: ec.amount.toString(),
          time: eb.time,
        });
      else if (bs.length === 1 && cs.length === 1 && inWindow(time)) (sum.matched++, stats.matched++);
    }
    sum.bookNet = bookNet.toString();
    sum.chainNet = chainNet.toString();
    const bl = bal && (await bal.fill())?.account === account ? await bal.take() : undefined;
    if (bl && !opts.from && !opts.to) {
      const bookBalance = bl.book ?? bookNet;
      const chainBalance = bl.chain ?? chainNet;
      sum.bookBalance = bookBalance.toString();
      sum.chainBalance = chainBalance.toString();
      // What the movement-level rows do not explain is a balance break of its own.
      const residual = bookBalance - chainBalance - (bookNet - chainNet);
      if (residual !== 0n)
        emit({
          kind: recent ? 'in_flight' : 'break',
          class: 'balance_mismatch',
          account,
          book: bookBalance.toString(),
          chain: chainBalance.toString(),
        });
    }
    yield* rows;
    yield sum;
  }
}
