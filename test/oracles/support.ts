/** Test fixtures for the oracles: fresh books on each backend (a throwaway PG database each). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { LevelBooks } from '../../oracles/books/level';
import { PgBooks } from '../../oracles/books/pg';
import type { Books } from '../../oracles/books/types';

export const PG_ADMIN = process.env.TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

let reachable: Promise<boolean> | undefined;
export function pgReachable(): Promise<boolean> {
  reachable ??= (async () => {
    const c = new Client({ connectionString: PG_ADMIN, connectionTimeoutMillis: 2000 });
    try {
      await c.connect();
      await c.end();
      return true;
    } catch {
      return false;
    }
  })();
  return reachable;
}

export interface BooksFixture {
  books: Books;
  /** Connection string (pg) or directory (level), for a child process to open the same books. */
  where: string;
  /** Reopens the same store (after close). */
  reopen(): Promise<Books>;
  dispose(): Promise<void>;
}

export async function createPgDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `lianjian_test_${randomBytes(5).toString('hex')}`;
  const admin = new Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  // Tests kill the oracle, never the server: skip the commit fsync to keep them quick.
  await admin.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
  await admin.end();
  const url = PG_ADMIN.replace(/\/[^/]*$/, `/${name}`);
  return {
    url,
    drop: async () => {
      const c = new Client({ connectionString: PG_ADMIN });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function booksFixture(backend: 'level' | 'pg'): Promise<BooksFixture> {
  if (backend === 'level') {
    const dir = mkdtempSync(join(tmpdir(), 'lianjian-books-'));
    const f: BooksFixture = {
      books: new LevelBooks(dir),
      where: dir,
      reopen: () => Promise.resolve((f.books = new LevelBooks(dir))),
      dispose: async () => {
        await f.books.close().catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      },
    };
    return f;
  }
  const db = await createPgDatabase();
  const f: BooksFixture = {
    books: await PgBooks.open(db.url),
    where: db.url,
    reopen: async () => (f.books = await PgBooks.open(db.url)),
    dispose: async () => {
      await f.books.close().catch(() => undefined);
      await db.drop();
    },
  };
  return f;
}

/** Skips the PostgreSQL part when no server answers; in CI (.ci/run starts one) that is a failure. */
export async function skipWithoutPg(ctx: Mocha.Context, what: string): Promise<void> {
  if (await pgReachable()) return;
  if (process.env.CI) throw new Error(`${what} needs PostgreSQL at ${PG_ADMIN} and CI must provide it`);
  console.warn(`    skipping ${what} on PostgreSQL: no server at ${PG_ADMIN}`);
  ctx.skip();
}

/** Runs `suite` once per backend; PG skips with a message when the server is unreachable (not in CI). */
export function eachBackend(title: string, suite: (get: () => BooksFixture) => void): void {
  for (const backend of ['level', 'pg'] as const) {
    describe(`${title} [${backend}]`, function () {
      let fx: BooksFixture | undefined;
      before(async function () {
        if (backend === 'pg') await skipWithoutPg(this, title);
      });
      beforeEach(async () => {
        fx = await booksFixture(backend);
      });
      afterEach(async () => {
        await fx?.dispose();
        fx = undefined;
      });
      suite(() => fx!);
    });
  }
}
