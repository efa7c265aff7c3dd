/**
 * The ChaincodeStub surface the chaincode uses, backed by committed LevelDB state. As on Fabric,
 * reads see committed state only (not this tx's own writes); the stub records a read set with
 * versions, range reads (for phantom checks at commit) and a write set.
 */
import Long from 'long';
import * as K from './keys';

/** The part of the database the stub needs (classic-level). */
export interface StateDb {
  getSync(key: string): Buffer | undefined;
  iterator(opts: { gte?: string; gt?: string; lt?: string; limit?: number; reverse?: boolean }): { all(): Promise<[string, Buffer][]> };
}

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
}

type KV = { key: string; value: Buffer };
type Iter<T> = { next(): Promise<{ value?: T; done: boolean }>; close(): Promise<void> };

function plainIter<T>(items: T[]): Iter<T> & AsyncIterable<T> {
  let i = 0;
  const it = {
    next: async () => (i < items.length ? { value: items[i++], done: false } : { value: undefined, done: true }),
    close: async () => undefined,
    [Symbol.asyncIterator]: () => it,
  };
  return it as Iter<T> & AsyncIterable<T>;
}

/** Fabric iterators: awaitable, then next()/close(); the promise is also for-await-able. */
function asyncIter<T, R>(results: Promise<{ items: T[]; extra: R }>): Promise<Iter<T> & R> & AsyncIterable<T> {
  const p = results.then(({ items, extra }) => Object.assign(plainIter(items), extra)) as Promise<Iter<T> & R> & AsyncIterable<T>;
  p[Symbol.asyncIterator] = () => {
    let it: Iter<T> | undefined;
    return {
      next: async () => {
        it ??= await p;
        const r = await it.next();
        return r.done ? { done: true, value: undefined } : { done: false, value: r.value as T };
      },
      return: async () => ({ done: true, value: undefined }),
    };
  };
  return p;
}

export class EmbeddedStub {
  readonly reads = new Map<string, string>();
  readonly rangeReads: RangeRead[] = [];
  readonly writes = new Map<string, Buffer | null>();
  event?: { name: string; payload: Buffer };
  private readonly bufferArgs: Buffer[];
  private readonly transientMap: Map<string, Buffer>;

  constructor(private readonly t: StubInit) {
    this.bufferArgs = [t.fn, ...t.args].map((a) => Buffer.from(a, 'utf8'));
    this.transientMap = new Map(Object.entries(t.transient ?? {}).map(([k, v]) => [k, Buffer.from(v, 'utf8')]));
  }

  getArgs(): string[] { return [this.t.fn, ...this.t.args]; }
  getStringArgs(): string[] { return this.getArgs(); }
  getBufferArgs(): Buffer[] { return this.bufferArgs; }
  getFunctionAndParameters() { return { fcn: this.t.fn, params: this.t.args.slice() }; }
  getTxID(): string { return this.t.txId; }
  getChannelID(): string { return this.t.channel; }
  getCreator() { return { mspid: this.t.mspId, idBytes: Buffer.from(this.t.certPem, 'utf8') }; }
  getMspID(): string { return this.t.mspId; }
  getTransient(): Map<string, Buffer> { return this.transientMap; }
  getTxTimestamp() {
    return { seconds: Long.fromNumber(Math.floor(this.t.timestamp / 1000), true), nanos: (this.t.timestamp % 1000) * 1e6 };
  }
  getDateTimestamp(): Date { return new Date(this.t.timestamp); }

  private readCommitted(key: string): Buffer | undefined {
    const raw = this.t.db.getSync(K.stateKey(key));
    const d = raw ? K.decodeState(raw) : undefined;
    if (!this.reads.has(key)) this.reads.set(key, K.versionString(d?.version));
    return d?.value;
  }

  async getState(key: string): Promise<Buffer> {
    if (typeof key !== 'string' || key === '') throw new Error('key must not be an empty string');
    return Buffer.from(this.readCommitted(key) ?? Buffer.alloc(0));
  }

  async putState(key: string, value: Uint8Array | string): Promise<void> {
    if (typeof key !== 'string' || key === '') throw new Error('key must not be an empty string');
    const v = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
    this.writes.set(key, v);
  }

  async deleteState(key: string): Promise<void> {
    if (typeof key !== 'string' || key === '') throw new Error('key must not be an empty string');
    this.writes.set(key, null);
  }

  /** Reads [start, end) from committed state, `limit` keys at most, and records it for validation. */
  private async range(start: string, end: string, limit?: number): Promise<{ items: KV[]; next: string }> {
    const rows = await this.t.db
      .iterator({ gte: K.stateKey(start), lt: end ? K.stateKey(end) : K.STATE.slice(0, -1) + '"', ...(limit ? { limit: limit + 1 } : {}) })
      .all();
    const more = limit !== undefined && rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const items: KV[] = [];
    const keys: [string, string][] = [];
    for (const [k, raw] of page) {
      const d = K.decodeState(raw);
      const key = k.slice(K.STATE.length);
      items.push({ key, value: Buffer.from(d.value) });
      keys.push([key, K.versionString(d.version)]);
    }
    this.rangeReads.push({ start, end, exhausted: !more, keys });
    return { items, next: more ? rows[limit!][0].slice(K.STATE.length) : '' };
  }

  getStateByRange(startKey: string, endKey: string) {
    const start = startKey || K.EMPTY_KEY_SUBSTITUTE;
    try { K.validateSimpleKeys(start, endKey); } catch (e) { return asyncIter<KV, object>(Promise.reject(e)); }
    return asyncIter<KV, object>(this.range(start, endKey).then((r) => ({ items: r.items, extra: {} })));
  }

  private paged(start: string, end: string, pageSize: number, bookmark: string) {
    if (!Number.isInteger(pageSize) || pageSize <= 0) return Promise.reject(new Error('pageSize must be a positive integer'));
    const from = bookmark && bookmark > start ? bookmark : start;
    return this.range(from, end, pageSize).then((r) => ({
      iterator: plainIter(r.items),
      metadata: { fetchedRecordsCount: r.items.length, bookmark: r.next },
    }));
  }

  getStateByRangeWithPagination(startKey: string, endKey: string, pageSize: number, bookmark?: string) {
    const start = startKey || K.EMPTY_KEY_SUBSTITUTE;
    try { K.validateSimpleKeys(start, endKey); } catch (e) { return Promise.reject(e); }
    return this.paged(start, endKey, pageSize, bookmark ?? '');
  }

  getStateByPartialCompositeKey(objectType: string, attributes: string[]) {
    const prefix = K.createCompositeKey(objectType, attributes);
    return asyncIter<KV, object>(this.range(prefix, prefix + K.MAX_RUNE).then((r) => ({ items: r.items, extra: {} })));
  }

  getStateByPartialCompositeKeyWithPagination(objectType: string, attributes: string[], pageSize: number, bookmark?: string) {
    const prefix = K.createCompositeKey(objectType, attributes);
    return this.paged(prefix, prefix + K.MAX_RUNE, pageSize, bookmark ?? '');
  }

  /** Newest first, as Fabric 2.x returns it; not part of MVCC validation (as on Fabric). */
  getHistoryForKey(key: string) {
    const r = K.histRange(key);
    const load = this.t.db.iterator({ ...r, reverse: true }).all().then((rows) => ({
      items: rows.map(([, raw]) => {
        const h = JSON.parse(raw.toString('utf8')) as { txId: string; ts: number; del: boolean; v: string };
        return {
          txId: h.txId,
          isDelete: h.del,
          value: Buffer.from(h.v, 'base64'),
          timestamp: { seconds: Math.floor(h.ts / 1000), nanos: (h.ts % 1000) * 1e6 },
        };
      }),
      extra: {},
    }));
    return asyncIter(load);
  }

  setEvent(name: string, payload: Uint8Array | string): void {
    if (typeof name !== 'string' || name === '') throw new Error('Event name must be a non-empty string');
    this.event = { name, payload: Buffer.from(payload ?? '') };
  }

  createCompositeKey(objectType: string, attributes: string[]): string { return K.createCompositeKey(objectType, attributes); }
  splitCompositeKey(key: string) { return K.splitCompositeKey(key); }

  async invokeChaincode(): Promise<never> { throw new Error('invokeChaincode is not supported by the embedded engine'); }
  async getQueryResult(): Promise<never> { throw new Error('rich queries need CouchDB; the embedded engine has LevelDB state'); }
  async getPrivateData(): Promise<never> { throw new Error('private data collections are not supported by the embedded engine'); }
  async putPrivateData(): Promise<never> { throw new Error('private data collections are not supported by the embedded engine'); }
}
