/**
 * LedgerClient over an EVM JSON-RPC chain (LEDGER=evm): the money core runs on MoneyCore.sol
 * (accounts, mirrors, transfers, freezes; balances, history and traces read back in the chaincode's
 * shapes); every other chaincode function answers 501 NOT_ON_THIS_LEDGER. Writes carry the member's
 * own EIP-712 forward request (LedgerCall.evm): the relayer checks it is exactly the named call,
 * lets the chain tell a refusal first (a call simulated as the forwarder, for the contract's own
 * error), then submits it through the forwarder, which checks the signature on chain. The relayer's
 * key pays for gas and never stands in for a member.
 */
import { Contract, getAddress, NonceManager, Wallet, type JsonRpcProvider, type TransactionReceipt } from 'ethers';
import { LedgerError, unavailable, unauthenticated } from '../errors';
import type {
  BlockView,
  EvmForwarding,
  LedgerCall,
  LedgerClient,
  LedgerEvent,
  LedgerHealth,
  SubmitResult,
  TxView,
} from '../types';
import { connectEvm, waitForReceipt } from './witness-contract';
import {
  encodeMoneyCall,
  FORWARDER_INTERFACE,
  MONEY_CORE_INTERFACE,
  moneyCoreError,
  notOnThisLedger,
} from './money-core-calls';
import { MoneyCoreReads } from './money-core-reads';

/** Where the EVM ledger is (EVM_RPC_URL, the relayer's EVM_KEY_FILE, the deployed contracts). */
export interface EvmLedgerOptions {
  rpcUrl: string;
  /** The relayer's private key (0x hex): pays gas, signs no member's request. */
  relayerKey: string;
  moneyCore: string;
  forwarder: string;
  rpcTimeoutMs?: number;
}

export class EvmLedger implements LedgerClient {
  readonly engine = 'evm' as const;
  readonly reads: MoneyCoreReads;
  private readonly relayer: NonceManager;
  private readonly forwarder: Contract;
  private sending: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly provider: JsonRpcProvider,
    readonly chainId: bigint,
    private readonly options: EvmLedgerOptions,
  ) {
    this.relayer = new NonceManager(new Wallet(options.relayerKey, provider));
    this.forwarder = new Contract(options.forwarder, FORWARDER_INTERFACE, this.relayer);
    this.reads = new MoneyCoreReads(new Contract(options.moneyCore, MONEY_CORE_INTERFACE, provider));
  }

  /**
   * Connects to the chain and checks both contracts are there.
   * @throws Error when the node does not answer or a contract is missing
   */
  static async connect(options: EvmLedgerOptions): Promise<EvmLedger> {
    const provider = await connectEvm({ rpcUrl: options.rpcUrl, timeoutMs: options.rpcTimeoutMs });
    for (const [name, address] of [
      ['MoneyCore', options.moneyCore],
      ['Forwarder', options.forwarder],
    ])
      if ((await provider.getCode(address)) === '0x') throw new Error(`no ${name} contract at ${address}`);
    const { chainId } = await provider.getNetwork();
    return new EvmLedger(provider, chainId, options);
  }

  /** Where members send their signed requests. */
  get target(): { chainId: bigint; forwarder: string; moneyCore: string } {
    return { chainId: this.chainId, forwarder: this.options.forwarder, moneyCore: this.options.moneyCore };
  }

  async submit(call: LedgerCall): Promise<SubmitResult> {
    const data = encodeMoneyCall(call.fn, call.args);
    const evm = call.evm;
    if (!evm)
      throw unauthenticated(
        'NOT_AUTHENTICATED',
        "a write on the EVM ledger carries the member's signed request",
        'evm',
      );
    const request = { ...evm.request, signature: evm.signature };
    if (getAddress(request.to) !== getAddress(this.options.moneyCore) || request.data !== data)
      throw unauthenticated('INTENT_MISMATCH', `the signed request is not ${call.fn} with these arguments`, 'evm');
    await this.sameMember(call.intent?.signer, request.from);
    const [signed, replayed] = await Promise.all([
      this.forwarder.getFunction('verify')(request) as Promise<boolean>,
      this.simulate(request.from, data),
    ]);
    if (!signed)
      throw unauthenticated('BAD_SIGNATURE', "not the sender's signature, expired, or its nonce was used", 'evm');
    const receipt = await this.relay(request);
    return {
      txId: receipt.hash,
      blockNumber: receipt.blockNumber,
      result: JSON.stringify(await this.reads.resultOf(call.fn, call.args)),
      ...(replayed ? { replayed } : {}),
    };
  }

  /** A request that also carries an SM2 intent is signed on both sides by the same registered member. */
  private async sameMember(handle: string | undefined, from: string): Promise<void> {
    if (!handle) return;
    const member = await this.reads.member(handle).catch(() => undefined);
    if (member?.address !== getAddress(from))
      throw unauthenticated('INTENT_MISMATCH', `the EVM request is not signed by the account of ${handle}`, 'evm');
  }

  /**
   * Where `member` (an account address) sends its next forward request: the forwarder's EIP-712
   * domain, the MoneyCore address and the member's next nonce.
   * @throws LedgerError 400 for a malformed address, 503 when the node cannot be read
   */
  async forwarding(member: string): Promise<EvmForwarding> {
    let address: string;
    try {
      address = getAddress(member);
    } catch {
      throw new LedgerError('INVALID_ARGUMENT', 'member must be an EVM account address (0x...)', 'member', 400);
    }
    const nonce = (await this.forwarder
      .getFunction('nonces')(address)
      .catch((err: unknown) => {
        throw unavailable('LEDGER_UNAVAILABLE', `the EVM node did not answer: ${String(err)}`);
      })) as bigint;
    const { chainId, forwarder, moneyCore } = this.target;
    return { chainId: chainId.toString(), forwarder, moneyCore, member: address, nonce: nonce.toString() };
  }

  /** Runs the call as the forwarder would, so a refusal comes back as the contract's own error. */
  private async simulate(from: string, data: string): Promise<boolean> {
    try {
      const answer = await this.provider.call({
        from: this.options.forwarder,
        to: this.options.moneyCore,
        data: data + from.slice(2).toLowerCase(),
      });
      return answer !== '0x' && BigInt(answer) !== 0n; // registry calls return nothing
    } catch (err) {
      throw (
        moneyCoreError(err) ?? unavailable('LEDGER_UNAVAILABLE', `the EVM node did not run the call: ${String(err)}`)
      );
    }
  }

  /** Sends through the forwarder; sends are ordered (one nonce sequence), receipts awaited together. */
  private async relay(request: Record<string, unknown> & { gas: string }): Promise<TransactionReceipt> {
    const sent = this.sending.then(() =>
      this.forwarder.getFunction('execute').send(request, { gasLimit: BigInt(request.gas) + 500_000n }),
    );
    this.sending = sent.catch(() => undefined);
    const tx = await sent.catch((err: unknown) => {
      this.relayer.reset(); // a refused send used no nonce: ask the node again
      throw (
        moneyCoreError(err) ?? unavailable('LEDGER_UNAVAILABLE', `the EVM node refused the transaction: ${String(err)}`)
      );
    });
    const receipt = await waitForReceipt({ provider: this.provider, txHash: tx.hash, pollMs: 20 });
    if (receipt.status !== 1)
      throw new LedgerError('TX_REVERTED', `EVM transaction ${receipt.hash} reverted`, undefined, 409);
    return receipt;
  }

  async evaluate(call: LedgerCall): Promise<string> {
    if (call.fn === 'Identity:whoami')
      return await this.evaluate({ ...call, fn: 'Identity:getMember', args: [call.intent?.signer ?? ''] });
    const read = this.reads.query(call.fn);
    if (!read) throw notOnThisLedger(call.fn);
    return JSON.stringify(await read(call.args));
  }

  /** The EVM chain's blocks are not Lianjian envelopes: the stream stays empty until `signal` aborts. */
  events(_fromBlock: number, signal?: AbortSignal): AsyncIterable<LedgerEvent> {
    return {
      [Symbol.asyncIterator]: () => ({
        next: () =>
          new Promise<IteratorResult<LedgerEvent>>((resolve) => {
            const done = (): void => resolve({ done: true, value: undefined });
            if (signal?.aborted) done();
            else signal?.addEventListener('abort', done, { once: true });
          }),
      }),
    };
  }

  async height(): Promise<number> {
    return (await this.provider.getBlockNumber()) + 1;
  }

  async block(n: number): Promise<BlockView> {
    const b = await this.provider.getBlock(n);
    if (!b?.hash) throw new LedgerError('BLOCK_NOT_FOUND', `no block ${n}`, 'n', 404);
    const time = new Date(b.timestamp * 1000).toISOString();
    return {
      number: b.number,
      hash: b.hash.slice(2),
      previousHash: b.parentHash.slice(2),
      dataHash: (b.receiptsRoot ?? '').replace(/^0x/, ''),
      time,
      txs: b.transactions.map((txId, txIndex) => txView(txId, { blockNumber: b.number, txIndex, time })),
    };
  }

  async transaction(txId: string): Promise<TxView> {
    const receipt = /^0x[0-9a-fA-F]{64}$/.test(txId) ? await this.provider.getTransactionReceipt(txId) : null;
    if (!receipt) throw new LedgerError('TX_NOT_FOUND', `no transaction ${txId}`, 'txId', 404);
    return {
      ...txView(txId, { blockNumber: receipt.blockNumber, txIndex: receipt.index }),
      status: receipt.status === 1 ? 'VALID' : 'REVERTED',
    };
  }

  async health(): Promise<LedgerHealth> {
    const ok = await this.provider.getBlockNumber().then(
      () => true,
      () => false,
    );
    return { ready: ok, components: [{ name: `EVM node ${this.options.rpcUrl}`, kind: 'node', ok }] };
  }

  close(): Promise<void> {
    this.provider.destroy();
    return Promise.resolve();
  }
}

const txView = (txId: string, at: { blockNumber: number; txIndex: number; time?: string }): TxView => ({
  txId,
  ...at,
  status: 'VALID',
  fn: '',
  creator: { mspId: 'evm' },
});
