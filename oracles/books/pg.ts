/**
 * PostgreSQL books (used when DATABASE_URL is set). A posting is one transaction that first
 * locks the single `book_seq` row: sequence numbers are then handed out in commit order, so a
 * reader that advances a watermark over `mirror_outbox` can never skip a late-committing row.
 */
import { EventEmitter } from 'node:events';
import { Client, Pool, PoolClient } from 'pg';
import { LedgerError } from '../../chaincode/lib/errors';
import { migrate } from './migrate';
import {
  accountsOf,
  checkChainAccountFree,
  checkOpen,
  mirrored,
  post,
  PostingRequest,
  replayOf,
  reopen,
  requestOf,
} from './rules';
import type {
  BookAccount,
  Books,
  DepositRequest,
  Movement,
  MovementFilter,
  OpenAccount,
  Posting,
  Tamper,
  TransferRequest,
  WithdrawalRequest,
} from './types';

const PAGE = 5000;
const COLS = 'seq, account, direction, amount, counterparty, time, ref, off_tx_id, chain_account, color, origin';

/** A book_journal row as node-postgres returns it (bigint columns as strings). */
interface JournalRow {
  seq: string;
  account: string;
  direction: Movement['direction'];
  amount: string;
  counterparty: string;
  time: Date;
  ref: string;
  off_tx_id: string;
  chain_account: string | null;
  color: string | null;
  origin: 'books' | 'chain';
}

/** A book_accounts row. */
interface AccountRow {
  id: string;
  system: BookAccount['system'];
  holder: string;
  balance: string;
  chain_account: string | null;
  color: string | null;
  tier: number | null;
  opened: Date;
}

function toMovement(r: JournalRow): Movement {
  return {
    seq: String(r.seq),
    account: r.account,
    direction: r.direction,
    amount: String(r.amount),
    counterparty: r.counterparty,
    time: new Date(r.time).toISOString(),
    ref: r.ref,
    offTxId: r.off_tx_id,
    ...(r.chain_account ? { chainAccount: r.chain_account, color: r.color ?? '' } : {}),
    ...(r.origin === 'chain' ? { origin: 'chain' as const } : {}),
  };
}

function toAccount(r: AccountRow): BookAccount {
  return {
    id: r.id,
    system: r.system,
    holder: r.holder,
    balance: String(r.balance),
    opened: new Date(r.opened).toISOString(),
    ...(r.chain_account ? { chainAccount: r.chain_account } : {}),
    ...(r.color ? { color: r.color } : {}),
    ...(r.tier ? { tier: r.tier } : {}),
  };
}

export class PgBooks implements Books {
  readonly backend = 'pg' as const;
  readonly pool: Pool;
  private listener?: Promise<Client>;
  private readonly wake = new EventEmitter();

  private constructor(
    pool: Pool,
    private readonly connectionString: string,
  ) {
    this.pool = pool;
    this.wake.setMaxListeners(0);
  }

  static async open(connectionString: string): Promise<PgBooks> {
    const pool = new Pool({ connectionString, max: 8 });
    pool.on('error', () => undefined); // an idle client dropped by the server is replaced on next use
    await migrate(pool);
    return new PgBooks(pool, connectionString);
  }

  private async tx<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const out = await fn(c);
      await c.query('COMMIT');
      return out;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
  }

  async openAccount(a: OpenAccount): Promise<BookAccount> {
    const next = checkOpen(a, new Date().toISOString());
    if (next.chainAccount) {
      const mapped = await this.pool.query<{ id: string }>('SELECT id FROM book_accounts WHERE chain_account = $1', [
        next.chainAccount,
      ]);
      checkChainAccountFree(next, mapped.rows[0]?.id);
    }
    const ins = await this.pool
      .query<AccountRow>(
        'INSERT INTO book_accounts (id, system, holder, balance, chain_account, color, tier, opened) VALUES ($1,$2,$3,0,$4,$5,$6,$7) ON CONFLICT (id) DO NOTHING RETURNING *',
        [
          next.id,
          next.system,
          next.holder,
          next.chainAccount ?? null,
          next.color ?? null,
          next.tier ?? null,
          next.opened,
        ],
      )
      .catch(async (err: { code?: string; constraint?: string }) => {
        // A concurrent opening took the chain account between the check and the insert.
        if (err.code !== '23505' || err.constraint !== 'book_accounts_chain_account') throw err;
        const mapped = await this.pool.query<{ id: string }>('SELECT id FROM book_accounts WHERE chain_account = $1', [
          next.chainAccount,
        ]);
        checkChainAccountFree(next, mapped.rows[0]?.id);
        throw err;
      });
    if (ins.rowCount) return toAccount(ins.rows[0]);
    return reopen((await this.getAccount(next.id))!, next);
  }

  async getAccount(id: string): Promise<BookAccount | undefined> {
    const r = await this.pool.query<AccountRow>('SELECT * FROM book_accounts WHERE id = $1', [id]);
    return r.rows[0] ? toAccount(r.rows[0]) : undefined;
  }

  async deposit(r: DepositRequest): Promise<Posting> {
    return this.apply(requestOf('deposit', r));
  }
  async withdraw(r: WithdrawalRequest): Promise<Posting> {
    return this.apply(requestOf('withdrawal', r));
  }
  async transfer(r: TransferRequest): Promise<Posting> {
    return this.apply(requestOf('transfer', r));
  }

  private apply(req: PostingRequest): Promise<Posting> {
    return this.tx(async (c) => {
      let s = BigInt((await c.query<{ seq: string }>('SELECT seq FROM book_seq WHERE id = 1 FOR UPDATE')).rows[0].seq);
      const prev = await c.query<{ body: Posting }>('SELECT body FROM book_postings WHERE ref = $1', [req.ref]);
      if (prev.rows[0]) return replayOf(prev.rows[0].body, req);
      const rows = await c.query<AccountRow>('SELECT * FROM book_accounts WHERE id = ANY($1) ORDER BY id FOR UPDATE', [
        accountsOf(req),
      ]);
      const accounts = new Map<string, BookAccount>(rows.rows.map((r) => [r.id, toAccount(r)]));
      const p = post(req, accounts, () => ++s, new Date().toISOString());
      await c.query('UPDATE book_seq SET seq = $1 WHERE id = 1', [s.toString()]);
      await c.query('INSERT INTO book_postings (ref, body) VALUES ($1, $2)', [p.ref, JSON.stringify(p)]);
      for (const a of accounts.values())
        await c.query('UPDATE book_accounts SET balance = $2 WHERE id = $1', [a.id, a.balance]);
      for (const m of p.movements) await this.insertLine(c, m);
      return p;
    });
  }

  private async insertLine(c: PoolClient, m: Movement, outbox = true): Promise<void> {
    await c.query(`INSERT INTO book_journal (${COLS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`, [
      m.seq,
      m.account,
      m.direction,
      m.amount,
      m.counterparty,
      m.time,
      m.ref,
      m.offTxId,
      m.chainAccount ?? null,
      m.chainAccount ? (m.color ?? '') : null,
      m.origin ?? 'books',
    ]);
    if (outbox && mirrored(m))
      await c.query('INSERT INTO mirror_outbox (seq, body) VALUES ($1, $2)', [m.seq, JSON.stringify(m)]);
  }

  async posting(ref: string): Promise<Posting | undefined> {
    return (await this.pool.query<{ body: Posting }>('SELECT body FROM book_postings WHERE ref = $1', [ref])).rows[0]
      ?.body;
  }

  async journal(afterSeq: bigint, limit: number): Promise<Movement[]> {
    const r = await this.pool.query<JournalRow>(
      `SELECT ${COLS} FROM book_journal WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [afterSeq.toString(), limit],
    );
    return r.rows.map(toMovement);
  }

  async outbox(afterSeq: bigint, limit: number): Promise<Movement[]> {
    const r = await this.pool.query<{ body: Movement }>(
      'SELECT body FROM mirror_outbox WHERE seq > $1 ORDER BY seq LIMIT $2',
      [afterSeq.toString(), limit],
    );
    return r.rows.map((x) => x.body);
  }

  /** One LISTEN connection per process; NOTIFY arrives only after the posting commits. */
  private listen(): Promise<Client> {
    if (!this.listener) {
      this.listener = (async () => {
        const c = new Client({ connectionString: this.connectionString });
        c.on('notification', () => this.wake.emit('outbox'));
        c.on('error', () => (this.listener = undefined));
        await c.connect();
        await c.query('LISTEN lianjian_outbox');
        return c;
      })();
      this.listener.catch(() => (this.listener = undefined));
    }
    return this.listener;
  }

  async waitForOutbox(afterSeq: bigint, timeoutMs: number): Promise<void> {
    await this.listen().catch(() => undefined); // without LISTEN we still poll on the timeout
    let done!: () => void;
    const woken = new Promise<void>((resolve) => (done = resolve));
    this.wake.once('outbox', done);
    const t = setTimeout(done, timeoutMs);
    try {
      const r = await this.pool.query('SELECT 1 FROM mirror_outbox WHERE seq > $1 LIMIT 1', [afterSeq.toString()]);
      if (!r.rowCount) await woken;
    } finally {
      clearTimeout(t);
      this.wake.off('outbox', done);
    }
  }

  /** Keyset pages over (account, off_tx_id, seq): streams any size without a cursor. */
  async *movementsByAccount(f: MovementFilter, mirroredOnly = false): AsyncIterable<Movement> {
    let after: [string, string, string] = ['', '', '-1'];
    const where = `($5::text IS NULL OR account = $5) AND ($6::timestamptz IS NULL OR time >= $6) AND ($7::timestamptz IS NULL OR time < $7)${mirroredOnly ? ' AND chain_account IS NOT NULL' : ''}`;
    for (;;) {
      const r = await this.pool.query<JournalRow>(
        `SELECT ${COLS} FROM book_journal WHERE (account, off_tx_id, seq) > ($1, $2, $3) AND ${where} ORDER BY account, off_tx_id, seq LIMIT $4`,
        [...after, PAGE, f.account ?? null, f.from ?? null, f.to ?? null],
      );
      for (const row of r.rows) yield toMovement(row);
      if (r.rows.length < PAGE) return;
      const last = r.rows[r.rows.length - 1];
      after = [last.account, last.off_tx_id, String(last.seq)];
    }
  }

  async *accounts(f: { account?: string } = {}): AsyncIterable<BookAccount> {
    let after = '';
    for (;;) {
      const r = await this.pool.query<AccountRow>(
        `SELECT * FROM book_accounts WHERE id > $1 AND ($3::text IS NULL OR id = $3) ORDER BY id LIMIT $2`,
        [after, PAGE, f.account ?? null],
      );
      for (const row of r.rows) yield toAccount(row);
      if (r.rows.length < PAGE) return;
      after = r.rows[r.rows.length - 1].id;
    }
  }

  async getMeta<T>(key: string): Promise<T | undefined> {
    return (await this.pool.query<{ value: T }>('SELECT value FROM oracle_meta WHERE key = $1', [key])).rows[0]?.value;
  }
  async putMeta(key: string, value: unknown): Promise<void> {
    await this.pool.query(
      'INSERT INTO oracle_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value',
      [key, JSON.stringify(value)],
    );
  }
  async *listMeta<T>(prefix: string): AsyncIterable<{ key: string; value: T }> {
    let after = prefix;
    for (;;) {
      const r = await this.pool.query<{ key: string; value: T }>(
        'SELECT key, value FROM oracle_meta WHERE key > $1 AND key < $2 ORDER BY key LIMIT $3',
        [after, prefix + '\uffff', PAGE],
      );
      for (const row of r.rows) if (row.key.startsWith(prefix)) yield { key: row.key, value: row.value };
      if (r.rows.length < PAGE) return;
      after = r.rows[r.rows.length - 1].key;
    }
  }

  tamper(offTxId: string, change: Tamper): Promise<void> {
    return this.tx(async (c) => {
      if (change.balanceDelta && change.account) {
        await c.query('UPDATE book_accounts SET balance = balance + $2 WHERE id = $1', [
          change.account,
          change.balanceDelta,
        ]);
        return;
      }
      const r = await c.query<JournalRow>(
        `SELECT ${COLS} FROM book_journal WHERE off_tx_id = $1 ORDER BY seq LIMIT 1`,
        [offTxId],
      );
      if (!r.rows[0]) throw new LedgerError('NOT_FOUND', `no journal line ${offTxId}`, 'offTxId', 404);
      const m = toMovement(r.rows[0]);
      const sign = m.direction === 'credit' ? 1n : -1n;
      let delta = 0n;
      if (change.drop) {
        await c.query('DELETE FROM book_journal WHERE seq = $1', [m.seq]);
        delta = -sign * BigInt(m.amount);
      } else if (change.duplicate) {
        const s = BigInt(
          (await c.query<{ seq: string }>('UPDATE book_seq SET seq = seq + 1 WHERE id = 1 RETURNING seq')).rows[0].seq,
        );
        await this.insertLine(c, { ...m, seq: s.toString() }, false);
        delta = sign * BigInt(m.amount);
      } else if (change.amount) {
        await c.query('UPDATE book_journal SET amount = $2 WHERE seq = $1', [m.seq, change.amount]);
        delta = sign * (BigInt(change.amount) - BigInt(m.amount));
      }
      await c.query('UPDATE book_accounts SET balance = balance + $2 WHERE id = $1', [m.account, delta.toString()]);
    });
  }

  async close(): Promise<void> {
    const l = this.listener;
    this.listener = undefined;
    if (l) await (await l.catch(() => undefined))?.end().catch(() => undefined);
    await this.pool.end();
  }
}
