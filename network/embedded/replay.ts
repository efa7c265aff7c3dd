/**
 * Re-execution for `verify-chain --replay`: each valid transaction runs again through the same
 * chaincode against the state its predecessors left (kept here in memory), with the member's
 * signed intent from its own intent record as the transient input, and must produce exactly the
 * write set, result and event the block records. A block whose write set was edited and then
 * re-signed with the node key passes every hash and signature check, but not this one: the
 * signed intent fixes what the transaction was asked to do, and the chaincode decides what it
 * writes.
 */
import { INTENT_TRANSIENT } from '../../chaincode/core/intent';
import type { IntentRecord } from '../../chaincode/core/authenticate';
import type { Chaincode } from './chaincode';
import type { TxRecord } from './block';
import * as layout from './keys';
import { DbIterator, EmbeddedStub, StateDb } from './stub';

/** Order of LevelDB keys (UTF-8 bytes), which is code point order, not UTF-16 unit order. */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const surrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdfff;
    if (!surrogate(x) && !surrogate(y)) return x - y;
    return (a.codePointAt(i) ?? 0) - (b.codePointAt(i) ?? 0);
  }
  return a.length - b.length;
}

/** Just past every state key: the stub's open upper bound. */
const STATE_END = 's"';

interface Entry {
  version: string;
  /** base64, as blocks record values. */
  value: string;
}

/** World state rebuilt from valid write sets, in key order: the state each transaction saw. */
export class ReplayedState {
  private readonly entries = new Map<string, Entry>();
  private readonly sorted: string[] = [];

  get size(): number {
    return this.entries.size;
  }
  get(key: string): Entry | undefined {
    return this.entries.get(key);
  }
  keys(): IterableIterator<string> {
    return this.entries.keys();
  }
  [Symbol.iterator](): IterableIterator<[string, Entry]> {
    return this.entries[Symbol.iterator]();
  }

  /** Applies one valid transaction's writes (base64 values, null = delete) at version `block:tx`. */
  apply(writes: [string, string | null][], version: string): void {
    for (const [key, value] of writes) {
      const at = this.position(key);
      const present = this.sorted[at] === key;
      if (value === null) {
        if (present) this.sorted.splice(at, 1);
        this.entries.delete(key);
      } else {
        if (!present) this.sorted.splice(at, 0, key);
        this.entries.set(key, { version, value });
      }
    }
  }

  /** The first index whose key is >= `key`. */
  private position(key: string): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(this.sorted[mid], key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private encoded(key: string): Buffer | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    const [block, tx] = e.version.split(':').map(Number);
    return layout.encodeState({ block, tx }, Buffer.from(e.value, 'base64'));
  }

  /** The state as the stub reads LevelDB (`s!` keys, encoded versions). */
  asStateDb(): StateDb {
    const bare = (full: string | undefined): string | undefined =>
      full === undefined || !full.startsWith(layout.STATE) ? undefined : full.slice(layout.STATE.length);
    return {
      getSync: (full) => {
        const key = bare(full);
        return key === undefined ? undefined : this.encoded(key);
      },
      iterator: (o) => {
        // Only state is replayed: a range over other key spaces (history) reads nothing.
        const foreign = [o.gte, o.gt, o.lt].some(
          (b) => b !== undefined && b !== STATE_END && !b.startsWith(layout.STATE),
        );
        if (foreign) return this.iteratorOver([]);
        const from = bare(o.gte) ?? bare(o.gt);
        let lo = from === undefined ? 0 : this.position(from);
        if (o.gt !== undefined && this.sorted[lo] === from) lo++;
        const upper = bare(o.lt);
        const hi = upper === undefined ? this.sorted.length : this.position(upper);
        let keys = this.sorted.slice(lo, Math.max(lo, hi));
        if (o.reverse) keys.reverse();
        if (o.limit !== undefined && o.limit >= 0) keys = keys.slice(0, o.limit);
        return this.iteratorOver(keys);
      },
    };
  }

  private iteratorOver(keys: string[]): DbIterator {
    let at = 0;
    const take = (n: number): [string, Buffer][] => {
      const rows = keys.slice(at, at + n).map((k): [string, Buffer] => [layout.STATE + k, this.encoded(k)!]);
      at += rows.length;
      return rows;
    };
    return {
      nextv: (size) => Promise.resolve(take(size)),
      all: () => Promise.resolve(take(keys.length)),
      close: () => Promise.resolve(),
    };
  }
}

export interface ReplayInput {
  tx: TxRecord;
  certPem: string;
  state: ReplayedState;
  chaincode: Chaincode;
  verifySm2: (publicKey: string, messageHex: string, signature: string) => Promise<boolean>;
}

const decode = <T>(base64: string): T => JSON.parse(Buffer.from(base64, 'base64').toString('utf8')) as T;

/**
 * Runs `tx` again against `state` (the state before it); returns why its recorded outcome is not
 * what the chaincode produces, or undefined when it is.
 */
export async function replayTransaction(input: ReplayInput): Promise<string | undefined> {
  const { tx } = input;
  const record = tx.writes.find(([k, v]) => k.startsWith('intent~') && v !== null);
  const intent = record ? decode<IntentRecord>(record[1]!).intent : undefined;
  const stub = new EmbeddedStub({
    db: input.state.asStateDb(),
    txId: tx.txId,
    channel: tx.channel,
    fn: tx.fn,
    args: tx.args,
    mspId: tx.creator.mspId,
    certPem: input.certPem,
    transient: intent ? { [INTENT_TRANSIENT]: JSON.stringify(intent) } : undefined,
    timestamp: tx.timestamp,
    recordRanges: false,
    verifySm2: input.verifySm2,
  });
  let result: string;
  try {
    result = (await input.chaincode.invoke(stub).finally(() => stub.closeIterators())).toString('utf8');
  } catch (err) {
    return `re-executing ${tx.fn} fails (${(err as { code?: string }).code ?? (err as Error).message}) but the block records it VALID`;
  }
  const writes = [...stub.writes]
    .sort(([a], [b]) => compareKeys(a, b))
    .map(([k, v]): [string, string | null] => [k, v === null ? null : v.toString('base64')]);
  const recorded = [...tx.writes].sort(([a], [b]) => compareKeys(a, b));
  const differs = firstDifference(writes, recorded);
  if (differs)
    return `re-executing ${tx.fn} writes another value for ${JSON.stringify(differs)} than the block records`;
  if (result !== tx.result) return `re-executing ${tx.fn} returns another result than the block records`;
  const event = stub.event ? { name: stub.event.name, payload: stub.event.payload.toString('utf8') } : undefined;
  if (JSON.stringify(event) !== JSON.stringify(tx.event))
    return `re-executing ${tx.fn} emits another event than the block records`;
  return undefined;
}

/** The first key whose write differs between the two sorted write sets. */
function firstDifference(a: [string, string | null][], b: [string, string | null][]): string | undefined {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const [x, y] = [a[i], b[i]];
    if (!x || !y) return (x ?? y)[0];
    if (x[0] !== y[0]) return compareKeys(x[0], y[0]) < 0 ? x[0] : y[0];
    if (x[1] !== y[1]) return x[0];
  }
  return undefined;
}
