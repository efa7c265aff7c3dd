/** The service's own routes: health, readiness, the gateway key, the event stream. */
import { Type } from '@sinclair/typebox';
import { int, named, record, str } from './common';

export const Health = named('Health', { status: Type.Literal('ok') });
export const Readiness = named('Readiness', {
  status: Type.Union([Type.Literal('ready'), Type.Literal('not ready')]),
  engine: Type.Union([Type.Literal('embedded'), Type.Literal('fabric'), Type.Literal('evm')]),
  components: Type.Array(
    record({
      name: str,
      kind: Type.Union([Type.Literal('engine'), Type.Literal('peer'), Type.Literal('orderer'), Type.Literal('node')]),
      ok: Type.Boolean(),
      detail: Type.Optional(str),
    }),
  ),
  inFlight: int,
  queued: int,
  guards: Type.Record(str, str, { description: "each downstream guard's circuit state" }),
});
export const GatewayKey = named('GatewayKey', {
  publicKey: Type.String({ description: "the gateway's SM2 public key: seal sm4-envelope bodies to it" }),
  alg: Type.Literal('SM2-SM4-CBC-HMACSM3'),
});
export const EventStream = Type.String({
  $id: 'EventStream',
  description: 'text/event-stream of `id: <block>.<tx>`, `event: lianjian`, `data: <envelope JSON>`',
});

/** Where the ledger is anchored on an EVM chain (GET /v1/witness; ledger/evm/witness.ts). */
export const Witness = named('Witness', {
  enabled: Type.Boolean(),
  state: Type.Optional(
    Type.Union(['idle', 'anchoring', 'retrying', 'failed', 'closed'].map((state) => Type.Literal(state))),
  ),
  evmChainId: Type.Optional(str),
  contract: Type.Optional(str),
  lastAnchor: Type.Optional(
    record({
      height: Type.Integer({ description: 'the last anchored block number' }),
      blockHash: str,
      evmTxHash: Type.Optional(Type.String({ description: 'the EVM transaction that anchored it' })),
      evmBlock: Type.Optional(int),
      at: str,
      lagMs: Type.Optional(Type.Integer({ description: 'from block commit to anchored' })),
    }),
  ),
  lastRootAnchor: Type.Optional(
    record(
      { day: str, root: str, evmTxHash: Type.Optional(str), evmBlock: Type.Optional(int), at: str },
      { description: 'the last anchored reconciliation root' },
    ),
  ),
  lastError: Type.Optional(str),
});

/** LEDGER=evm: where a member sends its next signed request (GET /v1/evm/forwarder; ledger/evm/member-signer.ts). */
export const EvmForwarding = named('EvmForwarding', {
  chainId: Type.String({ description: "the EVM chain id (EIP-712 domain's chainId)" }),
  forwarder: Type.String({ description: "the forwarder's address (EIP-712 verifyingContract)" }),
  moneyCore: Type.String({ description: "MoneyCore's address (the request's `to`)" }),
  member: Type.String({ description: "the member's account address" }),
  nonce: Type.String({ description: "the member's next unused forwarder nonce" }),
});
