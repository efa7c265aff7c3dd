/**
 * The external witness of a ledger: a service that anchors the ledger's newest block hash (every N
 * blocks or M ms) and each reconciliation run's root on an EVM chain (contracts/Witness.sol), and
 * the check that compares a ledger's stored block hashes with those anchors.
 *
 * Anchoring never blocks the ledger: callers only queue work (the newest block job replaces an
 * older one; roots wait in a bounded queue) and a single background worker sends the
 * transactions, retrying with exponential backoff while the EVM node is unreachable. Because a
 * block hash commits to every earlier block (the chain of previous hashes), anchoring the newest
 * block witnesses all blocks up to it; `verifyAgainstWitness` names the first anchored height whose
 * stored hash changed, so an edit lies between the last matching anchor and that height.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isError, Wallet, type JsonRpcProvider, type TransactionReceipt } from 'ethers';
import {
  connectEvm,
  dayNumber,
  dayText,
  deployWitness,
  sourceChainKey,
  toBytes32,
  waitForReceipt,
  WITNESS_INTERFACE,
  WitnessContract,
  witnessRevertReason,
} from './witness-contract';

export { sourceChainKey } from './witness-contract';

/** A block as the witness needs it (LedgerClient's BlockView fits). */
export interface WitnessBlock {
  number: number;
  /** The block hash, hex (with or without 0x), 32 bytes. */
  hash: string;
  /** When the block was committed (ISO 8601), if the ledger knows; used for the anchoring lag. */
  time?: string;
}

/** The ledger being witnessed (LedgerClient fits: its height() and block(n)). */
export interface WitnessSource {
  /** How many blocks are committed; the newest is height - 1. */
  height(): Promise<number>;
  block(n: number): Promise<WitnessBlock>;
}

export type WitnessLogLevel = 'info' | 'warn' | 'error';
export type WitnessLogger = (level: WitnessLogLevel, message: string, fields?: Record<string, unknown>) => void;

/** Options of {@link WitnessAnchorer}. */
export interface WitnessAnchorerOptions {
  /** The EVM node's JSON-RPC URL (EVM_RPC_URL). */
  rpcUrl: string;
  /** A file holding the anchoring account's secp256k1 private key as 64 hex digits (EVM_KEY_FILE). */
  keyFile: string;
  /** The Witness contract (EVM_WITNESS_ADDRESS); when absent, one is deployed on first use and recorded in `dataDir`. */
  contractAddress?: string;
  /** Where a deployed Witness's address is recorded (file evm-witness.json). */
  dataDir?: string;
  /** The witnessed ledger's id, e.g. `lianjian:<genesis block hash>` (see sourceChainKey). */
  sourceChainId: string;
  source: WitnessSource;
  /** Anchor when the ledger grew by this many blocks since the last anchor (default 20). */
  everyNBlocks?: number;
  /** Anchor new blocks at least this often, in ms (default 60 000). */
  everyMs?: number;
  /** How often to look at the ledger's height, in ms (default min(1000, everyMs)). */
  pollMs?: number;
  /** First retry delay after a failure, doubling up to retryMaxMs (defaults 500 and 30 000). */
  retryInitialMs?: number;
  retryMaxMs?: number;
  /** The most day roots waiting to be anchored (default 64); more are refused and logged. */
  maxPendingRoots?: number;
  /** Per JSON-RPC request timeout in ms (default 15 000). */
  rpcTimeoutMs?: number;
  /** How long to wait for a transaction's receipt before retrying, in ms (default 120 000). */
  receiptTimeoutMs?: number;
  logger?: WitnessLogger;
}

/** The latest block anchor, for the console. */
export interface BlockAnchorRecord {
  height: number;
  /** The anchored block hash: 0x and 64 lowercase hex digits (the ledger shows the same digits without 0x). */
  blockHash: string;
  /** The anchoring EVM transaction (unknown when it was found anchored and its event is out of reach). */
  evmTxHash?: string;
  evmBlock?: number;
  /** When it was anchored (ISO 8601). */
  at: string;
  /** From the block's commit to its anchor's receipt, in ms (only for anchors this process sent). */
  lagMs?: number;
}

/** The latest reconciliation root anchor. */
export interface RootAnchorRecord {
  /** YYYY-MM-DD */
  day: string;
  root: string;
  evmTxHash?: string;
  evmBlock?: number;
  at: string;
}

/** Commit → anchored lag over the anchors this process sent. */
export interface AnchorLag {
  count: number;
  lastMs?: number;
  maxMs?: number;
  meanMs?: number;
}

export type WitnessState = 'idle' | 'anchoring' | 'retrying' | 'failed' | 'closed';

export interface WitnessStatus {
  state: WitnessState;
  /** The Witness contract, once connected. */
  contract?: string;
  /** The EVM chain's id (decimal), once connected. */
  evmChainId?: string;
  /** The bytes32 id the ledger is anchored under. */
  sourceChain: string;
  /** The height waiting to be anchored, if any. */
  pendingHeight?: number;
  pendingRoots: number;
  /** Consecutive failed attempts (0 once one succeeds). */
  failures: number;
  lastError?: string;
  lastAnchor?: BlockAnchorRecord;
  lastRootAnchor?: RootAnchorRecord;
  lag: AnchorLag;
}

/** Configuration the anchorer cannot work with (bad key file, no contract, not an anchorer): it stops. */
export class WitnessConfigError extends Error {
  override readonly name = 'WitnessConfigError';
}

/** A value the witness will not take (it conflicts with an anchor, or goes backwards): logged, dropped, never retried. */
export class WitnessRefusal extends Error {
  override readonly name = 'WitnessRefusal';
}

interface BlockJob {
  kind: 'block';
  height: number;
  /** When this process first saw the block (ms). */
  seenAt: number;
}

interface RootJob {
  kind: 'root';
  day: number;
  root: string;
}

interface Connection {
  provider: JsonRpcProvider;
  evmChainId: string;
  wallet: Wallet;
  witness: WitnessContract;
  deployBlock: number;
}

/** What is recorded in `<dataDir>/evm-witness.json` after deploying a Witness. */
interface DeploymentRecord {
  address: string;
  evmChainId: string;
  evmGenesisHash: string;
  deployTx: string;
  deployBlock: number;
  deployedAt: string;
}

const RECORD_FILE = 'evm-witness.json';

/**
 * Reads an EVM private key file: 64 hex digits, optionally 0x-prefixed, surrounding whitespace ignored.
 * @throws WitnessConfigError when the file cannot be read or holds no key.
 */
export function readEvmKey(file: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new WitnessConfigError(
      `cannot read the EVM key file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  if (!/^(0x)?[0-9a-fA-F]{64}$/.test(text))
    throw new WitnessConfigError(`the EVM key file ${file} must hold a secp256k1 private key as 64 hex digits`);
  return text.startsWith('0x') ? text : `0x${text}`;
}

const defaultLogger: WitnessLogger = (level, message, fields) =>
  process.stderr.write(JSON.stringify({ level, component: 'witness', message, ...fields }) + '\n');

const messageOf = (err: unknown): string =>
  isError(err, 'UNKNOWN_ERROR') || isError(err, 'SERVER_ERROR') || isError(err, 'TIMEOUT')
    ? err.shortMessage
    : err instanceof Error
      ? err.message
      : String(err);

/**
 * Anchors a ledger's block hashes and reconciliation run roots on an EVM chain, in the
 * background. Build it, `start()` it, and call `noteCommitted()` after commits (optional: it also
 * polls) and `anchorRoot()` after each reconciliation run.
 */
export class WitnessAnchorer {
  readonly sourceChain: string;
  private readonly everyNBlocks: number;
  private readonly everyMs: number;
  private readonly pollMs: number;
  private readonly retryInitialMs: number;
  private readonly retryMaxMs: number;
  private readonly maxPendingRoots: number;
  private readonly log: WitnessLogger;
  private connection?: Connection;
  private connecting?: Promise<Connection>;
  private blockJob?: BlockJob;
  private readonly rootJobs: RootJob[] = [];
  private worker?: Promise<void>;
  private checking = false;
  private recheck = false;
  private forceNext = false;
  private timer?: NodeJS.Timeout;
  private wake?: () => void;
  private readonly stopping = new AbortController();
  private closed = false;
  private failedReason?: string;
  private failures = 0;
  private lastError?: string;
  private newestSeen = -1;
  private newestSeenAt = 0;
  private requestedHeight = -1;
  private requestedAt = Date.now();
  private lastBlock?: BlockAnchorRecord;
  private lastRoot?: RootAnchorRecord;
  private readonly lagTotals = { count: 0, totalMs: 0, lastMs: 0, maxMs: 0 };

  /**
   * @throws Error when `sourceChainId` is empty or a numeric option is not a positive integer.
   */
  constructor(private readonly options: WitnessAnchorerOptions) {
    this.sourceChain = sourceChainKey(options.sourceChainId);
    const positive = (value: number | undefined, fallback: number, name: string): number => {
      const chosen = value ?? fallback;
      if (!Number.isSafeInteger(chosen) || chosen < 1) throw new Error(`${name} must be a positive integer`);
      return chosen;
    };
    this.everyNBlocks = positive(options.everyNBlocks, 20, 'everyNBlocks');
    this.everyMs = positive(options.everyMs, 60_000, 'everyMs');
    this.pollMs = positive(options.pollMs, Math.min(1_000, this.everyMs), 'pollMs');
    this.retryInitialMs = positive(options.retryInitialMs, 500, 'retryInitialMs');
    this.retryMaxMs = positive(options.retryMaxMs, 30_000, 'retryMaxMs');
    this.maxPendingRoots = positive(options.maxPendingRoots, 64, 'maxPendingRoots');
    this.log = options.logger ?? defaultLogger;
  }

  /** Starts watching the ledger and connects to the EVM chain in the background. Idempotent. */
  start(): void {
    if (this.timer || this.closed) return;
    this.requestedAt = Date.now();
    this.timer = setInterval(() => this.poke(false), this.pollMs);
    this.timer.unref();
    this.connect().catch((err: unknown) => this.noteConnectFailure(err));
    this.poke(false);
  }

  /** Tells the anchorer a block was committed (it then looks at once instead of at its next poll). Never blocks. */
  noteCommitted(): void {
    this.poke(false);
  }

  /** Queues the newest block for anchoring now, whatever N and M say (e.g. before a shutdown). Never blocks. */
  anchorNow(): void {
    this.poke(true);
  }

  /**
   * Queues a reconciliation run's root for its day. Never blocks: it is anchored in the background;
   * anchoring the same root again is a no-op, a root for a day before the latest anchored one is
   * refused and logged.
   * @param day YYYY-MM-DD (or YYYYMMDD).
   * @param rootHex 32 bytes of hex, with or without 0x.
   * @returns false when it was not queued (the queue is full, the anchorer is closed or failed).
   * @throws Error when `day` or `rootHex` is malformed.
   */
  anchorRoot(day: string, rootHex: string): boolean {
    const job: RootJob = { kind: 'root', day: dayNumber(day), root: toBytes32(rootHex, 'root') };
    if (this.closed || this.failedReason) return false;
    if (this.rootJobs.some((pending) => pending.day === job.day && pending.root === job.root)) return true;
    if (this.rootJobs.length >= this.maxPendingRoots) {
      this.log('error', 'root anchor queue is full; root not queued', { day: dayText(job.day), root: job.root });
      return false;
    }
    this.rootJobs.push(job);
    this.runWorker();
    return true;
  }

  /** The latest block anchor (this process's, or the contract's newest once connected). */
  lastAnchor(): BlockAnchorRecord | undefined {
    return this.lastBlock && { ...this.lastBlock };
  }

  /** The latest reconciliation root this process anchored or found anchored. */
  lastRootAnchor(): RootAnchorRecord | undefined {
    return this.lastRoot && { ...this.lastRoot };
  }

  /** Commit → anchored lag of the block anchors this process sent. */
  lag(): AnchorLag {
    const { count, totalMs, lastMs, maxMs } = this.lagTotals;
    return count === 0 ? { count } : { count, lastMs, maxMs, meanMs: Math.round(totalMs / count) };
  }

  /** Everything the console and health checks show. */
  status(): WitnessStatus {
    const pending = this.blockJob !== undefined || this.rootJobs.length > 0;
    const state: WitnessState = this.closed
      ? 'closed'
      : this.failedReason
        ? 'failed'
        : this.failures > 0
          ? 'retrying'
          : pending
            ? 'anchoring'
            : 'idle';
    return {
      state,
      contract: this.connection?.witness.address,
      evmChainId: this.connection?.evmChainId,
      sourceChain: this.sourceChain,
      pendingHeight: this.blockJob?.height,
      pendingRoots: this.rootJobs.length,
      failures: this.failures,
      lastError: this.failedReason ?? this.lastError,
      lastAnchor: this.lastAnchor(),
      lastRootAnchor: this.lastRootAnchor(),
      lag: this.lag(),
    };
  }

  /**
   * Resolves true once nothing is queued or in flight, false after `timeoutMs` (for tests and shutdown).
   */
  async idle(timeoutMs = 30_000): Promise<boolean> {
    const end = Date.now() + timeoutMs;
    const busy = (): boolean =>
      !this.closed &&
      !this.failedReason &&
      (this.checking || this.worker !== undefined || this.blockJob !== undefined || this.rootJobs.length > 0);
    while (busy()) {
      if (Date.now() > end) return false;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return true;
  }

  /** Stops polling and retrying; waits for the transaction in flight, if any. Pending work is dropped. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.stopping.abort();
    this.wake?.();
    await this.worker;
    await this.connecting?.catch(() => undefined);
    this.connection?.provider.destroy();
    this.connection = undefined;
  }

  private poke(force: boolean): void {
    if (this.closed) return;
    this.forceNext ||= force;
    if (this.checking) {
      this.recheck = true;
      return;
    }
    this.checking = true;
    this.check()
      .catch((err: unknown) => this.log('warn', 'cannot read the ledger height', { error: messageOf(err) }))
      .finally(() => {
        this.checking = false;
        if (this.recheck) {
          this.recheck = false;
          this.poke(false);
        }
      });
  }

  private async check(): Promise<void> {
    const newest = (await this.options.source.height()) - 1;
    const now = Date.now();
    if (newest > this.newestSeen) [this.newestSeen, this.newestSeenAt] = [newest, now];
    if (newest <= this.requestedHeight || this.closed) return;
    const due =
      this.forceNext || newest - this.requestedHeight >= this.everyNBlocks || now - this.requestedAt >= this.everyMs;
    if (!due) return;
    this.forceNext = false;
    this.blockJob = { kind: 'block', height: newest, seenAt: this.newestSeenAt };
    [this.requestedHeight, this.requestedAt] = [newest, now];
    this.runWorker();
  }

  private runWorker(): void {
    if (this.worker || this.closed || this.failedReason) return;
    this.worker = this.drain().finally(() => {
      this.worker = undefined;
      // Work queued while the worker was finishing.
      if (this.blockJob || this.rootJobs.length > 0) this.runWorker();
    });
  }

  private async drain(): Promise<void> {
    for (;;) {
      const job: RootJob | BlockJob | undefined = this.rootJobs.at(0) ?? this.blockJob;
      if (!job || this.closed || this.failedReason) return;
      try {
        const connection = await this.connect();
        if (job.kind === 'root') await this.anchorRootJob(connection, job);
        else await this.anchorBlockJob(connection, job);
        this.finish(job);
        [this.failures, this.lastError] = [0, undefined];
      } catch (err) {
        await this.onFailure(job, err);
      }
    }
  }

  private finish(job: BlockJob | RootJob): void {
    if (job.kind === 'block') {
      if (this.blockJob === job) this.blockJob = undefined;
      return;
    }
    const index = this.rootJobs.indexOf(job);
    if (index >= 0) this.rootJobs.splice(index, 1);
  }

  private async onFailure(job: BlockJob | RootJob, err: unknown): Promise<void> {
    if (this.closed) return;
    if (err instanceof WitnessConfigError) {
      this.failedReason = err.message;
      this.log('error', `witness stopped: ${err.message}`);
      return;
    }
    const refusal = err instanceof WitnessRefusal ? err.message : witnessRevertReason(err);
    if (refusal) {
      this.finish(job);
      this.lastError = refusal;
      const what = job.kind === 'block' ? { height: job.height } : { day: dayText(job.day), root: job.root };
      this.log('error', `witness refused: ${refusal}`, what);
      return;
    }
    this.failures += 1;
    this.lastError = messageOf(err);
    const delay = Math.min(this.retryMaxMs, this.retryInitialMs * 2 ** Math.min(this.failures - 1, 30));
    this.log('warn', 'anchoring failed; retrying', { error: this.lastError, attempt: this.failures, retryInMs: delay });
    await this.sleep(delay);
  }

  private noteConnectFailure(err: unknown): void {
    if (err instanceof WitnessConfigError) {
      this.failedReason = err.message;
      this.log('error', `witness stopped: ${err.message}`);
    } else if (!this.closed) this.log('warn', 'EVM node not reachable yet', { error: messageOf(err) });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private connect(): Promise<Connection> {
    if (this.connection) return Promise.resolve(this.connection);
    this.connecting ??= this.openConnection().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async openConnection(): Promise<Connection> {
    const key = readEvmKey(this.options.keyFile);
    const provider = await connectEvm({ rpcUrl: this.options.rpcUrl, timeoutMs: this.options.rpcTimeoutMs });
    try {
      const wallet = new Wallet(key, provider);
      const { address, deployBlock } = await this.resolveContract(provider, wallet);
      const witness = new WitnessContract(address, provider);
      const evmChainId = (await provider.getNetwork()).chainId.toString();
      const connection: Connection = { provider, evmChainId, wallet, witness, deployBlock };
      await this.ensureAnchorer(connection);
      const latest = await witness.latestHeight(this.sourceChain);
      if (latest !== undefined) {
        this.requestedHeight = Math.max(this.requestedHeight, latest);
        await this.recallLastAnchor(connection, latest);
      }
      if (this.closed) throw new Error('closed');
      this.connection = connection;
      this.log('info', 'witness connected', {
        contract: address,
        anchorer: wallet.address,
        sourceChain: this.sourceChain,
        latestAnchoredHeight: latest,
      });
      return connection;
    } catch (err) {
      provider.destroy();
      throw err;
    }
  }

  /** The configured contract, the one recorded in the data dir, or a new deployment. */
  private async resolveContract(
    provider: JsonRpcProvider,
    wallet: Wallet,
  ): Promise<{ address: string; deployBlock: number }> {
    const configured = this.options.contractAddress;
    if (configured) {
      if ((await provider.getCode(configured)) === '0x')
        throw new WitnessConfigError(`no contract at the Witness address ${configured} on ${this.options.rpcUrl}`);
      return { address: configured, deployBlock: 0 };
    }
    if (!this.options.dataDir)
      throw new WitnessConfigError('no Witness address (EVM_WITNESS_ADDRESS) and no data dir to record a deployment');
    const file = path.join(this.options.dataDir, RECORD_FILE);
    const record = readRecord(file);
    const [network, genesis, evmHeight] = await Promise.all([
      provider.getNetwork(),
      provider.getBlock(0),
      provider.getBlockNumber(),
    ]);
    const here = { evmChainId: network.chainId.toString(), evmGenesisHash: genesis?.hash ?? '' };
    const sameChain =
      record?.evmChainId === here.evmChainId &&
      record.evmGenesisHash === here.evmGenesisHash &&
      record.deployBlock <= evmHeight;
    if (record && sameChain) {
      if ((await provider.getCode(record.address)) === '0x')
        throw new WitnessConfigError(`no contract at the recorded Witness address ${record.address} (${file})`);
      return record;
    }
    if (record)
      this.log('warn', 'the recorded Witness is on another EVM chain (a reset dev node?); deploying a new one', {
        recorded: record.address,
        file,
      });
    const deployed = await deployWitness(wallet);
    const fresh: DeploymentRecord = {
      address: deployed.address,
      ...here,
      deployTx: deployed.txHash,
      deployBlock: deployed.evmBlock,
      deployedAt: new Date().toISOString(),
    };
    fs.mkdirSync(this.options.dataDir, { recursive: true });
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(fresh, null, 2) + '\n');
    fs.renameSync(`${file}.tmp`, file);
    this.log('info', 'deployed a Witness contract', { contract: deployed.address, tx: deployed.txHash, file });
    return fresh;
  }

  private async ensureAnchorer(connection: Connection): Promise<void> {
    const { witness, wallet } = connection;
    if (await witness.isAnchorer(this.sourceChain, wallet.address)) return;
    if ((await witness.owner()).toLowerCase() !== wallet.address.toLowerCase())
      throw new WitnessConfigError(
        `${wallet.address} may not anchor ${this.options.sourceChainId} on Witness ${witness.address} and does not own it`,
      );
    await this.send(connection, 'setAnchorer', [this.sourceChain, wallet.address, true]);
  }

  private async recallLastAnchor(connection: Connection, height: number): Promise<void> {
    if (this.lastBlock && this.lastBlock.height >= height) return;
    const anchor = await connection.witness.blockAnchor(this.sourceChain, height);
    if (!anchor) return;
    const tx = await connection.witness
      .blockAnchoredTx(this.sourceChain, height, connection.deployBlock)
      .catch(() => undefined);
    this.lastBlock = {
      height,
      blockHash: anchor.value,
      evmTxHash: tx?.txHash,
      evmBlock: tx?.evmBlock,
      at: anchor.time,
    };
  }

  private async send(connection: Connection, fn: string, args: unknown[]): Promise<TransactionReceipt> {
    const data = WITNESS_INTERFACE.encodeFunctionData(fn, args);
    const tx = await connection.wallet.sendTransaction({ to: connection.witness.address, data });
    const receipt = await waitForReceipt({
      provider: connection.provider,
      txHash: tx.hash,
      pollMs: 50,
      timeoutMs: this.options.receiptTimeoutMs,
      signal: this.stopping.signal,
    });
    if (receipt.status !== 1) throw new WitnessRefusal(`${fn} transaction ${tx.hash} reverted`);
    return receipt;
  }

  private async anchorBlockJob(connection: Connection, job: BlockJob): Promise<void> {
    const block = await this.options.source.block(job.height);
    let hash: string;
    try {
      hash = toBytes32(block.hash, `hash of block ${job.height}`);
    } catch (err) {
      throw new WitnessRefusal((err as Error).message);
    }
    const existing = await connection.witness.blockAnchor(this.sourceChain, job.height);
    if (existing) {
      if (existing.value !== hash)
        throw new WitnessRefusal(
          `block ${job.height} was anchored with hash ${existing.value} at ${existing.time}, ` +
            `but the ledger now stores ${hash}: the ledger changed after it was anchored`,
        );
      if (!this.lastBlock || this.lastBlock.height < job.height)
        this.lastBlock = { height: job.height, blockHash: hash, at: existing.time };
      return;
    }
    const latest = await connection.witness.latestHeight(this.sourceChain);
    if (latest !== undefined && latest > job.height) {
      this.log('info', 'a later block is already anchored; skipping', { height: job.height, latest });
      return;
    }
    const receipt = await this.send(connection, 'anchorBlock', [this.sourceChain, job.height, hash]);
    const anchoredAt = Date.now();
    const committed = block.time ? Date.parse(block.time) : NaN;
    const lagMs = Math.max(0, anchoredAt - (Number.isFinite(committed) ? Math.min(committed, job.seenAt) : job.seenAt));
    this.lastBlock = {
      height: job.height,
      blockHash: hash,
      evmTxHash: receipt.hash,
      evmBlock: receipt.blockNumber,
      at: new Date(anchoredAt).toISOString(),
      lagMs,
    };
    const lag = this.lagTotals;
    [lag.count, lag.totalMs, lag.lastMs, lag.maxMs] = [
      lag.count + 1,
      lag.totalMs + lagMs,
      lagMs,
      Math.max(lag.maxMs, lagMs),
    ];
    this.log('info', 'anchored block', { height: job.height, evmTx: receipt.hash, lagMs });
  }

  private async anchorRootJob(connection: Connection, job: RootJob): Promise<void> {
    const day = dayText(job.day);
    const existing = await connection.witness.rootAnchor(this.sourceChain, job.day, job.root);
    if (existing) {
      if (!this.lastRoot || this.lastRoot.day < day) this.lastRoot = { day, root: job.root, at: existing.time };
      return;
    }
    const receipt = await this.send(connection, 'anchorRoot', [this.sourceChain, job.day, job.root]);
    this.lastRoot = {
      day,
      root: job.root,
      evmTxHash: receipt.hash,
      evmBlock: receipt.blockNumber,
      at: new Date().toISOString(),
    };
    this.log('info', 'anchored reconciliation root', { day, evmTx: receipt.hash });
  }
}

/** The id a Lianjian ledger is anchored under: its genesis block hash names it. */
export const ledgerWitnessId = (genesisHash: string): string => `lianjian:${genesisHash}`;

/**
 * The Witness address the service deployed and recorded in `dataDir`, if any.
 * @throws WitnessConfigError when the record cannot be read
 */
export const recordedWitnessAddress = (dataDir: string): string | undefined =>
  readRecord(path.join(dataDir, RECORD_FILE))?.address;

function readRecord(file: string): DeploymentRecord | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as DeploymentRecord;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new WitnessConfigError(`cannot read the Witness record ${file}: ${(err as Error).message}`);
  }
}

/** Options of {@link verifyAgainstWitness}. */
export interface VerifyAgainstWitnessOptions {
  source: WitnessSource;
  rpcUrl: string;
  /** The Witness contract's address. */
  contract: string;
  /** The witnessed ledger's id, as given to the anchorer. */
  chainId: string;
  /** Anchors read per call (default 500). */
  pageSize?: number;
  rpcTimeoutMs?: number;
}

/** The first anchored block whose stored hash is not the anchored one. */
export interface WitnessMismatch {
  height: number;
  reason: 'hash differs' | 'block missing';
  /** The hash the ledger stores now (absent when the block is missing). */
  storedHash?: string;
  anchoredHash: string;
  /** When the anchored hash was anchored (EVM block time, ISO 8601). */
  anchoredAt: string;
}

export interface WitnessVerification {
  ok: boolean;
  /** The ledger's height (number of blocks). */
  height: number;
  /** How many block anchors the witness holds for this ledger. */
  anchors: number;
  /** How many anchored blocks were compared before the verdict. */
  checked: number;
  /** The newest anchored height (undefined when nothing is anchored). */
  latestAnchoredHeight?: number;
  /** Blocks above the newest anchor: not yet witnessed. */
  unwitnessed: number;
  /** The last anchored height that matched before `mismatch` (an edit lies after it, up to mismatch.height). */
  lastMatchedHeight?: number;
  mismatch?: WitnessMismatch;
}

/**
 * Compares the ledger's stored block hashes with the witness's anchors, oldest first, and reports
 * the first anchored height whose stored hash differs (or whose block is gone), or OK with counts.
 * Blocks between anchors are covered through the hash chain (`verify-chain` checks the links).
 * @throws Error when the EVM node cannot be reached, `contract` holds no Witness, or the ledger cannot be read.
 */
export async function verifyAgainstWitness(options: VerifyAgainstWitnessOptions): Promise<WitnessVerification> {
  const chain = sourceChainKey(options.chainId);
  const provider = await connectEvm({ rpcUrl: options.rpcUrl, timeoutMs: options.rpcTimeoutMs });
  try {
    if ((await provider.getCode(options.contract)) === '0x')
      throw new Error(`no contract at the Witness address ${options.contract}`);
    const witness = new WitnessContract(options.contract, provider);
    const [{ blocks: anchors }, latestAnchoredHeight, height] = await Promise.all([
      witness.anchorCounts(chain),
      witness.latestHeight(chain),
      options.source.height(),
    ]);
    const unwitnessed = Math.max(0, height - 1 - (latestAnchoredHeight ?? -1));
    const verdict = { height, anchors, latestAnchoredHeight, unwitnessed };
    const pageSize = options.pageSize ?? 500;
    let checked = 0;
    let lastMatchedHeight: number | undefined;
    for (let start = 0; start < anchors; start += pageSize) {
      for (const anchor of await witness.blockAnchors(chain, start, pageSize)) {
        checked += 1;
        const mismatch = await compareWithAnchor(options.source, height, anchor);
        if (mismatch) return { ok: false, ...verdict, checked, lastMatchedHeight, mismatch };
        lastMatchedHeight = anchor.height;
      }
    }
    return { ok: true, ...verdict, checked, lastMatchedHeight };
  } finally {
    provider.destroy();
  }
}

async function compareWithAnchor(
  source: WitnessSource,
  height: number,
  anchor: { height: number; value: string; time: string },
): Promise<WitnessMismatch | undefined> {
  const base = { height: anchor.height, anchoredHash: anchor.value, anchoredAt: anchor.time };
  if (anchor.height >= height) return { ...base, reason: 'block missing' };
  const stored = (await source.block(anchor.height)).hash;
  let storedHash: string | undefined;
  try {
    storedHash = toBytes32(stored, 'stored hash');
  } catch {
    storedHash = undefined;
  }
  return storedHash === anchor.value ? undefined : { ...base, reason: 'hash differs', storedHash: stored };
}
