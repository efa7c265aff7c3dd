/** Prepaid (预付资金) REST routes, 1:1 over chaincode Prepaid. The chain re-checks every role and rule. */
import type { FastifyInstance } from 'fastify';
import { CATEGORIES, MAX_BATCH } from '../../chaincode/prepaid/policy';
import { RELEASE_MODES } from '../../chaincode/prepaid/rules';
import { REGIONS } from '../../chaincode/prepaid/merchants';
import { prepaidOperations as ops } from '../../chaincode/prepaid/operations';
import { evaluate, requireRole, S, submit } from '../plugin';

const rec = S.record();
const params = (...names: string[]) =>
  ({
    type: 'object',
    properties: Object.fromEntries(names.map((n) => [n, S.id])),
    required: names,
    additionalProperties: false,
  }) as const;
const empty = { type: 'object', properties: {}, additionalProperties: false } as const;
const int = (min: number, max: number) => ({ type: 'integer', minimum: min, maximum: max }) as const;
const TAG = ['prepaid'];
type P<T> = { Params: T };
type B<T> = { Body: T };

export default async function prepaidRoutes(app: FastifyInstance): Promise<void> {
  // ---- merchants (商户入驻)
  app.post<B<{ id: string; name: string; category: string; region: string; account: string }>>(
    '/v1/prepaid/merchants',
    {
      schema: {
        tags: TAG,
        summary: 'A merchant applies to sell prepaid plans (Prepaid:applyMerchant)',
        body: S.body(
          {
            id: S.id,
            name: S.text(128),
            category: { type: 'string', enum: [...CATEGORIES] },
            region: { type: 'string', enum: REGIONS },
            account: S.id,
          },
          ['id', 'name', 'category', 'region', 'account'],
        ),
        response: S.responses(S.record('Merchant'), 201),
      },
    },
    async (req, reply) => {
      requireRole(req, 'merchant');
      reply.code(201);
      return submit(req, ops.applyMerchant);
    },
  );

  app.post<P<{ id: string }> & B<{ decision: string; reason?: string }>>(
    '/v1/prepaid/merchants/:id/review',
    {
      schema: {
        tags: TAG,
        summary: 'A regulator approves or rejects an application',
        params: params('id'),
        body: S.body(
          { decision: { type: 'string', enum: ['approve', 'reject'] }, reason: { type: 'string', maxLength: 512 } },
          ['decision'],
        ),
        response: S.responses(rec),
      },
    },
    async (req) => {
      requireRole(req, 'regulator');
      return submit(req, ops.reviewMerchant);
    },
  );

  app.post<P<{ id: string }> & B<{ reason: string }>>(
    '/v1/prepaid/merchants/:id/freeze',
    {
      schema: {
        tags: TAG,
        summary: 'A regulator freezes a failing merchant: no sales, no releases',
        params: params('id'),
        body: S.body({ reason: S.text(512) }, ['reason']),
        response: S.responses(rec),
      },
    },
    async (req) => {
      requireRole(req, 'regulator');
      return submit(req, ops.freezeMerchant);
    },
  );

  app.post<P<{ id: string }> & B<{ limit?: number }>>(
    '/v1/prepaid/merchants/:id/refund-all',
    {
      schema: {
        tags: TAG,
        summary: 'One batch of the refund sweep over a frozen merchant; repeat until done',
        params: params('id'),
        body: S.body({ limit: int(1, MAX_BATCH) }),
        response: S.responses(S.record('Sweep')),
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
        response: S.responses({ type: 'array', items: S.record('MerchantWithPlans') }),
      },
    },
    async (req) => {
      requireRole(req, 'regulator', 'auditor', 'merchant', 'consumer', 'bank');
      return evaluate(req, 'Prepaid:listMerchants', []);
    },
  );

  app.get<{ Querystring: { merchant?: string } }>(
    '/v1/prepaid/contracts',
    {
      schema: {
        tags: TAG,
        summary:
          'Contracts the caller may read, with escrow balance, delivered and what a refund returns now (Prepaid:listContracts)',
        querystring: { type: 'object', properties: { merchant: S.id }, additionalProperties: false },
        response: S.responses({ type: 'array', items: S.record('PrepaidContractView') }),
      },
    },
    async (req) => {
      requireRole(req, 'regulator', 'auditor', 'merchant', 'consumer');
      return evaluate(req, 'Prepaid:listContracts', [req.query.merchant ?? '']);
    },
  );

  app.post<P<{ id: string }> & B<{ contract: string; note: string }>>(
    '/v1/prepaid/merchants/:id/refund-all/resolve',
    {
      schema: {
        tags: TAG,
        summary: 'The regulator records why a contract the sweep could not refund is settled otherwise',
        params: params('id'),
        body: S.body({ contract: S.id, note: S.text(1000) }, ['contract', 'note']),
        response: S.responses(S.record('Sweep')),
      },
    },
    async (req) => {
      requireRole(req, 'regulator');
      return submit(req, ops.resolveSkipped);
    },
  );

  app.get<P<{ id: string }>>(
    '/v1/prepaid/merchants/:id',
    { schema: { tags: TAG, params: params('id'), response: S.responses(S.record('Merchant')) } },
    async (req) => {
      requireRole(req, 'regulator', 'auditor', 'merchant', 'consumer', 'bank');
      return evaluate(req, 'Prepaid:getMerchant', [req.params.id]);
    },
  );

  // ---- plans
  app.post<B<Record<string, unknown>>>(
    '/v1/prepaid/plans',
    {
      schema: {
        tags: TAG,
        summary: 'A merchant publishes a plan, checked against the category caps (Prepaid:createPlan)',
        body: S.body(
          {
            id: S.id,
            merchant: S.id,
            name: S.text(128),
            mode: { type: 'string', enum: [...RELEASE_MODES] },
            unitPrice: S.amount,
            units: int(1, 100000),
            days: int(1, 3660),
            coolingOffDays: int(0, 365),
            nonRefundableBp: int(0, 10000),
          },
          ['id', 'merchant', 'name', 'mode', 'unitPrice', 'coolingOffDays'],
        ),
        response: S.responses(S.record('Plan'), 201),
      },
    },
    async (req, reply) => {
      requireRole(req, 'merchant');
      reply.code(201);
      return submit(req, ops.createPlan);
    },
  );

  app.post<P<{ id: string }>>(
    '/v1/prepaid/plans/:id/withdraw',
    {
      schema: {
        tags: TAG,
        summary: 'The merchant stops selling a plan',
        params: params('id'),
        body: empty,
        response: S.responses(rec),
      },
    },
    async (req) => {
      requireRole(req, 'merchant');
      return submit(req, ops.withdrawPlan);
    },
  );

  app.get<P<{ id: string }>>(
    '/v1/prepaid/plans/:id',
    { schema: { tags: TAG, params: params('id'), response: S.responses(S.record('Plan')) } },
    async (req) => {
      requireRole(req, 'regulator', 'auditor', 'merchant', 'consumer', 'bank');
      return evaluate(req, 'Prepaid:getPlan', [req.params.id]);
    },
  );

  // ---- wallets and hardware cards (banks)
  app.post<P<{ account: string }> & B<{ tier: number }>>(
    '/v1/prepaid/wallets/:account/tier',
    {
      schema: {
        tags: TAG,
        summary: "The wallet's bank declares its e-CNY tier (1-4)",
        params: params('account'),
        body: S.body({ tier: int(1, 4) }, ['tier']),
        response: S.responses(rec),
      },
    },
    async (req) => {
      requireRole(req, 'bank');
      return submit(req, ops.setWalletTier);
    },
  );

  app.post<B<{ card: string; account: string; publicKey: string }>>(
    '/v1/prepaid/cards',
    {
      schema: {
        tags: TAG,
        summary: "A bank binds a hardware wallet's SM2 key to a wallet account",
        body: S.body({ card: S.id, account: S.id, publicKey: S.hex }, ['card', 'account', 'publicKey']),
        response: S.responses(S.record('Card'), 201),
      },
    },
    async (req, reply) => {
      requireRole(req, 'bank');
      reply.code(201);
      return submit(req, ops.registerCard);
    },
  );

  const payment = {
    type: 'object',
    additionalProperties: false,
    required: ['card', 'payee', 'amount', 'counter', 'time', 'signature'],
    properties: {
      card: S.id,
      payee: S.id,
      amount: S.amount,
      counter: int(1, Number.MAX_SAFE_INTEGER),
      time: S.text(40),
      signature: S.hex,
    },
  } as const;
  app.post<B<{ payments: unknown[] }>>(
    '/v1/prepaid/card-payments/sync',
    {
      schema: {
        tags: TAG,
        summary: 'A POS uploads offline card payments; each is accepted or recorded as rejected',
        body: S.body({ payments: { type: 'array', minItems: 1, maxItems: MAX_BATCH, items: payment } }, ['payments']),
        response: S.responses(rec),
      },
    },
    async (req) => {
      requireRole(req, 'merchant');
      return submit(req, ops.syncCardPayments);
    },
  );

  app.get<P<{ card: string; counter: string }>>(
    '/v1/prepaid/cards/:card/payments/:counter',
    {
      schema: {
        tags: TAG,
        params: {
          type: 'object',
          properties: { card: S.id, counter: S.uint(15) },
          required: ['card', 'counter'],
          additionalProperties: false,
        },
        response: S.responses(rec),
      },
    },
    async (req) => {
      requireRole(req, 'regulator', 'auditor', 'bank', 'merchant', 'consumer');
      return evaluate(req, 'Prepaid:getCardPayment', [req.params.card, req.params.counter]);
    },
  );

  // ---- contracts
  app.post<B<{ id?: string; plan: string; wallet: string; escrow: string }>>(
    '/v1/prepaid/contracts',
    {
      schema: {
        tags: TAG,
        summary: 'A consumer buys a plan; the price is locked in their escrow (id defaults to the Idempotency-Key)',
        body: S.body({ id: S.id, plan: S.id, wallet: S.id, escrow: S.id }, ['plan', 'wallet', 'escrow']),
        response: S.responses(S.record('PrepaidContract'), 201),
      },
    },
    async (req, reply) => {
      requireRole(req, 'consumer');
      reply.code(201);
      return submit(req, ops.purchase);
    },
  );

  for (const [path, fn] of [
    ['', 'getContract'],
    ['/refund-quote', 'refundQuote'],
  ] as const) {
    app.get<P<{ id: string }>>(
      `/v1/prepaid/contracts/:id${path}`,
      { schema: { tags: TAG, params: params('id'), response: S.responses(rec) } },
      async (req) => {
        requireRole(req, 'regulator', 'auditor', 'merchant', 'consumer', 'bank');
        return evaluate(req, `Prepaid:${fn}`, [req.params.id]);
      },
    );
  }

  app.post<P<{ id: string }> & B<{ seq: number; units?: number; time: string; signer?: string; signature: string }>>(
    '/v1/prepaid/contracts/:id/uses',
    {
      schema: {
        tags: TAG,
        summary:
          '核销: the merchant submits a consumption record co-signed by the consumer (signer: card id, or omitted for the member key)',
        params: params('id'),
        body: S.body({ seq: int(1, 1000000), units: int(1, 1000), time: S.text(40), signer: S.id, signature: S.hex }, [
          'seq',
          'time',
          'signature',
        ]),
        response: S.responses(rec, 201),
      },
    },
    async (req, reply) => {
      requireRole(req, 'merchant');
      reply.code(201);
      return submit(req, ops.consume);
    },
  );

  app.post<P<{ id: string }> & B<{ attestation: string; progressBp: number }>>(
    '/v1/prepaid/contracts/:id/progress',
    {
      schema: {
        tags: TAG,
        summary: 'A regulator or oracle attests progress (basis points)',
        params: params('id'),
        body: S.body({ attestation: S.id, progressBp: int(0, 10000) }, ['attestation', 'progressBp']),
        response: S.responses(rec),
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
    app.post<P<{ id: string }>>(
      `/v1/prepaid/contracts/:id/${path}`,
      {
        schema: {
          tags: TAG,
          summary:
            fn === 'refund'
              ? 'The consumer takes back the unreleased balance'
              : 'The merchant claims what accrued by day',
          params: params('id'),
          body: empty,
          response: S.responses(rec),
        },
      },
      async (req) => {
        requireRole(req, role);
        return submit(req, ops[fn]);
      },
    );
  }

  app.get<{ Querystring: { consumer?: string } }>(
    '/v1/prepaid/holdings',
    {
      schema: {
        tags: TAG,
        summary: "A consumer's money: available in wallets, locked in prepaid contracts",
        querystring: { type: 'object', properties: { consumer: S.handle }, additionalProperties: false },
        response: S.responses(rec),
      },
    },
    async (req) => {
      requireRole(req, 'consumer', 'regulator', 'auditor', 'bank');
      return evaluate(req, 'Prepaid:holdings', [req.query.consumer ?? '']);
    },
  );
}
