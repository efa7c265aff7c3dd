/**
 * Supply-chain bill routes, 1:1 over chaincode Bills. Range actions are POST
 * /v1/bills/:pkg/<action>; `id` (the chaincode request id) defaults to the Idempotency-Key.
 * Role checks here are early and friendly; the chaincode re-checks roles and parties.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Role } from '../../chaincode/core/context';
import { ROLES } from '../../chaincode/core/context';
import {
  BILL_ACTIONS,
  billActionOperation,
  billOperations,
  billRangesOperation,
  usesRanges,
} from '../../chaincode/bills/operations';
import { LedgerError } from '../../ledger/errors';
import { evaluate, requireRole, S, submit } from '../plugin';

const HOLDERS: Role[] = ['enterprise', 'bank'];

/** Early roles and summaries of the range actions (chaincode/bills/operations.ts has what each runs). */
const ACTION_DOCS: Record<string, { roles: Role[]; summary: string }> = {
  'present-acceptance': { roles: ['enterprise'], summary: '提示承兑: the drawer presents to the acceptor' },
  'present-receipt': { roles: ['enterprise'], summary: '提示收票: the drawer presents to the payee' },
  cancel: { roles: ['enterprise'], summary: '撤票: the drawer withdraws before receipt' },
  endorse: { roles: HOLDERS, summary: '背书 [from, to] (or several ranges) to an enterprise' },
  pledge: { roles: HOLDERS, summary: '质押 [from, to] to a bank' },
  discount: { roles: ['enterprise'], summary: '贴现 [from, to] (or several ranges) at a bank' },
  guarantee: { roles: HOLDERS, summary: '保证: ask a guarantor' },
  sign: {
    roles: HOLDERS,
    summary: 'Sign the request waiting on the range starting at `from` (承兑, 签收, 结清, 清偿...)',
  },
  reject: { roles: HOLDERS, summary: 'Refuse it (拒绝承兑, 驳回, 拒付...)' },
  revoke: { roles: HOLDERS, summary: 'Withdraw an unanswered request' },
  release: { roles: ['bank'], summary: '解质押 by the pledgee' },
  'present-payment': { roles: HOLDERS, summary: '提示付款 of [from, to] (or several ranges) on or after maturity' },
  recourse: { roles: HOLDERS, summary: '追索 on a dishonored range' },
  freeze: {
    roles: ['court', 'regulator'],
    summary: '冻结 by a court (under its order) or regulator; lifted only by that authority',
  },
  unfreeze: { roles: ['court', 'regulator'], summary: '解冻 of the frozen range starting at `from`' },
};

const pkgParam = S.params('pkg');
const ticketParams = S.record({
  pkg: S.id,
  ticket: Type.String({ pattern: '^[1-9][0-9]{0,15}$', description: 'sub-ticket number' }),
});

/**
 * A ranged action names either from and to, or a set of ranges.
 * @throws LedgerError 400 VALIDATION_ERROR naming the field
 */
function requireOneRangeForm(b: Record<string, unknown>): void {
  if ((b.ranges !== undefined) === (b.from !== undefined || b.to !== undefined)) {
    throw new LedgerError('VALIDATION_ERROR', 'give either from and to, or ranges', 'ranges', 400);
  }
  if (b.ranges === undefined && (b.from === undefined) !== (b.to === undefined)) {
    throw new LedgerError('VALIDATION_ERROR', 'from and to go together', b.from === undefined ? 'from' : 'to', 400);
  }
}

export default function billsRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/v1/bills',
    {
      schema: {
        tags: ['bills'],
        summary: '出票登记: the drawer (caller) registers a bill package (Bills:register)',
        body: S.ref(S.bills.BillRegistration),
        response: S.responses(S.ref(S.bills.BillPackage), 201),
      },
    },
    async (req, reply) => {
      requireRole(req, 'enterprise');
      reply.code(201);
      return submit(req, billOperations.register);
    },
  );

  for (const action of BILL_ACTIONS) {
    const a = { ...action, ...ACTION_DOCS[action.path] };
    const op = billActionOperation(action);
    const setOp = action.ranged ? billRangesOperation(action) : undefined;
    app.post(
      `/v1/bills/:pkg/${a.path}`,
      {
        schema: {
          tags: ['bills'],
          summary: `${a.summary} (Bills:${a.fn})`,
          params: pkgParam,
          body: S.ref(S.bills.BILL_ACTION_REQUESTS[action.path]),
          response: S.responses(S.ref(S.bills.BillActionResult)),
        },
      },
      async (req) => {
        requireRole(req, ...a.roles);
        const b = req.body as Record<string, unknown>;
        if (a.ranged) requireOneRangeForm(b);
        return submit(req, setOp && usesRanges(action, b) ? setOp : op);
      },
    );
  }

  app.post(
    '/v1/bills/:pkg/present-due',
    {
      schema: {
        tags: ['bills'],
        summary: '自动提示付款: a party or a supervisor, on or after maturity (Bills:presentDue)',
        params: pkgParam,
        body: S.ref(S.Empty),
        response: S.responses(S.ref(S.bills.PresentDueResult)),
      },
    },
    async (req) => {
      requireRole(req, ...ROLES);
      return submit(req, billOperations.presentDue);
    },
  );

  // ---- queries (static paths win over /v1/bills/:pkg, so 'inbox' and 'packages' are not usable package numbers)
  app.get(
    '/v1/bills',
    {
      schema: {
        tags: ['bills'],
        summary:
          "Live holdings (default: the caller's), a page of ranges at a time; the first page (no bookmark) has the totals by package and state; pass `bookmark` back for the next page ('' after the last) (Bills:holdings)",
        querystring: S.record({
          holder: Type.Optional(S.handle),
          pkg: Type.Optional(S.id),
          bookmark: Type.Optional(
            Type.String({
              pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}~[0-9]{16}$',
              description: 'from the previous page',
            }),
          ),
          limit: Type.Optional(
            Type.String({ pattern: '^([1-9][0-9]{0,2}|1000)$', description: 'ranges per page (default 100)' }),
          ),
        }),
        response: S.responses(S.ref(S.bills.BillHoldings)),
      },
    },
    async (req) => {
      requireRole(req, ...ROLES);
      const q = req.query;
      return evaluate(req, 'Bills:holdings', [q.holder ?? '', q.pkg ?? '', q.bookmark ?? '', q.limit ?? '']);
    },
  );

  app.get(
    '/v1/bills/inbox',
    {
      schema: {
        tags: ['bills'],
        summary: 'Requests waiting for a member to answer (Bills:inbox)',
        querystring: S.record({ member: Type.Optional(S.handle) }),
        response: S.responses(S.ref(S.bills.BillInbox)),
      },
    },
    async (req) => {
      requireRole(req, ...ROLES);
      return evaluate(req, 'Bills:inbox', [req.query.member ?? '']);
    },
  );

  app.get(
    '/v1/bills/packages',
    {
      schema: {
        tags: ['bills'],
        summary:
          'Packages the caller may read (its own; every one for regulators, auditors, courts) with face by state (Bills:listPackages)',
        response: S.responses(S.ref(S.bills.BillPackageList)),
      },
    },
    async (req) => {
      requireRole(req, ...ROLES);
      return evaluate(req, 'Bills:listPackages', []);
    },
  );

  app.get(
    '/v1/bills/:pkg',
    { schema: { tags: ['bills'], params: pkgParam, response: S.responses(S.ref(S.bills.BillPackage)) } },
    async (req) => {
      requireRole(req, ...ROLES);
      return evaluate(req, 'Bills:getPackage', [req.params.pkg]);
    },
  );

  app.get(
    '/v1/bills/:pkg/ranges',
    {
      schema: {
        tags: ['bills'],
        summary: 'Full range map with the cover check (Bills:packageMap)',
        params: pkgParam,
        response: S.responses(S.ref(S.bills.BillPackageMap)),
      },
    },
    async (req) => {
      requireRole(req, ...ROLES);
      return evaluate(req, 'Bills:packageMap', [req.params.pkg]);
    },
  );

  for (const [path, fn, summary, answer] of [
    ['lineage', 'lineage', 'Every action that carried one sub-ticket', S.bills.BillLineage],
    ['liable', 'liable', 'Who a dishonored range may claim recourse against', S.bills.BillLiable],
  ] as const) {
    app.get(
      `/v1/bills/:pkg/${path}/:ticket`,
      {
        schema: {
          tags: ['bills'],
          summary: `${summary} (Bills:${fn})`,
          params: ticketParams,
          response: S.responses(S.ref(answer)),
        },
      },
      async (req) => {
        requireRole(req, ...ROLES);
        return evaluate(req, `Bills:${fn}`, [req.params.pkg, req.params.ticket]);
      },
    );
  }
  return Promise.resolve();
}
