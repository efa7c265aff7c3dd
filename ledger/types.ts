/**
 * The one interface the gateway (and oracles) know. Adapters: embedded, fabric, evm.
 * Every method throws LedgerError (chaincode/lib/errors) for rule violations, so callers map
 * them to HTTP without knowing which engine ran them.
 */
import type { EventEnvelope } from '../chaincode/core/context';

/** How an app identity appears on the ledger: its certificate and signing key. */
export interface LedgerCredentials {
  mspId: string;
  certPem: string;
  /** embedded: SM2 private key hex; fabric: PKCS#8 PEM of the ECDSA key. */
  privateKey: string;
}

/** A wallet entry: an app user with an SM2 key for signed HTTP requests and ledger credentials. */
export interface Identity {
  keyId: string; // `${mspId}:${name}`, equal to the on-chain member handle
  mspId: string;
  name: string;
  roles: string[];
  admin: boolean;
  sm2: { privateKey: string; publicKey: string };
  ledger: LedgerCredentials;
}

export interface SubmitResult {
  txId: string;
  blockNumber: number;
  /** The chaincode's return value (JSON text). */
  result: string;
}

export interface LedgerEvent {
  blockNumber: number;
  txIndex: number;
  txId: string;
  envelope: EventEnvelope;
}

export interface BlockView {
  number: number;
  hash: string;
  previousHash: string;
  dataHash: string;
  time?: string;
  txs: TxView[];
}

export interface TxView {
  txId: string;
  blockNumber: number;
  txIndex: number;
  status: string; // VALID or the reason it was invalidated
  fn: string;
  creator: { mspId: string; id?: string };
  time?: string;
}

export interface LedgerClient {
  readonly engine: 'embedded' | 'fabric' | 'evm';
  /** Endorse, order and commit; resolves once committed VALID, else throws LedgerError. */
  submit(id: Identity, fn: string, args: string[]): Promise<SubmitResult>;
  /** Read-only query against committed state. */
  evaluate(id: Identity, fn: string, args: string[]): Promise<string>;
  /** Committed envelope events in block order from `fromBlock`, live after history; ends when `signal` aborts. */
  events(fromBlock: number, signal?: AbortSignal): AsyncIterable<LedgerEvent>;
  height(): Promise<number>;
  block(n: number): Promise<BlockView>;
  transaction(txId: string): Promise<TxView>;
  /**
   * Issues ledger credentials for a new app identity of an org: the embedded CA certifies the
   * identity's own SM2 key; Fabric hands out one of the org's enrolled users.
   */
  enroll(
    mspId: string,
    name: string,
    admin: boolean,
    sm2: { privateKey: string; publicKey: string },
  ): Promise<LedgerCredentials>;
  ready(): Promise<boolean>;
  close(): Promise<void>;
}
