/** Versioned SQL migrations for the PostgreSQL books: NNN_name.sql, applied once, in order. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Pool } from 'pg';

// tsc does not copy .sql into dist/, so look beside the source as well.
export function migrationsDir(): string {
  const candidates = [join(__dirname, 'migrations'), resolve(__dirname, '../../../oracles/books/migrations')];
  const dir = candidates.find((d) => existsSync(d));
  if (!dir) throw new Error(`books migrations not found in ${candidates.join(' or ')}`);
  return dir;
}

/** Applies pending migrations under an advisory lock (several oracles may start at once). */
export async function migrate(pool: Pool, dir = migrationsDir()): Promise<number[]> {
  const files = readdirSync(dir)
    .filter((f) => /^\d{3}_.+\.sql$/.test(f))
    .sort();
  const c = await pool.connect();
  const applied: number[] = [];
  try {
    await c.query('SELECT pg_advisory_lock(7261001)');
    await c.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, name text NOT NULL, applied timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set(
      (await c.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => Number(r.version)),
    );
    for (const f of files) {
      const version = Number(f.slice(0, 3));
      if (done.has(version)) continue;
      await c.query('BEGIN');
      try {
        await c.query(readFileSync(join(dir, f), 'utf8'));
        await c.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [version, f]);
        await c.query('COMMIT');
        applied.push(version);
      } catch (e) {
        await c.query('ROLLBACK');
        throw e;
      }
    }
  } finally {
    await c.query('SELECT pg_advisory_unlock(7261001)').catch(() => undefined);
    c.release();
  }
  return applied;
}
