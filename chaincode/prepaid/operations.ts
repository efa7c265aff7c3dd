/** REST writes of e-CNY prepaid contracts (gateway/routes/prepaid.ts): what each request runs. */
import { arg, operation, requestId } from '../core/operation';

export const prepaidOperations = {
  applyMerchant: operation({
    method: 'POST',
    path: '/v1/prepaid/merchants',
    fn: 'Prepaid:applyMerchant',
    args: ({ body }) => [arg(body.id), arg(body.name), arg(body.category), arg(body.region), arg(body.account)],
  }),
  reviewMerchant: operation({
    method: 'POST',
    path: '/v1/prepaid/merchants/:id/review',
    fn: 'Prepaid:reviewMerchant',
    args: ({ params, body }) => [params.id, arg(body.decision), arg(body.reason)],
  }),
  freezeMerchant: operation({
    method: 'POST',
    path: '/v1/prepaid/merchants/:id/freeze',
    fn: 'Prepaid:freezeMerchant',
    args: ({ params, body }) => [params.id, arg(body.reason)],
  }),
  refundMerchant: operation({
    method: 'POST',
    path: '/v1/prepaid/merchants/:id/refund-all',
    fn: 'Prepaid:refundMerchant',
    args: ({ params, body }) => [params.id, arg(body.limit ?? 50)],
  }),
  resolveSkipped: operation({
    method: 'POST',
    path: '/v1/prepaid/merchants/:id/refund-all/resolve',
    fn: 'Prepaid:resolveSkipped',
    args: ({ params, body }) => [params.id, arg(body.contract), arg(body.note)],
  }),
  createPlan: operation({
    method: 'POST',
    path: '/v1/prepaid/plans',
    fn: 'Prepaid:createPlan',
    args: ({ body }) => [JSON.stringify(body)],
  }),
  withdrawPlan: operation({
    method: 'POST',
    path: '/v1/prepaid/plans/:id/withdraw',
    fn: 'Prepaid:withdrawPlan',
    args: ({ params }) => [params.id],
  }),
  setWalletTier: operation({
    method: 'POST',
    path: '/v1/prepaid/wallets/:account/tier',
    fn: 'Prepaid:setWalletTier',
    args: ({ params, body }) => [params.account, arg(body.tier)],
  }),
  registerCard: operation({
    method: 'POST',
    path: '/v1/prepaid/cards',
    fn: 'Prepaid:registerCard',
    args: ({ body }) => [arg(body.card), arg(body.account), arg(body.publicKey)],
  }),
  syncCardPayments: operation({
    method: 'POST',
    path: '/v1/prepaid/card-payments/sync',
    fn: 'Prepaid:syncCardPayments',
    args: ({ body }) => [JSON.stringify({ payments: body.payments })],
  }),
  purchase: operation({
    method: 'POST',
    path: '/v1/prepaid/contracts',
    fn: 'Prepaid:purchase',
    args: (input) => [requestId(input), arg(input.body.plan), arg(input.body.wallet), arg(input.body.escrow)],
  }),
  consume: operation({
    method: 'POST',
    path: '/v1/prepaid/contracts/:id/uses',
    fn: 'Prepaid:consume',
    args: ({ params, body }) => [
      params.id,
      arg(body.seq),
      arg(body.units ?? 1),
      arg(body.time),
      arg(body.signer),
      arg(body.signature),
    ],
  }),
  attestProgress: operation({
    method: 'POST',
    path: '/v1/prepaid/contracts/:id/progress',
    fn: 'Prepaid:attestProgress',
    args: ({ params, body }) => [params.id, arg(body.attestation), arg(body.progressBp)],
  }),
  claimAccrued: operation({
    method: 'POST',
    path: '/v1/prepaid/contracts/:id/claim',
    fn: 'Prepaid:claimAccrued',
    args: ({ params }) => [params.id],
  }),
  refund: operation({
    method: 'POST',
    path: '/v1/prepaid/contracts/:id/refund',
    fn: 'Prepaid:refund',
    args: ({ params }) => [params.id],
  }),
};
