/**
 * Off-chain books (a bank would post these from its core) and reconciliation cases. The books
 * are one bank's (the service's BOOKS_BANK), so only that bank's operators post and read them;
 * cases are its operators' inbox; runs are what they, auditors and regulators read
 * (gateway/access.ts). Movements on mirrored accounts reach the chain through the mirror oracle.
 */
import type { FastifyInstance } from 'fastify';
import { S } from '../plugin';
import { requireBooksBank, requireKeptChainAccount, requireReconReader } from '../access';
import { RESOLUTIONS } from '../../oracles/recon/cases';
import { latestRun, summaryOf } from '../../oracles/recon/run';
import { notFound } from '../../chaincode/lib/errors';

const ref = { ...S.id, maxLength: 60 } as const;
const idParam = { type: 'object', properties: { id: S.id }, required: ['id'], additionalProperties: false } as const;
const rec = S.record();

export default async function oracleRoutes(app: FastifyInstance): Promise<void> {
  const oracles = app.oracles;

  app.post<{
    Body: {
      id: string;
      holder: string;
      system?: 'bank' | 'ecny';
      chainAccount?: string;
      color?: string;
      tier?: number;
    };
  }>(
    '/v1/books/accounts',
    {
      schema: {
        tags: ['books'],
        summary: 'Open an account in the off-chain books (optionally mirrored to a chain account)',
        body: S.body(
          {
            id: S.id,
            holder: S.text(128),
            system: { type: 'string', enum: ['bank', 'ecny'] },
            chainAccount: S.id,
            color: S.id,
            tier: { type: 'integer', minimum: 1, maximum: 4 },
          },
          ['id', 'holder'],
        ),
        response: S.responses(S.record('BookAccount'), 201),
      },
    },
    async (req, reply) => {
      requireBooksBank(req, oracles.bank);
      if (req.body.chainAccount) await requireKeptChainAccount(req, req.body.chainAccount, oracles.bank);
      reply.code(201);
      return oracles.books.openAccount(req.body);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/books/accounts/:id',
    {
      schema: {
        tags: ['books'],
        summary: 'An account in the off-chain books',
        params: idParam,
        response: S.responses(S.record('BookAccount')),
      },
    },
    async (req) => {
      requireBooksBank(req, oracles.bank);
      const a = await oracles.books.getAccount(req.params.id);
      if (!a) throw notFound('id', `no account ${req.params.id} in the books`, 'ACCOUNT_NOT_FOUND');
      return a;
    },
  );

  const single = { ref, account: S.id, amount: S.amount, counterparty: S.text(128) };
  app.post<{ Body: { ref: string; account: string; amount: string; counterparty?: string } }>(
    '/v1/books/deposits',
    {
      schema: {
        tags: ['books'],
        summary: 'Post a deposit (idempotent on ref)',
        body: S.body(single, ['ref', 'account', 'amount']),
        response: S.responses(S.record('Posting'), 201),
      },
    },
    async (req, reply) => {
      requireBooksBank(req, oracles.bank);
      reply.code(201);
      return oracles.books.deposit(req.body);
    },
  );

  app.post<{ Body: { ref: string; account: string; amount: string; counterparty?: string } }>(
    '/v1/books/withdrawals',
    {
      schema: {
        tags: ['books'],
        summary: 'Post a withdrawal (idempotent on ref)',
        body: S.body(single, ['ref', 'account', 'amount']),
        response: S.responses(S.record('Posting'), 201),
      },
    },
    async (req, reply) => {
      requireBooksBank(req, oracles.bank);
      reply.code(201);
      return oracles.books.withdraw(req.body);
    },
  );

  app.post<{ Body: { ref: string; from: string; to: string; amount: string } }>(
    '/v1/books/transfers',
    {
      schema: {
        tags: ['books'],
        summary: 'Post a transfer between two book accounts (idempotent on ref)',
        body: S.body({ ref, from: S.id, to: S.id, amount: S.amount }, ['ref', 'from', 'to', 'amount']),
        response: S.responses(S.record('Posting'), 201),
      },
    },
    async (req, reply) => {
      requireBooksBank(req, oracles.bank);
      reply.code(201);
      return oracles.books.transfer(req.body);
    },
  );

  app.get<{ Querystring: { status?: 'open' | 'resolved' } }>(
    '/v1/recon/cases',
    {
      schema: {
        tags: ['recon'],
        summary: "Reconciliation cases (the operators' inbox with status=open)",
        querystring: {
          type: 'object',
          properties: { status: { type: 'string', enum: ['open', 'resolved'] } },
          additionalProperties: false,
        },
        response: S.responses({ type: 'array', items: rec }),
      },
    },
    async (req) => {
      requireReconReader(req, oracles.bank);
      return oracles.cases.list(req.query.status);
    },
  );

  // What people read of reconciliation: the last whole-ledger run's counts, root and anchor.
  const summary = S.record(
    'ReconSummary: runId, time, day, accounts, matched, inFlight, breaks (per class), breaksTotal, root, anchorTxId | anchorError',
  );
  app.get(
    '/v1/recon/runs/latest',
    {
      schema: {
        tags: ['recon'],
        summary: 'The last reconciliation run: matched, in flight and breaks per class, root, anchor',
        response: S.responses(summary),
      },
    },
    async (req) => {
      requireReconReader(req, oracles.bank);
      const last = await latestRun(oracles.books);
      if (!last) throw notFound('run', 'no reconciliation has run yet; POST /v1/recon/runs starts one', 'RECON_NO_RUN');
      return last;
    },
  );

  app.post(
    '/v1/recon/runs',
    {
      schema: {
        tags: ['recon'],
        summary: 'Reconcile the books with the chain now (whole ledger; anchors the root)',
        body: { type: 'object', properties: {}, additionalProperties: false },
        response: S.responses(summary, 201),
      },
      // No body at all is the empty request too (the console sends none).
      preValidation: async (req) => {
        req.body ??= {};
      },
    },
    async (req, reply) => {
      requireBooksBank(req, oracles.bank);
      reply.code(201);
      return summaryOf(await oracles.reconcileNow(app.ledger));
    },
  );

  app.post<{ Params: { id: string }; Body: { resolution: string; note: string } }>(
    '/v1/recon/cases/:id/resolve',
    {
      schema: {
        tags: ['recon'],
        summary: 'Resolve a reconciliation case with a note',
        params: idParam,
        body: S.body({ resolution: { type: 'string', enum: [...RESOLUTIONS] }, note: S.text(2000) }, [
          'resolution',
          'note',
        ]),
        response: S.responses(S.record('ReconCase')),
      },
    },
    async (req) => {
      const me = requireBooksBank(req, oracles.bank);
      return oracles.cases.resolve(req.params.id, { ...req.body, by: me.handle });
    },
  );
}
