/**
 * The mirror oracle as a separate process, for the crash test: the parent kills it with SIGKILL
 * mid-stream and starts it again. Env: BOOKS (pg URL or LevelDB dir), CHAIN_DIR, IDS (JSON file).
 * With EXIT_WHEN_DRAINED=1 it exits 0 once the outbox is mirrored.
 */
import { readFileSync } from 'node:fs';
import { LevelBooks } from '../../oracles/books/level';
import { PgBooks } from '../../oracles/books/pg';
import { MirrorOracle } from '../../oracles/mirror';
import { openTestChain } from './chain';

async function main(): Promise<void> {
  const where = process.env.BOOKS!;
  const books = where.startsWith('postgres') ? await PgBooks.open(where) : new LevelBooks(where);
  const chain = await openTestChain(process.env.CHAIN_DIR, JSON.parse(readFileSync(process.env.IDS!, 'utf8')));
  const oracle = new MirrorOracle({ books, ledger: chain.ledger, oracle: chain.ids.oracle, window: 32, idleMs: 100 });
  let n = 0;
  oracle.on('mirrored', () => ++n % 20 === 0 && process.stdout.write(`mirrored ${n}\n`));
  oracle.start();
  process.stdout.write('ready\n');
  if (process.env.EXIT_WHEN_DRAINED) {
    await oracle.drained(60_000);
    await oracle.stop();
    await chain.ledger.close();
    await books.close();
    process.exit(0);
  }
}

main().catch((e) => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
