/**
 * LedgerClient over a Hyperledger Fabric network (network/fabric, network.json): the same
 * chaincode as embedded, run by each org's own chaincode server and endorsed by the regulator's
 * peer and a bank's. A member's signed intent travels in the proposal's transient map, exactly
 * as on embedded; the submitting Fabric identity is the service's client certificate of the
 * member's org. Chaincode errors come back as the same LedgerError.
 */
import path from 'node:path';
import type { SubmittedTransaction, Transaction } from '@hyperledger/fabric-gateway';
import { common, peer } from '@hyperledger/fabric-protos';
import { INTENT_TRANSIENT } from '../../chaincode/core/intent';
import { FabricNetwork, loadFabricNetwork } from '../../network/fabric/env';
import { httpGetText } from '../../network/fabric/util';
import { LedgerError } from '../errors';
import type {
  BlockView,
  ComponentHealth,
  LedgerCall,
  LedgerClient,
  LedgerEvent,
  LedgerHealth,
  SubmitResult,
  TxView,
} from '../types';
import { codeName, DecodedBlock, decodeBlock } from './blocks';
import { checkChain } from './chain';
import { COMMIT_TIMEOUT_MS, OrgConnection } from './connections';
import { backoffMs, classify, Failure, failureText, ledgerUnavailable, sleep } from './errors';
import { committedEvents } from './events';
import { PeerHeights } from './heights';

/** A transaction invalidated by a concurrent write (or endorsed on different states) is run again this often. */
const CONFLICT_RETRIES = 8;
/** How long a call keeps retrying while the network warms up or a node is down, before 503. */
const UNAVAILABLE_BUDGET_MS = 12_000;
const BLOCK_CACHE = 256;
const VALID = peer.TxValidationCode.VALID;
const RETRIED_CODES = new Set(['MVCC_READ_CONFLICT', 'PHANTOM_READ_CONFLICT']);

export interface FabricLedgerOptions {
  /** The service's data dir: `<dataDir>/fabric/` keeps the chain record and the service identities. */
  dataDir: string;
  /** network.json (default: network/fabric/.build/network.json or LIANJIAN_FABRIC_NETWORK_FILE). */
  networkFile?: string;
}

/** A failed commit of a transaction that was ordered. */
class NotCommitted extends Error {}

export class FabricLedger implements LedgerClient {
  readonly engine = 'fabric' as const;
  private readonly blocks = new Map<number, DecodedBlock>();

  private constructor(
    readonly network: FabricNetwork,
    private readonly connections: Map<string, OrgConnection>,
    private readonly heights: PeerHeights,
  ) {}

  /**
   * Connects to the network in network.json and checks the data dir belongs to its chain.
   * @throws LedgerError 503 LEDGER_NOT_AVAILABLE without network.json or when no peer answers,
   *   409 CHAIN_MISMATCH when the data dir was made for another chain
   */
  static async open(options: FabricLedgerOptions): Promise<FabricLedger> {
    let network: FabricNetwork;
    try {
      network = loadFabricNetwork(options.networkFile ? { file: options.networkFile } : {});
    } catch (err) {
      throw new LedgerError('LEDGER_NOT_AVAILABLE', (err as Error).message, 'LEDGER', 503);
    }
    const dir = path.join(options.dataDir, 'fabric');
    const connections = new Map(
      Object.values(network.orgs).map((org) => [
        org.mspId,
        new OrgConnection(org, network, path.join(dir, 'identities')),
      ]),
    );
    const ledger = new FabricLedger(network, connections, new PeerHeights([...connections.values()]));
    try {
      const genesis = await ledger.block(0);
      checkChain(dir, network.channel, genesis.hash, options.dataDir);
    } catch (err) {
      await ledger.close();
      if (err instanceof LedgerError && err.code !== 'BLOCK_NOT_FOUND') throw err;
      throw new LedgerError('LEDGER_NOT_AVAILABLE', `Fabric: ${(err as Error).message}`, 'LEDGER', 503);
    }
    return ledger;
  }

  /** The connection of the org that submits `call`: the intent signer's, else `call.org`, else Org1MSP. */
  private connectionOf(call: LedgerCall): OrgConnection {
    const mspId = call.intent ? call.intent.signer.split(':')[0] : (call.org ?? 'Org1MSP');
    const connection = this.connections.get(mspId);
    if (!connection) {
      const known = [...this.connections.keys()].join(', ');
      throw new LedgerError('UNKNOWN_ORG', `${mspId} has no peer on this Fabric network (${known})`, 'org', 400);
    }
    return connection;
  }

  private static checkArgs(call: LedgerCall): void {
    if (!Array.isArray(call.args) || call.args.some((a) => typeof a !== 'string')) {
      throw new LedgerError('INVALID_ARGUMENT', 'ledger arguments must be strings', 'args');
    }
  }

  private static transient(call: LedgerCall): { transientData?: Record<string, Uint8Array> } {
    return call.intent ? { transientData: { [INTENT_TRANSIENT]: Buffer.from(JSON.stringify(call.intent)) } } : {};
  }

  async submit(call: LedgerCall): Promise<SubmitResult> {
    FabricLedger.checkArgs(call);
    const connection = this.connectionOf(call);
    const contract = connection.chaincode(call.asOrgAdmin);
    const started = Date.now();
    for (let conflicts = 0, attempt = 0; ; attempt++) {
      try {
        const proposal = contract.newProposal(call.fn, { arguments: call.args, ...FabricLedger.transient(call) });
        const transaction = await proposal.endorse();
        const result = Buffer.from(transaction.getResult()).toString('utf8');
        const { txId, code, blockNumber } = await this.commit(connection.org.mspId, transaction);
        if (code !== VALID) throw new NotCommitted(codeName(code));
        await this.heights.reached(blockNumber + 1);
        return { txId, blockNumber, result };
      } catch (err) {
        const failure: Failure =
          err instanceof NotCommitted && !RETRIED_CODES.has(err.message)
            ? { kind: 'chaincode', error: new LedgerError(err.message, `invalidated: ${err.message}`, undefined, 409) }
            : err instanceof NotCommitted
              ? { kind: 'conflict', reason: err.message }
              : classify(err);
        if (failure.kind === 'chaincode') {
          if (failure.error.code === 'IDEMPOTENT_REPLAY') return this.replayOf(failure.error);
          throw failure.error;
        }
        if (failure.kind === 'conflict') {
          if (++conflicts > CONFLICT_RETRIES) {
            throw new LedgerError(
              'MVCC_READ_CONFLICT',
              `invalidated ${conflicts} times (${failure.reason}); try again`,
              undefined,
              409,
            );
          }
          await sleep(backoffMs(conflicts, 10, 400));
        } else {
          if (Date.now() - started > UNAVAILABLE_BUDGET_MS) throw ledgerUnavailable(failure.reason);
          await sleep(150 + backoffMs(attempt, 50, 1000));
        }
      }
    }
  }

  /**
   * Sends an endorsed transaction to the orderers and waits for the gateway peer to commit it:
   * from that peer's block stream, else (stream down) by asking it.
   */
  private async commit(
    mspId: string,
    transaction: Transaction,
  ): Promise<{ txId: string; code: number; blockNumber: number }> {
    const txId = transaction.getTransactionId();
    const streamed = this.heights.committed(mspId, txId, COMMIT_TIMEOUT_MS);
    let submitted: SubmittedTransaction;
    try {
      submitted = await transaction.submit();
    } catch (err) {
      this.heights.forget(txId);
      throw err;
    }
    const committed = await streamed;
    if (committed) return { txId, ...committed };
    if (this.heights.streaming(mspId)) {
      // The stream is there but the block never came: the orderer that took it crashed. Run it
      // again; the intent record makes a late first commit and the retry one write (MVCC, then replay).
      throw new Error(`SERVICE_UNAVAILABLE: transaction ${txId} not committed within ${COMMIT_TIMEOUT_MS} ms`);
    }
    const status = await submitted.getStatus();
    return { txId, code: status.code, blockNumber: Number(status.blockNumber) };
  }

  /** The first answer of a write already committed under the same idempotency key. */
  private async replayOf(replay: LedgerError): Promise<SubmitResult> {
    const prior = JSON.parse(replay.detail) as { txId: string; result: string };
    const blockNumber = await this.blockOfTx(prior.txId).then(
      (b) => b.view.number,
      () => -1,
    );
    return { txId: prior.txId, blockNumber, result: prior.result, replayed: true };
  }

  async evaluate(call: LedgerCall): Promise<string> {
    FabricLedger.checkArgs(call);
    const contract = this.connectionOf(call).chaincode(call.asOrgAdmin);
    const bytes = await this.retrying(() =>
      contract.evaluate(call.fn, { arguments: call.args, ...FabricLedger.transient(call) }),
    );
    return Buffer.from(bytes).toString('utf8');
  }

  /** Runs `read` until it answers, a chaincode error, or the unavailability budget is spent. */
  private async retrying<T>(read: () => Promise<T>): Promise<T> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return await read();
      } catch (err) {
        const failure = classify(err);
        if (failure.kind === 'chaincode') throw failure.error;
        if (Date.now() - started > UNAVAILABLE_BUDGET_MS) throw ledgerUnavailable(failure.reason);
        await sleep(100 + backoffMs(attempt, 50, 1000));
      }
    }
  }

  /** A qscc query on the first peer that answers (Org1's, then the others). */
  private async qscc(fn: string, ...args: string[]): Promise<Uint8Array> {
    const peers = [...this.connections.values()];
    let last: unknown;
    const started = Date.now();
    for (let round = 0; Date.now() - started < UNAVAILABLE_BUDGET_MS; round++) {
      for (const connection of peers) {
        try {
          return await connection.qscc().evaluate(fn, { arguments: [this.network.channel, ...args] });
        } catch (err) {
          if (/not found|no such|Failed to get block/i.test(String((err as Error).message) + JSON.stringify(err))) {
            throw new NotFound(String(err));
          }
          last = err;
        }
      }
      await sleep(100 + backoffMs(round, 50, 1000));
    }
    throw ledgerUnavailable(classifyText(last));
  }

  events(fromBlock: number, signal?: AbortSignal): AsyncIterable<LedgerEvent> {
    const connections = [...this.connections.values()];
    return committedEvents({ connections, fromBlock: Math.max(0, Math.floor(fromBlock) || 0), signal });
  }

  async height(): Promise<number> {
    return Number(common.BlockchainInfo.deserializeBinary(await this.qscc('GetChainInfo')).getHeight());
  }

  private async decoded(n: number): Promise<DecodedBlock> {
    const kept = this.blocks.get(n);
    if (kept) return kept;
    let block: DecodedBlock;
    try {
      block = decodeBlock(common.Block.deserializeBinary(await this.qscc('GetBlockByNumber', String(n))));
    } catch (err) {
      if (err instanceof NotFound) throw new LedgerError('BLOCK_NOT_FOUND', `no block ${n}`, 'n', 404);
      throw err;
    }
    this.remember(block);
    return block;
  }

  private remember(block: DecodedBlock): void {
    if (this.blocks.size >= BLOCK_CACHE) this.blocks.delete(this.blocks.keys().next().value as number);
    this.blocks.set(block.view.number, block);
  }

  async block(n: number): Promise<BlockView> {
    if (!Number.isSafeInteger(n) || n < 0) throw new LedgerError('BLOCK_NOT_FOUND', `no block ${n}`, 'n', 404);
    return (await this.decoded(n)).view;
  }

  private async blockOfTx(txId: string): Promise<DecodedBlock> {
    if (typeof txId !== 'string' || !/^[0-9a-f]{64}$/.test(txId)) throw new NotFound(txId);
    const block = decodeBlock(common.Block.deserializeBinary(await this.qscc('GetBlockByTxID', txId)));
    this.remember(block);
    return block;
  }

  async transaction(txId: string, options: { withIntent?: boolean } = {}): Promise<TxView> {
    let block: DecodedBlock;
    try {
      block = await this.blockOfTx(txId);
    } catch (err) {
      if (err instanceof NotFound) throw new LedgerError('TX_NOT_FOUND', `no transaction ${txId}`, 'txId', 404);
      throw err;
    }
    const tx = block.txs.find((t) => t.view.txId === txId);
    if (!tx) throw new LedgerError('TX_NOT_FOUND', `no transaction ${txId}`, 'txId', 404);
    return { ...tx.view, ...(options.withIntent && tx.record ? { intent: tx.record.intent } : {}) };
  }

  async health(): Promise<LedgerHealth> {
    const probe = async (name: string, kind: 'peer' | 'orderer', url: string): Promise<ComponentHealth> => {
      try {
        await httpGetText(`${url}/healthz`, 1500);
        return { name, kind, ok: true };
      } catch (err) {
        return { name, kind, ok: false, detail: (err as Error).message };
      }
    };
    const heights = this.heights.snapshot();
    const peers = await Promise.all(
      Object.values(this.network.orgs).map(async (org) => {
        const h = await probe(`${org.peer.name} (${org.mspId})`, 'peer', org.peer.operationsUrl);
        return heights[org.mspId] !== undefined ? { ...h, detail: `height ${heights[org.mspId]}` } : h;
      }),
    );
    const orderers = await Promise.all(this.network.orderers.map((o) => probe(o.name, 'orderer', o.operationsUrl)));
    const quorum = orderers.filter((o) => o.ok).length > orderers.length / 2;
    return { ready: peers.every((p) => p.ok) && quorum, components: [...peers, ...orderers] };
  }

  close(): Promise<void> {
    this.heights.close();
    for (const connection of this.connections.values()) connection.close();
    return Promise.resolve();
  }
}

class NotFound extends Error {}

const classifyText = (err: unknown): string => (err ? failureText(err) : 'no peer answers');

/**
 * The Fabric ledger for the service in `dataDir` (network.json from `npm run fabric:up`).
 * @throws LedgerError as FabricLedger.open
 */
export const openFabricLedger = (dataDir: string): Promise<LedgerClient> => FabricLedger.open({ dataDir });
