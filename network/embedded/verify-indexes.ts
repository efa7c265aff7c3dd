/**
 * verify-chain's index checks: the transaction index (`t!<txId>` → block:tx, what
 * GET /v1/transactions/:id and idempotent replays answer from) and the key-history index
 * (`h!…`, what getHistoryForKey answers) must be exactly what the blocks say: every entry the
 * blocks imply is there with the right content, and no other entry exists.
 */
import { decodeBlock, TxRecord } from './block';
import type { Db } from './commit';
import * as layout from './keys';

export interface IndexProblem {
  block: number;
  reason: string;
}

interface HistoryValue {
  txId: string;
  ts: number;
  del: boolean;
  v: string;
}

/** A history index key split into (state key, block, tx); undefined when malformed. */
function parseHistoryKey(full: string): { key: string; block: number; tx: number } | undefined {
  const m = /^h!([0-9]+):/.exec(full);
  if (!m) return undefined;
  const start = m[0].length;
  const key = full.slice(start, start + Number(m[1]));
  const tail = full.slice(start + Number(m[1]));
  if (!/^[0-9]{18}$/.test(tail)) return undefined;
  return { key, block: Number(tail.slice(0, 12)), tx: Number(tail.slice(12)) };
}

export class IndexCheck {
  private txEntries = 0;
  private historyEntries = 0;
  private cached?: { n: number; txs: TxRecord[] };

  constructor(private readonly db: Db) {}

  /** Checks the index entries block `n` implies; returns why they are wrong, or undefined. */
  async block(n: number, txs: TxRecord[]): Promise<string | undefined> {
    const indexed = txs.map((t, i) => ({ t, i })).filter(({ t }) => t.code !== 'DUPLICATE_TXID');
    const pointers = await this.db.getMany(indexed.map(({ t }) => layout.txKey(t.txId)));
    for (const [k, { i }] of indexed.entries()) {
      const got = pointers[k]?.toString();
      if (got !== `${n}:${i}`) return `tx ${i}: the transaction index points to ${got ?? 'nothing'}, not ${n}:${i}`;
    }
    this.txEntries += indexed.length;
    const writes = txs.flatMap((t, i) => (t.code === 'VALID' ? t.writes.map((w) => ({ t, i, w })) : []));
    const stored = await this.db.getMany(writes.map(({ i, w }) => layout.histKey(w[0], n, i)));
    for (const [k, { t, i, w }] of writes.entries()) {
      const raw = stored[k]?.toString();
      const h = raw === undefined ? undefined : (JSON.parse(raw) as HistoryValue);
      const same = h && h.txId === t.txId && h.ts === t.timestamp && h.del === (w[1] === null) && h.v === (w[1] ?? '');
      if (!same) return `tx ${i}: the history index entry of ${JSON.stringify(w[0])} is ${h ? 'altered' : 'missing'}`;
    }
    this.historyEntries += writes.length;
    return undefined;
  }

  /** After every block: no index entry the blocks do not imply. */
  async rest(height: number): Promise<IndexProblem | undefined> {
    let txCount = 0;
    for await (const [k, v] of this.db.iterator({ gte: layout.TXIDX, lt: 't"' })) {
      txCount++;
      if (txCount <= this.txEntries) continue;
      return this.strayTxEntry(k.slice(layout.TXIDX.length), v.toString(), height);
    }
    let historyCount = 0;
    for await (const k of this.db.keys({ gte: layout.HIST, lt: 'h"' })) {
      historyCount++;
      if (historyCount <= this.historyEntries) continue;
      return this.strayHistoryEntry(k, height);
    }
    return undefined;
  }

  // More entries than the blocks imply: name one that no transaction explains.
  private async strayTxEntry(txId: string, pointer: string, height: number): Promise<IndexProblem> {
    for await (const [k, v] of this.db.iterator({ gte: layout.TXIDX, lt: 't"' })) {
      const [n, i] = v.toString().split(':').map(Number);
      const t = Number.isSafeInteger(n) && n < height ? (await this.txsOf(n))[i] : undefined;
      if (!t || t.txId !== k.slice(layout.TXIDX.length) || t.code === 'DUPLICATE_TXID')
        return {
          block: Number.isSafeInteger(n) ? n : height,
          reason: `transaction index entry ${k} is not in any block`,
        };
    }
    return { block: height, reason: `transaction index entry ${txId} → ${pointer} is not in any block` };
  }

  private async strayHistoryEntry(key: string, height: number): Promise<IndexProblem> {
    for await (const k of this.db.keys({ gte: layout.HIST, lt: 'h"' })) {
      const at = parseHistoryKey(k);
      const t = at && at.block < height ? (await this.txsOf(at.block))[at.tx] : undefined;
      if (!at || !t || t.code !== 'VALID' || !t.writes.some(([w]) => w === at.key))
        return {
          block: at?.block ?? height,
          reason: `history index entry ${JSON.stringify(k)} is no transaction's write`,
        };
    }
    return { block: height, reason: `history index entry ${JSON.stringify(key)} is no transaction's write` };
  }

  private async txsOf(n: number): Promise<TxRecord[]> {
    if (this.cached?.n !== n) {
      const raw = await this.db.get(layout.blockKey(n));
      this.cached = { n, txs: raw ? decodeBlock(raw.toString('utf8')).txs : [] };
    }
    return this.cached.txs;
  }
}
