import { expect } from 'chai';
import {
  AccountSummary,
  emptyStats,
  mergeStreams,
  ReconBalance,
  ReconEntry,
  ReconRow,
} from '../../oracles/recon/merge';

const OLD = '2024-01-01T00:00:00.000Z';
const NOW = Date.parse('2024-01-02T00:00:00.000Z');
const e = (account: string, offTxId: string, amount: number, time = OLD): ReconEntry => ({
  account,
  offTxId,
  amount: BigInt(amount),
  time,
});
function from<T>(xs: T[]): AsyncIterable<T> {
  let i = 0;
  return {
    [Symbol.asyncIterator]: () => ({
      next: () => Promise.resolve(i < xs.length ? { value: xs[i++], done: false } : { value: undefined, done: true }),
    }),
  };
}

async function run(
  book: ReconEntry[],
  chain: ReconEntry[],
  balances?: ReconBalance[],
  opts: Partial<{ from: string; to: string }> = {},
) {
  const stats = emptyStats();
  const rows: Array<ReconRow | AccountSummary> = [];
  for await (const r of mergeStreams(
    from(book),
    from(chain),
    balances && from(balances),
    { now: NOW, lagMs: 60_000, ...opts },
    stats,
  ))
    rows.push(r);
  return { stats, rows, breaks: rows.filter((r): r is ReconRow => r.kind === 'break') };
}

describe('recon merge', () => {
  it('reports zero breaks on a clean pair', async () => {
    const xs = [e('a', 't1', 5), e('a', 't2', -3), e('b', 't1', 7)];
    const { stats, breaks } = await run(xs, xs, [
      { account: 'a', book: 2n, chain: 2n },
      { account: 'b', book: 7n, chain: 7n },
    ]);
    expect(breaks).to.deep.equal([]);
    expect(stats.matched).to.equal(3);
    expect(stats.accounts).to.equal(2);
  });

  it('classifies every kind of break', async () => {
    const book = [e('a', 'm1', 5), e('a', 'm2', 9), e('a', 'x', 4), e('b', 'd', 1), e('b', 'd', 1), e('c', 'ok', 10)];
    const chain = [e('a', 'm2', 8), e('a', 'only-chain', 6), e('a', 'x', 4), e('b', 'd', 1), e('c', 'ok', 10)];
    const balances = [
      { account: 'a', book: 18n, chain: 18n },
      { account: 'b', book: 2n, chain: 1n },
      { account: 'c', book: 11n, chain: 10n },
    ];
    const { breaks, stats } = await run(book, chain, balances);
    const got = breaks.map((r) => `${r.class}:${r.account}:${r.offTxId ?? ''}`);
    expect(got).to.have.members([
      'missing_on_chain:a:m1',
      'amount_mismatch:a:m2',
      'missing_off_chain:a:only-chain',
      'duplicate:b:d',
      'balance_mismatch:c:',
    ]);
    expect(stats.breaks.balance_mismatch).to.equal(1); // a and b differences are explained by their movement rows
  });

  it('tells young differences (in flight) from real breaks', async () => {
    const young = new Date(NOW - 1000).toISOString();
    const { breaks, rows } = await run([e('a', 'n', 5, young)], [], [{ account: 'a', book: 5n, chain: 0n }]);
    expect(breaks).to.deep.equal([]);
    expect(rows.filter((r) => r.kind === 'in_flight').map((r) => (r as ReconRow).class)).to.deep.equal([
      'missing_on_chain',
    ]);
  });

  it('reports only rows inside a time window and skips the balance check there', async () => {
    const { breaks } = await run(
      [e('a', 'old', 5, '2023-01-01T00:00:00.000Z'), e('a', 'new', 5)],
      [],
      [{ account: 'a', book: 99n, chain: 0n }],
      { from: '2023-06-01T00:00:00.000Z' },
    );
    expect(breaks.map((r) => r.offTxId)).to.deep.equal(['new']);
  });
});

describe('reconcile CLI arguments', () => {
  it('parses filters and formats, and names a bad option', async () => {
    const { reconcileOptions } = await import('../../bin/reconcile');
    expect(reconcileOptions(['--account', 'a1', '--from', '2024-01-01', '--csv'])).to.deep.equal({
      format: 'csv',
      account: 'a1',
      from: '2024-01-01T00:00:00.000Z',
    });
    expect(reconcileOptions(['--account=a1', '--lag-ms', '5'])).to.deep.equal({
      format: 'text',
      account: 'a1',
      lagMs: 5,
    });
    expect(reconcileOptions(['--to', 'never'])).to.equal('--to needs an ISO date or time');
    expect(reconcileOptions(['--bogus'])).to.equal('unknown option --bogus');
    expect(reconcileOptions(['a1'])).to.equal('unexpected argument a1');
  });
});
