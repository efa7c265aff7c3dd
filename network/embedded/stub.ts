/**
 * The ChaincodeStub surface the chaincode uses, backed by committed LevelDB state. As on Fabric,
 * reads see committed state only (not this tx's own writes); the stub records a read set with
 * versions, range reads (for phantom checks at commit) and a write set.
 */
import Long from 'long';
import { verify } from '../../chaincode/lib/gm';
import * as stateKeys from './keys';

/** A LevelDB iterator (classic-level): reads from the snapshot taken when it was opened. */
export interface DbIterator {
  nextv(size: number): Promise<[string, Buffer][]>;
  all(): Promise<[string, Buffer][]>;
  close(): Promise<void>;
}

/** The part of the database the stub needs (classic-level). */
export interface StateDb {
  getSync(key: string): Buffer | undefined;
  iterator(opts: {
    gte?: string;
    gt?: string;
    lt?: string;
    limit?: number;
    reverse?: boolean;
    highWaterMarkBytes?: number;
  }): DbIterator;
}

/**
 * A range read as Fabric records it (RangeQueryInfo): the keys the chaincode actually consumed,
 * with versions. Exhausted: it read to the end, so [start, end) is covered; otherwise it stopped
 * early and covers [start, last key] only.
 */
export interface RangeRead {
  start: string;
  end: string;
  /** True when the query saw the whole range; otherwise it covered [start, last key]. */
  exhausted: boolean;
  keys: [string, string][];
}

export interface StubInit {
  db: StateDb;
  txId: string;
  channel: string;
  fn: string;
  args: string[];
  mspId: string;
  certPem: string;
  transient?: Record<string, string>;
  timestamp: number;
  /** false for a query that is never validated: range reads keep nothing of what they read. */
  recordRanges?: boolean;
  /** The peer's SM2 verifier, offered to the chaincode (chaincode/core/context.ts verifySignature). */
  verifySm2?: (publicKey: string, messageHex: string, signature: string) => Promise<boolean>;
}

type KV = { key: string; value: Buffer };
/** A key's past value as Fabric's history query returns it. */
type KeyModification = {
  txId: string;
  isDelete: boolean;
  value: Buffer;
  timestamp: { seconds: number; nanos: number };
};
/** A range read: awaitable as Fabric's iterator, and async-iterable. */
type RangeResult = Promise<Iter<KV> & object> & AsyncIterable<KV>;
/** One page of a paged range read and where the next one starts. */
type PagedResult = {
  iterator: Iter<KV> & AsyncIterable<KV>;
  metadata: { fetchedRecordsCount: number; bookmark: string };
};
/** What a rejected promise carries: always an Error. */
const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));
type Iter<T> = { next(): Promise<{ value?: T; done: boolean }>; close(): Promise<void> };

function plainIter<T>(items: T[]): Iter<T> & AsyncIterable<T> {
  let i = 0;
  const it = {
    next: () =>
      Promise.resolve(i < items.length ? { value: items[i++], done: false } : { value: undefined, done: true }),
    close: () => Promise.resolve(),
    [Symbol.asyncIterator]: () => it,
  };
  return it as Iter<T> & AsyncIterable<T>;
}

/** Fabric iterators: awaitable, then next()/close(); the promise is also for-await-able (closing at the end or on break, as fabric-shim does). */
function asyncIter<T, R>(results: Promise<Iter<T> & R>): Promise<Iter<T> & R> & AsyncIterable<T> {
  const p = results as Promise<Iter<T> & R> & AsyncIterable<T>;
  p[Symbol.asyncIterator] = () => {
    let it: Iter<T> | undefined;
    return {
      next: async () => {
        it ??= await p;
        const r = await it.next();
        if (r.done) await it.close();
        return r.done ? { done: true, value: undefined } : { done: false, value: r.value as T };
      },
      return: async () => {
        await it?.close();
        return { done: true, value: undefined };
      },
    };
  };
  return p;
}

/** Just past every state key ('s!' → 's"'): the upper bound of an open-ended range. */
const STATE_END = stateKeys.STATE.slice(0, -1) + '"';

/**
 * Rows fetched per LevelDB call: a few first (most bounded reads want one key or a handful; one
 * call that reaches the end saves a second), then more.
 */
const BATCHES = [8, 64, 256, 1000];

/**
 * A lazy range read: the LevelDB iterator is pulled as the chaincode calls next() and closed on
 * close() or at the end. It records only what the chaincode consumed, as Fabric's resultsItr
 * does (the end key becomes the last key returned until the range is exhausted), so a query
 * that stops after one key neither loads nor validates the rest of the range. Rows come in
 * growing batches; a fetched row not yet consumed is not a read.
 */
class RangeIterator implements Iter<KV> {
  readonly start: string;
  readonly end: string;
  exhausted = false;
  /** Keys consumed and their versions (block, tx pairs); formatted only if the read set is asked for. */
  private readonly keys: string[] = [];
  private versions = new Uint32Array(32);
  private db?: DbIterator;
  private rows: [string, Buffer][] = [];
  private ahead?: Promise<[string, Buffer][]>;
  private at = 0;
  private batch = 0;
  private ended = false;

  constructor(
    db: StateDb,
    start: string,
    end: string,
    private readonly record: boolean,
  ) {
    this.start = start;
    this.end = end;
    this.db = db.iterator({
      gte: stateKeys.stateKey(start),
      lt: end ? stateKeys.stateKey(end) : STATE_END,
      highWaterMarkBytes: 1 << 20,
    });
  }

  /** What was read, for validation; undefined when nothing was observed (opened, never read). */
  get read(): RangeRead | undefined {
    if (!this.record || (!this.exhausted && this.keys.length === 0)) return undefined;
    const v = this.versions;
    const keys = this.keys.map((k, i): [string, string] => [k, `${v[2 * i]}:${v[2 * i + 1]}`]);
    return { start: this.start, end: this.end, exhausted: this.exhausted, keys };
  }

  private fetch(): Promise<[string, Buffer][]> {
    const p = this.db!.nextv(BATCHES[Math.min(this.batch++, BATCHES.length - 1)]);
    p.catch(() => undefined); // a read-ahead nobody awaits (closed first) must not go unhandled
    return p;
  }

  async next(): Promise<{ value?: KV; done: boolean }> {
    if (this.at === this.rows.length && this.db && !this.ended) {
      // A short batch is not the end (classic-level stops at highWaterMarkBytes); an empty one is.
      this.rows = await (this.ahead ?? this.fetch());
      this.ahead = undefined;
      this.at = 0;
      this.ended = this.rows.length === 0;
      // A chaincode walking a long range: fetch the next batch while it works on this one.
      if (!this.ended && this.batch >= BATCHES.length) this.ahead = this.fetch();
    }
    if (this.at === this.rows.length || !this.db) {
      if (this.db) this.exhausted = true;
      await this.close();
      return { value: undefined, done: true };
    }
    const [k, raw] = this.rows[this.at++];
    const key = k.slice(stateKeys.STATE.length);
    if (!this.record) return { value: { key, value: raw.subarray(8) }, done: false };
    const n = this.keys.push(key);
    if (2 * n > this.versions.length) {
      const grown = new Uint32Array(this.versions.length * 4);
      grown.set(this.versions);
      this.versions = grown;
    }
    // stateKeys.decodeState inline; keeping no row alive (a holdings scan reads 10,000 of them).
    this.versions[2 * n - 2] = raw.readUInt32BE(0);
    this.versions[2 * n - 1] = raw.readUInt32BE(4);
    return { value: { key, value: raw.subarray(8) }, done: false };
  }

  async close(): Promise<void> {
    const db = this.db;
    this.db = undefined;
    this.rows = [];
    this.ahead = undefined;
    await db?.close(); // waits for a read-ahead in flight
  }
}

export class EmbeddedStub {
  readonly reads = new Map<string, string>();
  private readonly iterators: RangeIterator[] = [];
  private readonly pagedReads: RangeRead[] = [];
  readonly writes = new Map<string, Buffer | null>();
  event?: { name: string; payload: Buffer };
  private readonly bufferArgs: Buffer[];
  private readonly transientMap: Map<string, Buffer>;

  constructor(private readonly t: StubInit) {
    this.bufferArgs = [t.fn, ...t.args].map((a) => Buffer.from(a, 'utf8'));
    this.transientMap = new Map(Object.entries(t.transient ?? {}).map(([k, v]) => [k, Buffer.from(v, 'utf8')]));
  }

  getArgs(): string[] {
    return [this.t.fn, ...this.t.args];
  }
  getStringArgs(): string[] {
    return this.getArgs();
  }
  getBufferArgs(): Buffer[] {
    return this.bufferArgs;
  }
  getFunctionAndParameters(): { fcn: string; params: string[] } {
    return { fcn: this.t.fn, params: this.t.args.slice() };
  }
  getTxID(): string {
    return this.t.txId;
  }
  getChannelID(): string {
    return this.t.channel;
  }
  getCreator(): { mspid: string; idBytes: Buffer } {
    return { mspid: this.t.mspId, idBytes: Buffer.from(this.t.certPem, 'utf8') };
  }
  getMspID(): string {
    return this.t.mspId;
  }
  verifySm2(publicKey: string, messageHex: string, signature: string): Promise<boolean> {
    if (this.t.verifySm2) return this.t.verifySm2(publicKey, messageHex, signature);
    return Promise.resolve(verify(publicKey, messageHex, signature));
  }
  getTransient(): Map<string, Buffer> {
    return this.transientMap;
  }
  getTxTimestamp(): { seconds: Long; nanos: number } {
    return {
      seconds: Long.fromNumber(Math.floor(this.t.timestamp / 1000), true),
      nanos: (this.t.timestamp % 1000) * 1e6,
    };
  }
  getDateTimestamp(): Date {
    return new Date(this.t.timestamp);
  }

  private readCommitted(key: string): Buffer | undefined {
    const raw = this.t.db.getSync(stateKeys.stateKey(key));
    const d = raw ? stateKeys.decodeState(raw) : undefined;
    if (!this.reads.has(key)) this.reads.set(key, stateKeys.versionString(d?.version));
    return d?.value;
  }

  getState(key: string): Promise<Buffer> {
    if (typeof key !== 'string' || key === '') return Promise.reject(new Error('key must not be an empty string'));
    return Promise.resolve(Buffer.from(this.readCommitted(key) ?? Buffer.alloc(0)));
  }

  putState(key: string, value: Uint8Array | string): Promise<void> {
    if (typeof key !== 'string' || key === '') return Promise.reject(new Error('key must not be an empty string'));
    const v = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
    this.writes.set(key, v);
    return Promise.resolve();
  }

  deleteState(key: string): Promise<void> {
    if (typeof key !== 'string' || key === '') return Promise.reject(new Error('key must not be an empty string'));
    this.writes.set(key, null);
    return Promise.resolve();
  }

  /**
   * Range reads for validation, in the order opened: what each iterator consumed so far (an
   * iterator the chaincode opened but never read from observed nothing and is left out).
   */
  get rangeReads(): RangeRead[] {
    const lazy = this.iterators.map((i) => i.read).filter((r): r is RangeRead => r !== undefined);
    return [...lazy, ...this.pagedReads];
  }

  /** Closes iterators the chaincode left open (Fabric's peer closes them when the tx ends). */
  async closeIterators(): Promise<void> {
    await Promise.all(this.iterators.map((i) => i.close()));
  }

  /** Opens a lazy range read of [start, end) over committed state. */
  private range(start: string, end: string): RangeIterator {
    const it = new RangeIterator(this.t.db, start, end, this.t.recordRanges ?? true);
    this.iterators.push(it);
    return it;
  }

  /** One page of [start, end): `limit` keys at most, read at once (the page's metadata needs the count and the next key). */
  private async page(start: string, end: string, limit: number): Promise<{ items: KV[]; next: string }> {
    const rows = await this.t.db
      .iterator({ gte: stateKeys.stateKey(start), lt: end ? stateKeys.stateKey(end) : STATE_END, limit: limit + 1 })
      .all();
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const items: KV[] = [];
    const keys: [string, string][] = [];
    for (const [k, raw] of page) {
      const d = stateKeys.decodeState(raw);
      const key = k.slice(stateKeys.STATE.length);
      items.push({ key, value: Buffer.from(d.value) });
      keys.push([key, stateKeys.versionString(d.version)]);
    }
    // The peeked next key is the bookmark, not a read (as Fabric's GetBookmarkAndClose).
    this.pagedReads.push({ start, end, exhausted: !more, keys });
    return { items, next: more ? rows[limit][0].slice(stateKeys.STATE.length) : '' };
  }

  getStateByRange(startKey: string, endKey: string): RangeResult {
    const start = startKey || stateKeys.EMPTY_KEY_SUBSTITUTE;
    try {
      stateKeys.validateSimpleKeys(start, endKey);
    } catch (e) {
      return asyncIter<KV, object>(Promise.reject(asError(e)));
    }
    return asyncIter<KV, object>(Promise.resolve(this.range(start, endKey)));
  }

  private paged(start: string, end: string, pageSize: number, bookmark: string): Promise<PagedResult> {
    if (!Number.isInteger(pageSize) || pageSize <= 0)
      return Promise.reject(new Error('pageSize must be a positive integer'));
    const from = bookmark && bookmark > start ? bookmark : start;
    return this.page(from, end, pageSize).then((r) => ({
      iterator: plainIter(r.items),
      metadata: { fetchedRecordsCount: r.items.length, bookmark: r.next },
    }));
  }

  getStateByRangeWithPagination(
    startKey: string,
    endKey: string,
    pageSize: number,
    bookmark?: string,
  ): Promise<PagedResult> {
    const start = startKey || stateKeys.EMPTY_KEY_SUBSTITUTE;
    try {
      stateKeys.validateSimpleKeys(start, endKey);
    } catch (e) {
      return Promise.reject(asError(e));
    }
    return this.paged(start, endKey, pageSize, bookmark ?? '');
  }

  getStateByPartialCompositeKey(objectType: string, attributes: string[]): RangeResult {
    const prefix = stateKeys.createCompositeKey(objectType, attributes);
    return asyncIter<KV, object>(Promise.resolve(this.range(prefix, prefix + stateKeys.MAX_RUNE)));
  }

  getStateByPartialCompositeKeyWithPagination(
    objectType: string,
    attributes: string[],
    pageSize: number,
    bookmark?: string,
  ): Promise<PagedResult> {
    const prefix = stateKeys.createCompositeKey(objectType, attributes);
    return this.paged(prefix, prefix + stateKeys.MAX_RUNE, pageSize, bookmark ?? '');
  }

  /** Newest first, as Fabric 2.x returns it; not part of MVCC validation (as on Fabric). */
  getHistoryForKey(key: string): Promise<Iter<KeyModification>> & AsyncIterable<KeyModification> {
    const r = stateKeys.histRange(key);
    const load = this.t.db
      .iterator({ ...r, reverse: true })
      .all()
      .then((rows) =>
        plainIter(
          rows.map(([, raw]) => {
            const h = JSON.parse(raw.toString('utf8')) as { txId: string; ts: number; del: boolean; v: string };
            return {
              txId: h.txId,
              isDelete: h.del,
              value: Buffer.from(h.v, 'base64'),
              timestamp: { seconds: Math.floor(h.ts / 1000), nanos: (h.ts % 1000) * 1e6 },
            };
          }),
        ),
      );
    return asyncIter(load);
  }

  setEvent(name: string, payload: Uint8Array | string): void {
    if (typeof name !== 'string' || name === '') throw new Error('Event name must be a non-empty string');
    this.event = { name, payload: Buffer.from(payload ?? '') };
  }

  createCompositeKey(objectType: string, attributes: string[]): string {
    return stateKeys.createCompositeKey(objectType, attributes);
  }
  splitCompositeKey(key: string): ReturnType<typeof stateKeys.splitCompositeKey> {
    return stateKeys.splitCompositeKey(key);
  }

  invokeChaincode(): Promise<never> {
    return Promise.reject(new Error('invokeChaincode is not supported by the embedded engine'));
  }
  getQueryResult(): Promise<never> {
    return Promise.reject(new Error('rich queries need CouchDB; the embedded engine has LevelDB state'));
  }
  getPrivateData(): Promise<never> {
    return Promise.reject(new Error('private data collections are not supported by the embedded engine'));
  }
  putPrivateData(): Promise<never> {
    return Promise.reject(new Error('private data collections are not supported by the embedded engine'));
  }
}
