/** REST writes of the money core and the member registry (gateway/routes/core.ts, identity.ts). */
import { arg, operation, requestId } from './operation';

export const coreOperations = {
  openAccount: operation({
    method: 'POST',
    path: '/v1/accounts',
    fn: 'Money:openAccount',
    args: ({ body }) => [arg(body.id), arg(body.kind), arg(body.owner), arg(body.offChainRef), arg(body.holderName)],
  }),
  consentAccount: operation({
    method: 'POST',
    path: '/v1/accounts/:id/consent',
    fn: 'Money:consentAccount',
    args: ({ params, body }) => [params.id, arg(body.decision)],
  }),
  freezeAccount: operation({
    method: 'POST',
    path: '/v1/accounts/:id/freeze',
    fn: 'Money:freezeAccount',
    args: ({ params, body }) => [params.id, arg(body.order), arg(body.reason)],
  }),
  unfreezeAccount: operation({
    method: 'POST',
    path: '/v1/accounts/:id/unfreeze',
    fn: 'Money:unfreezeAccount',
    args: ({ params, body }) => [params.id, arg(body.order), arg(body.reason)],
  }),
  closeAccount: operation({
    method: 'POST',
    path: '/v1/accounts/:id/close',
    fn: 'Money:closeAccount',
    args: ({ params }) => [params.id],
  }),
  transfer: operation({
    method: 'POST',
    path: '/v1/transfers',
    fn: 'Money:transfer',
    args: (input) => [
      requestId(input),
      arg(input.body.from),
      arg(input.body.to),
      arg(input.body.amount),
      arg(input.body.purpose),
      arg(input.body.ref),
    ],
  }),
  mirrorDeposit: operation({
    method: 'POST',
    path: '/v1/mirror/deposits',
    fn: 'Money:mirrorDeposit',
    args: ({ body }) => [
      arg(body.account),
      arg(body.amount),
      arg(body.offTxId),
      arg(body.color),
      arg(body.attestation),
    ],
  }),
  mirrorWithdrawal: operation({
    method: 'POST',
    path: '/v1/mirror/withdrawals',
    fn: 'Money:mirrorWithdrawal',
    args: ({ body }) => [arg(body.account), arg(body.amount), arg(body.offTxId), arg(body.attestation)],
  }),
  registerOrg: operation({
    method: 'POST',
    path: '/v1/orgs',
    fn: 'Identity:registerOrg',
    args: ({ body }) => [
      arg(body.mspId),
      arg(body.name),
      arg(body.roles),
      arg((body.admin as { name?: unknown } | undefined)?.name),
      arg((body.admin as { publicKey?: unknown } | undefined)?.publicKey),
    ],
  }),
  registerMember: operation({
    method: 'POST',
    path: '/v1/members',
    fn: 'Identity:registerMember',
    args: ({ body }) => [
      arg(body.name),
      arg(body.roles ?? []),
      arg(body.publicKey),
      arg(body.admin ?? false),
      arg(body.validUntil),
      arg(body.displayName),
    ],
  }),
  revokeMember: operation({
    method: 'POST',
    path: '/v1/members/:handle/revoke',
    fn: 'Identity:revokeMember',
    args: ({ params, body }) => [params.handle, arg(body.reason)],
  }),
};
