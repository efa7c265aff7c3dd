/** Core REST routes, 1:1 over chaincode Money, Trace and Identity, plus ledger views. */
import type { FastifyInstance } from 'fastify';
import { ACCOUNT_KINDS } from '../../chaincode/core/lots';
import type { Role } from '../../chaincode/core/context';
import { LedgerError } from '../../ledger/errors';
import { coreOperations as ops } from '../../chaincode/core/operations';
import { caller, evaluate, LEDGER_GUARD, requireRole, S, submit } from '../plugin';
import { blockFor, noTransaction, seesTransaction } from '../access';

const READERS: Role[] = ['regulator', 'bank', 'enterprise', 'merchant', 'consumer', 'auditor', 'oracle', 'court'];
const PAYERS: Role[] = ['enterprise', 'merchant', 'consumer', 'bank', 'regulator'];

const idParam = { type: 'object', properties: { id: S.id }, required: ['id'], additionalProperties: false } as const;
const rec = S.record();
type P<T> = { Params: T };
type B<T> = { Body: T };

export default async function coreRoutes(app: FastifyInstance): Promise<void> {
  // ---- accounts
  app.post<B<{ id: string; kind: string; owner: string; offChainRef: string; holderName?: string }>>(
    '/v1/accounts',
    {
      schema: {
        tags: ['accounts'],
        summary:
          "A bank opens an account (Money:openAccount); holderName is the holder's name (户名). For a member of another org it stays pending until the owner consents",
        body: S.body(
          {
            id: S.id,
            kind: { type: 'string', enum: [...ACCOUNT_KINDS] },
            owner: S.handle,
            offChainRef: S.text(128),
            holderName: S.text(128),
          },
          ['id', 'kind', 'owner', 'offChainRef'],
        ),
        response: S.responses(S.record('Account'), 201),
      },
    },
    async (req, reply) => {
      requireRole(req, 'bank');
      reply.code(201);
      return submit(req, ops.openAccount);
    },
  );

  app.post<P<{ id: string }> & B<{ decision: 'accept' | 'decline' }>>(
    '/v1/accounts/:id/consent',
    {
      schema: {
        tags: ['accounts'],
        summary: 'The owner accepts or declines an account a bank of another org opened for it (Money:consentAccount)',
        params: idParam,
        body: S.body({ decision: { type: 'string', enum: ['accept', 'decline'] } }, ['decision']),
        response: S.responses(rec),
      },
    },
    async (req) => submit(req, ops.consentAccount),
  );

  for (const verb of ['freeze', 'unfreeze'] as const) {
    app.post<P<{ id: string }> & B<{ reason: string; order?: string }>>(
      `/v1/accounts/:id/${verb}`,
      {
        schema: {
          tags: ['accounts'],
          summary:
            verb === 'freeze'
              ? 'A court (under its order) or a regulator freezes an account (Money:freezeAccount)'
              : 'The authority that froze an account under `order` lifts it (Money:unfreezeAccount)',
          params: idParam,
          body: S.body({ reason: S.text(512), order: { ...S.id, description: "the court's order (裁定书) number" } }, [
            'reason',
          ]),
          response: S.responses(rec),
        },
      },
      async (req) => {
        requireRole(req, 'regulator', 'court');
        return submit(req, verb === 'freeze' ? ops.freezeAccount : ops.unfreezeAccount);
      },
    );
  }

  app.post<P<{ id: string }>>(
    '/v1/accounts/:id/close',
    {
      schema: {
        tags: ['accounts'],
        summary: "The account's bank closes it at zero balance",
        params: idParam,
        body: { type: 'object', properties: {}, additionalProperties: false },
        response: S.responses(rec),
      },
    },
    async (req) => {
      requireRole(req, 'bank');
      return submit(req, ops.closeAccount);
    },
  );

  app.get<P<{ id: string }>>(
    '/v1/accounts/:id',
    { schema: { tags: ['accounts'], params: idParam, response: S.responses(S.record('Account')) } },
    async (req) => {
      requireRole(req, ...READERS);
      return evaluate(req, 'Money:getAccount', [req.params.id]);
    },
  );

  app.get<P<{ id: string }>>(
    '/v1/accounts/:id/balance',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Balance in total and by color',
        params: idParam,
        response: S.responses(rec),
      },
    },
    async (req) => {
      requireRole(req, ...READERS);
      return evaluate(req, 'Money:balance', [req.params.id]);
    },
  );

  app.get<P<{ id: string }> & { Querystring: { afterSeq?: string; limit?: string } }>(
    '/v1/accounts/:id/history',
    {
      schema: {
        tags: ['accounts'],
        params: idParam,
        querystring: {
          type: 'object',
          properties: { afterSeq: S.uint(12), limit: { type: 'string', pattern: '^([1-9][0-9]?|[1-4][0-9]{2}|500)$' } },
          additionalProperties: false,
        },
        response: S.responses(rec),
      },
    },
    async (req) => {
      requireRole(req, ...READERS);
      return evaluate(req, 'Money:history', [req.params.id, req.query.afterSeq ?? '', req.query.limit ?? '']);
    },
  );

  app.get<{ Querystring: { owner?: string } }>(
    '/v1/accounts',
    {
      schema: {
        tags: ['accounts'],
        summary: "Accounts of an owner (default: the caller's)",
        querystring: { type: 'object', properties: { owner: S.handle }, additionalProperties: false },
        response: S.responses({ type: 'array', items: rec }),
      },
    },
    async (req) => {
      requireRole(req, 'regulator', 'bank', 'enterprise', 'merchant', 'consumer', 'auditor');
      return evaluate(req, 'Money:listAccounts', [req.query.owner ?? '']);
    },
  );

  // ---- transfers
  app.post<B<{ id?: string; from: string; to: string; amount: string; purpose: string; ref?: string }>>(
    '/v1/transfers',
    {
      schema: {
        tags: ['transfers'],
        summary: 'The owner moves money (Money:transfer); id defaults to the Idempotency-Key',
        body: S.body(
          {
            id: S.id,
            from: S.id,
            to: S.id,
            amount: S.amount,
            purpose: S.text(256),
            ref: { type: 'string', maxLength: 128 },
          },
          ['from', 'to', 'amount', 'purpose'],
        ),
        response: S.responses(S.record('Transfer'), 201),
      },
    },
    async (req, reply) => {
      requireRole(req, ...PAYERS);
      reply.code(201);
      return submit(req, ops.transfer);
    },
  );

  app.get<P<{ id: string }>>(
    '/v1/transfers/:id',
    { schema: { tags: ['transfers'], params: idParam, response: S.responses(S.record('Transfer')) } },
    async (req) => {
      requireRole(req, ...READERS);
      return evaluate(req, 'Money:getTransfer', [req.params.id]);
    },
  );

  // ---- mirrors of the banks' books (oracle only)
  const mirrorBody = (withColor: boolean) =>
    S.body(
      { account: S.id, amount: S.amount, offTxId: S.id, ...(withColor ? { color: S.id } : {}), attestation: S.hex },
      ['account', 'amount', 'offTxId', 'attestation'],
    );
  app.post<B<{ account: string; amount: string; offTxId: string; color?: string; attestation: string }>>(
    '/v1/mirror/deposits',
    {
      schema: {
        tags: ['mirror'],
        summary: 'An oracle mirrors an off-chain deposit; attestation = SM2 over mirrorMessage',
        body: mirrorBody(true),
        response: S.responses(S.record('Mirror'), 201),
      },
    },
    async (req, reply) => {
      requireRole(req, 'oracle');
      reply.code(201);
      return submit(req, ops.mirrorDeposit);
    },
  );
  app.post<B<{ account: string; amount: string; offTxId: string; attestation: string }>>(
    '/v1/mirror/withdrawals',
    {
      schema: {
        tags: ['mirror'],
        summary: 'An oracle mirrors an off-chain withdrawal',
        body: mirrorBody(false),
        response: S.responses(S.record('Mirror'), 201),
      },
    },
    async (req, reply) => {
      requireRole(req, 'oracle');
      reply.code(201);
      return submit(req, ops.mirrorWithdrawal);
    },
  );

  // ---- tracing
  const depthQs = {
    type: 'object',
    properties: { maxDepth: { type: 'string', pattern: '^([1-9][0-9]?|1[0-9]{2}|2[0-4][0-9]|25[0-6])$' } },
    additionalProperties: false,
  } as const;
  app.get<P<{ account: string }> & { Querystring: { maxDepth?: string } }>(
    '/v1/trace/backward/:account',
    {
      schema: {
        tags: ['trace'],
        summary: 'Where the money in an account came from',
        params: { type: 'object', properties: { account: S.id }, required: ['account'] },
        querystring: depthQs,
        response: S.responses(rec),
      },
    },
    async (req) => {
      requireRole(req, ...READERS);
      return evaluate(req, 'Trace:backward', [req.params.account, req.query.maxDepth ?? '']);
    },
  );
  app.get<P<{ bank: string; offTxId: string }> & { Querystring: { maxDepth?: string } }>(
    '/v1/trace/forward/:bank/:offTxId',
    {
      schema: {
        tags: ['trace'],
        summary: 'Where a mirrored deposit went',
        params: { type: 'object', properties: { bank: S.id, offTxId: S.id }, required: ['bank', 'offTxId'] },
        querystring: depthQs,
        response: S.responses(rec),
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
        response: S.responses(rec),
      },
    },
    async (req) => {
      requireRole(req, 'regulator', 'auditor');
      return evaluate(req, 'Money:totals', []);
    },
  );

  // ---- identity
  app.get('/v1/me', { schema: { tags: ['identity'], response: S.responses(S.record('Member')) } }, async (req) => {
    caller(req);
    return evaluate(req, 'Identity:whoami', []);
  });
  app.get<P<{ handle: string }>>(
    '/v1/members/:handle',
    {
      schema: {
        tags: ['identity'],
        params: { type: 'object', properties: { handle: S.handle }, required: ['handle'] },
        response: S.responses(S.record('Member')),
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
        response: S.responses({ type: 'object', properties: { height: { type: 'integer' } } }),
      },
    },
    async (req) => {
      caller(req);
      return { height: await app.guards.run(LEDGER_GUARD, () => ledger.height()) };
    },
  );
  app.get<P<{ n: string }>>(
    '/v1/blocks/:n',
    {
      schema: {
        tags: ['ledger'],
        params: { type: 'object', properties: { n: S.uint(12) }, required: ['n'] },
        response: S.responses(S.record('Block')),
      },
    },
    async (req) => {
      const me = caller(req);
      const n = Number(req.params.n);
      if (n >= (await ledger.height())) throw new LedgerError('BLOCK_NOT_FOUND', `no block ${n}`, 'n', 404);
      return blockFor(me, await app.guards.run(LEDGER_GUARD, () => ledger.block(n)));
    },
  );
  app.get<{ Querystring: { from?: string; limit?: string } }>(
    '/v1/blocks',
    {
      schema: {
        tags: ['ledger'],
        summary:
          'Blocks from `from` (default: the latest `limit`); whole for regulators and auditors, else headers and the caller’s own transactions',
        querystring: {
          type: 'object',
          properties: { from: S.uint(12), limit: { type: 'string', pattern: '^([1-9]|[1-9][0-9]|100)$' } },
          additionalProperties: false,
        },
        response: S.responses({
          type: 'object',
          properties: { height: { type: 'integer' }, items: { type: 'array', items: rec } },
        }),
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
  app.get<P<{ txId: string }>>(
    '/v1/transactions/:txId',
    {
      schema: {
        tags: ['ledger'],
        params: {
          type: 'object',
          properties: { txId: { type: 'string', pattern: '^[0-9a-zA-Z_-]{1,128}$' } },
          required: ['txId'],
        },
        response: S.responses(S.record('Transaction')),
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
}
