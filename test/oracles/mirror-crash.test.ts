import { expect } from 'chai';
import { signCall } from '../../ledger/intents';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Books } from '../../oracles/books/types';
import { openChainAccounts, openTestChain, TestChain } from './chain';
import { booksFixture, BooksFixture, skipWithoutPg } from './support';

const CHILD = join(__dirname, 'mirror-child.js');
const ACCOUNTS = ['a0', 'a1', 'a2', 'a3', 'a4'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function startChild(env: Record<string, string>): {
  proc: ChildProcess;
  ready: Promise<void>;
  exit: Promise<number | null>;
} {
  const proc = spawn(process.execPath, [CHILD], {
    env: { ...process.env, ...env, CORE_CHAINCODE_LOGGING_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr.on('data', (d) => (err += d));
  const ready = new Promise<void>((resolve) => proc.stdout.on('data', (d) => String(d).includes('ready') && resolve()));
  const exit = new Promise<number | null>((resolve) =>
    proc.on('exit', (code) => {
      if (code) console.error(err);
      resolve(code);
    }),
  );
  return { proc, ready, exit };
}

/** A random walk of deposits, transfers and withdrawals that never overdraws. */
async function postMovements(b: Books, n: number, tag: string, paceMs = 0): Promise<void> {
  const bal = new Map<string, bigint>(ACCOUNTS.map((a) => [a, 0n]));
  for (const a of ACCOUNTS) bal.set(a, BigInt((await b.getAccount(a))!.balance));
  for (let i = 0; i < n; i++) {
    const a = ACCOUNTS[i % ACCOUNTS.length];
    const to = ACCOUNTS[(i * 7 + 3) % ACCOUNTS.length];
    const amt = BigInt(1 + ((i * 37) % 500));
    if (i % 3 === 0 || bal.get(a)! < amt) {
      await b.deposit({ ref: `${tag}d${i}`, account: a, amount: amt + 500n });
      bal.set(a, bal.get(a)! + amt + 500n);
    } else if (i % 3 === 1 && to !== a) {
      await b.transfer({ ref: `${tag}t${i}`, from: a, to, amount: amt });
      bal.set(a, bal.get(a)! - amt);
      bal.set(to, bal.get(to)! + amt);
    } else {
      await b.withdraw({ ref: `${tag}w${i}`, account: a, amount: amt });
      bal.set(a, bal.get(a)! - amt);
    }
    if (paceMs) await sleep(paceMs);
  }
}

/** Every mirrored journal line is on chain exactly once with its amount; balances agree. */
async function verify(chain: TestChain, b: Books): Promise<number> {
  const onChain = new Map<string, string>();
  for (const a of ACCOUNTS) {
    let after = '0';
    for (;;) {
      const page = JSON.parse(
        await chain.ledger.evaluate(signCall(chain.ids.bank, { fn: 'Money:history', args: [`c-${a}`, after, '500'] })),
      );
      for (const h of page.items) {
        if (h.kind !== 'deposit' && h.kind !== 'withdrawal') continue;
        expect(onChain.has(h.ref), `${h.ref} mirrored twice`).to.equal(false);
        onChain.set(h.ref, h.amount.replace('-', ''));
      }
      if (!page.nextAfterSeq) break;
      after = String(page.nextAfterSeq);
    }
    const bal = JSON.parse(
      await chain.ledger.evaluate(signCall(chain.ids.bank, { fn: 'Money:balance', args: [`c-${a}`] })),
    );
    expect(bal.total, `balance of ${a}`).to.equal((await b.getAccount(a))!.balance);
  }
  let lines = 0;
  for (let seq = 0n; ;) {
    const page = await b.journal(seq, 1000);
    if (!page.length) break;
    for (const m of page) {
      expect(onChain.get(m.offTxId), `movement ${m.offTxId}`).to.equal(m.amount);
      onChain.delete(m.offTxId);
      lines++;
    }
    seq = BigInt(page[page.length - 1].seq);
  }
  expect([...onChain.keys()], 'on chain but not in the books').to.deep.equal([]);
  const totals = JSON.parse(await chain.ledger.evaluate(signCall(chain.ids.auditor, { fn: 'Money:totals', args: [] })));
  expect(totals.conserved).to.equal(true);
  return lines;
}

for (const backend of ['pg', 'level'] as const) {
  describe(`mirror survives kill -9 [${backend}]`, function () {
    this.timeout(180_000);
    let fx: BooksFixture;
    let work: string;
    before(async function () {
      if (backend === 'pg') await skipWithoutPg(this, 'the mirror crash test');
    });
    after(async () => {
      await fx?.dispose();
      if (work) rmSync(work, { recursive: true, force: true });
    });

    it('mirrors every movement exactly once across repeated SIGKILLs', async () => {
      const t0 = Date.now();
      work = mkdtempSync(join(tmpdir(), 'lj-crash-'));
      fx = await booksFixture(backend);
      const chain = await openTestChain(join(work, 'chain'));
      await openChainAccounts(
        chain,
        ACCOUNTS.map((a) => `c-${a}`),
      );
      await chain.ledger.close();
      writeFileSync(join(work, 'ids.json'), JSON.stringify(chain.ids));
      for (const a of ACCOUNTS) await fx.books.openAccount({ id: a, holder: a, chainAccount: `c-${a}` });
      const env = { BOOKS: fx.where, CHAIN_DIR: chain.dir, IDS: join(work, 'ids.json') };
      // PG: the bank keeps posting while the oracle dies; LevelDB is one process, so post first.
      let writer: Promise<void> = Promise.resolve();
      if (backend === 'pg') writer = postMovements(fx.books, 400, 'p', 2);
      else {
        await postMovements(fx.books, 400, 'l');
        await fx.books.close();
      }
      let kills = 0;
      // A fixed number of kills, however slow the machine: the outcome, not the speed, is under test.
      while (kills < 4) {
        const c = startChild(env);
        await Promise.race([c.ready, c.exit]);
        await sleep(150 + Math.floor(Math.random() * 350));
        c.proc.kill('SIGKILL');
        await c.exit;
        kills++;
      }
      await writer;
      if (backend === 'pg') await fx.books.close();
      const last = startChild({ ...env, EXIT_WHEN_DRAINED: '1' });
      expect(await last.exit).to.equal(0);
      const check = await openTestChain(chain.dir, chain.ids);
      const books = await fx.reopen();
      try {
        const lines = await verify(check, books);
        expect(lines).to.be.greaterThan(400);
        console.log(`      ${kills} kills, ${lines} movements on chain exactly once, ${Date.now() - t0} ms`);
      } finally {
        await check.ledger.close();
      }
    });
  });
}
