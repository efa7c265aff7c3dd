/**
 * Oracle benchmarks.
 * - recon.rows_per_s / recon.peak_rss_mb: 1,000,000 movements over 100,000 accounts, both sides
 *   as sorted synthetic streams (made lazily, so memory shows the merge, not the data; their
 *   making is counted in the time, which makes the figure conservative), through mergeStreams.
 * - oracle.mirror_lag.p99_ms: books → chain lag at 500 movements/s on the embedded ledger.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LevelBooks } from '../oracles/books/level';
import { MirrorOracle } from '../oracles/mirror';
import { emptyStats, mergeStreams, ReconBalance, ReconEntry } from '../oracles/recon/merge';
import { openChainAccounts, openTestChain } from '../test/oracles/chain';

type Report = (metric: string, value: number, unit: string) => void;

/** A lazily made synthetic stream as the async iterable the merge reads. */
function streamOf<T>(items: Iterable<T>): AsyncIterable<T> {
  const it = items[Symbol.iterator]();
  return { [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve(it.next()) }) };
}

const ACCOUNTS = 100_000;
const PER_ACCOUNT = 10;
const acct = (i: number) => `acct${String(i).padStart(6, '0')}`;
const tx = (j: number) => `tx${String(j).padStart(3, '0')}`;
const T = '2024-01-01T00:00:00.000Z';

/** One side: every account's movements; `breaks` perturbs about 1 in 1000 lines on the chain side. */
function* side(breaks: boolean): Iterable<ReconEntry> {
  for (let i = 0; i < ACCOUNTS; i++) {
    const account = acct(i);
    for (let j = 0; j < PER_ACCOUNT; j++) {
      const n = i * PER_ACCOUNT + j;
      if (breaks && n % 1000 === 7) continue; // missing on chain
      yield { account, offTxId: tx(j), amount: BigInt(breaks && n % 1000 === 501 ? 99 : 100 + j), time: T };
    }
  }
}

function* balances(): Iterable<ReconBalance> {
  for (let i = 0; i < ACCOUNTS; i++) yield { account: acct(i) };
}

export async function benchRecon(report: Report): Promise<void> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const stats = emptyStats();
  const t0 = process.hrtime.bigint();
  let out = 0;
  for await (const _ of mergeStreams(
    streamOf(side(false)),
    streamOf(side(true)),
    streamOf(balances()),
    { now: Date.now(), lagMs: 0 },
    stats,
  ))
    out++;
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  const movements = ACCOUNTS * PER_ACCOUNT;
  report('recon.movements', movements, 'count');
  report('recon.seconds', Number(s.toFixed(2)), 's');
  report('recon.rows_per_s', Math.round(movements / s), 'rows/s');
  report('recon.peak_rss_mb', Math.round(peak / 2 ** 20), 'MiB');
  report(
    'recon.breaks_found',
    Object.values(stats.breaks).reduce((a, b) => a + b, 0),
    'count',
  );
  report('recon.report_rows', out, 'count');
}

export async function benchMirrorLag(report: Report, rate = 500, seconds = 6): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'lj-bench-mirror-'));
  const chain = await openTestChain(join(work, 'chain'));
  const books = new LevelBooks(join(work, 'books'));
  const n = 50;
  try {
    await openChainAccounts(
      chain,
      Array.from({ length: n }, (_, i) => `c${i}`),
    );
    for (let i = 0; i < n; i++) await books.openAccount({ id: `b${i}`, holder: `h${i}`, chainAccount: `c${i}` });
    const lags: number[] = [];
    const oracle = new MirrorOracle({ books, ledger: chain.ledger, oracle: chain.ids.oracle, window: 512, idleMs: 50 });
    oracle.on('mirrored', (_m, _r, lag: number) => lags.push(lag));
    oracle.start();
    const total = rate * seconds;
    const t0 = Date.now();
    for (let k = 0; k < total; k++) {
      const due = t0 + (k * 1000) / rate;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      void books.deposit({ ref: `m${k}`, account: `b${k % n}`, amount: '100' });
    }
    await oracle.drained(120_000);
    await oracle.stop();
    lags.sort((a, b) => a - b);
    const q = (p: number) => lags[Math.min(lags.length - 1, Math.floor(p * lags.length))];
    report('oracle.mirror_rate', rate, 'movements/s');
    report('oracle.mirror_lag.p50_ms', q(0.5), 'ms');
    report('oracle.mirror_lag.p99_ms', q(0.99), 'ms');
  } finally {
    await books.close();
    await chain.ledger.close();
    rmSync(work, { recursive: true, force: true });
  }
}

export async function benchOracles(report: Report): Promise<void> {
  await benchRecon(report);
  await benchMirrorLag(report);
}

if (require.main === module) {
  benchOracles((m, v, u) => console.log(`${m.padEnd(28)} ${v} ${u}`)).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
