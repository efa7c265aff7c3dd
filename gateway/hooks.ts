/** Request-wide hooks: the inbound gate, Idempotency-Key replay, response headers. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sm3 } from '../chaincode/lib/gm';
import { LedgerError } from '../ledger/errors';
import type { Gate } from '../ledger/guard';
import { IDEMPOTENCY_KEY_RE, IdempotencyStore, StoredResponse } from './idempotency';

const UNGATED = new Set(['/healthz', '/readyz']);

export function installGate(app: FastifyInstance, gate: Gate): void {
  app.decorate('gate', gate);
  app.addHook('onRequest', async (req) => {
    if (UNGATED.has(req.url)) return;
    req.releaseGate = await gate.acquire();
  });
  const release = async (req: FastifyRequest) => req.releaseGate?.();
  app.addHook('onResponse', release);
  app.addHook('onRequestAbort', release);
}

const pending = new WeakMap<FastifyRequest, (r: StoredResponse | undefined) => void>();

export function installIdempotency(app: FastifyInstance, store: IdempotencyStore): void {
  app.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.method !== 'POST' || !req.identity) return;
    const key = req.headers['idempotency-key'];
    if (key === undefined)
      throw new LedgerError(
        'IDEMPOTENCY_KEY_REQUIRED',
        'POST requests need an Idempotency-Key header',
        'Idempotency-Key',
        400,
      );
    if (typeof key !== 'string' || !IDEMPOTENCY_KEY_RE.test(key)) {
      throw new LedgerError(
        'VALIDATION_ERROR',
        "Idempotency-Key must be 1-64 letters, digits, '.', '_', ':' or '-'",
        'Idempotency-Key',
        400,
      );
    }
    const fingerprint = sm3(
      Buffer.concat([Buffer.from(`${req.method} ${req.url}\n`), req.plainBody ?? Buffer.alloc(0)]),
    );
    const claim = await store.claim(req.identity.keyId, key, fingerprint);
    if (claim.kind === 'replay') {
      reply
        .code(claim.response.status)
        .header('content-type', claim.response.contentType)
        .header('idempotent-replay', 'true');
      return reply.send(claim.response.body);
    }
    pending.set(req, claim.complete);
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const complete = pending.get(req);
    if (complete) {
      pending.delete(req);
      complete(
        typeof payload === 'string'
          ? {
              status: reply.statusCode,
              body: payload,
              contentType: String(reply.getHeader('content-type') ?? 'application/json'),
            }
          : undefined,
      );
    }
    return payload;
  });
  // A request that never sends (aborted) must not leave its key claimed forever.
  app.addHook('onResponse', async (req) => {
    pending.get(req)?.(undefined);
    pending.delete(req);
  });
}

export function installResponseHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('x-request-id', req.id);
    if (req.ljTx) reply.header('x-lj-tx-id', req.ljTx.txId).header('x-lj-block', String(req.ljTx.blockNumber));
    return payload;
  });
}
