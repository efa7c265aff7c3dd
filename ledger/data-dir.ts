/**
 * The service's data directory (ledger, books, keys, audit log, reports) is private to the
 * service's user: folders 0700, files 0600. New files get it from the process umask; files an
 * older version left readable are tightened on start.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Every file and folder this process creates from now on is private to its user. */
export function createPrivately(): void {
  process.umask(0o077);
}

/**
 * Creates `dir` if needed and makes it and everything under it private (0700 / 0600), without
 * following symbolic links.
 * @throws Error when a file cannot be changed (another user owns it)
 */
export function makePrivate(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const walk = (at: string): void => {
    const stat = fs.lstatSync(at);
    if (stat.isSymbolicLink()) return;
    const want = stat.isDirectory() ? 0o700 : 0o600;
    if ((stat.mode & 0o777) !== want) fs.chmodSync(at, want);
    if (stat.isDirectory()) for (const name of fs.readdirSync(at)) walk(path.join(at, name));
  };
  walk(dir);
}
