/**
 * Supply-chain bill routes, 1:1 over chaincode Bills. Range actions are POST
 * /v1/bills/:pkg/<action>; `id` (the chaincode request id) defaults to the Idempotency-Key.
 * Role checks here are early and friendly; the chaincode re-checks roles and parties.
 */
import type { FastifyInstance } from 'fastify';
import type { Role } from '../../chaincode/core/context';
import { ROLES } from '../../chaincode/core/context';
import { LedgerError } from '../../ledger/errors';
import { evaluate, requireRole, S, submit } from '../plugin';

const ticket = {
  type: 'string',
  pattern: '^[1-9][0-9]{0,15}$',
  description: 'sub-ticket number (1 = the first 0.01 yuan)',
} as const;
const date = {
  type: 'string',
  pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
  description: 'YYYY-MM-DD (China calendar day)',
} as const;
const op = {
  type: 'string',
  enum: ['accept', 'receive', 'endorse', 'pledge', 'discount', 'guarantee', 'pay', 'recourse'],
} as const;
const FIELDS: Record<string, unknown> = {
  from: ticket,
  to: ticket,
  endorsee: S.handle,
  bank: S.handle,
  guarantor: S.handle,
  against: S.handle,
  rateBp: { type: 'string', pattern: '^[1-9][0-9]{0,4}$', description: 'annual discount rate in basis points' },
  op,
  account: { type: 'string', pattern: '^([A-Za-z0-9][A-Za-z0-9._:-]{0,63})?$' },
  reason: S.text(512),
};
const HOLDERS: Role[] = ['enterprise', 'bank'];

/** action path → chaincode function, early roles, body fields in chaincode argument order (after id, pkg). */
const ACTIONS: Array<{
  path: string;
  fn: string;
  roles: Role[];
  fields: string[];
  optional?: string[];
  summary: string;
}> = [
  {
    path: 'present-acceptance',
    fn: 'presentAcceptance',
    roles: ['enterprise'],
    fields: [],
    summary: '提示承兑: the drawer presents to the acceptor',
  },
  {
    path: 'present-receipt',
    fn: 'presentReceipt',
    roles: ['enterprise'],
    fields: [],
    summary: '提示收票: the drawer presents to the payee',
  },
  {
    path: 'cancel',
    fn: 'cancel',
    roles: ['enterprise'],
    fields: ['reason'],
    summary: '撤票: the drawer withdraws before receipt',
  },
  {
    path: 'endorse',
    fn: 'endorse',
    roles: HOLDERS,
    fields: ['from', 'to', 'endorsee'],
    summary: '背书 [from, to] to an enterprise',
  },
  {
    path: 'pledge',
    fn: 'pledge',
    roles: HOLDERS,
    fields: ['from', 'to', 'bank'],
    summary: '质押 [from, to] to a bank',
  },
  {
    path: 'discount',
    fn: 'discount',
    roles: ['enterprise'],
    fields: ['from', 'to', 'bank', 'rateBp'],
    summary: '贴现 [from, to] at a bank',
  },
  {
    path: 'guarantee',
    fn: 'guarantee',
    roles: HOLDERS,
    fields: ['from', 'to', 'guarantor'],
    summary: '保证: ask a guarantor',
  },
  {
    path: 'sign',
    fn: 'sign',
    roles: HOLDERS,
    fields: ['from', 'op', 'account'],
    optional: ['account'],
    summary: 'Sign the request waiting on the range starting at `from` (承兑, 签收, 结清, 清偿...)',
  },
  {
    path: 'reject',
    fn: 'reject',
    roles: HOLDERS,
    fields: ['from', 'op', 'reason'],
    summary: 'Refuse it (拒绝承兑, 驳回, 拒付...)',
  },
  { path: 'revoke', fn: 'revoke', roles: HOLDERS, fields: ['from', 'op'], summary: 'Withdraw an unanswered request' },
  { path: 'release', fn: 'release', roles: ['bank'], fields: ['from', 'to'], summary: '解质押 by the pledgee' },
  {
    path: 'present-payment',
    fn: 'presentPayment',
    roles: HOLDERS,
    fields: ['from', 'to'],
    summary: '提示付款 on or after maturity',
  },
  {
    path: 'recourse',
    fn: 'recourse',
    roles: HOLDERS,
    fields: ['from', 'to', 'against'],
    summary: '追索 on a dishonored range',
  },
  {
    path: 'freeze',
    fn: 'freeze',
    roles: ['court', 'regulator'],
    fields: ['from', 'to', 'reason'],
    summary: '冻结 by a court or regulator',
  },
  {
    path: 'unfreeze',
    fn: 'unfreeze',
    roles: ['court', 'regulator'],
    fields: ['from', 'reason'],
    summary: '解冻 of the frozen range starting at `from`',
  },
];

const pkgParam = { type: 'object', properties: { pkg: S.id }, required: ['pkg'], additionalProperties: false } as const;
const ticketParams = {
  type: 'object',
  properties: { pkg: S.id, ticket },
  required: ['pkg', 'ticket'],
  additionalProperties: false,
} as const;
const rec = S.record();
type Body = Record<string, string | boolean | undefined>;

export default async function billsRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: Body }>(
    '/v1/bills',
    {
      schema: {
        tags: ['bills'],
        summary: '出票登记: the drawer (caller) registers a bill package (Bills:register)',
        body: S.body(
          {
            pkg: S.id,
            acceptor: S.handle,
            acceptorKind: { type: 'string', enum: ['enterprise', 'bank'] },
            payee: S.handle,
            amount: S.amount,
            issueDate: date,
            maturity: date,
            nonTransferable: { type: 'boolean' },
            splittable: { type: 'boolean' },
            drawerAccount: S.id,
          },
          ['pkg', 'acceptor', 'acceptorKind', 'payee', 'amount', 'issueDate', 'maturity', 'drawerAccount'],
        ),
        response: S.responses(S.record('BillPackage'), 201),
      },
    },
    async (req, reply) => {
      requireRole(req, 'enterprise');
      const b = req.body;
      reply.code(201);
      return submit(
        req,
        'Bills:register',
        [
          b.pkg,
          b.acceptor,
          b.acceptorKind,
          b.payee,
          b.amount,
          b.issueDate,
          b.maturity,
          String(b.nonTransferable ?? false),
          String(b.splittable ?? true),
          b.drawerAccount,
        ].map(String),
      );
    },
  );

  for (const a of ACTIONS) {
    const required = a.fields.filter((f) => !a.optional?.includes(f));
    app.post<{ Params: { pkg: string }; Body: Body }>(
      `/v1/bills/:pkg/${a.path}`,
      {
        schema: {
          tags: ['bills'],
          summary: `${a.summary} (Bills:${a.fn})`,
          params: pkgParam,
          body: S.body({ id: S.id, ...Object.fromEntries(a.fields.map((f) => [f, FIELDS[f]])) }, required),
          response: S.responses(rec),
        },
      },
      async (req) => {
        requireRole(req, ...a.roles);
        const id = (req.body.id as string | undefined) ?? (req.headers['idempotency-key'] as string | undefined);
        if (!id) throw new LedgerError('VALIDATION_ERROR', 'id is required when no Idempotency-Key is sent', 'id', 400);
        return submit(req, `Bills:${a.fn}`, [id, req.params.pkg, ...a.fields.map((f) => String(req.body[f] ?? ''))]);
      },
    );
  }

  app.post<{ Params: { pkg: string } }>(
    '/v1/bills/:pkg/present-due',
    {
      schema: {
        tags: ['bills'],
        summary: '自动提示付款: anyone, on or after maturity (Bills:presentDue)',
        params: pkgParam,
        body: { type: 'object', properties: {}, additionalProperties: false },
        response: S.responses(rec),
      },
    },
    async (req) => {
      requireRole(req, ...ROLES);
      return submit(req, 'Bills:presentDue', [req.params.pkg]);
    },
  );

  // ---- queries (static paths win over /v1/bills/:pkg, so 'inbox' is not a usable package number)
  app.get<{ Querystring: { holder?: string; pkg?: string; bookmark?: string; limit?: string } }>(
    '/v1/bills',
    {
      schema: {
        tags: ['bills'],
        summary:
          "Live holdings (default: the caller's), a page of ranges at a time; the first page (no bookmark) has the totals by package and state; pass `bookmark` back for the next page ('' after the last) (Bills:holdings)",
        querystring: {
          type: 'object',
          properties: {
            holder: S.handle,
            pkg: S.id,
            bookmark: {
              type: 'string',
              pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}~[0-9]{16}$',
              description: 'from the previous page',
            },
            limit: {
              type: 'string',
              pattern: '^([1-9][0-9]{0,2}|1000)$',
              description: 'ranges per page (default 100)',
            },
          },
          additionalProperties: false,
        },
        response: S.responses(rec),
      },
    },
    async (req) => {
      requireRole(req, ...ROLES);
      const q = req.query;
      return evaluate(req, 'Bills:holdings', [q.holder ?? '', q.pkg ?? '', q.bookmark ?? '', q.limit ?? '']);
    },
  );

  app.get<{ Querystring: { member?: string } }>(
    '/v1/bills/inbox',
    {
      schema: {
        tags: ['bills'],
        summary: 'Requests waiting for a member to answer (Bills:inbox)',
        querystring: { type: 'object', properties: { member: S.handle }, additionalProperties: false },
        response: S.responses(rec),
      },
    },
    async (req) => {
      requireRole(req, ...ROLES);
      return evaluate(req, 'Bills:inbox', [req.query.member ?? '']);
    },
  );

  app.get<{ Params: { pkg: string } }>(
    '/v1/bills/:pkg',
    { schema: { tags: ['bills'], params: pkgParam, response: S.responses(S.record('BillPackage')) } },
    async (req) => {
      requireRole(req, ...ROLES);
      return evaluate(req, 'Bills:getPackage', [req.params.pkg]);
    },
  );

  app.get<{ Params: { pkg: string } }>(
    '/v1/bills/:pkg/ranges',
    {
      schema: {
        tags: ['bills'],
        summary: 'Full range map with the cover check (Bills:packageMap)',
        params: pkgParam,
        response: S.responses(rec),
      },
    },
    async (req) => {
      requireRole(req, ...ROLES);
      return evaluate(req, 'Bills:packageMap', [req.params.pkg]);
    },
  );

  for (const [path, fn, summary] of [
    ['lineage', 'lineage', 'Every action that carried one sub-ticket'],
    ['liable', 'liable', 'Who a dishonored range may claim recourse against'],
  ] as const) {
    app.get<{ Params: { pkg: string; ticket: string } }>(
      `/v1/bills/:pkg/${path}/:ticket`,
      {
        schema: {
          tags: ['bills'],
          summary: `${summary} (Bills:${fn})`,
          params: ticketParams,
          response: S.responses(rec),
        },
      },
      async (req) => {
        requireRole(req, ...ROLES);
        return evaluate(req, `Bills:${fn}`, [req.params.pkg, req.params.ticket]);
      },
    );
  }
}
