/** Request-wide hooks: the Idempotency-Key rule, response headers (the inbound gate: gateway/flow.ts). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LedgerError } from '../ledger/errors';

export const IDEMPOTENCY_KEY_RE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/**
 * Every signed POST names its Idempotency-Key, and the member's signature covers it. Writes on
 * the ledger are idempotent on (member, key) by the chaincode itself (the intent record), so a
 * retry after a crash or a timeout gets the first answer; off-chain postings are idempotent on
 * their business reference.
 */
export function installIdempotencyKeyRule(app: FastifyInstance): void {
  app.addHook('preHandler', (req: FastifyRequest): Promise<void> => {
    if (req.method !== 'POST' || !req.member) return Promise.resolve();
    const key = req.headers['idempotency-key'];
    if (key === undefined) {
      throw new LedgerError(
        'IDEMPOTENCY_KEY_REQUIRED',
        'POST requests need an Idempotency-Key header',
        'Idempotency-Key',
        400,
      );
    }
    if (typeof key !== 'string' || !IDEMPOTENCY_KEY_RE.test(key)) {
      throw new LedgerError(
        'VALIDATION_ERROR',
        "Idempotency-Key must be 1-64 letters, digits, '.', '_', ':' or '-'",
        'Idempotency-Key',
        400,
      );
    }
    return Promise.resolve();
  });
}

export function installResponseHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('x-request-id', req.id);
    if (req.ljTx) {
      reply.header('x-lj-tx-id', req.ljTx.txId).header('x-lj-block', String(req.ljTx.blockNumber));
      if (req.ljTx.replayed) reply.header('idempotent-replay', 'true');
    }
    return payload;
  });
}
