/**
 * LedgerClient over the in-process engine (network/embedded). Proposals are SM2-signed with the
 * identity's key; each org has a development CA kept in `<dataDir>/ca/` whose root the engine
 * trusts, as a Fabric channel trusts its orgs' MSPs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { contracts } from '../../chaincode';
import { EVENT_NAME, EventEnvelope } from '../../chaincode/core/context';
import { LedgerError } from '../../chaincode/lib/errors';
import { createCa, issueCertificate, OrgCa } from '../../network/embedded/ca';
import { EmbeddedEngine, EngineOptions, newNonce } from '../../network/embedded/engine';
import { signProposal } from '../../network/embedded/proposal';
import type { BlockView, Identity, LedgerClient, LedgerCredentials, LedgerEvent, SubmitResult, TxView } from '../types';

/** Transactions invalidated by a concurrent write are retried this many times with a fresh nonce. */
const MVCC_RETRIES = 5;

export class EmbeddedLedger implements LedgerClient {
  readonly engine = 'embedded' as const;
  /** The proposal clock; tests move it to exercise dates (Fabric also takes tx time from the client). */
  now: () => number = Date.now;

  private constructor(
    readonly core: EmbeddedEngine,
    private readonly caDir: string,
  ) {}

  static async open(
    dataDir: string,
    opts: Partial<Omit<EngineOptions, 'dataDir' | 'contracts'>> = {},
  ): Promise<EmbeddedLedger> {
    const core = await EmbeddedEngine.open({ dataDir, contracts, ...opts });
    const caDir = path.join(dataDir, 'ca');
    fs.mkdirSync(caDir, { recursive: true, mode: 0o700 });
    return new EmbeddedLedger(core, caDir);
  }

  private proposal(id: Identity, fn: string, args: string[]) {
    if (!Array.isArray(args) || args.some((a) => typeof a !== 'string'))
      throw new LedgerError('INVALID_ARGUMENT', 'ledger arguments must be strings', 'args');
    const p = {
      fn,
      args,
      creator: { mspId: id.ledger.mspId, certPem: id.ledger.certPem },
      nonce: newNonce(),
      timestamp: this.now(),
    };
    return signProposal(p, id.ledger.privateKey, id.sm2.publicKey);
  }

  async submit(id: Identity, fn: string, args: string[]): Promise<SubmitResult> {
    for (let attempt = 0; ; attempt++) {
      const r = await this.core.submit(this.proposal(id, fn, args));
      if (r.status === 'VALID') return { txId: r.txId, blockNumber: r.blockNumber, result: r.result };
      if (attempt >= MVCC_RETRIES)
        throw new LedgerError(
          r.status,
          `transaction ${r.txId} was invalidated (${r.status}) ${attempt + 1} times; try again`,
          undefined,
          409,
        );
    }
  }

  async evaluate(id: Identity, fn: string, args: string[]): Promise<string> {
    return this.core.evaluate(this.proposal(id, fn, args));
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

  async height(): Promise<number> {
    return this.core.height();
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
      txs: b.txs.map((t, i) => ({
        txId: t.txId,
        blockNumber: b.header.number,
        txIndex: i,
        status: t.code,
        fn: t.fn,
        creator: { mspId: t.creator.mspId, id: t.creator.id },
        time: new Date(t.timestamp).toISOString(),
      })),
    };
  }

  async transaction(txId: string): Promise<TxView> {
    const t = await this.core.getTransaction(txId);
    if (!t) throw new LedgerError('TX_NOT_FOUND', `no transaction ${txId}`, 'txId', 404);
    return {
      txId,
      blockNumber: t.blockNumber,
      txIndex: t.txIndex,
      status: t.status,
      fn: t.fn,
      creator: t.creator,
      time: new Date(t.timestamp).toISOString(),
    };
  }

  async enroll(
    mspId: string,
    name: string,
    admin: boolean,
    sm2: { privateKey: string; publicKey: string },
  ): Promise<LedgerCredentials> {
    const ca = await this.orgCa(mspId);
    return {
      mspId,
      certPem: issueCertificate(ca, { name, ou: admin ? 'admin' : 'client', publicKey: sm2.publicKey }),
      privateKey: sm2.privateKey,
    };
  }

  /** The org's development CA, created on first use and trusted by the engine from then on. */
  private async orgCa(mspId: string): Promise<OrgCa> {
    if (!/^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$/.test(mspId))
      throw new LedgerError('INVALID_ID', 'org must be an MSP id', 'org');
    const file = path.join(this.caDir, `${mspId}.json`);
    let ca: OrgCa;
    if (fs.existsSync(file)) ca = JSON.parse(fs.readFileSync(file, 'utf8')) as OrgCa;
    else {
      ca = createCa(mspId);
      fs.writeFileSync(`${file}.tmp`, JSON.stringify(ca), { mode: 0o600 });
      fs.renameSync(`${file}.tmp`, file);
    }
    await this.core.addOrg({ org: ca.org, certPem: ca.certPem });
    return ca;
  }

  async ready(): Promise<boolean> {
    return this.core.height() >= 0;
  }

  async close(): Promise<void> {
    await this.core.close();
  }
}

export const openEmbeddedLedger = (dataDir: string): Promise<LedgerClient> =>
  EmbeddedLedger.open(path.join(dataDir, 'ledger'));
