import { expect } from 'chai';
import fc from 'fast-check';
import { Harness } from '../support/harness';

type Op = { kind: 'deposit' | 'withdraw' | 'transfer'; from: number; to: number; amount: number; color: number };

const op: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom('deposit' as const, 'withdraw' as const, 'transfer' as const, 'transfer' as const),
  from: fc.nat(3),
  to: fc.nat(3),
  amount: fc.integer({ min: 1, max: 5000 }),
  color: fc.nat(2),
});

const sumOf = (xs: Array<{ amount: string }>) => xs.reduce((s, x) => s + BigInt(x.amount), 0n);

/**
 * Random sequences of deposits, withdrawals and transfers over four accounts (money circles
 * between them: random graphs with cycles), submitted in concurrent groups (so MVCC conflicts and
 * retries happen too). Whatever succeeded, the invariants must hold, the traces among them: for
 * every (deposit, holder) pair the backward and the forward amounts are equal (16.3).
 */
describe('money core invariants (property)', function () {
  this.timeout(600_000);
  const runs = Number(process.env.PROP_RUNS ?? 250); // `PROP_RUNS=3000 npm run test:property` for the long run
  let h: Harness;
  before(async () => (h = await Harness.create()));
  after(async () => h.close());

  it(`hold over ${runs} random operation sequences`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(op, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }),
        async (groups) => {
          const run = h.uid('p');
          const accts = [0, 1, 2, 3].map((i) => `${run}-${i}`);
          const owners = ['ent1', 'ent2', 'ent1', 'ent2'];
          await Promise.all(accts.map((a, i) => h.openAccount(a, owners[i])));
          let deposited = 0n;
          let withdrawn = 0n;
          const deposits: Array<{ off: string; amount: bigint }> = [];
          let n = 0;
          for (const group of groups) {
            await Promise.allSettled(
              group.map(async (o) => {
                const id = `${run}-${++n}`;
                const amt = BigInt(o.amount);
                if (o.kind === 'deposit') {
                  await h.deposit(accts[o.to], amt, id, `c${o.color}`);
                  deposited += amt;
                  deposits.push({ off: id, amount: amt });
                } else if (o.kind === 'withdraw') {
                  await h.withdraw(accts[o.from], amt, id);
                  withdrawn += amt;
                } else {
                  await h.submit(
                    owners[o.from],
                    'Money:transfer',
                    id,
                    accts[o.from],
                    accts[o.to],
                    String(amt),
                    'prop',
                    '',
                  );
                }
              }),
            );
          }
          let total = 0n;
          const backBy = new Map<string, Map<string, bigint>>(); // account -> deposit node -> fen
          for (const a of accts) {
            const b = await h.evaluate('auditor1', 'Money:balance', a);
            expect(
              b.byColor.every((l: { amount: string }) => BigInt(l.amount) > 0n),
              'no empty or negative lot',
            ).to.equal(true);
            expect(sumOf(b.byColor), 'balance == sum of lots').to.equal(BigInt(b.total));
            const back = await h.evaluate('auditor1', 'Trace:backward', a, '');
            expect(sumOf(back.paths), 'backward trace adds up to the balance').to.equal(BigInt(b.total));
            expect(
              back.paths.every((p: { end: string }) => p.end === 'deposit'),
              'every fen traced to a deposit',
            ).to.equal(true);
            expect(sumOf(back.bySource), 'backward by source adds up to the balance').to.equal(BigInt(b.total));
            backBy.set(
              a,
              new Map(back.bySource.map((x: { deposit: string; amount: string }) => [x.deposit, BigInt(x.amount)])),
            );
            total += BigInt(b.total);
          }
          expect(total, 'sum(balances) == deposits - withdrawals').to.equal(deposited - withdrawn);
          for (const d of deposits) {
            const fwd = await h.evaluate('auditor1', 'Trace:forward', 'Org1MSP', d.off, '');
            expect(sumOf(fwd.paths), 'forward trace adds up to the deposit').to.equal(d.amount);
            expect(
              fwd.paths.every((p: { end: string }) => p.end === 'held' || p.end === 'withdrawal'),
              'every fen traced to a holder',
            ).to.equal(true);
            // One answer from either side: what the deposit's forward trace places at each holder
            // is what that holder's backward trace credits to the deposit, to the fen.
            for (const a of accts) {
              const forward = sumOf(fwd.byHolder.filter((x: { account: string }) => x.account === a));
              expect(forward, `${d.off} at ${a}: forward == backward`).to.equal(backBy.get(a)!.get(fwd.deposit) ?? 0n);
            }
          }
        },
      ),
      { numRuns: runs },
    );
    await h.expectConserved();
  });
});
