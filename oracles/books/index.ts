/** Opens the books from the environment: PostgreSQL when DATABASE_URL is set, else LevelDB. */
import { join } from 'node:path';
import { LevelBooks } from './level';
import { PgBooks } from './pg';
import type { Books } from './types';

export * from './types';
export { LevelBooks } from './level';
export { PgBooks } from './pg';

export const dataDir = (): string => process.env.LIANJIAN_DATA || join(process.cwd(), 'data');

export async function openBooks(opts: { databaseUrl?: string; dir?: string } = {}): Promise<Books> {
  const url = opts.databaseUrl ?? process.env.DATABASE_URL;
  if (url) return PgBooks.open(url);
  const books = new LevelBooks(opts.dir ?? join(dataDir(), 'books'));
  await books.getMeta('probe'); // opens the store now, so a locked directory fails here
  return books;
}
