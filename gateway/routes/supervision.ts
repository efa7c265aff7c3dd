/**
 * Fund supervision (资金监管) REST routes, 1:1 over chaincode Supervision
 * (chaincode/supervision/README.md). Role checks here are early and friendly; the chain re-checks
 * who may act on which program.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { TSchema } from '@sinclair/typebox';
import type { Role } from '../../chaincode/core/context';
import type { Operation } from '../../chaincode/core/operation';
import { supervisionOperations as ops } from '../../chaincode/supervision/operations';
import { evaluate, requireRole, S, submit } from '../plugin';

const READERS: Role[] = ['regulator', 'auditor', 'bank', 'oracle', 'enterprise', 'merchant', 'consumer'];
const PARTY: Role[] = ['enterprise', 'merchant', 'consumer', 'bank'];
const APPROVERS: Role[] = ['regulator', 'bank', 'enterprise', 'merchant', 'consumer', 'auditor', 'oracle', 'court'];
const T = ['supervision'];

// Params and queries are validated by their JSON Schema before a handler runs.
type G = { Params: Record<string, string>; Querystring: Record<string, string | undefined> };
type Req = FastifyRequest<G>;

/** A write route: early roles, its named body and answer, and the operation it runs (path params from its pattern). */
interface WriteRoute {
  op: Operation;
  summary: string;
  roles: Role[];
  body: TSchema;
  answer: TSchema;
  created?: boolean;
}

/** A read route: early roles, the query it runs with which arguments, its named answer. */
interface ReadRoute {
  path: string;
  summary: string;
  roles: Role[];
  fn: string;
  args: (req: Req) => string[];
  answer: TSchema;
  params?: string[];
  querystring?: TSchema;
}

export default function supervisionRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const post = (route: WriteRoute): void => {
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
          ...(names.length ? { params: S.params(...names) } : {}),
          body: S.ref(route.body),
          response: S.responses(S.ref(route.answer), route.created ? 201 : 200),
        },
      },
      async (req, reply) => {
        requireRole(req, ...route.roles);
        if (route.created) reply.code(201);
        return submit(req, route.op);
      },
    );
  };
  const get = (route: ReadRoute): void => {
    app.get<G>(
      route.path,
      {
        schema: {
          tags: T,
          summary: route.summary,
          ...((route.params ?? ['id']).length ? { params: S.params(...(route.params ?? ['id'])) } : {}),
          ...(route.querystring ? { querystring: route.querystring } : {}),
          response: S.responses(S.ref(route.answer)),
        },
      },
      async (req) => {
        requireRole(req, ...route.roles);
        return evaluate(req, `Supervision:${route.fn}`, route.args(req));
      },
    );
  };

  // ---- programs
  app.post(
    '/v1/supervision/programs',
    {
      schema: {
        tags: T,
        summary: 'A regulator creates a program (Supervision:createProgram); id defaults to the Idempotency-Key',
        body: S.ref(S.supervision.ProgramRequest),
        response: S.responses(S.ref(S.supervision.Program), 201),
      },
    },
    async (req, reply) => {
      requireRole(req, 'regulator');
      reply.code(201);
      return submit(req, ops.createProgram);
    },
  );
  const id = (r: Req): string[] => [r.params.id];
  get({
    path: '/v1/supervision/programs/:id',
    summary: 'A program',
    roles: READERS,
    fn: 'getProgram',
    args: id,
    answer: S.supervision.Program,
  });
  post({
    op: ops.attachAccount,
    summary: 'Attach an account opened by the custodian bank',
    roles: ['regulator', 'bank'],
    body: S.supervision.AttachAccountRequest,
    answer: S.supervision.Program,
  });
  post({
    op: ops.setBudgetLine,
    summary: 'Set a budget line (定向定额)',
    roles: ['regulator'],
    body: S.supervision.BudgetLineRequest,
    answer: S.supervision.BudgetLine,
  });
  post({
    op: ops.activate,
    summary: 'Activate a program',
    roles: ['regulator'],
    body: S.Empty,
    answer: S.supervision.Program,
  });
  post({
    op: ops.attestMilestone,
    summary: 'Attest a milestone (oracles must give the evidence SM3)',
    roles: ['regulator', 'oracle'],
    body: S.supervision.AttestMilestoneRequest,
    answer: S.supervision.Program,
  });
  for (const action of ['freeze', 'unfreeze', 'suspend', 'resume'] as const) {
    post({
      op: ops[action],
      summary: `The regulator ${action}s a program`,
      roles: ['regulator'],
      body: S.supervision.ProgramActionRequest,
      answer: S.supervision.Program,
    });
  }
  post({
    op: ops.forceRefund,
    summary: 'Forced refund (e.g. to pre-sale buyers); id defaults to the Idempotency-Key',
    roles: ['regulator'],
    body: S.supervision.ForceRefundRequest,
    answer: S.supervision.Refund,
    created: true,
  });
  post({
    op: ops.close,
    summary: 'Close with the final report hash',
    roles: ['regulator'],
    body: S.supervision.CloseProgramRequest,
    answer: S.supervision.Program,
  });

  // ---- releases
  post({
    op: ops.requestPayment,
    summary: 'The supervised party requests a payment (用款申请); id defaults to the Idempotency-Key',
    roles: PARTY,
    body: S.supervision.PaymentRequestRequest,
    answer: S.supervision.PaymentRequest,
    created: true,
  });
  get({
    path: '/v1/supervision/programs/:id/requests',
    summary: 'Payment requests of a program',
    roles: READERS,
    fn: 'listRequests',
    args: id,
    answer: S.supervision.PaymentRequestList,
  });
  get({
    path: '/v1/supervision/programs/:id/requests/:request',
    summary: 'One payment request',
    roles: READERS,
    fn: 'getRequest',
    args: (r) => [r.params.id, r.params.request],
    answer: S.supervision.PaymentRequest,
    params: ['id', 'request'],
  });
  post({
    op: ops.approve,
    summary: 'A named approver approves',
    roles: APPROVERS,
    body: S.supervision.ApproveRequest,
    answer: S.supervision.PaymentRequest,
  });
  post({
    op: ops.reject,
    summary: 'A named approver rejects (ends the request)',
    roles: APPROVERS,
    body: S.supervision.RejectRequest,
    answer: S.supervision.PaymentRequest,
  });

  post({
    op: ops.clearHold,
    summary: "The program's regulator decides on a wage sheet held for a payee that is not a worker",
    roles: ['regulator'],
    body: S.supervision.ClearHoldRequest,
    answer: S.supervision.PaymentRequest,
  });
  get({
    path: '/v1/supervision/programs/:id/off-chain-debits',
    summary: 'Book entries that moved supervised money without an approved release (cases)',
    roles: READERS,
    fn: 'listOffChainDebits',
    args: id,
    answer: S.supervision.OffChainDebitList,
  });
  post({
    op: ops.resolveOffChainDebit,
    summary: "The program's regulator closes the case of a book entry with what it found",
    roles: ['regulator'],
    body: S.supervision.ResolveOffChainDebitRequest,
    answer: S.supervision.OffChainDebit,
  });

  // ---- wages
  post({
    op: ops.submitWageSheet,
    summary: 'Monthly wage sheet; id defaults to the Idempotency-Key',
    roles: PARTY,
    body: S.supervision.WageSheetRequest,
    answer: S.supervision.PaymentRequest,
    created: true,
  });
  post({
    op: ops.checkWages,
    summary: 'Check a month for a wage payout (alert when missing)',
    roles: ['regulator', 'oracle'],
    body: S.supervision.CheckWagesRequest,
    answer: S.supervision.WageCheck,
  });
  post({
    op: ops.payArrears,
    summary: 'Pay wage arrears from the wage deposit; id defaults to the Idempotency-Key',
    roles: ['regulator'],
    body: S.supervision.ArrearsRequest,
    answer: S.supervision.Arrears,
    created: true,
  });
  post({
    op: ops.releaseWageDeposit,
    summary: 'Release the wage deposit at completion',
    roles: ['regulator'],
    body: S.supervision.ReleaseWageDepositRequest,
    answer: S.supervision.Instruction,
  });

  // ---- payouts (the custodian bank's oracle)
  post({
    op: ops.confirmPayout,
    summary: 'The rail paid: settle to the payee',
    roles: ['oracle'],
    body: S.supervision.ConfirmPayoutRequest,
    answer: S.supervision.Instruction,
  });
  post({
    op: ops.failPayout,
    summary: 'The rail failed: funds return',
    roles: ['oracle'],
    body: S.supervision.FailPayoutRequest,
    answer: S.supervision.Instruction,
  });
  get({
    path: '/v1/supervision/instructions/:id',
    summary: 'One payout instruction',
    roles: READERS,
    fn: 'getInstruction',
    args: id,
    answer: S.supervision.Instruction,
  });
  get({
    path: '/v1/supervision/programs/:id/instructions',
    summary: 'Payout instructions of a program',
    roles: READERS,
    fn: 'listInstructions',
    args: (r) => [r.params.id, r.query.status ?? ''],
    answer: S.supervision.InstructionList,
    querystring: S.record({
      status: Type.Optional(Type.Union([Type.Literal('instructed'), Type.Literal('settled'), Type.Literal('failed')])),
    }),
  });

  // ---- alerts and reports
  get({
    path: '/v1/supervision/programs/:id/alerts',
    summary: 'Alerts of a program',
    roles: READERS,
    fn: 'listAlerts',
    args: id,
    answer: S.supervision.AlertList,
  });
  get({
    path: '/v1/supervision/programs/:id/report',
    summary: 'Deposited, released by line and milestone, retained, pending, available',
    roles: READERS,
    fn: 'report',
    args: id,
    answer: S.supervision.ProgramReport,
  });
  // ---- lists for people (chaincode/supervision/queries.ts): what a caller may read, never more
  get({
    path: '/v1/supervision/programs',
    summary: 'The programs the caller may read, with status and key figures (Supervision:listPrograms)',
    roles: READERS,
    fn: 'listPrograms',
    args: () => [],
    answer: S.supervision.ProgramSummaryList,
    params: [],
  });
  get({
    path: '/v1/supervision/programs/:id/holders',
    summary:
      "Holders (户名, org) of the accounts a program names, and each budget line's payees (Supervision:programHolders)",
    roles: READERS,
    fn: 'programHolders',
    args: id,
    answer: S.supervision.ProgramHolders,
  });
  get({
    path: '/v1/supervision/programs/:id/wage-months',
    summary: 'Wage months: paid, pending, missing, unpaid or not due (Supervision:wageMonths)',
    roles: READERS,
    fn: 'wageMonths',
    args: id,
    answer: S.supervision.WageMonths,
  });
  get({
    path: '/v1/supervision/report',
    summary: "All of one regulator's programs (default: the caller)",
    roles: ['regulator', 'auditor'],
    fn: 'regulatorReport',
    args: (r) => [r.query.regulator ?? ''],
    answer: S.supervision.RegulatorReport,
    params: [],
    querystring: S.record({ regulator: Type.Optional(S.handle) }),
  });
  return Promise.resolve();
}
