/**
 * buildApp: the Fastify gateway without listen(), so tests use app.inject and real HTTP alike.
 * Order per request: signed headers (and a refusal when the gate is full) → body (sm4-envelope
 * opened) → signature, nonce → gate slot, rate → JSON Schema → idempotency → handler; one error
 * handler shapes every error.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import Fastify, { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, LogController } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Logger } from 'pino';
import { Envelope, KeyPair, openEnvelope } from '../chaincode/lib/gm';
import { sharedVerifierPool } from '../chaincode/lib/gm/pool';
import { NonceCache, installAuth } from './auth';
import type { GatewayConfig } from './config';
import { LedgerError } from '../ledger/errors';
import { eventsRoutes } from './events';
import { gateFull, installGate, TokenBuckets } from './flow';
import { Gate, Guards } from '../ledger/guard';
import { installIdempotencyKeyRule, installResponseHeaders } from './hooks';
import type { LedgerClient } from '../ledger/types';
import type { OracleService } from '../oracles/service';
import './plugin';
import billsRoutes from './routes/bills';
import consoleRoutes from './routes/console';
import coreRoutes from './routes/core';
import identityRoutes from './routes/identity';
import ledgerRoutes from './routes/ledger';
import oracleRoutes from './routes/oracles';
import prepaidRoutes from './routes/prepaid';
import reconRoutes from './routes/recon';
import supervisionRoutes from './routes/supervision';
import evmRoutes from './routes/evm';
import witnessRoutes from './routes/witness';
import type { WitnessView } from './witness';
import { gatewayKey } from './gateway-key';
import { MemberDirectory } from './members';
import { httpsOptions, TlsMaterial } from './tls';
import { AuditLog } from './audit-log';
import { installAudit } from './audit';
import { installAvailability } from './availability';
import * as schemas from './schemas';

export interface AppDeps {
  ledger: LedgerClient;
  /** The bank's books, cases and oracles (gateway/main.ts builds the one instance). */
  oracles: OracleService;
  /** The service's downstream guards (default: new ones from config.guard). */
  guards?: Guards;
  /** Members' keys and roles from the chain (default: read through `ledger`). */
  members?: MemberDirectory;
  config: GatewayConfig;
  /** A pino logger, or false for none (tests). Default: pino at config.logLevel. */
  logger?: Logger | false;
  /** The gateway's SM2 key for sm4-envelope bodies (default: <dataDir>/gateway-key.json). */
  key?: KeyPair;
  /** Serve HTTPS with this certificate (gateway/tls.ts ensureTls); none = plain HTTP. */
  tls?: TlsMaterial;
  /** The audit log every request goes into (default: opened in config.auditDir). */
  audit?: AuditLog;
  /** The external EVM witness, when configured (GET /v1/witness). */
  witness?: WitnessView;
  /** Sees every JSON answer before it is serialized (tests check it against the route's response schema). */
  checkResponse?: (answer: ResponseSample) => void;
}

/** One answer a route gave: `url` is the route's pattern, `payload` what the handler returned. */
export interface ResponseSample {
  method: string;
  url: string;
  status: number;
  payload: unknown;
  /** The answer as sent (after the schema's serializer). */
  serialized?: string;
  /** The route's response schema for this status, if it has one. */
  schema?: unknown;
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
    logController: new LogController({ disableRequestLogging: true }), // gateway/audit.ts writes the access line

    ...(deps.tls ? { https: httpsOptions(deps.tls) } : {}),
    bodyLimit: config.bodyLimit,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: true, allErrors: false } },
  }) as unknown as FastifyInstance;

  app.decorate('ledger', ledger);
  app.decorate('oracles', deps.oracles);
  app.decorate('witness', deps.witness);
  const guards = deps.guards ?? new Guards(config.guard);
  app.decorate('guards', guards);
  const members = deps.members ?? new MemberDirectory(ledger);
  app.decorate('members', members);

  installBodyParsers(app, key);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send({ code: 'NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}` });
  });

  installResponseHeaders(app);
  installAudit(app, deps.audit ?? new AuditLog(config.auditDir)); // first: it sees every request, refused or not
  installAvailability(app, ledger.engine); // before auth and any route: it marks and gates each one
  installAuth(app, {
    members,
    nonces: new NonceCache({
      windowMs: config.nonceWindowMs,
      max: config.maxNonces,
      dir: path.join(config.dataDir, 'gateway'),
    }),
    maxSkewMs: config.maxSkewMs,
  });
  const gate = new Gate({
    limit: config.maxConcurrent,
    perKeyLimit: config.maxConcurrentPerIdentity,
    maxQueue: config.maxQueue,
    maxWaitMs: config.queueTimeoutMs,
    targetHoldMs: config.targetHoldMs,
    full: gateFull,
  });
  const verifiers = sharedVerifierPool(); // gateway/auth.ts verifies signatures there
  installGate(
    app,
    gate,
    new TokenBuckets(config.ratePerSec, config.rateBurst),
    [{ waitMs: () => verifiers.expectedWaitMs(), maxWaitMs: config.queueTimeoutMs }],
    2 * config.queueTimeoutMs,
  );
  installIdempotencyKeyRule(app);
  if (deps.checkResponse) installResponseCheck(app, deps.checkResponse);
  for (const schema of schemas.NAMED_SCHEMAS) app.addSchema(schema);

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
              "SM2 (the member's own key) DER hex over sm3 of the canonical request: LJ-SM2-V2, METHOD, path, " +
              'sorted query, content type, Idempotency-Key, sm3(body as sent), sm3(plain body), timestamp, ' +
              'nonce, key id (one per line); also X-LJ-Timestamp, X-LJ-Nonce (docs/identity.md)',
          },
        },
      },
      security: [{ LjKey: [], LjSignature: [] }],
    },
    // Named schemas ($id) are components.schemas under their own names.
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (json.$id as string | undefined) ?? `def-${i}`,
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
        response: { 200: schemas.ref(schemas.ops.Health) },
      },
    },
    () => Promise.resolve({ status: 'ok' as const }),
  );
  app.get(
    '/readyz',
    {
      ...open,
      schema: {
        tags: ['ops'],
        security: [],
        response: { 200: schemas.ref(schemas.ops.Readiness), 503: schemas.ref(schemas.ops.Readiness) },
      },
    },
    async (_req, reply) => {
      const health = await ledger.health();
      return reply.code(health.ready ? 200 : 503).send({
        status: health.ready ? 'ready' : 'not ready',
        engine: ledger.engine,
        components: health.components,
        inFlight: app.gate.inFlight,
        queued: app.gate.queued,
        guards: guards.states(),
      });
    },
  );
  app.get('/openapi.json', { ...open, schema: { hide: true } }, () => Promise.resolve(app.swagger()));
  app.get(
    '/v1/gateway-key',
    {
      ...open,
      schema: {
        tags: ['ops'],
        security: [],
        response: { 200: schemas.ref(schemas.ops.GatewayKey) },
      },
    },
    () =>
      Promise.resolve({
        publicKey: key.publicKey,
        alg: 'SM2-SM4-CBC-HMACSM3' as const,
      }),
  );

  await app.register(coreRoutes);
  await app.register(eventsRoutes, { heartbeatMs: config.sseHeartbeatMs });
  // Every route module, registered explicitly: one that fails to register stops the service.
  for (const routes of [
    identityRoutes,
    billsRoutes,
    prepaidRoutes,
    supervisionRoutes,
    oracleRoutes,
    reconRoutes,
    ledgerRoutes,
    witnessRoutes,
    evmRoutes,
    consoleRoutes,
  ]) {
    await app.register(routes);
  }
  return app;
}

/**
 * Hands every JSON answer to `check` with what the handler returned and what was sent (tests: the
 * schema must describe the answer, and the serializer must lose nothing). A check that throws
 * turns the answer into a 500 naming the problem.
 */
function installResponseCheck(app: FastifyInstance, check: (answer: ResponseSample) => void): void {
  const answers = new WeakMap<FastifyRequest, unknown>();
  app.addHook('preSerialization', (req, _reply, payload, done) => {
    answers.set(req, payload);
    done(null, payload);
  });
  app.addHook('onSend', (req, reply, serialized, done) => {
    if (!answers.has(req)) return done(null, serialized);
    const responses = req.routeOptions.schema?.response as Record<string, unknown> | undefined;
    const status = reply.statusCode;
    const schema = responses?.[String(status)] ?? responses?.[`${String(status)[0]}xx`];
    try {
      check({
        method: req.method,
        url: req.routeOptions.url ?? req.url,
        status,
        payload: answers.get(req),
        ...(typeof serialized === 'string' ? { serialized } : {}),
        schema,
      });
      done(null, serialized);
    } catch (err) {
      void reply.code(500);
      done(null, JSON.stringify({ code: 'CONTRACT_VIOLATION', message: (err as Error).message }));
    }
  });
}

function installBodyParsers(app: FastifyInstance, key: KeyPair): void {
  app.removeContentTypeParser('application/json');
  const parseJson = (req: FastifyRequest, plain: Buffer): unknown => {
    req.plainBody = plain;
    if (plain.length === 0) return undefined;
    try {
      return JSON.parse(plain.toString('utf8'));
    } catch {
      throw new LedgerError('INVALID_JSON', 'request body is not valid JSON', 'body', 400);
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
        throw new LedgerError('ENVELOPE_INVALID', 'envelope is not valid JSON', 'body', 400);
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

function errorHandler(err: FastifyError | LedgerError, req: FastifyRequest, reply: FastifyReply): void {
  if (err instanceof LedgerError) {
    if (err.retryAfterSec) reply.header('retry-after', String(err.retryAfterSec));
    // RFC 9110: a 401 names the scheme; its error lets a client tell a replay from a bad key without the body.
    if (err.status === 401) reply.header('www-authenticate', `LJ-SM2 error="${err.code}"`);
    if (err.status >= 500) req.log.warn({ code: err.code, detail: err.detail }, 'request failed');
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
