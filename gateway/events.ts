/**
 * GET /v1/events: committed envelope events as Server-Sent Events, in block order.
 * id = `${blockNumber}.${txIndex}`; resume strictly after Last-Event-ID, or from ?fromBlock.
 * Filters: ?type (a domain event type in the envelope), ?account. Who sees which events is
 * decided in gateway/access.ts (eventView): regulators and auditors all, banks and oracles their
 * org's accounts', everyone else the events naming an account they may read.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { LedgerEvent } from '../ledger/types';
import { LedgerError } from '../ledger/errors';
import { AccountBanks, eventView, onlyNaming } from './access';
import { S } from './plugin';

interface Query {
  type?: string;
  account?: string;
  fromBlock?: string;
}

const EVENT_ID_RE = /^([0-9]{1,12})\.([0-9]{1,9})$/;

/** Where to start: strictly after Last-Event-ID when given, else at fromBlock (default 0). */
export function resumePoint(req: FastifyRequest<{ Querystring: Query }>): {
  fromBlock: number;
  after?: [number, number];
} {
  const last = req.headers['last-event-id'];
  if (typeof last === 'string' && last !== '') {
    const m = EVENT_ID_RE.exec(last);
    if (!m) throw new LedgerError('VALIDATION_ERROR', 'Last-Event-ID must be <block>.<txIndex>', 'Last-Event-ID', 400);
    return { fromBlock: Number(m[1]), after: [Number(m[1]), Number(m[2])] };
  }
  return { fromBlock: Number(req.query.fromBlock ?? '0') };
}

export function matches(ev: LedgerEvent, q: Query): boolean {
  const events = ev.envelope.events;
  if (q.type && !events.some((e) => e.type === q.type)) return false;
  if (q.account && !events.some((e) => e.accounts?.includes(q.account!))) return false;
  return true;
}

/** A non-watcher sees only the domain events that name the account it filtered by (gateway/access.ts). */
export const scoped = onlyNaming;

export function eventsRoutes(app: FastifyInstance, opts: { heartbeatMs: number }): Promise<void> {
  const banks = new AccountBanks();
  app.get<{ Querystring: Query }>(
    '/v1/events',
    {
      schema: {
        tags: ['events'],
        summary: 'Committed events (text/event-stream); resumable with Last-Event-ID',
        querystring: {
          type: 'object',
          properties: {
            type: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_]{0,63}$' },
            account: S.id,
            fromBlock: S.uint(12),
          },
          additionalProperties: false,
        },
        response: { 200: S.ref(S.ops.EventStream) },
      },
    },
    async (req, reply) => {
      const start = resumePoint(req);
      const view = await eventView(req, req.query.account, banks);
      const ac = new AbortController();
      const iterator = app.ledger.events(start.fromBlock, ac.signal)[Symbol.asyncIterator]();
      reply.hijack();
      req.releaseGate?.(); // a stream lives long: it must not hold a request slot
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-request-id': req.id,
      });
      res.write(': lianjian events\n\n');
      const write = async (text: string) => {
        if (!res.write(text))
          await new Promise<void>((resolve) => {
            res.once('drain', resolve);
            res.once('close', resolve);
          });
      };
      const heartbeat = setInterval(() => res.write(': hb\n\n'), opts.heartbeatMs);
      const stop = () => {
        clearInterval(heartbeat);
        ac.abort();
        void iterator.return?.();
      };
      res.on('close', stop);
      try {
        for (;;) {
          const step = await iterator.next();
          if (step.done === true || res.destroyed) break;
          const next = step.value;
          const a = start.after;
          if (a && (next.blockNumber < a[0] || (next.blockNumber === a[0] && next.txIndex <= a[1]))) continue;
          const ev = await view(next);
          if (!ev || !matches(ev, req.query)) continue;
          await write(
            `id: ${ev.blockNumber}.${ev.txIndex}\nevent: lianjian\ndata: ${JSON.stringify({ blockNumber: ev.blockNumber, txIndex: ev.txIndex, ...ev.envelope, txId: ev.txId })}\n\n`,
          );
        }
      } catch (err) {
        if (!ac.signal.aborted) req.log.error({ err }, 'event stream failed');
      } finally {
        stop();
        res.end();
      }
    },
  );
  return Promise.resolve();
}
