/**
 * EmbeddedEngine: executes chaincode/ in-process against LevelDB the way Fabric does —
 * execute (simulate + endorse) → order (cut blocks by size or timeout) → validate (MVCC) → commit.
 * One process owns a data dir (LevelDB's lock enforces it).
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { LedgerError } from '../../chaincode/lib/errors';
import { Block, decodeBlock, GENESIS_PREVIOUS_HASH, TxRecord, ValidationCode } from './block';
import { Chaincode, ContractClass, loadChaincode } from './chaincode';
import { commitBlock, CommittedBlock, committedVersion, Db, Endorsed } from './commit';
import { HotKeys } from './hot-keys';
import { StateCache } from './state-cache';
import { Identities } from './identity';
import * as stateKeys from './keys';
import { checkProposal, computeTxId, DEFAULT_CHANNEL, Proposal, proposalFields } from './proposal';
import { EmbeddedStub } from './stub';
import { loadNodeKey, NodeKey, NodeKeyLocation, nodeKeyIn, openDb } from './store';
import { sharedVerifierPool, VerifierPool } from '../../chaincode/lib/gm/pool';

/** Turns a tx waits on hot keys at most; after that it is ordered as it is (and may fail MVCC). */
const MAX_TURNS = 64;
/** Verified signatures remembered for txs simulated again. */
const VERIFIED_KEPT = 4096;

export interface EngineOptions {
  dataDir: string;
  contracts: ContractClass[];
  blockMaxTx?: number;
  blockTimeoutMs?: number;
  /** Threads that verify members' SM2 intent signatures for the chaincode; default: the process's shared pool, 0 = inline. */
  verifierThreads?: number;
  channel?: string;
  /** fsync each block batch (survives power loss, not just process kill). Default true. */
  syncWrites?: boolean;
  /** Cut a block as soon as the committer is idle (default true); false = by size or timeout only. */
  eagerCut?: boolean;
  /**
   * Queue a tx whose reads overlap a pending tx's writes until that one commits, then simulate it
   * again (default true); false orders it at once to fail MVCC validation, as Fabric would.
   */
  serializeHotKeys?: boolean;
  /** The node's block-signing key (default: `node.key` in dataDir). */
  nodeKey?: NodeKeyLocation;
}

export interface SubmitResult {
  txId: string;
  blockNumber: number;
  txIndex: number;
  status: ValidationCode;
  result: string;
  event?: { name: string; payload: string };
}

export interface ChainEvent {
  blockNumber: number;
  txIndex: number;
  txId: string;
  name: string;
  payload: string;
}

export interface TransactionInfo {
  txId: string;
  blockNumber: number;
  txIndex: number;
  status: ValidationCode;
  fn: string;
  args: string[];
  creator: { mspId: string; id: string };
  timestamp: number;
  result: string;
  event?: { name: string; payload: string };
}

interface Waiting {
  e: Endorsed;
  resolve: (r: SubmitResult) => void;
  reject: (e: Error) => void;
}

export class EmbeddedEngine {
  private readonly ids = new Identities();
  private readonly pending = new Set<string>();
  private queue: Waiting[] = [];
  private timer?: NodeJS.Timeout;
  private due = false;
  private cutScheduled = false;
  private readonly hot = new HotKeys();
  private inflight = 0;
  private committing = false;
  private closed = false;
  private lastHash = GENESIS_PREVIOUS_HASH;
  private committedHeight = 0;
  private wakers: (() => void)[] = [];
  private readonly recent = new Map<number, ChainEvent[]>();
  private ownsPool = false;
  private readonly state: StateCache;

  private constructor(
    readonly db: Db,
    readonly nodeKey: NodeKey,
    private readonly cc: Chaincode,
    private readonly pool: VerifierPool,
    private readonly o: Required<Omit<EngineOptions, 'contracts' | 'verifierThreads' | 'nodeKey'>>,
  ) {
    this.state = new StateCache(db);
  }

  static async open(opts: EngineOptions): Promise<EmbeddedEngine> {
    fs.mkdirSync(opts.dataDir, { recursive: true });
    const nodeKey = loadNodeKey(opts.nodeKey ?? nodeKeyIn(opts.dataDir), true);
    const db = openDb(opts.dataDir);
    await db.open();
    const o = {
      dataDir: opts.dataDir,
      blockMaxTx: opts.blockMaxTx ?? 500,
      blockTimeoutMs: opts.blockTimeoutMs ?? 20,
      channel: opts.channel ?? DEFAULT_CHANNEL,
      syncWrites: opts.syncWrites ?? true,
      eagerCut: opts.eagerCut ?? true,
      serializeHotKeys: opts.serializeHotKeys ?? true,
    };
    const e = new EmbeddedEngine(
      db,
      nodeKey,
      loadChaincode(opts.contracts),
      opts.verifierThreads === undefined ? sharedVerifierPool() : new VerifierPool(opts.verifierThreads),
      o,
    );
    e.ownsPool = opts.verifierThreads !== undefined;
    const h = db.getSync(stateKeys.HEIGHT);
    e.committedHeight = h ? Number(h.toString()) : 0;
    if (e.committedHeight > 0) e.lastHash = (await e.getBlock(e.committedHeight - 1))!.hash;
    for await (const [k, v] of db.iterator({ gte: stateKeys.ORG, lt: stateKeys.ORG + '\uffff' }))
      e.ids.addOrg(k.slice(stateKeys.ORG.length), v.toString());
    return e;
  }

  get nodePublicKey(): string {
    return this.nodeKey.publicKey;
  }
  height(): number {
    return this.committedHeight;
  }
  orgs(): string[] {
    return this.ids.orgList();
  }

  /** Registers an org's root CA (the embedded channel config), persisted in the ledger DB. */
  async addOrg(ca: { org: string; certPem: string }): Promise<void> {
    if (this.ids.addOrg(ca.org, ca.certPem))
      await this.db.put(stateKeys.ORG + ca.org, Buffer.from(ca.certPem), { sync: this.o.syncWrites });
  }

  /** Checks the submitter, simulates and orders a transaction; resolves once its block is committed. */
  submit(p: Proposal): Promise<SubmitResult> {
    return this.execute(p);
  }

  /** Read-only query: checks the submitter and simulates, orders nothing; returns the payload as utf8. */
  async evaluate(p: Proposal): Promise<string> {
    const { stub } = await this.simulate(p, false);
    return stub.result;
  }

  /** `validated` false (queries): nothing will be validated, so range reads need not be recorded. */
  private async simulate(p: Proposal, validated = true, knownTxId?: string) {
    if (this.closed) throw new LedgerError('ENGINE_CLOSED', 'the ledger engine is closed', undefined, 503);
    checkProposal(p);
    const cert = this.ids.check(p.creator);
    const txId = knownTxId ?? computeTxId(p.nonce, p.creator);
    const channel = p.channel ?? this.o.channel;
    if (channel !== this.o.channel)
      throw new LedgerError('UNKNOWN_CHANNEL', `channel ${channel} is not served here`, 'channel', 404);
    const s = new EmbeddedStub({
      db: this.state,
      txId,
      channel,
      fn: p.fn,
      args: p.args,
      mspId: p.creator.mspId,
      certPem: p.creator.certPem,
      transient: p.transient,
      timestamp: p.timestamp,
      recordRanges: validated,
      verifySm2: this.verifySm2,
    });
    // Iterators the chaincode left open are closed when it returns, as a Fabric peer does.
    const payload = await this.cc.invoke(s).finally(() => s.closeIterators());
    return { stub: Object.assign(s, { result: payload.toString('utf8') }), txId, cert };
  }

  /**
   * The peer's SM2 verifier offered to the chaincode: members' intent signatures, on worker
   * threads. A tx simulated again (its turn on a hot key came) does not pay for its signature
   * twice: signatures that verified are remembered for a while.
   */
  private readonly verifySm2 = async (publicKey: string, messageHex: string, signature: string): Promise<boolean> => {
    const key = publicKey + messageHex + signature;
    if (this.verified.has(key)) return true;
    const ok = await this.pool.verify(publicKey, messageHex, signature, 'urgent');
    if (ok) {
      if (this.verified.size >= VERIFIED_KEPT) this.verified.delete(this.verified.keys().next().value as string);
      this.verified.add(key);
    }
    return ok;
  };
  private readonly verified = new Set<string>();

  private async execute(p: Proposal): Promise<SubmitResult> {
    // Claimed from here on: a second proposal with this txId is refused while this one runs.
    const claimed = p && p.creator && typeof p.nonce === 'string' ? computeTxId(p.nonce, p.creator) : undefined;
    if (claimed !== undefined) {
      this.rejectDuplicate(claimed);
      this.pending.add(claimed);
    }
    let sim: Awaited<ReturnType<EmbeddedEngine['simulate']>>;
    try {
      sim = await this.simulateInTurn(p, claimed);
    } catch (err) {
      if (claimed !== undefined) this.pending.delete(claimed);
      throw err;
    }
    const { stub, txId, cert } = sim;
    const ranges = stub.rangeReads;
    const f = proposalFields(p);
    const e: Endorsed = {
      rec: {
        txId,
        channel: f.channel,
        fn: f.fn,
        args: f.args,
        transientHash: f.transientHash,
        creator: { mspId: f.mspId, id: cert.id },
        nonce: f.nonce,
        timestamp: f.timestamp,
        result: stub.result,
        reads: [...stub.reads],
        ...(ranges.length ? { ranges } : {}),
        writes: [...stub.writes]
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([k, v]) => [k, v === null ? null : v.toString('base64')]),
        ...(stub.event ? { event: { name: stub.event.name, payload: stub.event.payload.toString('utf8') } } : {}),
      },
      certPem: p.creator.certPem,
      writes: stub.writes,
    };
    return new Promise((resolve, reject) => {
      this.queue.push({ e, resolve, reject });
      // Cut by size, or at once when the committer is idle (pipelined: while a block commits,
      // the txs executing meanwhile gather into the next one); by timeout without eagerCut.
      if (this.queue.length >= this.o.blockMaxTx || (this.o.eagerCut && !this.committing)) this.cutSoon();
      else if (!this.o.eagerCut)
        this.timer ??= setTimeout(() => {
          this.timer = undefined;
          this.cutSoon();
        }, this.o.blockTimeoutMs);
    });
  }

  /**
   * Simulates `p` until its reads overlap nothing pending (hot keys, see hot-keys.ts), then
   * registers its writes as pending: the tx is ordered and cannot fail MVCC against those.
   */
  private async simulateInTurn(p: Proposal, txId?: string): Promise<Awaited<ReturnType<EmbeddedEngine['simulate']>>> {
    let turn: string | undefined;
    this.inflight++;
    try {
      for (let attempt = 1; ; attempt++) {
        const height = this.committedHeight;
        const sim = await this.simulate(p, true, txId);
        const stale =
          height === this.committedHeight
            ? undefined
            : (key: string, version: string): boolean => committedVersion(this.state, key) !== version;
        const busy =
          attempt > MAX_TURNS || !this.o.serializeHotKeys ? undefined : this.hot.conflict(sim.stub, stale, turn);
        if (busy === undefined) {
          this.hot.add(sim.stub.writes.keys());
          return sim;
        }
        if (turn !== undefined) this.hot.done(turn);
        turn = undefined;
        await this.hot.wait(busy);
        turn = busy;
      }
    } finally {
      if (turn !== undefined) this.hot.done(turn);
      this.inflight--;
    }
  }

  /** Cuts a block on the next turn of the event loop (txs arriving in this one join it). */
  private cutSoon(): void {
    this.due = true;
    if (this.cutScheduled) return;
    this.cutScheduled = true;
    setImmediate(() => {
      this.cutScheduled = false;
      void this.pump();
    });
  }

  private rejectDuplicate(txId: string): void {
    if (this.pending.has(txId) || this.db.getSync(stateKeys.txKey(txId)) !== undefined) {
      throw new LedgerError('DUPLICATE_TXID', `transaction ${txId} was already submitted`, 'nonce', 409);
    }
  }

  /** Cuts and commits blocks one at a time; under load, txs queue up into bigger blocks. */
  private async pump(): Promise<void> {
    if (this.committing || !this.due || this.queue.length === 0) return;
    this.committing = true;
    const batch = this.queue.splice(0, this.o.blockMaxTx);
    // Leftovers waited through this commit: with eagerCut they make the next block at once.
    this.due = this.queue.length >= this.o.blockMaxTx || (this.queue.length > 0 && (this.o.eagerCut || !this.timer));
    if (this.queue.length === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    try {
      const b = await commitBlock({
        db: this.db,
        state: this.state,
        number: this.committedHeight,
        previousHash: this.lastHash,
        endorsed: batch.map((w) => w.e),
        nodeKey: this.nodeKey,
        sync: this.o.syncWrites,
      });
      this.afterCommit(b, batch);
    } catch (err) {
      for (const w of batch) {
        this.pending.delete(w.e.rec.txId);
        this.hot.remove(w.e.writes.keys());
        w.reject(err as Error);
      }
    } finally {
      this.committing = false;
    }
    if (this.queue.length > 0 && this.o.eagerCut) this.due = true;
    void this.pump();
  }

  private afterCommit(b: CommittedBlock, batch: Waiting[]): void {
    this.lastHash = b.hash;
    this.committedHeight = b.number + 1;
    this.recent.set(b.number, eventsOf(b.number, b.txs));
    if (this.recent.size > 16) this.recent.delete(this.recent.keys().next().value as number);
    b.txs.forEach((t, i) => {
      this.pending.delete(t.txId);
      this.hot.remove(batch[i].e.writes.keys());
      batch[i].resolve({
        txId: t.txId,
        blockNumber: b.number,
        txIndex: i,
        status: t.code,
        result: t.result,
        ...(t.event ? { event: t.event } : {}),
      });
    });
    const w = this.wakers;
    this.wakers = [];
    w.forEach((f) => f());
  }

  async getBlock(n: number): Promise<Block | undefined> {
    if (!Number.isSafeInteger(n) || n < 0 || n >= this.committedHeight) return undefined;
    const raw = await this.db.get(stateKeys.blockKey(n));
    return raw ? decodeBlock(raw.toString('utf8')) : undefined;
  }

  async getTransaction(txId: string): Promise<TransactionInfo | undefined> {
    const ptr = typeof txId === 'string' ? this.db.getSync(stateKeys.txKey(txId)) : undefined;
    if (!ptr) return undefined;
    const [blockNumber, txIndex] = ptr.toString().split(':').map(Number);
    const t: TxRecord = (await this.getBlock(blockNumber))!.txs[txIndex];
    return {
      txId,
      blockNumber,
      txIndex,
      status: t.code,
      fn: t.fn,
      args: t.args,
      creator: { mspId: t.creator.mspId, id: t.creator.id },
      timestamp: t.timestamp,
      result: t.result,
      ...(t.event ? { event: t.event } : {}),
    };
  }

  /** Committed events of VALID txs from `fromBlock` on: history first, then live, no gap or duplicate. */
  async *eventsFrom(fromBlock = 0): AsyncIterable<ChainEvent> {
    let next = Math.max(0, Math.floor(fromBlock));
    while (!this.closed) {
      if (next < this.committedHeight) {
        const evs = this.recent.get(next) ?? eventsOf(next, (await this.getBlock(next))!.txs);
        next++;
        yield* evs;
        continue;
      }
      await new Promise<void>((r) => this.wakers.push(r));
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Let executing txs reach the queue and every queued tx commit before the DB closes.
    while (this.inflight || this.committing || this.queue.length) {
      this.due = true;
      await this.pump();
      await new Promise((r) => setTimeout(r, 5));
    }
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.wakers.forEach((f) => f());
    if (this.ownsPool) await this.pool.close();
    await this.db.close();
  }
}

function eventsOf(blockNumber: number, txs: TxRecord[]): ChainEvent[] {
  const out: ChainEvent[] = [];
  txs.forEach((t, txIndex) => {
    if (t.code === 'VALID' && t.event)
      out.push({ blockNumber, txIndex, txId: t.txId, name: t.event.name, payload: t.event.payload });
  });
  return out;
}

export const newNonce = (): string => randomBytes(16).toString('hex');
