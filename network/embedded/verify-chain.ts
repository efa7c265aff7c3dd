/**
 * verify-chain: re-hashes every block, checks the node's header signatures and every
 * submitter's certificate, checks that every valid write carries its member's signed intent
 * (signature against the member's key as registered at that point of the chain, and the call
 * bound to what was signed), re-checks MVCC verdicts against replayed versions, checks the
 * transaction and key-history indexes, rebuilds state from valid write sets and compares it with
 * the stored state. With `replay`, every valid transaction is also executed again from the
 * state before it and must write exactly what its block records (network/embedded/replay.ts).
 */
import { sm3 } from '../../chaincode/lib/gm';
import { checkBlockIntegrity, decodeBlock, GENESIS_PREVIOUS_HASH, TxRecord } from './block';
import type { Db } from './commit';
import { loadChaincode } from './chaincode';
import { loadNodePublicKey, openDb } from './store';
import { Identities } from './identity';
import * as layout from './keys';
import { contracts } from '../../chaincode';
import { bindingMismatch, IntentRecord } from '../../chaincode/core/authenticate';
import type { Member } from '../../chaincode/core/context';
import { UNSIGNED_WRITES } from '../../chaincode/core/identity';
import { intentDigest } from '../../chaincode/core/intent';
import { VerifierPool } from '../../chaincode/lib/gm/pool';
import { IndexCheck } from './verify-indexes';
import { replayTransaction, ReplayedState } from './replay';

export interface VerifyResult {
  ok: boolean;
  height: number;
  badBlock?: number;
  reason?: string;
}
type Progress = (line: string) => void;

export interface VerifyOptions {
  progress?: Progress;
  /** Execute every valid transaction again and compare its write set, result and event. */
  replay?: boolean;
  pool?: VerifierPool;
}

class Bad extends Error {
  constructor(
    readonly block: number,
    reason: string,
  ) {
    super(reason);
  }
}

/** The Lianjian chaincode's contracts: each of their writes carries a member's intent. */
const LIANJIAN_CONTRACTS = new Set(contracts.map((Contract) => new Contract().getName()));
const decode = <T>(base64: string): T => JSON.parse(Buffer.from(base64, 'base64').toString('utf8')) as T;

class ChainVerifier {
  private readonly ids = new Identities();
  private readonly state = new ReplayedState();
  private readonly indexes: IndexCheck;
  private readonly chaincode = loadChaincode(contracts);
  private readonly verifySm2: (publicKey: string, messageHex: string, signature: string) => Promise<boolean>;

  constructor(
    private readonly db: Db,
    private readonly nodePublicKey: string,
    private readonly options: VerifyOptions & { pool: VerifierPool },
  ) {
    this.indexes = new IndexCheck(db);
    this.verifySm2 = (publicKey, messageHex, signature) => options.pool.verify(publicKey, messageHex, signature);
  }

  async run(): Promise<number> {
    const height = Number(this.db.getSync(layout.HEIGHT)?.toString() ?? '0');
    for await (const [k, v] of this.db.iterator({ gte: layout.ORG, lt: layout.ORG + '\uffff' }))
      this.ids.addOrg(k.slice(layout.ORG.length), v.toString());
    let prev = GENESIS_PREVIOUS_HASH;
    let lastReport = Date.now();
    for (let n = 0; n < height; n++) {
      prev = await this.block(n, prev);
      if (this.options.progress && Date.now() - lastReport > 2000) {
        this.options.progress(`verify-chain: block ${n + 1}/${height}`);
        lastReport = Date.now();
      }
    }
    if ((await this.db.get(layout.blockKey(height))) !== undefined)
      throw new Bad(height, 'block stored beyond the recorded height');
    const stray = await this.indexes.rest(height);
    if (stray) throw new Bad(stray.block, stray.reason);
    await this.compareState();
    return height;
  }

  /** Checks block `n`, applies its valid writes; returns its hash. */
  private async block(n: number, prev: string): Promise<string> {
    const raw = (await this.db.get(layout.blockKey(n)))?.toString('utf8');
    if (raw === undefined) throw new Bad(n, 'block is missing');
    const why = checkBlockIntegrity(raw, n, prev, this.nodePublicKey);
    if (why) throw new Bad(n, why);
    const block = decodeBlock(raw);
    const indexProblem = await this.indexes.block(n, block.txs);
    if (indexProblem) throw new Bad(n, indexProblem);
    const sigChecks: Array<Promise<number>> = []; // resolves to the tx index when the signature is bad, else -1
    for (const [i, t] of block.txs.entries()) {
      const certPem = this.creatorCheck(n, i, t, block.certs);
      if (!this.mvccCheck(n, i, t)) continue;
      const intent = intentCheck(t, this.state);
      if (typeof intent === 'string') throw new Bad(n, `tx ${i}: ${intent}`);
      if (intent)
        sigChecks.push(
          this.options.pool.verify(intent.publicKey, intent.digest, intent.signature).then((ok) => (ok ? -1 : i)),
        );
      if (this.options.replay && (t.writes.length > 0 || t.event) && LIANJIAN_CONTRACTS.has(t.fn.split(':')[0])) {
        const replayed = await replayTransaction({
          tx: t,
          certPem,
          state: this.state,
          chaincode: this.chaincode,
          verifySm2: this.verifySm2,
        });
        if (replayed) throw new Bad(n, `tx ${i}: ${replayed}`);
      }
      this.state.apply(t.writes, `${n}:${i}`);
    }
    const badSig = (await Promise.all(sigChecks)).find((i) => i >= 0);
    if (badSig !== undefined) throw new Bad(n, `tx ${badSig}: the member's intent signature is invalid`);
    return block.hash;
  }

  /** The submitter's certificate is in the block and issued by its org's CA; returns it. */
  private creatorCheck(n: number, i: number, t: TxRecord, certs: Record<string, string>): string {
    const certPem = certs[t.creator.cert];
    if (!certPem || sm3(certPem) !== t.creator.cert)
      throw new Bad(n, `tx ${i}: creator certificate missing from block`);
    let id: string;
    try {
      id = this.ids.check({ mspId: t.creator.mspId, certPem }).id;
    } catch (err) {
      throw new Bad(n, `tx ${i}: ${(err as Error).message}`);
    }
    if (id !== t.creator.id) throw new Bad(n, `tx ${i}: creator id does not match its certificate`);
    return certPem;
  }

  /** Re-judges MVCC with replayed versions (phantom checks are trusted as recorded); true when VALID. */
  private mvccCheck(n: number, i: number, t: TxRecord): boolean {
    const readsOk = t.reads.every(([k, v]) => (this.state.get(k)?.version ?? '') === v);
    if (t.code === 'VALID' && !readsOk) throw new Bad(n, `tx ${i}: marked VALID but its reads are stale`);
    if (t.code === 'MVCC_READ_CONFLICT' && readsOk)
      throw new Bad(n, `tx ${i}: marked MVCC_READ_CONFLICT but its reads are current`);
    return t.code === 'VALID';
  }

  /** Stored state must equal the replay, key for key. */
  private async compareState(): Promise<void> {
    let seen = 0;
    for await (const [k, raw] of this.db.iterator({ gte: layout.STATE, lt: 's"' })) {
      const key = k.slice(layout.STATE.length);
      const d = layout.decodeState(raw);
      const want = this.state.get(key);
      if (!want)
        throw new Bad(d.version.block, `state key ${JSON.stringify(key)} is not produced by any valid transaction`);
      if (want.version !== layout.versionString(d.version) || want.value !== d.value.toString('base64'))
        throw new Bad(
          Number(want.version.split(':')[0]),
          `state key ${JSON.stringify(key)} differs from the replay of write sets`,
        );
      seen++;
    }
    if (seen === this.state.size) return;
    const stored = new Set<string>();
    for await (const k of this.db.keys({ gte: layout.STATE, lt: 's"' })) stored.add(k.slice(layout.STATE.length));
    const [key, v] = [...this.state].find(([k]) => !stored.has(k))!;
    throw new Bad(Number(v.version.split(':')[0]), `state key ${JSON.stringify(key)} is missing from the stored state`);
  }
}

/** Verifies an open ledger database; the first problem found names its block. */
export async function verifyLedger(db: Db, nodePublicKey: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  const pool = options.pool ?? new VerifierPool();
  const height = Number(db.getSync(layout.HEIGHT)?.toString() ?? '0');
  try {
    return { ok: true, height: await new ChainVerifier(db, nodePublicKey, { ...options, pool }).run() };
  } catch (err) {
    if (err instanceof Bad) return { ok: false, height, badBlock: err.block, reason: err.message };
    throw err;
  } finally {
    await pool.close();
  }
}

/**
 * The signature a valid write must carry, or why it cannot: every write has its intent record,
 * made by a member active at that point, for exactly this call (genesis registrations by an
 * org's MSP admin excepted).
 */
function intentCheck(
  t: TxRecord,
  state: ReplayedState,
): { publicKey: string; digest: string; signature: string } | string | undefined {
  const records = t.writes.filter(([k, v]) => k.startsWith('intent~') && v !== null);
  if (records.length === 0) {
    const lianjian = LIANJIAN_CONTRACTS.has(t.fn.split(':')[0]);
    if (!lianjian || t.writes.length === 0 || UNSIGNED_WRITES.includes(t.fn)) return undefined;
    return `${t.fn} wrote state without a member's signed intent`;
  }
  if (records.length > 1) return 'more than one intent record';
  const record = decode<IntentRecord>(records[0][1]!);
  if (record.fn !== t.fn || record.txId !== t.txId) return 'the intent record belongs to another transaction';
  const stored = state.get(`member~${record.intent.signer}`);
  if (!stored) return `the signer ${record.intent.signer} was not registered`;
  const member = decode<Member>(stored.value);
  if (member.status !== 'active') return `the signer ${member.handle} was revoked`;
  const why = bindingMismatch(record.intent, { fn: t.fn, args: t.args });
  if (why) return `${t.fn} is not what ${member.handle} signed: ${why}`;
  return { publicKey: member.publicKey, digest: intentDigest(record.intent), signature: record.intent.signature };
}

export interface VerifyChainOptions extends Omit<VerifyOptions, 'pool'> {
  /** The node's key file, or its `node.pub` folder-mate (default: `node.key` in the engine dir). */
  nodeKeyFile?: string;
}

/**
 * Verifies a closed ledger in `engineDir` (the engine must not be running on it).
 * @throws Error when the database cannot be opened (LevelDB's lock: the service is running) or
 *   there is no node key
 */
export async function verifyChain(engineDir: string, options: VerifyChainOptions = {}): Promise<VerifyResult> {
  const nodePublicKey = loadNodePublicKey(options.nodeKeyFile ?? `${engineDir}/node.key`);
  const db = openDb(engineDir);
  await db.open({ createIfMissing: false });
  try {
    return await verifyLedger(db, nodePublicKey, options);
  } finally {
    await db.close();
  }
}
