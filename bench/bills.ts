/**
 * Bills on the embedded ledger: split endorsements on a package already split into 10,000
 * ranges, and the holdings query of an enterprise holding those 10,000 ranges.
 * Run alone: `node -e "require('./dist/bench/bills').benchBills((m,v,u)=>console.log(m,v.toFixed(1),u))"`.
 */
import { signCall } from '../ledger/intents';
import type { LedgerCall } from '../ledger/types';
import { A, at, H, issue, setup } from '../test/bills/fixture';
import { Harness } from '../test/support/harness';

type Report = (metric: string, value: number, unit: string) => void;

const RANGES = Number(process.env.BENCH_BILL_RANGES ?? 10_000);
const CLIENTS = 64;
/** Concurrent splits during setup (distinct ranges, so they share blocks without conflicts). */
const SETUP_CLIENTS = 256;
const PKG = 'BENCH-PKG';

/** Runs `jobs` with `CLIENTS` concurrent workers, each awaiting its previous commit. */
async function pool<T>(items: T[], job: (item: T) => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  let next = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < items.length) await job(items[next++]);
    }),
  );
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** At most `n` jobs at once. */
function limiter(n: number): <T>(job: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (job) => {
    if (active >= n) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await job();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/**
 * Splits [1, N] held by ent2 into `count` ranges with real chaincode calls: an endorse request
 * on the middle of a range cuts it in three (the middle one pending), a revoke frees the middle;
 * the pieces are split further at once, so up to SETUP_CLIENTS disjoint ranges are in flight
 * and blocks fill up. Setup is not timed, so proposals skip client signing (the engine still
 * checks certificates, runs the chaincode and validates every block).
 */
async function splitInto(h: Harness, count: number): Promise<Array<[number, number]>> {
  const run = limiter(SETUP_CLIENTS);
  const tx = async (who: string, fn: string, args: string[]): Promise<void> => {
    await h.ledger.submit(signCall(h.id(who), { fn, args }));
  };
  const out: Array<[number, number]> = [];
  /** Cuts [a, b] into `want` ranges of about equal size. */
  const split = async (a: number, b: number, want: number): Promise<void> => {
    if (want === 1) {
      out.push([a, b]);
      return;
    }
    const parts = want === 2 ? [1, 1] : [Math.floor(want / 3), Math.floor(want / 3), want - 2 * Math.floor(want / 3)];
    const len = b - a + 1;
    const cuts: Array<[number, number, number]> = [];
    let at = a;
    parts.forEach((w, i) => {
      const end = i === parts.length - 1 ? b : at + Math.floor((len * w) / want) - 1;
      cuts.push([at, end, w]);
      at = end + 1;
    });
    const [from, to] = want === 2 ? cuts[0] : cuts[1]; // the piece that carries the (revoked) request
    await run(async () => {
      await tx('ent2', 'Bills:endorse', [h.uid('s'), PKG, String(from), String(to), H.ent1]);
      await tx('ent2', 'Bills:revoke', [h.uid('r'), PKG, String(from), 'endorse']);
    });
    await Promise.all(cuts.map(([x, y, w]) => split(x, y, w)));
  };
  await split(1, count * 64, count);
  return out.sort((x, y) => x[0] - y[0]);
}

/** Calls signed before timing starts: members sign on their own machines, not on the ledger's cores. */
function signed(h: Harness, who: string, fn: string, args: string[]): LedgerCall {
  return signCall(h.id(who), { fn, args });
}

async function commit(h: Harness, call: LedgerCall): Promise<void> {
  await h.ledger.submit(call);
}

export async function benchBills(report: Report): Promise<void> {
  const h = await setup();
  try {
    await issue(h, PKG, { amount: String(RANGES * 64) });
    h.setTime(at('2025-02-01'));
    const t0 = Date.now();
    const ranges = await splitInto(h, RANGES);
    process.stderr.write(`[bench] bills: ${ranges.length} ranges in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);

    // Holdings: ent2 holds all of them.
    const held = await h.evaluate<{ count: number }>('ent2', 'Bills:holdings', '', '', '', '');
    if (held.count !== RANGES) throw new Error(`bench: ent2 holds ${held.count} ranges, expected ${RANGES}`);
    const queries = Array.from({ length: 100 }, () => signed(h, 'ent2', 'Bills:holdings', ['', '', '', '']));
    const lat: number[] = [];
    for (const q of queries) {
      const s = process.hrtime.bigint();
      await h.ledger.evaluate(q);
      lat.push(Number(process.hrtime.bigint() - s) / 1e6);
    }
    lat.sort((a, b) => a - b);
    report('bills.holdings.p99_ms', lat[Math.ceil(lat.length * 0.99) - 1], 'ms');
    report('bills.holdings.p50_ms', lat[Math.floor(lat.length / 2)], 'ms');

    // Split endorsements: ent2 endorses the first quarter of distinct ranges to ent1 (one tx each).
    const sample = ranges.slice(0, 3000);
    const endorse = sample.map(([a, b]) =>
      signed(h, 'ent2', 'Bills:endorse', [h.uid('e'), PKG, String(a), String(a + Math.floor((b - a) / 4)), H.ent1]),
    );
    const secs = await pool(endorse, (p) => commit(h, p));
    report('bills.endorse_split.ops', sample.length / secs, 'ops/s');
    // ...and the endorsee signs them (a complete endorsement is request + sign).
    const signs = sample.map(([a]) => signed(h, 'ent1', 'Bills:sign', [h.uid('g'), PKG, String(a), 'endorse', A.ent1]));
    const signSecs = await pool(signs, (p) => commit(h, p));
    report('bills.endorse_sign.ops', sample.length / signSecs, 'ops/s');
    const m = await h.evaluate<{ coverProblem: string | null; ranges: unknown[] }>(
      'regulator1',
      'Bills:packageMap',
      PKG,
    );
    if (m.coverProblem !== null || m.ranges.length !== RANGES + sample.length)
      throw new Error(`bench: package map broken: ${m.coverProblem} / ${m.ranges.length}`);
  } finally {
    await h.close();
  }
}
