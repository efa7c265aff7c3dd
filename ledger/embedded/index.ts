/**
 * LedgerClient over the in-process engine (network/embedded). Each org has a development CA in
 * `<dataDir>/ca/` whose root the engine trusts, as a Fabric channel trusts its orgs' MSPs; the
 * CA certifies the org's service credentials (its gateway client and its MSP admin), which
 * submit proposals. Members' own signed intents travel in the transient map.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { contracts } from '../../chaincode';
import { EVENT_NAME, EventEnvelope } from '../../chaincode/core/context';
import { INTENT_TRANSIENT } from '../../chaincode/core/intent';
import type { IntentRecord } from '../../chaincode/core/authenticate';
import { generateKeyPair } from '../../chaincode/lib/gm';
import { createCa, issueCertificate, OrgCa } from '../../network/embedded/ca';
import { EmbeddedEngine, EngineOptions, newNonce } from '../../network/embedded/engine';
import type { Proposal } from '../../network/embedded/proposal';
import type { TxRecord } from '../../network/embedded/block';
import { txKey } from '../../network/embedded/keys';
import type { NodeKeyLocation } from '../../network/embedded/store';
import { LedgerError } from '../errors';
import { retryContended } from '../guard';
import type { BlockView, LedgerCall, LedgerClient, LedgerEvent, LedgerHealth, SubmitResult, TxView } from '../types';

const MSP_RE = /^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$/;

/** An org's CA with the certificates of its service credentials. */
interface OrgCredentials extends OrgCa {
  gatewayCertPem: string;
  adminCertPem: string;
}

export class EmbeddedLedger implements LedgerClient {
  readonly engine = 'embedded' as const;
  /** The proposal clock; tests move it to exercise dates (Fabric also takes tx time from the client). */
  now: () => number = Date.now;
  private readonly orgs = new Map<string, OrgCredentials>();

  private constructor(
    readonly core: EmbeddedEngine,
    private readonly caDir: string,
  ) {}

  /**
   * Opens (or creates) the ledger in `dataDir`.
   * @throws Error when another process holds the ledger (LevelDB's lock)
   */
  static async open(
    dataDir: string,
    opts: Partial<Omit<EngineOptions, 'dataDir' | 'contracts'>> = {},
  ): Promise<EmbeddedLedger> {
    const core = await EmbeddedEngine.open({ dataDir, contracts, ...opts });
    const caDir = path.join(dataDir, 'ca');
    fs.mkdirSync(caDir, { recursive: true, mode: 0o700 });
    return new EmbeddedLedger(core, caDir);
  }

  private async proposal(call: LedgerCall): Promise<Proposal> {
    if (!Array.isArray(call.args) || call.args.some((a) => typeof a !== 'string')) {
      throw new LedgerError('INVALID_ARGUMENT', 'ledger arguments must be strings', 'args');
    }
    const mspId = call.intent ? call.intent.signer.split(':')[0] : (call.org ?? this.core.orgs()[0] ?? 'Org1MSP');
    const org = await this.orgCredentials(mspId);
    return {
      fn: call.fn,
      args: call.args,
      ...(call.intent ? { transient: { [INTENT_TRANSIENT]: JSON.stringify(call.intent) } } : {}),
      creator: { mspId, certPem: call.asOrgAdmin ? org.adminCertPem : org.gatewayCertPem },
      nonce: newNonce(),
      timestamp: this.now(),
    };
  }

  /**
   * Submits a write and waits for its commit. Hot keys queue in the engine; a tx still
   * invalidated by a concurrent write runs again (bounded, jittered): never a conflict to clients.
   * @throws LedgerError from the chaincode, or 503 CONTENDED when every run was invalidated
   */
  async submit(call: LedgerCall): Promise<SubmitResult> {
    return retryContended(async () => {
      let outcome: Awaited<ReturnType<EmbeddedEngine['submit']>>;
      try {
        outcome = await this.core.submit(await this.proposal(call));
      } catch (err) {
        const replay = this.replayOf(err);
        if (replay) return replay;
        throw err;
      }
      if (outcome.status !== 'VALID')
        throw new LedgerError(outcome.status, `transaction ${outcome.txId} was invalidated (${outcome.status})`);
      return { txId: outcome.txId, blockNumber: outcome.blockNumber, result: outcome.result };
    });
  }

  /** The first answer of a write the chain refused as a replay of one already committed. */
  private replayOf(err: unknown): SubmitResult | undefined {
    if (!(err instanceof LedgerError) || err.code !== 'IDEMPOTENT_REPLAY') return undefined;
    const prior = JSON.parse(err.detail) as { txId: string; result: string };
    const pointer = this.core.db.getSync(txKey(prior.txId))?.toString();
    return {
      txId: prior.txId,
      blockNumber: pointer ? Number(pointer.split(':')[0]) : -1,
      result: prior.result,
      replayed: true,
    };
  }

  async evaluate(call: LedgerCall): Promise<string> {
    return this.core.evaluate(await this.proposal(call));
  }

  async *events(fromBlock: number, signal?: AbortSignal): AsyncIterable<LedgerEvent> {
    const it = this.core.eventsFrom(fromBlock)[Symbol.asyncIterator]();
    const aborted = new Promise<IteratorResult<never>>((resolve) =>
      signal?.addEventListener('abort', () => resolve({ done: true, value: undefined as never }), { once: true }),
    );
    try {
      while (!signal?.aborted) {
        const r = await Promise.race([it.next(), aborted]);
        if (r.done) return;
        if (r.value.name !== EVENT_NAME) continue;
        yield {
          blockNumber: r.value.blockNumber,
          txIndex: r.value.txIndex,
          txId: r.value.txId,
          envelope: JSON.parse(r.value.payload) as EventEnvelope,
        };
      }
    } finally {
      void it.return?.();
    }
  }

  height(): Promise<number> {
    return Promise.resolve(this.core.height());
  }

  async block(n: number): Promise<BlockView> {
    const b = await this.core.getBlock(n);
    if (!b) throw new LedgerError('BLOCK_NOT_FOUND', `no block ${n}; height is ${this.core.height()}`, 'n', 404);
    return {
      number: b.header.number,
      hash: b.hash,
      previousHash: b.header.previousHash,
      dataHash: b.header.dataHash,
      time: new Date(b.header.timestamp).toISOString(),
      txs: b.txs.map((t, i) => txView(t, { blockNumber: b.header.number, txIndex: i })),
    };
  }

  async transaction(txId: string, options: { withIntent?: boolean } = {}): Promise<TxView> {
    const pointer = typeof txId === 'string' ? this.core.db.getSync(txKey(txId))?.toString() : undefined;
    const [blockNumber, txIndex] = (pointer ?? '').split(':').map(Number);
    const block = pointer ? await this.core.getBlock(blockNumber) : undefined;
    if (!block) throw new LedgerError('TX_NOT_FOUND', `no transaction ${txId}`, 'txId', 404);
    return txView(block.txs[txIndex], { blockNumber, txIndex }, options.withIntent);
  }

  /** The org's CA and service credentials, created on first use and trusted by the engine from then on. */
  private async orgCredentials(mspId: string): Promise<OrgCredentials> {
    const known = this.orgs.get(mspId);
    if (known) return known;
    if (!MSP_RE.test(mspId)) throw new LedgerError('INVALID_ID', 'org must be an MSP id', 'org');
    const file = path.join(this.caDir, `${mspId}.json`);
    let org: OrgCredentials;
    if (fs.existsSync(file)) org = JSON.parse(fs.readFileSync(file, 'utf8')) as OrgCredentials;
    else {
      const ca = createCa(mspId);
      // Proposals never leave the process, so the service credentials' private keys are not kept.
      const certFor = (name: string, ou: string): string =>
        issueCertificate(ca, { name, ou, publicKey: generateKeyPair().publicKey });
      org = {
        ...ca,
        gatewayCertPem: certFor(`gateway.${mspId}`, 'client'),
        adminCertPem: certFor(`admin.${mspId}`, 'admin'),
      };
      fs.writeFileSync(`${file}.tmp`, JSON.stringify(org), { mode: 0o600 });
      fs.renameSync(`${file}.tmp`, file);
    }
    await this.core.addOrg({ org: org.org, certPem: org.certPem });
    this.orgs.set(mspId, org);
    return org;
  }

  health(): Promise<LedgerHealth> {
    const ok = this.core.height() >= 0;
    return Promise.resolve({ ready: ok, components: [{ name: 'embedded engine', kind: 'engine', ok }] });
  }

  async close(): Promise<void> {
    await this.core.close();
  }
}

/** A stored transaction as the port shows it; the signer comes from its intent record. */
function txView(t: TxRecord, at: { blockNumber: number; txIndex: number }, withIntent = false): TxView {
  const found = t.writes.find(([k, v]) => k.startsWith('intent~') && v !== null);
  const record = found ? (JSON.parse(Buffer.from(found[1]!, 'base64').toString('utf8')) as IntentRecord) : undefined;
  const signer = record?.signer;
  return {
    txId: t.txId,
    ...at,
    status: t.code,
    fn: t.fn,
    creator: { mspId: t.creator.mspId, id: t.creator.id },
    ...(signer ? { signer } : {}),
    time: new Date(t.timestamp).toISOString(),
    ...(withIntent && record ? { intent: record.intent } : {}),
  };
}

/** Where the service keeps the node's block-signing key: apart from the ledger data. */
export const serviceNodeKey = (dataDir: string): NodeKeyLocation => ({
  file: path.join(dataDir, 'keys', 'node.key'),
  legacyFile: path.join(dataDir, 'ledger', 'node.key'),
});

/** The embedded ledger in `<dataDir>/ledger`, its node key in `<dataDir>/keys/node.key`. */
export const openEmbeddedLedger = (dataDir: string): Promise<LedgerClient> =>
  EmbeddedLedger.open(path.join(dataDir, 'ledger'), { nodeKey: serviceNodeKey(dataDir) });
