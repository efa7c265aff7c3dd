/**
 * Every request, read or write, goes into the audit log (gateway/audit-log.ts) when its response
 * is done, and into one access log line — both with the caller's key id. Its own hooks, apart
 * from auth and admission, so those can change without touching this.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { sm3 } from '../chaincode/lib/gm';
import type { AuditEntry, AuditLog } from './audit-log';
import './plugin';

declare module 'fastify' {
  interface FastifyRequest {
    /** What the audit needs of the request: taken on arrival (a closed socket has no address). */
    audit?: { start: number; ip: string; cert?: string; res: ServerResponse; code?: string; done?: boolean };
  }
}

const strings = (o: unknown): Record<string, string> | undefined => {
  if (!o || typeof o !== 'object') return undefined;
  const out = Object.fromEntries(Object.entries(o).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  return Object.keys(out).length ? out : undefined;
};

/** The SHA-256 of the client's TLS certificate, when mutual TLS verified one. */
function clientCert(req: FastifyRequest): string | undefined {
  const socket = req.raw.socket as Partial<TLSSocket>;
  if (!socket.authorized || typeof socket.getPeerCertificate !== 'function') return undefined;
  return socket.getPeerCertificate().fingerprint256 || undefined;
}

/** What became of a request: its status and how long it took. */
interface Outcome {
  status: number;
  ms: number;
}

/** Who asked: the verified key id, or the one a refused request only claimed. */
function callerOf(req: FastifyRequest): Pick<AuditEntry, 'keyId' | 'claimedKey'> {
  if (req.member) return { keyId: req.member.handle };
  const claimed = req.headers['x-lj-key'];
  return { keyId: null, ...(typeof claimed === 'string' ? { claimedKey: claimed.slice(0, 130) } : {}) };
}

/** The SM3 of the plain body: the hash the member signed when verified. */
const bodyHashOf = (req: FastifyRequest): string | undefined =>
  req.plainBody?.length ? (req.intent?.contentHash ?? sm3(req.plainBody)) : undefined;

function entryOf(req: FastifyRequest, outcome: Outcome): AuditEntry {
  const { ip, cert, code } = req.audit ?? { ip: req.ip };
  const bodySm3 = bodyHashOf(req);
  return {
    time: new Date().toISOString(),
    requestId: req.id,
    ...callerOf(req),
    method: req.method,
    route: req.routeOptions.url ?? req.url.split('?')[0].slice(0, 256),
    ...(strings(req.params) ? { params: strings(req.params) } : {}),
    ...(strings(req.query) ? { query: strings(req.query) } : {}),
    status: outcome.status,
    ...(code ? { code } : {}),
    ...(req.ljTx ? { txId: req.ljTx.txId, ...(req.ljTx.replayed ? { replayed: true } : {}) } : {}),
    ...(bodySm3 ? { bodySm3 } : {}),
    client: { ip, ...(cert ? { cert } : {}) },
    ms: outcome.ms,
  };
}

/** Records each request once, in the audit log and as the access log line. */
export function installAudit(app: FastifyInstance, log: AuditLog): void {
  const arrived = (req: FastifyRequest, reply: FastifyReply): NonNullable<FastifyRequest['audit']> =>
    (req.audit ??= { start: performance.now(), ip: req.ip, cert: clientCert(req), res: reply.raw });
  app.addHook('onRequest', (req, reply, done) => {
    arrived(req, reply);
    done();
  });
  app.addHook('onSend', async (req, reply, payload) => {
    if (reply.statusCode >= 400 && typeof payload === 'string') {
      try {
        const code = (JSON.parse(payload) as { code?: unknown }).code;
        if (typeof code === 'string') arrived(req, reply).code = code.slice(0, 64);
      } catch {
        /* not a JSON error body */
      }
    }
    return payload;
  });
  const record = (req: FastifyRequest, outcome: Outcome): void => {
    if (req.audit?.done) return;
    if (req.audit) req.audit.done = true;
    const entry = entryOf(req, outcome);
    try {
      log.append(entry);
    } catch (err) {
      req.log.error({ err }, 'audit log write failed');
    }
    const { keyId, method, status, code, txId, ms } = entry;
    req.log.info({ keyId, method, url: req.url, status, code, txId, ms }, 'request completed');
  };
  app.addHook('onResponse', (req, reply: FastifyReply, done) => {
    record(req, { status: reply.statusCode, ms: Math.round(reply.elapsedTime) });
    done();
  });
  // The client went away: before an answer 499 (as proxies write it), else what it was sent (a stream).
  app.addHook('onRequestAbort', (req, done) => {
    const res = req.audit?.res;
    const ms = req.audit ? Math.round(performance.now() - req.audit.start) : 0;
    record(req, { status: res?.headersSent ? res.statusCode : 499, ms });
    done();
  });
  app.addHook('onClose', (_app, done) => {
    log.close();
    done();
  });
}
