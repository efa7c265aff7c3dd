/**
 * LevelDB books (the default). One writer per process: postings are serialized by a promise
 * chain and written as one atomic batch, so the sequence-keyed journal is the commit order and
 * the outbox index (`o!`) is written in the same batch as the movement.
 */
import { EventEmitter } from 'node:events';
import { Level } from 'level';
import { LedgerError } from '../../chaincode/lib/errors';
import { fen } from '../../chaincode/lib/money';
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

const pad = (n: bigint | string): string => n.toString().padStart(20, '0');
type Op = { type: 'put'; key: string; value: unknown } | { type: 'del'; key: string };

export class LevelBooks implements Books {
  readonly backend = 'level' as const;
  private readonly db: Level<string, unknown>;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly wake = new EventEmitter();
  private lastSeq = -1n;

  constructor(dir: string) {
    this.db = new Level<string, unknown>(dir, { valueEncoding: 'json' });
    this.wake.setMaxListeners(0);
  }

  /** Runs `fn` after every earlier write: one writer, so balance checks cannot race. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async seq(): Promise<bigint> {
    if (this.lastSeq < 0n) this.lastSeq = BigInt(((await this.db.get('s')) as string | undefined) ?? '0');
    return this.lastSeq;
  }

  openAccount(a: OpenAccount): Promise<BookAccount> {
    return this.serial(async () => {
      const next = checkOpen(a, new Date().toISOString());
      const prev = (await this.db.get(`a!${next.id}`)) as BookAccount | undefined;
      if (prev) return reopen(prev, next);
      if (next.chainAccount) {
        await this.indexChainAccounts();
        checkChainAccountFree(next, (await this.db.get(`c!${next.chainAccount}`)) as string | undefined);
      }
      await this.db.batch([
        { type: 'put', key: `a!${next.id}`, value: next },
        ...(next.chainAccount ? [{ type: 'put' as const, key: `c!${next.chainAccount}`, value: next.id }] : []),
      ]);
      return next;
    });
  }

  /** The chain-account index (`c!<chainAccount>` → book account), built once for books that predate it. */
  private async indexChainAccounts(): Promise<void> {
    if (await this.db.get('v!chain-index')) return;
    const ops: Op[] = [];
    for await (const a of this.db.values({ gt: 'a!', lt: 'a!~' }) as AsyncIterable<BookAccount>)
      if (a.chainAccount) ops.push({ type: 'put', key: `c!${a.chainAccount}`, value: a.id });
    ops.push({ type: 'put', key: 'v!chain-index', value: true });
    await this.db.batch(ops);
  }

  async getAccount(id: string): Promise<BookAccount | undefined> {
    return (await this.db.get(`a!${id}`)) as BookAccount | undefined;
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
    return this.serial(async () => {
      const prev = (await this.db.get(`p!${req.ref}`)) as Posting | undefined;
      if (prev) return replayOf(prev, req);
      const accounts = new Map<string, BookAccount>();
      for (const id of accountsOf(req)) {
        const a = (await this.db.get(`a!${id}`)) as BookAccount | undefined;
        if (a) accounts.set(id, a);
      }
      let s = await this.seq();
      const p = post(req, accounts, () => ++s, new Date().toISOString());
      const ops: Op[] = [
        { type: 'put', key: `p!${p.ref}`, value: p },
        { type: 'put', key: 's', value: s.toString() },
      ];
      for (const a of accounts.values()) ops.push({ type: 'put', key: `a!${a.id}`, value: a });
      for (const m of p.movements) ops.push(...this.lineOps(m));
      await this.db.batch(ops);
      this.lastSeq = s;
      this.wake.emit('outbox');
      return p;
    });
  }

  /** A journal line, its (account, offTxId) index, and its outbox entry when mirrored. */
  private lineOps(m: Movement): Op[] {
    const ops: Op[] = [
      { type: 'put', key: `j!${pad(m.seq)}`, value: m },
      { type: 'put', key: `x!${m.account}!${m.offTxId}!${pad(m.seq)}`, value: m },
      { type: 'put', key: `t!${m.offTxId}`, value: m.seq },
    ];
    if (mirrored(m)) ops.push({ type: 'put', key: `o!${pad(m.seq)}`, value: m });
    return ops;
  }

  async posting(ref: string): Promise<Posting | undefined> {
    return (await this.db.get(`p!${ref}`)) as Posting | undefined;
  }

  async journal(afterSeq: bigint, limit: number): Promise<Movement[]> {
    return (await this.db.values({ gt: `j!${pad(afterSeq)}`, lt: 'j!~', limit }).all()) as Movement[];
  }

  async outbox(afterSeq: bigint, limit: number): Promise<Movement[]> {
    return (await this.db.values({ gt: `o!${pad(afterSeq)}`, lt: 'o!~', limit }).all()) as Movement[];
  }

  /** Returns once the outbox holds a line past `afterSeq` (or on timeout). Lines of unmirrored accounts never enter it. */
  async waitForOutbox(afterSeq: bigint, timeoutMs: number): Promise<void> {
    let done!: () => void;
    const woken = new Promise<void>((resolve) => (done = resolve));
    this.wake.once('outbox', done); // listen before looking, so a posting in between is not missed
    const t = setTimeout(done, timeoutMs);
    try {
      if (!(await this.outbox(afterSeq, 1)).length) await woken;
    } finally {
      clearTimeout(t);
      this.wake.off('outbox', done);
    }
  }

  async *movementsByAccount(f: MovementFilter, mirroredOnly = false): AsyncIterable<Movement> {
    const range = f.account ? { gt: `x!${f.account}!`, lt: `x!${f.account}!~` } : { gt: 'x!', lt: 'x!~' };
    for await (const m of this.db.values(range) as AsyncIterable<Movement>) {
      if (mirroredOnly && !m.chainAccount) continue;
      if ((f.from && m.time < f.from) || (f.to && m.time >= f.to)) continue;
      yield m;
    }
  }

  async *accounts(f: { account?: string } = {}): AsyncIterable<BookAccount> {
    if (f.account) {
      const a = await this.getAccount(f.account);
      if (a) yield a;
      return;
    }
    yield* this.db.values({ gt: 'a!', lt: 'a!~' }) as AsyncIterable<BookAccount>;
  }

  async getMeta<T>(key: string): Promise<T | undefined> {
    return (await this.db.get(`m!${key}`)) as T | undefined;
  }
  async putMeta(key: string, value: unknown): Promise<void> {
    await this.db.put(`m!${key}`, value);
  }
  async *listMeta<T>(prefix: string): AsyncIterable<{ key: string; value: T }> {
    for await (const [k, v] of this.db.iterator({ gte: `m!${prefix}`, lt: `m!${prefix}\uffff` }))
      yield { key: k.slice(2), value: v as T };
  }

  tamper(offTxId: string, change: Tamper): Promise<void> {
    return this.serial(async () => {
      if (change.balanceDelta && change.account) return this.shiftBalance(change.account, BigInt(change.balanceDelta));
      const seq = (await this.db.get(`t!${offTxId}`)) as string | undefined;
      if (!seq) throw new LedgerError('NOT_FOUND', `no journal line ${offTxId}`, 'offTxId', 404);
      const m = (await this.db.get(`j!${pad(seq)}`)) as Movement;
      const sign = m.direction === 'credit' ? 1n : -1n;
      if (change.drop) {
        await this.db.batch(
          [`j!${pad(seq)}`, `x!${m.account}!${m.offTxId}!${pad(seq)}`, `o!${pad(seq)}`, `t!${offTxId}`].map((key) => ({
            type: 'del' as const,
            key,
          })),
        );
        return this.shiftBalance(m.account, -sign * BigInt(m.amount));
      }
      if (change.duplicate) {
        const s = (await this.seq()) + 1n;
        const copy = { ...m, seq: s.toString() };
        await this.db.batch([
          ...this.lineOps(copy).filter((o) => !o.key.startsWith('t!') && !o.key.startsWith('o!')),
          { type: 'put', key: 's', value: s.toString() },
        ]);
        this.lastSeq = s;
        return this.shiftBalance(m.account, sign * BigInt(m.amount));
      }
      if (change.amount) {
        const edited = { ...m, amount: change.amount };
        await this.db.batch(this.lineOps(edited));
        return this.shiftBalance(m.account, sign * (BigInt(change.amount) - BigInt(m.amount)));
      }
    });
  }

  private async shiftBalance(id: string, delta: bigint): Promise<void> {
    const a = (await this.db.get(`a!${id}`)) as BookAccount;
    a.balance = fen(BigInt(a.balance) + delta);
    await this.db.put(`a!${id}`, a);
  }

  async close(): Promise<void> {
    await this.queue;
    await this.db.close();
  }
}
