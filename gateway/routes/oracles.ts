/**
 * Off-chain books (a bank would post these from its core) and reconciliation cases. The books
 * are one bank's (the service's BOOKS_BANK), so only that bank's operators post and read them;
 * cases are its operators' inbox; runs are what they, auditors and regulators read
 * (gateway/access.ts). Movements on mirrored accounts reach the chain through the mirror oracle.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { S } from '../plugin';
import { requireBooksBank, requireKeptChainAccount, requireReconReader } from '../access';
import { latestRun, summaryOf } from '../../oracles/recon/run';
import { notFound } from '../../chaincode/lib/errors';

const idParam = S.params('id');

export default function oracleRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const oracles = app.oracles;

  app.post(
    '/v1/books/accounts',
    {
      schema: {
        tags: ['books'],
        summary: 'Open an account in the off-chain books (optionally mirrored to a chain account)',
        body: S.ref(S.books.BookAccountRequest),
        response: S.responses(S.ref(S.books.BookAccount), 201),
      },
    },
    async (req, reply) => {
      requireBooksBank(req, oracles.bank);
      if (req.body.chainAccount) await requireKeptChainAccount(req, req.body.chainAccount, oracles.bank);
      reply.code(201);
      return oracles.books.openAccount(req.body);
    },
  );

  app.get(
    '/v1/books/accounts/:id',
    {
      schema: {
        tags: ['books'],
        summary: 'An account in the off-chain books',
        params: idParam,
        response: S.responses(S.ref(S.books.BookAccount)),
      },
    },
    async (req) => {
      requireBooksBank(req, oracles.bank);
      const a = await oracles.books.getAccount(req.params.id);
      if (!a) throw notFound('id', `no account ${req.params.id} in the books`, 'ACCOUNT_NOT_FOUND');
      return a;
    },
  );

  app.post(
    '/v1/books/deposits',
    {
      schema: {
        tags: ['books'],
        summary: 'Post a deposit (idempotent on ref)',
        body: S.ref(S.books.BookPostingRequest),
        response: S.responses(S.ref(S.books.Posting), 201),
      },
    },
    async (req, reply) => {
      requireBooksBank(req, oracles.bank);
      reply.code(201);
      return oracles.books.deposit(req.body);
    },
  );

  app.post(
    '/v1/books/withdrawals',
    {
      schema: {
        tags: ['books'],
        summary: 'Post a withdrawal (idempotent on ref)',
        body: S.ref(S.books.BookPostingRequest),
        response: S.responses(S.ref(S.books.Posting), 201),
      },
    },
    async (req, reply) => {
      requireBooksBank(req, oracles.bank);
      reply.code(201);
      return oracles.books.withdraw(req.body);
    },
  );

  app.post(
    '/v1/books/transfers',
    {
      schema: {
        tags: ['books'],
        summary: 'Post a transfer between two book accounts (idempotent on ref)',
        body: S.ref(S.books.BookTransferRequest),
        response: S.responses(S.ref(S.books.Posting), 201),
      },
    },
    async (req, reply) => {
      requireBooksBank(req, oracles.bank);
      reply.code(201);
      return oracles.books.transfer(req.body);
    },
  );

  app.get(
    '/v1/recon/cases',
    {
      schema: {
        tags: ['recon'],
        summary: "Reconciliation cases (the operators' inbox with status=open)",
        querystring: S.record({ status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('resolved')])) }),
        response: S.responses(S.ref(S.books.ReconCaseList)),
      },
    },
    async (req) => {
      requireReconReader(req, oracles.bank);
      return oracles.cases.list(req.query.status);
    },
  );

  // What people read of reconciliation: the last whole-ledger run's counts, root and anchor.
  const summary = S.ref(S.books.ReconSummary);
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
        body: S.ref(S.Empty),
        response: S.responses(summary, 201),
      },
      // No body at all is the empty request too (the console sends none).
      preValidation: (req, _reply, done) => {
        req.body ??= {};
        done();
      },
    },
    async (req, reply) => {
      requireBooksBank(req, oracles.bank);
      reply.code(201);
      return summaryOf(await oracles.reconcileNow(app.ledger));
    },
  );

  app.post(
    '/v1/recon/cases/:id/resolve',
    {
      schema: {
        tags: ['recon'],
        summary: 'Resolve a reconciliation case with a note',
        params: idParam,
        body: S.ref(S.books.CaseResolution),
        response: S.responses(S.ref(S.books.ReconCase)),
      },
    },
    async (req) => {
      const me = requireBooksBank(req, oracles.bank);
      return oracles.cases.resolve(req.params.id, { ...req.body, by: me.handle });
    },
  );
  return Promise.resolve();
}
