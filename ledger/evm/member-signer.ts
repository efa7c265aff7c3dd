/**
 * Signing where the member is, on the EVM ledger: the member's own secp256k1 key signs an EIP-712
 * ForwardRequest (OpenZeppelin ERC2771Forwarder, contracts/Forwarder.sol) whose data is exactly the
 * MoneyCore call of a chaincode function (money-core-calls.ts). The relayer only submits it; the
 * forwarder checks the signature on chain and calls MoneyCore as the member.
 */
import { Contract, type Provider, type Signer, type TypedDataDomain } from 'ethers';
import type { EvmIntent, LedgerCall } from '../types';
import { encodeMoneyCall, FORWARDER_INTERFACE } from './money-core-calls';

/** The EIP-712 type of a forward request (ERC2771Forwarder). */
export const FORWARD_REQUEST_TYPES = {
  ForwardRequest: [
    { name: 'from', type: 'address' },
    { name: 'to', type: 'address' },
    { name: 'value', type: 'uint256' },
    { name: 'gas', type: 'uint256' },
    { name: 'nonce', type: 'uint256' },
    { name: 'deadline', type: 'uint48' },
    { name: 'data', type: 'bytes' },
  ],
};

/** Where the member's requests go. */
export interface EvmTarget {
  chainId: bigint;
  forwarder: string;
  moneyCore: string;
}

/** Options of {@link signEvmCall}. */
export interface SignEvmCallOptions {
  target: EvmTarget;
  fn: string;
  args: string[];
  /** The member's next forwarder nonce (see {@link nextNonce}). */
  nonce: bigint;
  /** Unix seconds after which the request is void (default: in 10 minutes). */
  deadline?: number;
  /** Gas the forwarder passes on to MoneyCore (default 5,000,000). */
  gas?: bigint;
}

/** The EIP-712 domain of the forwarder. */
export const forwarderDomain = (target: EvmTarget): TypedDataDomain => ({
  name: 'Lianjian',
  version: '1',
  chainId: target.chainId,
  verifyingContract: target.forwarder,
});

/**
 * A ledger call signed by `member` with its own secp256k1 key.
 * @throws LedgerError 501 for functions the EVM ledger does not run, 400 for malformed arguments
 */
export async function signEvmCall(member: Signer, options: SignEvmCallOptions): Promise<LedgerCall> {
  const request = {
    from: await member.getAddress(),
    to: options.target.moneyCore,
    value: '0',
    gas: String(options.gas ?? 5_000_000n),
    nonce: String(options.nonce),
    deadline: options.deadline ?? Math.floor(Date.now() / 1000) + 600,
    data: encodeMoneyCall(options.fn, options.args),
  };
  const signature = await member.signTypedData(forwarderDomain(options.target), FORWARD_REQUEST_TYPES, request);
  const evm: EvmIntent = { request, signature };
  return { fn: options.fn, args: options.args, evm };
}

/**
 * The member's next unused forwarder nonce, read from the chain.
 * @throws Error when the node cannot be reached
 */
export async function nextNonce(provider: Provider, forwarder: string, member: string): Promise<bigint> {
  return (await new Contract(forwarder, FORWARDER_INTERFACE, provider).getFunction('nonces')(member)) as bigint;
}
