/** Prepaid (预付资金) REST routes, 1:1 over chaincode Prepaid. The chain re-checks every role and rule. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { prepaidOperations as ops } from '../../chaincode/prepaid/operations';
import { evaluate, requireRole, S, submit } from '../plugin';

const params = S.params;
const TAG = ['prepaid'];

export default function prepaidRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  // ---- merchants (商户入驻)
  app.post(
    '/v1/prepaid/merchants',
    {
      schema: {
        tags: TAG,
        summary: 'A merchant applies to sell prepaid plans (Prepaid:applyMerchant)',
        body: S.ref(S.prepaid.MerchantApplication),
        response: S.responses(S.ref(S.prepaid.Merchant), 201),
      },
    },
    async (req, reply) => {
      requireRole(req, 'merchant');
      reply.code(201);
      return submit(req, ops.applyMerchant);
    },
  );

  app.post(
    '/v1/prepaid/merchants/:id/review',
    {
      schema: {
        tags: TAG,
        summary: 'A regulator approves or rejects an application',
        params: params('id'),
        body: S.ref(S.prepaid.MerchantReview),
        response: S.responses(S.ref(S.prepaid.Merchant)),
      },
    },
    async (req) => {
      requireRole(req, 'regulator');
      return submit(req, ops.reviewMerchant);
    },
  );

  app.post(
    '/v1/prepaid/merchants/:id/freeze',
    {
      schema: {
        tags: TAG,
        summary: 'A regulator freezes a failing merchant: no sales, no releases',
        params: params('id'),
        body: S.ref(S.prepaid.MerchantFreeze),
        response: S.responses(S.ref(S.prepaid.Merchant)),
      },
    },
    async (req) => {
      requireRole(req, 'regulator');
      return submit(req, ops.freezeMerchant);
    },
  );

  app.post(
    '/v1/prepaid/merchants/:id/refund-all',
    {
      schema: {
        tags: TAG,
        summary: 'One batch of the refund sweep over a frozen merchant; repeat until done',
        params: params('id'),
        body: S.ref(S.prepaid.RefundSweepRequest),
        response: S.responses(S.ref(S.prepaid.Sweep)),
      },
    },
    async (req) => {
      requireRole(req, 'regulator');
      return submit(req, ops.refundMerchant);
    },
  );

  app.get(
    '/v1/prepaid/merchants',
    {
      schema: {
        tags: TAG,
        summary: 'Merchants the caller may list, each with its plans (Prepaid:listMerchants)',
        response: S.responses(S.ref(S.prepaid.MerchantList)),
      },
    },
    async (req) => {
      requireRole(req, 'regulator', 'auditor', 'merchant', 'consumer', 'bank');
      return evaluate(req, 'Prepaid:listMerchants', []);
    },
  );

  app.get(
    '/v1/prepaid/contracts',
    {
      schema: {
        tags: TAG,
        summary:
          'Contracts the caller may read, with escrow balance, delivered and what a refund returns now (Prepaid:listContracts)',
        querystring: S.record({ merchant: Type.Optional(S.id) }),
        response: S.responses(S.ref(S.prepaid.PrepaidContractList)),
      },
    },
    async (req) => {
      requireRole(req, 'regulator', 'auditor', 'merchant', 'consumer');
      return evaluate(req, 'Prepaid:listContracts', [req.query.merchant ?? '']);
    },
  );

  app.post(
    '/v1/prepaid/merchants/:id/refund-all/resolve',
    {
      schema: {
        tags: TAG,
        summary: 'The regulator records why a contract the sweep could not refund is settled otherwise',
        params: params('id'),
        body: S.ref(S.prepaid.SweepResolution),
        response: S.responses(S.ref(S.prepaid.Sweep)),
      },
    },
    async (req) => {
      requireRole(req, 'regulator');
      return submit(req, ops.resolveSkipped);
    },
  );

  app.get(
    '/v1/prepaid/merchants/:id',
    { schema: { tags: TAG, params: params('id'), response: S.responses(S.ref(S.prepaid.Merchant)) } },
    async (req) => {
      requireRole(req, 'regulator', 'auditor', 'merchant', 'consumer', 'bank');
      return evaluate(req, 'Prepaid:getMerchant', [req.params.id]);
    },
  );

  // ---- plans
  app.post(
    '/v1/prepaid/plans',
    {
      schema: {
        tags: TAG,
        summary: 'A merchant publishes a plan, checked against the category caps (Prepaid:createPlan)',
        body: S.ref(S.prepaid.PlanRequest),
        response: S.responses(S.ref(S.prepaid.Plan), 201),
      },
    },
    async (req, reply) => {
      requireRole(req, 'merchant');
      reply.code(201);
      return submit(req, ops.createPlan);
    },
  );

  app.post(
    '/v1/prepaid/plans/:id/withdraw',
    {
      schema: {
        tags: TAG,
        summary: 'The merchant stops selling a plan',
        params: params('id'),
        body: S.ref(S.Empty),
        response: S.responses(S.ref(S.prepaid.Plan)),
      },
    },
    async (req) => {
      requireRole(req, 'merchant');
      return submit(req, ops.withdrawPlan);
    },
  );

  app.get(
    '/v1/prepaid/plans/:id',
    { schema: { tags: TAG, params: params('id'), response: S.responses(S.ref(S.prepaid.Plan)) } },
    async (req) => {
      requireRole(req, 'regulator', 'auditor', 'merchant', 'consumer', 'bank');
      return evaluate(req, 'Prepaid:getPlan', [req.params.id]);
    },
  );

  // ---- wallets and hardware cards (banks)
  app.post(
    '/v1/prepaid/wallets/:account/tier',
    {
      schema: {
        tags: TAG,
        summary: "The wallet's bank declares its e-CNY tier (1-4)",
        params: params('account'),
        body: S.ref(S.prepaid.WalletTierRequest),
        response: S.responses(S.ref(S.prepaid.WalletTier)),
      },
    },
    async (req) => {
      requireRole(req, 'bank');
      return submit(req, ops.setWalletTier);
    },
  );

  app.post(
    '/v1/prepaid/cards',
    {
      schema: {
        tags: TAG,
        summary: "A bank binds a hardware wallet's SM2 key to a wallet account",
        body: S.ref(S.prepaid.CardRequest),
        response: S.responses(S.ref(S.prepaid.Card), 201),
      },
    },
    async (req, reply) => {
      requireRole(req, 'bank');
      reply.code(201);
      return submit(req, ops.registerCard);
    },
  );

  app.post(
    '/v1/prepaid/card-payments/sync',
    {
      schema: {
        tags: TAG,
        summary: 'A POS uploads offline card payments; each is accepted or recorded as rejected',
        body: S.ref(S.prepaid.CardPaymentsSync),
        response: S.responses(S.ref(S.prepaid.CardPaymentsResult)),
      },
    },
    async (req) => {
      requireRole(req, 'merchant');
      return submit(req, ops.syncCardPayments);
    },
  );

  app.get(
    '/v1/prepaid/cards/:card/payments/:counter',
    {
      schema: {
        tags: TAG,
        params: S.record({ card: S.id, counter: S.uint(15) }),
        response: S.responses(S.ref(S.prepaid.CardPaymentRecord)),
      },
    },
    async (req) => {
      requireRole(req, 'regulator', 'auditor', 'bank', 'merchant', 'consumer');
      return evaluate(req, 'Prepaid:getCardPayment', [req.params.card, req.params.counter]);
    },
  );

  // ---- contracts
  app.post(
    '/v1/prepaid/contracts',
    {
      schema: {
        tags: TAG,
        summary: 'A consumer buys a plan; the price is locked in their escrow (id defaults to the Idempotency-Key)',
        body: S.ref(S.prepaid.PurchaseRequest),
        response: S.responses(S.ref(S.prepaid.PrepaidContract), 201),
      },
    },
    async (req, reply) => {
      requireRole(req, 'consumer');
      reply.code(201);
      return submit(req, ops.purchase);
    },
  );

  for (const [path, fn, answer] of [
    ['', 'getContract', S.prepaid.PrepaidContract],
    ['/refund-quote', 'refundQuote', S.prepaid.RefundQuote],
  ] as const) {
    app.get(
      `/v1/prepaid/contracts/:id${path}`,
      { schema: { tags: TAG, params: params('id'), response: S.responses(S.ref(answer)) } },
      async (req) => {
        requireRole(req, 'regulator', 'auditor', 'merchant', 'consumer', 'bank');
        return evaluate(req, `Prepaid:${fn}`, [req.params.id]);
      },
    );
  }

  app.post(
    '/v1/prepaid/contracts/:id/uses',
    {
      schema: {
        tags: TAG,
        summary:
          '核销: the merchant submits a consumption record co-signed by the consumer (signer: card id, or omitted for the member key)',
        params: params('id'),
        body: S.ref(S.prepaid.UseRequest),
        response: S.responses(S.ref(S.prepaid.PrepaidContract), 201),
      },
    },
    async (req, reply) => {
      requireRole(req, 'merchant');
      reply.code(201);
      return submit(req, ops.consume);
    },
  );

  app.post(
    '/v1/prepaid/contracts/:id/progress',
    {
      schema: {
        tags: TAG,
        summary: 'A regulator or oracle attests progress (basis points)',
        params: params('id'),
        body: S.ref(S.prepaid.ProgressRequest),
        response: S.responses(S.ref(S.prepaid.PrepaidContract)),
      },
    },
    async (req) => {
      requireRole(req, 'regulator', 'oracle');
      return submit(req, ops.attestProgress);
    },
  );

  for (const [path, fn, role] of [
    ['claim', 'claimAccrued', 'merchant'],
    ['refund', 'refund', 'consumer'],
  ] as const) {
    app.post(
      `/v1/prepaid/contracts/:id/${path}`,
      {
        schema: {
          tags: TAG,
          summary:
            fn === 'refund'
              ? 'The consumer takes back the unreleased balance'
              : 'The merchant claims what accrued by day',
          params: params('id'),
          body: S.ref(S.Empty),
          response: S.responses(S.ref(S.prepaid.PrepaidContract)),
        },
      },
      async (req) => {
        requireRole(req, role);
        return submit(req, ops[fn]);
      },
    );
  }

  app.get(
    '/v1/prepaid/holdings',
    {
      schema: {
        tags: TAG,
        summary: "A consumer's money: available in wallets, locked in prepaid contracts",
        querystring: S.record({ consumer: Type.Optional(S.handle) }),
        response: S.responses(S.ref(S.prepaid.PrepaidHoldings)),
      },
    },
    async (req) => {
      requireRole(req, 'consumer', 'regulator', 'auditor', 'bank');
      return evaluate(req, 'Prepaid:holdings', [req.query.consumer ?? '']);
    },
  );
  return Promise.resolve();
}
