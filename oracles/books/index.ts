/** The bank's off-chain books: LevelDB or PostgreSQL behind one interface. */
import { LevelBooks } from './level';
import { PgBooks } from './pg';
import type { Books } from './types';

export * from './types';
export { LevelBooks } from './level';
export { PgBooks } from './pg';

/**
 * Opens the books: PostgreSQL when `databaseUrl` is set, else LevelDB in `dir`.
 * @throws Error when the store cannot be opened (a LevelDB folder held by another process)
 */
export async function openBooks(opts: { databaseUrl?: string; dir: string }): Promise<Books> {
  if (opts.databaseUrl) return PgBooks.open(opts.databaseUrl);
  const books = new LevelBooks(opts.dir);
  await books.getMeta('probe'); // opens the store now, so a locked directory fails here
  return books;
}
