/**
 * Fund supervision (资金监管) REST routes, 1:1 over chaincode Supervision
 * (chaincode/supervision/README.md). Role checks here are early and friendly; the chain re-checks
 * who may act on which program.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Role } from '../../chaincode/core/context';
import { PRESETS } from '../../chaincode/supervision/presets';
import { ACCOUNT_ROLES, RAILS, SCENARIOS } from '../../chaincode/supervision/types';
import { LedgerError } from '../../ledger/errors';
import { evaluate, requireRole, S, submit } from '../plugin';

const READERS: Role[] = ['regulator', 'auditor', 'bank', 'oracle', 'enterprise', 'merchant', 'consumer'];
const PARTY: Role[] = ['enterprise', 'merchant', 'consumer', 'bank'];
const APPROVERS: Role[] = ['regulator', 'bank', 'enterprise', 'merchant', 'consumer', 'auditor', 'oracle', 'court'];
const T = ['supervision'];
const rec = S.record();
const obj = (properties: Record<string, unknown>, required: string[] = []) =>
  ({ type: 'object', properties, required, additionalProperties: false }) as const;
const params = (...names: string[]) => obj(Object.fromEntries(names.map((n) => [n, S.id])), names);
const hash32 = { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'SM3 hash, lowercase hex' } as const;
const month = { type: 'string', pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$' } as const;
const bp = { type: 'integer', minimum: 0, maximum: 10000 } as const;
const wageRows = {
  type: 'array',
  minItems: 1,
  maxItems: 500,
  items: obj({ worker: hash32, account: S.id, amount: S.amount }, ['worker', 'account', 'amount']),
} as const;

const specProps = {
  scenario: { type: 'string', enum: [...SCENARIOS] },
  title: S.text(256),
  party: S.handle,
  bank: S.mspId,
  keyAmount: S.amount,
  policy: obj(
    {
      approvers: { type: 'array', minItems: 1, maxItems: 10, items: S.handle },
      required: { type: 'integer', minimum: 1 },
      requiredAbove: { type: 'integer', minimum: 1 },
    },
    ['approvers', 'required'],
  ),
  limits: obj({
    perPayment: S.amount,
    perDay: S.amount,
    personalPerPayment: S.amount,
    approvalThreshold: S.amount,
    wageGraceDays: { type: 'integer', minimum: 0, maximum: 60 },
  }),
  preset: { type: 'string', enum: [...PRESETS] },
  floors: { type: 'integer', minimum: 1, maximum: 300 },
  milestones: {
    type: 'array',
    maxItems: 20,
    items: obj({ id: S.id, name: S.text(128), capBp: bp }, ['id', 'name', 'capBp']),
  },
  retentionBp: bp,
  contractValue: S.amount,
  depositBp: { type: 'integer', minimum: 100, maximum: 300 },
};

/** The business id: the body's, else the Idempotency-Key. */
function bizId(req: Req, given: string | undefined, field = 'id'): string {
  const id = given ?? (req.headers['idempotency-key'] as string | undefined);
  if (!id)
    throw new LedgerError('VALIDATION_ERROR', `${field} is required when no Idempotency-Key is sent`, field, 400);
  return id;
}

// Bodies, params and queries are validated by their JSON Schema before a handler runs.
type G = { Params: Record<string, string>; Body: Record<string, any>; Querystring: Record<string, string | undefined> }; // eslint-disable-line @typescript-eslint/no-explicit-any
type Req = FastifyRequest<G>;

export default async function supervisionRoutes(app: FastifyInstance): Promise<void> {
  const post = (
    path: string,
    summary: string,
    roles: Role[],
    body: unknown,
    fn: string,
    args: (req: Req) => string[],
    created = false,
    pnames = ['id'],
  ) =>
    app.post<G>(
      path,
      {
        schema: {
          tags: T,
          summary: `${summary} (Supervision:${fn})`,
          params: params(...pnames),
          body,
          response: S.responses(rec, created ? 201 : 200),
        },
      },
      async (req, reply) => {
        requireRole(req, ...roles);
        if (created) reply.code(201);
        return submit(req, `Supervision:${fn}`, args(req));
      },
    );
  const get = (
    path: string,
    summary: string,
    roles: Role[],
    fn: string,
    args: (req: Req) => string[],
    pnames = ['id'],
    querystring?: unknown,
    list = false,
  ) =>
    app.get<G>(
      path,
      {
        schema: {
          tags: T,
          summary,
          params: params(...pnames),
          ...(querystring ? { querystring } : {}),
          response: S.responses(list ? { type: 'array', items: rec } : rec),
        },
      },
      async (req) => {
        requireRole(req, ...roles);
        return evaluate(req, `Supervision:${fn}`, args(req));
      },
    );

  // ---- programs
  app.post<G>(
    '/v1/supervision/programs',
    {
      schema: {
        tags: T,
        summary: 'A regulator creates a program (Supervision:createProgram); id defaults to the Idempotency-Key',
        body: obj({ id: S.id, ...specProps }, ['scenario', 'title', 'party', 'bank', 'keyAmount', 'policy']),
        response: S.responses(S.record('Program'), 201),
      },
    },
    async (req, reply) => {
      requireRole(req, 'regulator');
      const { id, ...spec } = req.body as Record<string, unknown>;
      reply.code(201);
      return submit(req, 'Supervision:createProgram', [
        bizId(req, id as string | undefined),
        JSON.stringify({ limits: {}, ...spec }),
      ]);
    },
  );
  get('/v1/supervision/programs/:id', 'A program', READERS, 'getProgram', (r) => [r.params.id]);
  post(
    '/v1/supervision/programs/:id/accounts',
    'Attach an account opened by the custodian bank',
    ['regulator', 'bank'],
    obj({ account: S.id, role: { type: 'string', enum: [...ACCOUNT_ROLES] } }, ['account', 'role']),
    'attachAccount',
    (r) => [r.params.id, r.body.account, r.body.role],
  );
  post(
    '/v1/supervision/programs/:id/lines',
    'Set a budget line (定向定额)',
    ['regulator'],
    obj({ line: S.id, category: S.text(128), cap: S.amount, payees: { type: 'array', maxItems: 200, items: S.id } }, [
      'line',
      'category',
      'cap',
      'payees',
    ]),
    'setBudgetLine',
    (r) => [r.params.id, r.body.line, r.body.category, r.body.cap, JSON.stringify(r.body.payees)],
  );
  post('/v1/supervision/programs/:id/activate', 'Activate a program', ['regulator'], obj({}), 'activate', (r) => [
    r.params.id,
  ]);
  post(
    '/v1/supervision/programs/:id/milestones/:milestone/attest',
    'Attest a milestone (oracles must give the evidence SM3)',
    ['regulator', 'oracle'],
    obj({ evidenceHash: hash32 }),
    'attestMilestone',
    (r) => [r.params.id, r.params.milestone, r.body.evidenceHash ?? ''],
    false,
    ['id', 'milestone'],
  );
  for (const action of ['freeze', 'unfreeze', 'suspend', 'resume'] as const) {
    post(
      `/v1/supervision/programs/:id/${action}`,
      `The regulator ${action}s a program`,
      ['regulator'],
      obj({ reason: S.text(512) }, ['reason']),
      action,
      (r) => [r.params.id, r.body.reason],
    );
  }
  post(
    '/v1/supervision/programs/:id/refunds',
    'Forced refund (e.g. to pre-sale buyers); id defaults to the Idempotency-Key',
    ['regulator'],
    obj(
      {
        id: S.id,
        reason: S.text(512),
        refunds: {
          type: 'array',
          minItems: 1,
          maxItems: 500,
          items: obj({ account: S.id, amount: S.amount }, ['account', 'amount']),
        },
      },
      ['reason', 'refunds'],
    ),
    'forceRefund',
    (r) => [r.params.id, bizId(r, r.body.id), JSON.stringify(r.body.refunds), r.body.reason],
    true,
  );
  post(
    '/v1/supervision/programs/:id/close',
    'Close with the final report hash',
    ['regulator'],
    obj({ reportHash: hash32 }, ['reportHash']),
    'close',
    (r) => [r.params.id, r.body.reportHash],
  );

  // ---- releases
  post(
    '/v1/supervision/programs/:id/requests',
    'The supervised party requests a payment (用款申请); id defaults to the Idempotency-Key',
    PARTY,
    obj(
      {
        id: S.id,
        line: S.id,
        payee: S.id,
        amount: S.amount,
        purpose: S.text(256),
        rail: { type: 'string', enum: [...RAILS] },
      },
      ['line', 'payee', 'amount', 'purpose'],
    ),
    'requestPayment',
    (r) => [
      r.params.id,
      bizId(r, r.body.id),
      r.body.line,
      r.body.payee,
      r.body.amount,
      r.body.purpose,
      r.body.rail ?? 'bank',
    ],
    true,
  );
  get(
    '/v1/supervision/programs/:id/requests',
    'Payment requests of a program',
    READERS,
    'listRequests',
    (r) => [r.params.id],
    ['id'],
    undefined,
    true,
  );
  get(
    '/v1/supervision/programs/:id/requests/:request',
    'One payment request',
    READERS,
    'getRequest',
    (r) => [r.params.id, r.params.request],
    ['id', 'request'],
  );
  post(
    '/v1/supervision/programs/:id/requests/:request/approve',
    'A named approver approves',
    APPROVERS,
    obj({ comment: { type: 'string', maxLength: 512 } }),
    'approve',
    (r) => [r.params.id, r.params.request, r.body.comment ?? ''],
    false,
    ['id', 'request'],
  );
  post(
    '/v1/supervision/programs/:id/requests/:request/reject',
    'A named approver rejects (ends the request)',
    APPROVERS,
    obj({ comment: S.text(512) }, ['comment']),
    'reject',
    (r) => [r.params.id, r.params.request, r.body.comment],
    false,
    ['id', 'request'],
  );

  // ---- wages
  post(
    '/v1/supervision/programs/:id/wage-sheets',
    'Monthly wage sheet; id defaults to the Idempotency-Key',
    PARTY,
    obj({ id: S.id, month, sheetHash: hash32, rows: wageRows }, ['month', 'sheetHash', 'rows']),
    'submitWageSheet',
    (r) => [r.params.id, bizId(r, r.body.id), r.body.month, r.body.sheetHash, JSON.stringify(r.body.rows)],
    true,
  );
  post(
    '/v1/supervision/programs/:id/wage-checks',
    'Check a month for a wage payout (alert when missing)',
    ['regulator', 'oracle'],
    obj({ month }, ['month']),
    'checkWages',
    (r) => [r.params.id, r.body.month],
  );
  post(
    '/v1/supervision/programs/:id/arrears',
    'Pay wage arrears from the wage deposit; id defaults to the Idempotency-Key',
    ['regulator'],
    obj({ id: S.id, rows: wageRows }, ['rows']),
    'payArrears',
    (r) => [r.params.id, bizId(r, r.body.id), JSON.stringify(r.body.rows)],
    true,
  );
  post(
    '/v1/supervision/programs/:id/wage-deposit/release',
    'Release the wage deposit at completion',
    ['regulator'],
    obj({ toAccount: S.id }, ['toAccount']),
    'releaseWageDeposit',
    (r) => [r.params.id, r.body.toAccount],
  );

  // ---- payouts (the custodian bank's oracle)
  post(
    '/v1/supervision/instructions/:id/confirm',
    'The rail paid: settle to the payee',
    ['oracle'],
    obj({ railRef: S.text(128) }, ['railRef']),
    'confirmPayout',
    (r) => [r.params.id, r.body.railRef],
  );
  post(
    '/v1/supervision/instructions/:id/fail',
    'The rail failed: funds return',
    ['oracle'],
    obj({ reason: S.text(512) }, ['reason']),
    'failPayout',
    (r) => [r.params.id, r.body.reason],
  );
  get('/v1/supervision/instructions/:id', 'One payout instruction', READERS, 'getInstruction', (r) => [r.params.id]);
  get(
    '/v1/supervision/programs/:id/instructions',
    'Payout instructions of a program',
    READERS,
    'listInstructions',
    (r) => [r.params.id, r.query.status ?? ''],
    ['id'],
    obj({ status: { type: 'string', enum: ['instructed', 'settled', 'failed'] } }),
    true,
  );

  // ---- alerts and reports
  get(
    '/v1/supervision/programs/:id/alerts',
    'Alerts of a program',
    READERS,
    'listAlerts',
    (r) => [r.params.id],
    ['id'],
    undefined,
    true,
  );
  get(
    '/v1/supervision/programs/:id/report',
    'Deposited, released by line and milestone, retained, pending, available',
    READERS,
    'report',
    (r) => [r.params.id],
  );
  app.get<G>(
    '/v1/supervision/report',
    {
      schema: {
        tags: T,
        summary: "All of one regulator's programs (default: the caller)",
        querystring: obj({ regulator: S.handle }),
        response: S.responses(rec),
      },
    },
    async (req) => {
      requireRole(req, 'regulator', 'auditor');
      return evaluate(req, 'Supervision:regulatorReport', [req.query.regulator ?? '']);
    },
  );
}
