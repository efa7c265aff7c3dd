/**
 * Signing where the member is, on the EVM ledger: the member's own secp256k1 key signs an EIP-712
 * ForwardRequest (OpenZeppelin ERC2771Forwarder, contracts/Forwarder.sol) whose data is exactly the
 * MoneyCore call of a chaincode function (money-core-calls.ts). The relayer only submits it; the
 * forwarder checks the signature on chain and calls MoneyCore as the member.
 */
import { Contract, isAddress, Wallet, type Provider, type Signer, type TypedDataDomain } from 'ethers';
import { unauthenticated } from '../errors';
import type { EvmForwarding, EvmIntent, LedgerCall, LedgerClient, MemberKey, SubmitResult } from '../types';
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

/** A fresh secp256k1 key for a member, made where the member is. */
export function newEvmKey(): NonNullable<MemberKey['secp256k1']> {
  const made = Wallet.createRandom();
  return { privateKey: made.privateKey, address: made.address };
}

/**
 * The EIP-712 request of `call`, signed with the member's own secp256k1 key for the forwarder
 * and nonce in `forwarding` (LedgerClient.forwarding or GET /v1/evm/forwarder).
 * @throws LedgerError 401 when the key has no secp256k1 part, 501/400 as {@link signEvmCall}
 */
export async function signForwardRequest(
  signer: Pick<MemberKey, 'keyId' | 'secp256k1'>,
  forwarding: EvmForwarding,
  call: { fn: string; args: string[] },
): Promise<EvmIntent> {
  if (!signer.secp256k1)
    throw unauthenticated('NOT_AUTHENTICATED', `${signer.keyId} has no secp256k1 key for the EVM ledger`, 'evm');
  const target = {
    chainId: BigInt(forwarding.chainId),
    forwarder: forwarding.forwarder,
    moneyCore: forwarding.moneyCore,
  };
  const signed = await signEvmCall(new Wallet(signer.secp256k1.privateKey), {
    target,
    fn: call.fn,
    args: call.args,
    nonce: BigInt(forwarding.nonce),
  });
  return signed.evm!;
}

/** One member's writes in order: each forwarder nonce is read after the previous write committed. */
const lanes = new Map<string, Promise<unknown>>();

/**
 * Submits `call` (already carrying the member's SM2 intent) as `signer`; on the EVM ledger it also
 * carries the member's own EIP-712 request. A client (the demo bootstrap, an oracle) holds `signer`.
 * @throws LedgerError from the ledger
 */
export function submitSigned(ledger: LedgerClient, signer: MemberKey, call: LedgerCall): Promise<SubmitResult> {
  const forwarding = ledger.forwarding?.bind(ledger);
  if (!forwarding) return ledger.submit(call);
  const address = signer.secp256k1?.address;
  if (!address)
    return Promise.reject(
      unauthenticated('NOT_AUTHENTICATED', `${signer.keyId} has no secp256k1 key for the EVM ledger`, 'evm'),
    );
  const run = async (): Promise<SubmitResult> => {
    const at = await forwarding(address);
    return ledger.submit({ ...call, evm: await signForwardRequest(signer, at, call) });
  };
  const next = (lanes.get(address) ?? Promise.resolve()).then(run, run);
  lanes.set(
    address,
    next.catch(() => undefined),
  );
  return next;
}

/** The HTTP header that carries a member's EIP-712 request to the gateway (LEDGER=evm). */
export const EVM_REQUEST_HEADER = 'x-lj-evm-request';

/** A signed request as the header's value: base64 of its JSON. */
export const evmRequestHeader = (intent: EvmIntent): string =>
  Buffer.from(JSON.stringify(intent), 'utf8').toString('base64');

const UINT = /^[0-9]{1,78}$/;
const HEX = /^0x(?:[0-9a-fA-F]{2})*$/;

/**
 * The signed request in an X-LJ-EVM-Request header, shape-checked (the chain checks the signature).
 * @throws LedgerError 401 INVALID_HEADER when it is not base64 of {request, signature}
 */
export function parseEvmRequestHeader(value: string): EvmIntent {
  let parsed: Partial<EvmIntent> | undefined;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as Partial<EvmIntent>;
  } catch {
    parsed = undefined;
  }
  const r = parsed?.request;
  const ok =
    !!r &&
    isAddress(r.from) &&
    isAddress(r.to) &&
    [r.value, r.gas, r.nonce].every((n) => typeof n === 'string' && UINT.test(n)) &&
    Number.isSafeInteger(r.deadline) &&
    typeof r.data === 'string' &&
    HEX.test(r.data) &&
    typeof parsed?.signature === 'string' &&
    HEX.test(parsed.signature);
  if (!ok)
    throw unauthenticated(
      'INVALID_HEADER',
      'X-LJ-EVM-Request must be base64 of {request: ForwardRequest, signature}',
      'X-LJ-EVM-Request',
    );
  return { request: r, signature: parsed!.signature! };
}
