/**
 * Fund supervision (资金监管) REST routes, 1:1 over chaincode Supervision
 * (chaincode/supervision/README.md). Role checks here are early and friendly; the chain re-checks
 * who may act on which program.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Role } from '../../chaincode/core/context';
import { PRESETS } from '../../chaincode/supervision/presets';
import { ACCOUNT_ROLES, RAILS, SCENARIOS } from '../../chaincode/supervision/types';
import type { Operation } from '../../chaincode/core/operation';
import { supervisionOperations as ops } from '../../chaincode/supervision/operations';
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

// Bodies, params and queries are validated by their JSON Schema before a handler runs.
type G = { Params: Record<string, string>; Body: Record<string, any>; Querystring: Record<string, string | undefined> }; // eslint-disable-line @typescript-eslint/no-explicit-any
type Req = FastifyRequest<G>;

export default async function supervisionRoutes(app: FastifyInstance): Promise<void> {
  /** A write route: early roles, the body schema, and the operation it runs (path params from its pattern). */
  const post = (route: { op: Operation; summary: string; roles: Role[]; body: unknown; created?: boolean }): void => {
    const names = route.op.path
      .split('/')
      .filter((part) => part.startsWith(':'))
      .map((part) => part.slice(1));
    app.post<G>(
      route.op.path,
      {
        schema: {
          tags: T,
          summary: `${route.summary} (${route.op.fn})`,
          ...(names.length ? { params: params(...names) } : {}),
          body: route.body,
          response: S.responses(rec, route.created ? 201 : 200),
        },
      },
      async (req, reply) => {
        requireRole(req, ...route.roles);
        if (route.created) reply.code(201);
        return submit(req, route.op);
      },
    );
  };
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
      reply.code(201);
      return submit(req, ops.createProgram);
    },
  );
  get('/v1/supervision/programs/:id', 'A program', READERS, 'getProgram', (r) => [r.params.id]);
  post({
    op: ops.attachAccount,
    summary: 'Attach an account opened by the custodian bank',
    roles: ['regulator', 'bank'],
    body: obj({ account: S.id, role: { type: 'string', enum: [...ACCOUNT_ROLES] } }, ['account', 'role']),
  });
  post({
    op: ops.setBudgetLine,
    summary: 'Set a budget line (定向定额)',
    roles: ['regulator'],
    body: obj(
      { line: S.id, category: S.text(128), cap: S.amount, payees: { type: 'array', maxItems: 200, items: S.id } },
      ['line', 'category', 'cap', 'payees'],
    ),
  });
  post({ op: ops.activate, summary: 'Activate a program', roles: ['regulator'], body: obj({}) });
  post({
    op: ops.attestMilestone,
    summary: 'Attest a milestone (oracles must give the evidence SM3)',
    roles: ['regulator', 'oracle'],
    body: obj({ evidenceHash: hash32 }),
  });
  for (const action of ['freeze', 'unfreeze', 'suspend', 'resume'] as const) {
    post({
      op: ops[action],
      summary: `The regulator ${action}s a program`,
      roles: ['regulator'],
      body: obj({ reason: S.text(512) }, ['reason']),
    });
  }
  post({
    op: ops.forceRefund,
    summary: 'Forced refund (e.g. to pre-sale buyers); id defaults to the Idempotency-Key',
    roles: ['regulator'],
    body: obj(
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
    created: true,
  });
  post({
    op: ops.close,
    summary: 'Close with the final report hash',
    roles: ['regulator'],
    body: obj({ reportHash: hash32 }, ['reportHash']),
  });

  // ---- releases
  post({
    op: ops.requestPayment,
    summary: 'The supervised party requests a payment (用款申请); id defaults to the Idempotency-Key',
    roles: PARTY,
    body: obj(
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
    created: true,
  });
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
  post({
    op: ops.approve,
    summary: 'A named approver approves',
    roles: APPROVERS,
    body: obj({ comment: { type: 'string', maxLength: 512 } }),
  });
  post({
    op: ops.reject,
    summary: 'A named approver rejects (ends the request)',
    roles: APPROVERS,
    body: obj({ comment: S.text(512) }, ['comment']),
  });

  post({
    op: ops.clearHold,
    summary: "The program's regulator decides on a wage sheet held for a payee that is not a worker",
    roles: ['regulator'],
    body: obj({ decision: { type: 'string', enum: ['release', 'reject'] }, comment: S.text(512) }, [
      'decision',
      'comment',
    ]),
  });
  get(
    '/v1/supervision/programs/:id/off-chain-debits',
    'Book entries that moved supervised money without an approved release (cases)',
    READERS,
    'listOffChainDebits',
    (r) => [r.params.id],
    ['id'],
    undefined,
    true,
  );
  post({
    op: ops.resolveOffChainDebit,
    summary: "The program's regulator closes the case of a book entry with what it found",
    roles: ['regulator'],
    body: obj({ note: S.text(2000) }, ['note']),
  });

  // ---- wages
  post({
    op: ops.submitWageSheet,
    summary: 'Monthly wage sheet; id defaults to the Idempotency-Key',
    roles: PARTY,
    body: obj({ id: S.id, month, sheetHash: hash32, rows: wageRows }, ['month', 'sheetHash', 'rows']),
    created: true,
  });
  post({
    op: ops.checkWages,
    summary: 'Check a month for a wage payout (alert when missing)',
    roles: ['regulator', 'oracle'],
    body: obj({ month }, ['month']),
  });
  post({
    op: ops.payArrears,
    summary: 'Pay wage arrears from the wage deposit; id defaults to the Idempotency-Key',
    roles: ['regulator'],
    body: obj({ id: S.id, rows: wageRows }, ['rows']),
    created: true,
  });
  post({
    op: ops.releaseWageDeposit,
    summary: 'Release the wage deposit at completion',
    roles: ['regulator'],
    body: obj({ toAccount: S.id }, ['toAccount']),
  });

  // ---- payouts (the custodian bank's oracle)
  post({
    op: ops.confirmPayout,
    summary: 'The rail paid: settle to the payee',
    roles: ['oracle'],
    body: obj({ railRef: S.text(128) }, ['railRef']),
  });
  post({
    op: ops.failPayout,
    summary: 'The rail failed: funds return',
    roles: ['oracle'],
    body: obj({ reason: S.text(512) }, ['reason']),
  });
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
  // ---- lists for people (chaincode/supervision/queries.ts): what a caller may read, never more
  app.get<G>(
    '/v1/supervision/programs',
    {
      schema: {
        tags: T,
        summary: 'The programs the caller may read, with status and key figures (Supervision:listPrograms)',
        response: S.responses({ type: 'array', items: S.record('ProgramSummary') }),
      },
    },
    async (req) => {
      requireRole(req, ...READERS);
      return evaluate(req, 'Supervision:listPrograms', []);
    },
  );
  get(
    '/v1/supervision/programs/:id/holders',
    "Holders (户名, org) of the accounts a program names, and each budget line's payees (Supervision:programHolders)",
    READERS,
    'programHolders',
    (r) => [r.params.id],
  );
  get(
    '/v1/supervision/programs/:id/wage-months',
    'Wage months: paid, pending, missing, unpaid or not due (Supervision:wageMonths)',
    READERS,
    'wageMonths',
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
