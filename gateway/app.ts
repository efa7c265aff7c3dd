/**
 * buildApp: the Fastify gateway without listen(), so tests use app.inject and real HTTP alike.
 * Order per request: gate → signed headers → body (sm4-envelope opened) → signature, nonce,
 * rate → JSON Schema → idempotency → handler; one error handler shapes every error.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Fastify, { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Logger } from 'pino';
import { Envelope, KeyPair, openEnvelope } from '../chaincode/lib/gm';
import { NonceCache, installAuth } from './auth';
import type { GatewayConfig } from './config';
import { GatewayError, isLedgerError } from './errors';
import { eventsRoutes } from './events';
import { configureGuards, defineGuard, Gate, guardStates, TokenBuckets } from './flow';
import { installGate, installIdempotency, installResponseHeaders } from './hooks';
import { IdempotencyStore } from './idempotency';
import type { LedgerClient } from './ledger/types';
import { LEDGER_GUARD } from './plugin';
import coreRoutes from './routes/core';
import { Wallet, gatewayKey } from './wallet';

export interface AppDeps {
  ledger: LedgerClient;
  wallet: Wallet;
  config: GatewayConfig;
  /** A pino logger, or false for none (tests). Default: pino at config.logLevel. */
  logger?: Logger | false;
  /** The gateway's SM2 key for sm4-envelope bodies (default: <dataDir>/gateway-key.json). */
  key?: KeyPair;
  /** Also load every other gateway/routes/*.js (default true). */
  autoload?: boolean;
}

const REQ_ID_RE = /^[A-Za-z0-9._-]{1,64}$/;

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, ledger } = deps;
  const key = deps.key ?? gatewayKey(config.dataDir);
  const app = Fastify({
    ...(deps.logger === false
      ? { logger: false }
      : deps.logger
        ? { loggerInstance: deps.logger }
        : { logger: { level: config.logLevel } }),
    genReqId: (req) => {
      const h = req.headers['x-request-id'];
      return typeof h === 'string' && REQ_ID_RE.test(h) ? h : randomUUID();
    },
    requestIdHeader: false,
    bodyLimit: config.bodyLimit,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: true, allErrors: false } },
  }) as unknown as FastifyInstance;

  app.decorate('ledger', ledger);
  app.decorate('dataDir', config.dataDir);
  const guardOpts = {
    concurrency: config.downstreamConcurrency,
    queue: config.downstreamQueue,
    timeoutMs: config.downstreamTimeoutMs,
    errorThresholdPercentage: config.breakerErrorPercent,
    volumeThreshold: config.breakerVolume,
    resetTimeoutMs: config.breakerResetMs,
  };
  configureGuards(guardOpts); // defaults for the rails' guards
  defineGuard(LEDGER_GUARD, guardOpts); // a fresh ledger breaker per app

  installBodyParsers(app, key);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send({ code: 'NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}` });
  });

  installResponseHeaders(app);
  const overloaded = () => new GatewayError(503, 'OVERLOADED', 'the gateway is at capacity; retry later', undefined, 1);
  installGate(app, new Gate(config.maxConcurrent, config.maxQueue, config.queueTimeoutMs, overloaded));
  installAuth(app, {
    wallet: deps.wallet,
    nonces: new NonceCache(config.nonceWindowMs, config.maxNonces),
    buckets: new TokenBuckets(config.ratePerSec, config.rateBurst),
    maxSkewMs: config.maxSkewMs,
  });
  installIdempotency(app, new IdempotencyStore(config.idempotencyMax, config.idempotencyTtlMs));

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Lianjian 链监 gateway',
        version: '0.1.0',
        description: 'SM2-signed REST API over the Lianjian ledger. Amounts are fen (分) as digit strings.',
      },
      components: {
        securitySchemes: {
          LjKey: { type: 'apiKey', in: 'header', name: 'X-LJ-Key' },
          LjSignature: {
            type: 'apiKey',
            in: 'header',
            name: 'X-LJ-Signature',
            description:
              'SM2 DER hex over sm3(METHOD\\npath\\nsortedQuery\\nsm3(body)\\ntimestamp\\nnonce); also X-LJ-Timestamp, X-LJ-Nonce',
          },
        },
      },
      security: [{ LjKey: [], LjSignature: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const open = { config: { public: true } };
  app.get(
    '/healthz',
    {
      ...open,
      schema: {
        tags: ['ops'],
        security: [],
        response: { 200: { type: 'object', properties: { status: { type: 'string' } } } },
      },
    },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/readyz',
    {
      ...open,
      schema: {
        tags: ['ops'],
        security: [],
        response: {
          200: { type: 'object', additionalProperties: true },
          503: { type: 'object', additionalProperties: true },
        },
      },
    },
    async (_req, reply) => {
      const ready = await ledger.ready().catch(() => false);
      return reply
        .code(ready ? 200 : 503)
        .send({
          status: ready ? 'ready' : 'not ready',
          engine: ledger.engine,
          inFlight: app.gate.inFlight,
          queued: app.gate.queued,
          guards: guardStates(),
        });
    },
  );
  app.get('/openapi.json', { ...open, schema: { hide: true } }, async () => app.swagger());
  app.get(
    '/v1/gateway-key',
    {
      ...open,
      schema: {
        tags: ['ops'],
        security: [],
        response: { 200: { type: 'object', properties: { publicKey: { type: 'string' }, alg: { type: 'string' } } } },
      },
    },
    async () => ({
      publicKey: key.publicKey,
      alg: 'SM2-SM4-CBC-HMACSM3',
    }),
  );

  await app.register(coreRoutes);
  await app.register(eventsRoutes, { heartbeatMs: config.sseHeartbeatMs });
  if (deps.autoload !== false)
    for (const [name, plugin] of await domainPlugins(app)) await app.register(plugin, { name } as object);
  return app;
}

/** Every gateway/routes/*.js except core that default-exports a plugin; a broken one is logged and skipped. */
async function domainPlugins(app: FastifyInstance): Promise<Array<[string, (app: FastifyInstance) => Promise<void>]>> {
  const dir = path.join(__dirname, 'routes');
  const out: Array<[string, (app: FastifyInstance) => Promise<void>]> = [];
  for (const file of fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []) {
    if (!file.endsWith('.js') || file === 'core.js' || file.startsWith('_')) continue;
    try {
      const mod = (await import(path.join(dir, file))) as { default?: unknown };
      const plugin = (mod.default as { default?: unknown })?.default ?? mod.default;
      if (typeof plugin === 'function') out.push([file, plugin as (app: FastifyInstance) => Promise<void>]);
      else app.log.warn({ file }, 'route file has no default-exported plugin; skipped');
    } catch (err) {
      app.log.error({ file, err }, 'route plugin failed to load; skipped');
    }
  }
  return out;
}

function installBodyParsers(app: FastifyInstance, key: KeyPair): void {
  app.removeContentTypeParser('application/json');
  const parseJson = (req: FastifyRequest, plain: Buffer): unknown => {
    req.plainBody = plain;
    if (plain.length === 0) return undefined;
    try {
      return JSON.parse(plain.toString('utf8'));
    } catch {
      throw new GatewayError(400, 'INVALID_JSON', 'request body is not valid JSON', 'body');
    }
  };
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    req.rawBody = body as Buffer;
    try {
      done(null, parseJson(req, body as Buffer));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  // The body is an SM2/SM4 envelope sealed to the gateway key; opened before validation.
  app.addContentTypeParser('application/sm4-envelope', { parseAs: 'buffer' }, (req, body, done) => {
    req.rawBody = body as Buffer;
    try {
      let env: Envelope;
      try {
        env = JSON.parse((body as Buffer).toString('utf8')) as Envelope;
      } catch {
        throw new GatewayError(400, 'ENVELOPE_INVALID', 'envelope is not valid JSON', 'body');
      }
      done(null, parseJson(req, openEnvelope(key.privateKey, env)));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
}

function fieldOf(err: FastifyError): string | undefined {
  const v = err.validation?.[0];
  if (!v) return undefined;
  const p = v.params as { missingProperty?: string; additionalProperty?: string };
  const base = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const leaf = p.missingProperty ?? p.additionalProperty;
  const field = [base, leaf].filter(Boolean).join('.');
  return field || err.validationContext;
}

function errorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  if (err instanceof GatewayError) {
    if (err.retryAfterSec) reply.header('retry-after', String(err.retryAfterSec));
    void reply
      .code(err.status)
      .send({ code: err.code, message: err.detail, ...(err.field ? { field: err.field } : {}) });
    return;
  }
  if (isLedgerError(err)) {
    void reply.code(err.status).send(err.toJSON());
    return;
  }
  if (err.validation) {
    const field = fieldOf(err);
    const msg = `${field ?? err.validationContext}: ${err.validation[0].message ?? 'is invalid'}`;
    void reply.code(400).send({ code: 'VALIDATION_ERROR', message: msg, ...(field ? { field } : {}) });
    return;
  }
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const code =
      status === 413
        ? 'PAYLOAD_TOO_LARGE'
        : status === 415
          ? 'UNSUPPORTED_MEDIA_TYPE'
          : err.code === 'FST_ERR_CTP_INVALID_JSON_BODY'
            ? 'INVALID_JSON'
            : 'BAD_REQUEST';
    void reply.code(status).send({ code, message: err.message });
    return;
  }
  req.log.error({ err }, 'unhandled error');
  void reply.code(500).send({ code: 'INTERNAL', message: 'internal error; quote the x-request-id when reporting it' });
}
