/**
 * The Witness contract (contracts/Witness.sol) as the TypeScript side sees it: its committed ABI
 * and bytecode (ledger/evm/artifacts, written by `npx hardhat evm-artifacts`), typed reads, the
 * encoding of source chain ids, block hashes and days, and a provider pinned to one EVM chain.
 */
import {
  Contract,
  ContractFactory,
  FetchRequest,
  getAddress,
  Interface,
  isCallException,
  JsonRpcProvider,
  keccak256,
  Network,
  toUtf8Bytes,
  type ContractRunner,
  type Provider,
  type TransactionReceipt,
  type Wallet,
} from 'ethers';
import witnessArtifact from './artifacts/Witness.json';

/** The Witness ABI (contract interface). */
export const WITNESS_INTERFACE = new Interface(witnessArtifact.abi);
const BYTES32_RE = /^(0x)?[0-9a-fA-F]{64}$/;

/**
 * The bytes32 id of a source chain: a 0x-prefixed 32-byte hex id is used as it is, any other
 * name is hashed (keccak256 of its UTF-8 bytes), e.g. `lianjian:<genesis block hash>`.
 * @throws Error when `name` is empty.
 */
export function sourceChainKey(name: string): string {
  if (!name) throw new Error('the source chain id must not be empty');
  return /^0x[0-9a-fA-F]{64}$/.test(name) ? name.toLowerCase() : keccak256(toUtf8Bytes(name));
}

/**
 * A 32-byte hash as the contract stores it (0x + 64 lowercase hex digits), from hex with or
 * without 0x (SM3 and SHA-256 block hashes are 32 bytes).
 * @throws Error naming `what` when `hex` is not 32 bytes of hex, or is all zero.
 */
export function toBytes32(hex: string, what: string): string {
  if (typeof hex !== 'string' || !BYTES32_RE.test(hex)) throw new Error(`${what} must be 32 bytes of hex, got ${hex}`);
  const value = (hex.startsWith('0x') ? hex : `0x${hex}`).toLowerCase();
  if (/^0x0+$/.test(value)) throw new Error(`${what} must not be zero`);
  return value;
}

/**
 * A day as the contract numbers it: `2025-03-01` or `20250301` becomes 20250301.
 * @throws Error when `day` is not a calendar date written as YYYY-MM-DD or YYYYMMDD.
 */
export function dayNumber(day: string): number {
  const match = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(day);
  const [year, month, dom] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  const date = new Date(Date.UTC(year, month - 1, dom));
  if (!match || year < 1970 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== dom)
    throw new Error(`day must be a date written YYYY-MM-DD, got ${day}`);
  return year * 10000 + month * 100 + dom;
}

/** `20250301` → `2025-03-01`. */
export function dayText(day: number): string {
  const text = String(day);
  return `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
}

/** Options of {@link connectEvm}. */
export interface ConnectEvmOptions {
  rpcUrl: string;
  /** Per-request timeout in ms (default 15 s). */
  timeoutMs?: number;
}

/**
 * A JSON-RPC provider pinned to the chain behind `rpcUrl`: the chain id is asked once here, so a
 * node that goes down later makes requests fail (and callers retry) instead of ethers retrying
 * network detection in the background. Every read goes to the node (no response cache).
 * @throws Error when the node does not answer eth_chainId (unreachable, timeout, not JSON-RPC).
 */
export async function connectEvm(options: ConnectEvmOptions): Promise<JsonRpcProvider> {
  const request = (): FetchRequest => {
    const fetchRequest = new FetchRequest(options.rpcUrl);
    fetchRequest.timeout = options.timeoutMs ?? 15_000;
    return fetchRequest;
  };
  const probe = await rpcCall<string>(request(), 'eth_chainId', []);
  const network = Network.from(BigInt(probe));
  // cacheTimeout -1: no 250 ms reuse of identical reads (a reused pending nonce fails the next transaction).
  const provider = new JsonRpcProvider(request(), network, {
    staticNetwork: network,
    batchMaxCount: 1,
    cacheTimeout: -1,
  });
  provider.pollingInterval = 250;
  return provider;
}

async function rpcCall<T>(request: FetchRequest, method: string, params: unknown[]): Promise<T> {
  request.body = JSON.stringify({ jsonrpc: '2.0', id: 1, method, params });
  request.setHeader('content-type', 'application/json');
  const response = await request.send();
  response.assertOk();
  const body = response.bodyJson as { result?: T; error?: { message?: string } };
  if (body.error || body.result === undefined)
    throw new Error(`${method} failed at ${request.url}: ${body.error?.message ?? 'no result'}`);
  return body.result;
}

/** Options of {@link waitForReceipt}. */
export interface WaitForReceiptOptions {
  provider: Provider;
  txHash: string;
  pollMs?: number;
  timeoutMs?: number;
  /** Stops waiting (the wait then throws). */
  signal?: AbortSignal;
}

/**
 * Polls for a transaction's receipt (no event subscriptions, which a flaky node turns into noise).
 * @throws Error when no receipt arrives within `timeoutMs` (the transaction may still be mined later),
 * or `signal` aborts.
 */
export async function waitForReceipt(options: WaitForReceiptOptions): Promise<TransactionReceipt> {
  const end = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    const receipt = await options.provider.getTransactionReceipt(options.txHash);
    if (receipt) return receipt;
    if (Date.now() > end) throw new Error(`no receipt for ${options.txHash} yet`);
    options.signal?.throwIfAborted();
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 100));
  }
}

/**
 * The name and arguments of a Witness custom error in a revert, e.g. `BlockConflict(...)`;
 * undefined when `err` is not a revert the Witness ABI knows.
 */
export function witnessRevertReason(err: unknown): string | undefined {
  if (!isCallException(err) || !err.data) return undefined;
  const parsed = WITNESS_INTERFACE.parseError(err.data);
  return parsed ? `${parsed.name}(${parsed.args.map(String).join(', ')})` : undefined;
}

/** One anchored value and the EVM block time it was anchored at. */
export interface AnchorValue {
  value: string;
  /** EVM block time of the anchoring, ISO 8601. */
  time: string;
}

/** One block anchor as listed by {@link WitnessContract.blockAnchors}. */
export interface BlockAnchorEntry extends AnchorValue {
  height: number;
}

const isoOfSeconds = (seconds: bigint): string => new Date(Number(seconds) * 1000).toISOString();

/** Typed reads of a deployed Witness contract, and the encoding of its writes. */
export class WitnessContract {
  private readonly contract: Contract;

  constructor(
    readonly address: string,
    runner: ContractRunner,
  ) {
    this.contract = new Contract(getAddress(address), WITNESS_INTERFACE, runner);
  }

  private async read<T>(fn: string, args: unknown[]): Promise<T> {
    return (await this.contract.getFunction(fn).staticCall(...args)) as T;
  }

  /** The anchor of `height`, or undefined when none. */
  async blockAnchor(chain: string, height: number): Promise<AnchorValue | undefined> {
    const [value, time] = await this.read<[string, bigint]>('blockAnchor', [chain, height]);
    return BigInt(value) === 0n ? undefined : { value, time: isoOfSeconds(time) };
  }

  /** When `root` was anchored for `day` (YYYYMMDD), or undefined when it was not. */
  async rootAnchor(chain: string, day: number, root: string): Promise<AnchorValue | undefined> {
    const time = await this.read<bigint>('rootAnchor', [chain, day, root]);
    return time === 0n ? undefined : { value: root, time: isoOfSeconds(time) };
  }

  /** The highest anchored height, or undefined when nothing is anchored. */
  async latestHeight(chain: string): Promise<number | undefined> {
    const [height, anchored] = await this.read<[bigint, boolean]>('latestHeight', [chain]);
    return anchored ? Number(height) : undefined;
  }

  /** How many block and root anchors `chain` has. */
  async anchorCounts(chain: string): Promise<{ blocks: number; roots: number }> {
    const [blocks, roots] = await this.read<[bigint, bigint]>('anchorCounts', [chain]);
    return { blocks: Number(blocks), roots: Number(roots) };
  }

  /** A page of block anchors in height order. */
  async blockAnchors(chain: string, start: number, limit: number): Promise<BlockAnchorEntry[]> {
    const [heights, hashes, times] = await this.read<[bigint[], string[], bigint[]]>('blockAnchors', [
      chain,
      start,
      limit,
    ]);
    return heights.map((height, i) => ({ height: Number(height), value: hashes[i], time: isoOfSeconds(times[i]) }));
  }

  async isAnchorer(chain: string, who: string): Promise<boolean> {
    return this.read<boolean>('isAnchorer', [chain, who]);
  }

  async owner(): Promise<string> {
    return this.read<string>('owner', []);
  }

  /** The transaction hash of the BlockAnchored event of `height`, searched from `fromBlock`; best effort. */
  async blockAnchoredTx(
    chain: string,
    height: number,
    fromBlock = 0,
  ): Promise<{ txHash: string; evmBlock: number } | undefined> {
    const filter = this.contract.filters.BlockAnchored(chain, height);
    const [log] = await this.contract.queryFilter(filter, fromBlock);
    return log ? { txHash: log.transactionHash, evmBlock: log.blockNumber } : undefined;
  }
}

/**
 * Deploys a Witness owned by `wallet` and waits until it is mined.
 * @throws Error when the deployment fails.
 */
export async function deployWitness(wallet: Wallet): Promise<{ address: string; txHash: string; evmBlock: number }> {
  const factory = new ContractFactory(witnessArtifact.abi, witnessArtifact.bytecode, wallet);
  const deployment = await factory.getDeployTransaction(wallet.address);
  const tx = await wallet.sendTransaction(deployment);
  const receipt = await waitForReceipt({ provider: wallet.provider!, txHash: tx.hash });
  if (receipt.status !== 1 || !receipt.contractAddress) throw new Error(`Witness deployment ${tx.hash} failed`);
  return { address: receipt.contractAddress, txHash: tx.hash, evmBlock: receipt.blockNumber };
}
