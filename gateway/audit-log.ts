/**
 * The append-only audit log: one JSON line per request, read or write — who (the verified key
 * id, or the key only claimed), what (method, route, ids), the result (status, code) and the
 * ledger transaction — each line chained to the one before by SM3:
 *   hash = SM3(JSON of the entry with `prev`, without `hash`), prev = the previous line's hash.
 * Editing, inserting, reordering or deleting a line breaks the chain from there on;
 * `lianjian audit verify` names the first broken line. Lines are written whole (one write per
 * line, O_APPEND) and flushed to disk every second and on close. Cutting lines off the end is
 * not visible in the chain itself: compare the head an auditor noted earlier.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { sm3 } from '../chaincode/lib/gm';

/** What one request did. */
export interface AuditEntry {
  time: string;
  requestId: string;
  /** The verified caller; null when the request was refused before its signature checked out. */
  keyId: string | null;
  /** The X-LJ-Key a refused request named (unverified). */
  claimedKey?: string;
  method: string;
  /** The route pattern (e.g. /v1/accounts/:id), or the path when no route matched. */
  route: string;
  /** Path parameters and query: the ids the request named. */
  params?: Record<string, string>;
  query?: Record<string, string>;
  status: number;
  /** The error code of a refused request. */
  code?: string;
  /** The ledger transaction the request committed (or replayed). */
  txId?: string;
  replayed?: boolean;
  /** SM3 of the plain request body (the signed intent's content hash). */
  bodySm3?: string;
  /** The peer address, and the SHA-256 of its TLS client certificate under mutual TLS. */
  client: { ip: string; cert?: string };
  ms: number;
}

interface Chained extends AuditEntry {
  seq: number;
  prev: string;
}

export const GENESIS = '0'.repeat(64);
const FLUSH_MS = 1000;

/** The file of the audit log in a data dir. */
export const auditFile = (dir: string): string => path.join(dir, 'audit.log');

const hashOf = (chained: Chained): string => sm3(JSON.stringify(chained));

export class AuditLog {
  private readonly fd: number;
  private seq: number;
  private prev: string;
  private dirty = false;
  private readonly timer: NodeJS.Timeout;

  /**
   * Opens (or creates) the log in `dir` and continues its chain.
   * @throws Error when the file cannot be opened or its last line is not an entry of this log
   */
  constructor(readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = auditFile(dir);
    const tail = tailOf(file);
    let head: (Chained & { hash: string }) | undefined;
    try {
      head = tail.last ? (JSON.parse(tail.last) as Chained & { hash: string }) : undefined;
    } catch (err) {
      throw new Error(`the last line of ${file} is not an audit entry: run lianjian audit verify`, { cause: err });
    }
    this.seq = head?.seq ?? 0;
    this.prev = head?.hash ?? GENESIS;
    this.fd = fs.openSync(file, 'a', 0o600);
    if (tail.torn) fs.writeSync(this.fd, '\n'); // a torn line stays where it is, and verify names it
    this.timer = setInterval(() => this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  /** The hash of the last entry written. */
  get head(): string {
    return this.prev;
  }

  /** Appends one entry, chained to the last. */
  append(entry: AuditEntry): void {
    const chained: Chained = { seq: this.seq + 1, ...entry, prev: this.prev };
    const json = JSON.stringify(chained);
    const hash = sm3(json);
    fs.writeSync(this.fd, `${json.slice(0, -1)},"hash":"${hash}"}\n`); // = JSON of {...chained, hash}
    this.seq = chained.seq;
    this.prev = hash;
    this.dirty = true;
  }

  private flush(): void {
    if (!this.dirty) return;
    this.dirty = false;
    fs.fsync(this.fd, () => undefined);
  }

  close(): void {
    clearInterval(this.timer);
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
  }
}

/**
 * The last whole line of `file` (undefined for an empty log) and whether a torn line follows it.
 * Entries are a few hundred bytes; the last MiB always holds the last whole one.
 */
function tailOf(file: string): { last?: string; torn: boolean } {
  const size = fs.existsSync(file) ? fs.statSync(file).size : 0;
  if (size === 0) return { torn: false };
  const span = Math.min(size, 1 << 20);
  const buf = Buffer.alloc(span);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, buf, 0, span, size - span);
  } finally {
    fs.closeSync(fd);
  }
  const lines = buf.toString('utf8').split('\n');
  const torn = lines.pop() !== ''; // after the final newline comes '' unless the last line is torn
  if (span < size) lines.shift(); // the window may start mid-line
  return { last: lines.filter(Boolean).pop(), torn };
}

export type AuditVerdict =
  | { ok: true; entries: number; head: string }
  | { ok: false; entries: number; line: number; entry?: number; reason: string };

/** Checks the whole chain of a log file; the first broken line is named. */
export async function verifyAuditLog(file: string): Promise<AuditVerdict> {
  let prev = GENESIS;
  let line = 0;
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  for await (const text of lines) {
    line++;
    const bad = (reason: string, entry?: number): AuditVerdict => ({
      ok: false,
      entries: line - 1,
      line,
      ...(entry !== undefined ? { entry } : {}),
      reason,
    });
    let parsed: Chained & { hash?: string };
    try {
      parsed = JSON.parse(text) as Chained & { hash?: string };
    } catch {
      return bad('not a complete entry (a torn or edited line)');
    }
    const { hash, ...chained } = parsed;
    if (chained.seq !== line) return bad(`entry number ${chained.seq} where ${line} was due`, chained.seq);
    if (chained.prev !== prev) return bad('does not follow the entry before it (prev hash differs)', chained.seq);
    if (hash !== hashOf(chained)) return bad('its hash does not match its content', chained.seq);
    prev = hash;
  }
  return { ok: true, entries: line, head: prev };
}
