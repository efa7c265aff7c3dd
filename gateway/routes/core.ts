/** Core REST routes, 1:1 over chaincode Money, Trace and Identity, plus ledger views. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Role } from '../../chaincode/core/context';
import { LedgerError } from '../../ledger/errors';
import { coreOperations as ops } from '../../chaincode/core/operations';
import { caller, evaluate, LEDGER_GUARD, requireRole, S, submit } from '../plugin';
import { blockFor, noTransaction, seesTransaction } from '../access';

const READERS: Role[] = ['regulator', 'bank', 'enterprise', 'merchant', 'consumer', 'auditor', 'oracle', 'court'];
const PAYERS: Role[] = ['enterprise', 'merchant', 'consumer', 'bank', 'regulator'];

const idParam = S.params('id');
const txIdParam = S.record({ txId: Type.String({ pattern: '^[0-9a-zA-Z_-]{1,128}$' }) });

export default function coreRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  // ---- accounts
  app.post(
    '/v1/accounts',
    {
      schema: {
        tags: ['accounts'],
        summary:
          "A bank opens an account (Money:openAccount); holderName is the holder's name (户名). For a member of another org it stays pending until the owner consents",
        body: S.ref(S.core.OpenAccountRequest),
        response: S.responses(S.ref(S.core.Account), 201),
      },
    },
    async (req, reply) => {
      requireRole(req, 'bank');
      reply.code(201);
      return submit(req, ops.openAccount);
    },
  );

  app.post(
    '/v1/accounts/:id/consent',
    {
      schema: {
        tags: ['accounts'],
        summary: 'The owner accepts or declines an account a bank of another org opened for it (Money:consentAccount)',
        params: idParam,
        body: S.ref(S.core.AccountConsentRequest),
        response: S.responses(S.ref(S.core.Account)),
      },
    },
    async (req) => submit(req, ops.consentAccount),
  );

  for (const verb of ['freeze', 'unfreeze'] as const) {
    app.post(
      `/v1/accounts/:id/${verb}`,
      {
        schema: {
          tags: ['accounts'],
          summary:
            verb === 'freeze'
              ? 'A court (under its order) or a regulator freezes an account (Money:freezeAccount)'
              : 'The authority that froze an account under `order` lifts it (Money:unfreezeAccount)',
          params: idParam,
          body: S.ref(S.core.AccountFreezeRequest),
          response: S.responses(S.ref(S.core.Account)),
        },
      },
      async (req) => {
        requireRole(req, 'regulator', 'court');
        return submit(req, verb === 'freeze' ? ops.freezeAccount : ops.unfreezeAccount);
      },
    );
  }

  app.post(
    '/v1/accounts/:id/close',
    {
      schema: {
        tags: ['accounts'],
        summary: "The account's bank closes it at zero balance",
        params: idParam,
        body: S.ref(S.Empty),
        response: S.responses(S.ref(S.core.Account)),
      },
    },
    async (req) => {
      requireRole(req, 'bank');
      return submit(req, ops.closeAccount);
    },
  );

  app.get(
    '/v1/accounts/:id',
    { schema: { tags: ['accounts'], params: idParam, response: S.responses(S.ref(S.core.Account)) } },
    async (req) => {
      requireRole(req, ...READERS);
      return evaluate(req, 'Money:getAccount', [req.params.id]);
    },
  );

  app.get(
    '/v1/accounts/:id/balance',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Balance in total and by color',
        params: idParam,
        response: S.responses(S.ref(S.core.Balance)),
      },
    },
    async (req) => {
      requireRole(req, ...READERS);
      return evaluate(req, 'Money:balance', [req.params.id]);
    },
  );

  app.get(
    '/v1/accounts/:id/history',
    {
      schema: {
        tags: ['accounts'],
        params: idParam,
        querystring: S.record({
          afterSeq: Type.Optional(S.uint(12)),
          limit: Type.Optional(Type.String({ pattern: '^([1-9][0-9]?|[1-4][0-9]{2}|500)$' })),
        }),
        response: S.responses(S.ref(S.core.HistoryPage)),
      },
    },
    async (req) => {
      requireRole(req, ...READERS);
      return evaluate(req, 'Money:history', [req.params.id, req.query.afterSeq ?? '', req.query.limit ?? '']);
    },
  );

  app.get(
    '/v1/accounts',
    {
      schema: {
        tags: ['accounts'],
        summary: "Accounts of an owner (default: the caller's)",
        querystring: S.record({ owner: Type.Optional(S.handle) }),
        response: S.responses(S.ref(S.core.AccountList)),
      },
    },
    async (req) => {
      requireRole(req, 'regulator', 'bank', 'enterprise', 'merchant', 'consumer', 'auditor');
      return evaluate(req, 'Money:listAccounts', [req.query.owner ?? '']);
    },
  );

  // ---- transfers
  app.post(
    '/v1/transfers',
    {
      schema: {
        tags: ['transfers'],
        summary: 'The owner moves money (Money:transfer); id defaults to the Idempotency-Key',
        body: S.ref(S.core.TransferRequest),
        response: S.responses(S.ref(S.core.Transfer), 201),
      },
    },
    async (req, reply) => {
      requireRole(req, ...PAYERS);
      reply.code(201);
      return submit(req, ops.transfer);
    },
  );

  app.get(
    '/v1/transfers/:id',
    { schema: { tags: ['transfers'], params: idParam, response: S.responses(S.ref(S.core.Transfer)) } },
    async (req) => {
      requireRole(req, ...READERS);
      return evaluate(req, 'Money:getTransfer', [req.params.id]);
    },
  );

  // ---- mirrors of the banks' books (oracle only)
  app.post(
    '/v1/mirror/deposits',
    {
      schema: {
        tags: ['mirror'],
        summary: 'An oracle mirrors an off-chain deposit; attestation = SM2 over mirrorMessage',
        body: S.ref(S.core.MirrorDepositRequest),
        response: S.responses(S.ref(S.core.Mirror), 201),
      },
    },
    async (req, reply) => {
      requireRole(req, 'oracle');
      reply.code(201);
      return submit(req, ops.mirrorDeposit);
    },
  );
  app.post(
    '/v1/mirror/withdrawals',
    {
      schema: {
        tags: ['mirror'],
        summary: 'An oracle mirrors an off-chain withdrawal',
        body: S.ref(S.core.MirrorWithdrawalRequest),
        response: S.responses(S.ref(S.core.Mirror), 201),
      },
    },
    async (req, reply) => {
      requireRole(req, 'oracle');
      reply.code(201);
      return submit(req, ops.mirrorWithdrawal);
    },
  );

  // ---- tracing
  const depthQs = S.record({
    maxDepth: Type.Optional(Type.String({ pattern: '^([1-9][0-9]?|1[0-9]{2}|2[0-4][0-9]|25[0-6])$' })),
  });
  app.get(
    '/v1/trace/backward/:account',
    {
      schema: {
        tags: ['trace'],
        summary: 'Where the money in an account came from',
        params: S.params('account'),
        querystring: depthQs,
        response: S.responses(S.ref(S.core.BackwardTrace)),
      },
    },
    async (req) => {
      requireRole(req, ...READERS);
      return evaluate(req, 'Trace:backward', [req.params.account, req.query.maxDepth ?? '']);
    },
  );
  app.get(
    '/v1/trace/forward/:bank/:offTxId',
    {
      schema: {
        tags: ['trace'],
        summary: 'Where a mirrored deposit went',
        params: S.params('bank', 'offTxId'),
        querystring: depthQs,
        response: S.responses(S.ref(S.core.ForwardTrace)),
      },
    },
    async (req) => {
      requireRole(req, 'regulator', 'auditor', 'bank');
      return evaluate(req, 'Trace:forward', [req.params.bank, req.params.offTxId, req.query.maxDepth ?? '']);
    },
  );

  app.get(
    '/v1/totals',
    {
      schema: {
        tags: ['audit'],
        summary: 'Conservation check: sum(balances) == deposits - withdrawals',
        response: S.responses(S.ref(S.core.Totals)),
      },
    },
    async (req) => {
      requireRole(req, 'regulator', 'auditor');
      return evaluate(req, 'Money:totals', []);
    },
  );

  // ---- identity
  app.get('/v1/me', { schema: { tags: ['identity'], response: S.responses(S.ref(S.core.Member)) } }, async (req) => {
    caller(req);
    return evaluate(req, 'Identity:whoami', []);
  });
  app.get(
    '/v1/members/:handle',
    {
      schema: {
        tags: ['identity'],
        params: S.record({ handle: S.handle }),
        response: S.responses(S.ref(S.core.Member)),
      },
    },
    async (req) => evaluate(req, 'Identity:getMember', [req.params.handle]),
  );

  // ---- ledger views
  const ledger = app.ledger;
  app.get(
    '/v1/height',
    {
      schema: {
        tags: ['ledger'],
        response: S.responses(S.ref(S.core.Height)),
      },
    },
    async (req) => {
      caller(req);
      return { height: await app.guards.run(LEDGER_GUARD, () => ledger.height()) };
    },
  );
  app.get(
    '/v1/blocks/:n',
    {
      schema: {
        tags: ['ledger'],
        params: S.record({ n: S.uint(12) }),
        response: S.responses(S.ref(S.core.Block)),
      },
    },
    async (req) => {
      const me = caller(req);
      const n = Number(req.params.n);
      if (n >= (await ledger.height())) throw new LedgerError('BLOCK_NOT_FOUND', `no block ${n}`, 'n', 404);
      return blockFor(me, await app.guards.run(LEDGER_GUARD, () => ledger.block(n)));
    },
  );
  app.get(
    '/v1/blocks',
    {
      schema: {
        tags: ['ledger'],
        summary:
          'Blocks from `from` (default: the latest `limit`); whole for regulators and auditors, else headers and the caller’s own transactions',
        querystring: S.record({
          from: Type.Optional(S.uint(12)),
          limit: Type.Optional(Type.String({ pattern: '^([1-9]|[1-9][0-9]|100)$' })),
        }),
        response: S.responses(S.ref(S.core.BlockPage)),
      },
    },
    async (req) => {
      const me = caller(req);
      const height = await ledger.height();
      const limit = Number(req.query.limit ?? '20');
      const from = req.query.from !== undefined ? Number(req.query.from) : Math.max(0, height - limit);
      const ns = Array.from({ length: Math.max(0, Math.min(limit, height - from)) }, (_, i) => from + i);
      const blocks = await app.guards.run(LEDGER_GUARD, () => Promise.all(ns.map((n) => ledger.block(n))));
      return { height, items: blocks.map((b) => blockFor(me, b)) };
    },
  );
  app.get(
    '/v1/transactions/:txId',
    {
      schema: {
        tags: ['ledger'],
        params: txIdParam,
        response: S.responses(S.ref(S.core.Transaction)),
      },
    },
    async (req) => {
      const me = caller(req);
      const tx = await app.guards
        .run(LEDGER_GUARD, () => ledger.transaction(req.params.txId))
        .catch((err: unknown) => {
          if (err instanceof LedgerError && err.status === 404) return undefined;
          throw err;
        });
      // Someone else's transaction answers exactly as a missing one.
      if (!tx || !seesTransaction(me, tx)) throw noTransaction(req.params.txId);
      return tx;
    },
  );
  return Promise.resolve();
}
