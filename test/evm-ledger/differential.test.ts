/**
 * Differential test of the money core: random sequences of account openings, mirrored deposits
 * and withdrawals, transfers and freezes run on the chaincode (embedded engine) and on
 * MoneyCore.sol (a real `hardhat node`, members signing their own EIP-712 requests) must give the
 * same outcome for every operation (done, or refused with the same code) and then the same
 * balances, lots by colour in FIFO order, each account's history (kind, amount, running balance,
 * counterparty, reference, colour), backward traces by deposit and forward traces by holder and
 * withdrawal, to the fen. fast-check shrinks a drift to the shortest sequence that shows it.
 * DIFF_RUNS sets the number of sequences (CI: 1000).
 */
import chai, { expect } from 'chai';
import fc from 'fast-check';
import { LedgerError } from '../../ledger/errors';
import { startEvmNode, type EvmNode } from '../support/evm-node';
import { Harness } from '../support/harness';
import { EvmTwin } from './twin';

const RUNS = Number(process.env.DIFF_RUNS || '20');
chai.config.truncateThreshold = 0; // a drift shows in full
const ACCOUNTS = 3;
const COLORS = ['', 'red', 'blue'];
const OWNERS = ['ent1', 'ent2'];

type Op =
  | { kind: 'open'; account: number; owner: number }
  | { kind: 'deposit'; account: number; amount: bigint; color: number }
  | { kind: 'withdraw'; account: number; amount: bigint }
  | { kind: 'transfer'; from: number; to: number; amount: bigint; asOwner: boolean }
  | { kind: 'freeze'; account: number; frozen: boolean };

const account = fc.integer({ min: 0, max: ACCOUNTS - 1 });
// Small and round amounts make equal weights and remainders common: apportionment ties must break alike.
const amount = fc.oneof(
  fc.bigInt(1n, 9n),
  fc.constantFrom(10n, 25n, 100n),
  fc.bigInt(1n, 5_000n),
  fc.bigInt(1n, 100_000n),
);
const deposited = fc.oneof(fc.constantFrom(10n, 20n, 100n), fc.bigInt(1n, 1_000n), fc.bigInt(1n, 100_000n));
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('open' as const), account, owner: fc.integer({ min: 0, max: 1 }) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('deposit' as const),
      account,
      amount: deposited,
      color: fc.integer({ min: 0, max: 2 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('withdraw' as const), account, amount }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('transfer' as const),
      from: account,
      to: account,
      amount,
      asOwner: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('freeze' as const), account, frozen: fc.boolean() }) },
);

/** Sequences open most accounts first (owners at random), then mix every operation. */
const sequence: fc.Arbitrary<Op[]> = fc
  .tuple(
    fc.subarray([0, 1, 2], { minLength: 1 }),
    fc.array(fc.integer({ min: 0, max: 1 }), { minLength: ACCOUNTS, maxLength: ACCOUNTS }),
    fc.array(op, { minLength: 1, maxLength: 10 }),
  )
  .map(([opened, owners, rest]) => [
    ...opened.map((i): Op => ({ kind: 'open', account: i, owner: owners[i] })),
    ...rest,
  ]);

/** A lot of two equal sources gives up one fen: the tie goes to the first source in byte order. */
const TIE: Op[] = [
  { kind: 'open', account: 0, owner: 0 },
  { kind: 'open', account: 1, owner: 1 },
  { kind: 'deposit', account: 0, amount: 10n, color: 1 },
  { kind: 'deposit', account: 0, amount: 10n, color: 1 },
  { kind: 'transfer', from: 0, to: 1, amount: 1n, asOwner: true },
  { kind: 'withdraw', account: 0, amount: 3n },
];

/** One ledger as the test drives it: a write as a member, a read as the auditor. */
interface Side {
  submit(who: string, fn: string, ...args: string[]): Promise<unknown>;
  deposit(account: string, amount: string, offTxId: string, color: string): Promise<unknown>;
  withdraw(account: string, amount: string, offTxId: string): Promise<unknown>;
  read<T>(fn: string, ...args: string[]): Promise<T>;
}

const outcome = (done: Promise<unknown>): Promise<string> =>
  done.then(
    () => 'ok',
    (err: unknown) => {
      if (err instanceof LedgerError) return err.code;
      throw err;
    },
  );

/** Runs `ops` with ids unique to `run` on one side; returns each operation's outcome. */
async function play(side: Side, run: string, ops: Op[]): Promise<string[]> {
  const owners = new Map<number, string>();
  const id = (i: number): string => `${run}-a${i}`;
  const results: string[] = [];
  for (const [i, o] of ops.entries()) {
    const offTxId = `${run}-m${i}`;
    if (o.kind === 'open') {
      owners.set(o.account, owners.get(o.account) ?? OWNERS[o.owner]);
      const owner = `Org1MSP:${OWNERS[o.owner]}`;
      results.push(
        await outcome(
          side.submit(
            'Org1MSP:bank1',
            'Money:openAccount',
            id(o.account),
            'settlement',
            owner,
            `ref-${id(o.account)}`,
            '',
          ),
        ),
      );
    } else if (o.kind === 'deposit')
      results.push(await outcome(side.deposit(id(o.account), String(o.amount), offTxId, COLORS[o.color])));
    else if (o.kind === 'withdraw')
      results.push(await outcome(side.withdraw(id(o.account), String(o.amount), offTxId)));
    else if (o.kind === 'transfer') {
      const owner = owners.get(o.from) ?? 'ent1';
      const who = o.asOwner ? owner : OWNERS.find((x) => x !== owner)!;
      const args = [`${run}-t${i}`, id(o.from), id(o.to), String(o.amount), 'goods', ''];
      results.push(await outcome(side.submit(`Org1MSP:${who}`, 'Money:transfer', ...args)));
    } else {
      const fn = o.frozen ? 'Money:freezeAccount' : 'Money:unfreezeAccount';
      results.push(await outcome(side.submit('Org2MSP:regulator1', fn, id(o.account), '', 'court order')));
    }
  }
  return results;
}

interface Balance {
  total: string;
  byColor: Array<{ color: string; amount: string }>;
}
interface History {
  items: Array<{
    seq: number;
    kind: string;
    amount: string;
    balance: string;
    counterparty?: string;
    ref?: string;
    color?: string;
  }>;
}
interface Backward {
  bySource: Array<{ deposit: string; amount: string }>;
}
interface Forward {
  byHolder: Array<{ lot: string; amount: string }>;
  withdrawals: Array<{ sink: string; amount: string }>;
}

/** Everything the two ledgers must agree on after `ops`: balances, lots by colour, both traces. */
async function snapshot(side: Side, run: string, ops: Op[]): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < ACCOUNTS; i++) {
    const acct = `${run}-a${i}`;
    const balance = await side.read<Balance>('Money:balance', acct).catch(() => undefined);
    if (!balance) continue;
    out[acct] = {
      total: balance.total,
      lots: balance.byColor.map((l) => `${l.color}=${l.amount}`),
      sources: (await side.read<Backward>('Trace:backward', acct, '')).bySource.map((s) => `${s.deposit}=${s.amount}`),
      history: (await side.read<History>('Money:history', acct, '0', '500')).items.map((e) =>
        [e.seq, e.kind, e.amount, e.balance, e.counterparty, e.ref, e.color ?? ''].join(' '),
      ),
    };
  }
  for (const [i, o] of ops.entries()) {
    if (o.kind !== 'deposit') continue;
    const fwd = await side.read<Forward>('Trace:forward', 'Org1MSP', `${run}-m${i}`, '').catch(() => undefined);
    if (!fwd) continue;
    const parts = [
      ...fwd.byHolder.map((h) => `${h.lot}=${h.amount}`),
      ...fwd.withdrawals.map((w) => `${w.sink}=${w.amount}`),
    ];
    out[`${run}-m${i}`] = parts.sort();
  }
  return out;
}

describe('money core: chaincode (embedded) and MoneyCore.sol (hardhat node) agree', function () {
  this.timeout(0);
  let node: EvmNode;
  let h: Harness;
  let twin: EvmTwin;
  let chaincode: Side;
  let evm: Side;

  before(async function () {
    this.timeout(180_000);
    [node, h] = await Promise.all([startEvmNode(), Harness.create()]);
    twin = await EvmTwin.create(node);
    const bare = (handle: string): string => handle.split(':')[1];
    chaincode = {
      submit: (who, fn, ...args) => h.submit(bare(who), fn, ...args),
      deposit: (acct, amt, offTxId, color) => h.deposit(acct, amt, offTxId, color),
      withdraw: (acct, amt, offTxId) => h.withdraw(acct, amt, offTxId),
      read: <T>(fn: string, ...args: string[]) => h.evaluate<T>('auditor1', fn, ...args),
    };
    evm = {
      submit: (who, fn, ...args) => twin.submit(who, fn, ...args),
      deposit: (acct, amt, offTxId, color) =>
        twin.submit('Org1MSP:oracle1', 'Money:mirrorDeposit', acct, amt, offTxId, color, ''),
      withdraw: (acct, amt, offTxId) =>
        twin.submit('Org1MSP:oracle1', 'Money:mirrorWithdrawal', acct, amt, offTxId, ''),
      read: <T>(fn: string, ...args: string[]) => twin.evaluate<T>(fn, ...args),
    };
  });

  after(async () => {
    await twin?.close();
    await h?.close();
    await node?.stop();
  });

  it(`${RUNS} random sequences: same outcomes, balances, lots by colour, history and traces to the fen`, async () => {
    let execution = 0;
    await fc.assert(
      fc.asyncProperty(sequence, async (ops) => {
        const run = `x${++execution}`;
        const [onChaincode, onEvm] = [await play(chaincode, run, ops), await play(evm, run, ops)];
        expect(onEvm, 'outcome of each operation').to.deep.equal(onChaincode);
        expect(await snapshot(evm, run, ops)).to.deep.equal(await snapshot(chaincode, run, ops));
      }),
      {
        numRuns: RUNS,
        examples: [[TIE]],
        // Replays a reported failure: DIFF_SEED and DIFF_PATH as fast-check printed them.
        ...(process.env.DIFF_SEED ? { seed: Number(process.env.DIFF_SEED), path: process.env.DIFF_PATH } : {}),
      },
    );
  });
});
