/**
 * The one interface the oracles and the gateway know: `LedgerClient`. Adapters: embedded
 * (ledger/embedded), fabric (ledger/fabric), evm (ledger/evm). Every failure is a LedgerError
 * (ledger/errors.ts) with a stable code, so callers map it to HTTP without knowing the engine.
 */
import type { EventEnvelope, Member } from '../chaincode/core/context';
import type { Intent } from '../chaincode/core/intent';

export type { Intent, Member };

/** A member's own SM2 key pair, held where the member is (a key file, a browser, a USB key). */
export interface MemberKey {
  /** `${mspId}:${name}`, the member's on-chain handle. */
  keyId: string;
  mspId: string;
  name: string;
  /** What the member was registered with (informational; the chain decides). */
  roles?: string[];
  admin?: boolean;
  sm2: { privateKey: string; publicKey: string };
}

/**
 * A member's own request on the EVM ledger: an EIP-712 ForwardRequest signed with the member's
 * secp256k1 key (ledger/evm/member-signer.ts), checked on chain by the trusted forwarder.
 */
export interface EvmIntent {
  request: { from: string; to: string; value: string; gas: string; nonce: string; deadline: number; data: string };
  signature: string;
}

/** One chaincode call. */
export interface LedgerCall {
  /** 'Contract:function' */
  fn: string;
  args: string[];
  /**
   * The member's signed intent (chaincode/core/intent.ts). Every write needs one, except an
   * org's genesis registration; reads without one see only public data.
   */
  intent?: Intent;
  /** Whose service credential submits it when there is no intent (default: the first org). */
  org?: string;
  /** Submit with the org's MSP admin credential (genesis registration only). */
  asOrgAdmin?: boolean;
  /** LEDGER=evm: the member's signed forward request in place of `intent`. */
  evm?: EvmIntent;
}

export interface SubmitResult {
  txId: string;
  blockNumber: number;
  /** The chaincode's return value (JSON text). */
  result: string;
  /** True when the same write was already committed under its idempotency key: its first answer. */
  replayed?: boolean;
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
  /** VALID or the reason it was invalidated. */
  status: string;
  fn: string;
  /** The submitting credential (an org's service identity). */
  creator: { mspId: string; id?: string };
  /** The member whose signed intent the transaction ran, when it wrote one. */
  signer?: string;
  time?: string;
  /**
   * The member's signed intent as the transaction's intent record keeps it in the write set;
   * only from `transaction(txId, { withIntent: true })`, and only on engines that can read it.
   */
  intent?: Intent;
}

/** One component of the ledger and whether it answers (peers, orderers, the embedded engine). */
export interface ComponentHealth {
  name: string;
  kind: 'engine' | 'peer' | 'orderer' | 'node';
  ok: boolean;
  detail?: string;
}

export interface LedgerHealth {
  ready: boolean;
  components: ComponentHealth[];
}

export interface LedgerClient {
  readonly engine: 'embedded' | 'fabric' | 'evm';

  /**
   * Endorses, orders and commits `call`; resolves once committed VALID (or with the first answer
   * when the same write was committed before under its idempotency key).
   * @returns the transaction id, its block and the chaincode's result
   * @throws LedgerError 4xx with the chaincode's code (ROLE_REQUIRED, INSUFFICIENT_FUNDS, ...),
   *   401 for intent problems (BAD_SIGNATURE, KEY_REVOKED, ...), 409 IDEMPOTENCY_KEY_REUSED,
   *   503 LEDGER_UNAVAILABLE when the engine cannot take it now
   */
  submit(call: LedgerCall): Promise<SubmitResult>;

  /**
   * Runs a read-only query against committed state.
   * @returns the chaincode's result (JSON text)
   * @throws LedgerError as `submit`, without the idempotency codes
   */
  evaluate(call: LedgerCall): Promise<string>;

  /**
   * Committed envelope events in block order from `fromBlock`: history first, then live, with no
   * gap and no duplicate across engine restarts; ends when `signal` aborts.
   * @throws LedgerError 503 LEDGER_UNAVAILABLE when the stream cannot be resumed
   */
  events(fromBlock: number, signal?: AbortSignal): AsyncIterable<LedgerEvent>;

  /**
   * The number of committed blocks.
   * @throws LedgerError 503 LEDGER_UNAVAILABLE
   */
  height(): Promise<number>;

  /**
   * One committed block with its transactions.
   * @throws LedgerError 404 BLOCK_NOT_FOUND
   */
  block(n: number): Promise<BlockView>;

  /**
   * One committed transaction; with `withIntent`, also the member's signed intent from its write
   * set (an engine that cannot read write sets leaves it out).
   * @throws LedgerError 404 TX_NOT_FOUND
   */
  transaction(txId: string, options?: { withIntent?: boolean }): Promise<TxView>;

  /** Each component and whether it answers; `ready` when the ledger can commit writes. Never throws. */
  health(): Promise<LedgerHealth>;

  /** Finishes what is in flight and releases the engine's resources. */
  close(): Promise<void>;
}
