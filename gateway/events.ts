/**
 * GET /v1/events: committed envelope events as Server-Sent Events, in block order.
 * id = `${blockNumber}.${txIndex}`; resume strictly after Last-Event-ID, or from ?fromBlock.
 * Filters: ?type (a domain event type in the envelope), ?account. Members who are not regulators,
 * auditors, banks or oracles must filter by an account they may read (checked on chain), and
 * see only the domain events naming it.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { LedgerEvent } from '../ledger/types';
import { LedgerError } from '../ledger/errors';
import { caller, evaluate, S } from './plugin';

interface Query {
  type?: string;
  account?: string;
  fromBlock?: string;
}

const EVENT_ID_RE = /^([0-9]{1,12})\.([0-9]{1,9})$/;
const WATCHERS = ['regulator', 'auditor', 'bank', 'oracle'];

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

/** A non-watcher sees only the domain events that name the account it filtered by (others in the same transaction may be other members'). */
export function scoped(ev: LedgerEvent, account: string): LedgerEvent {
  return {
    ...ev,
    envelope: { ...ev.envelope, events: ev.envelope.events.filter((e) => e.accounts?.includes(account)) },
  };
}

export async function eventsRoutes(app: FastifyInstance, opts: { heartbeatMs: number }): Promise<void> {
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
        response: {
          200: {
            description: 'text/event-stream of `id: <block>.<tx>`, `event: lianjian`, `data: <envelope JSON>`',
            type: 'string',
          },
        },
      },
    },
    async (req, reply) => {
      const me = caller(req);
      const start = resumePoint(req);
      const watcher = me.roles.some((r) => WATCHERS.includes(r));
      if (!watcher) {
        if (!req.query.account)
          throw new LedgerError(
            'ROLE_REQUIRED',
            'the whole event stream is for regulators, auditors, banks and oracles; filter by ?account',
            'account',
            403,
          );
        await evaluate(req, 'Money:getAccount', [req.query.account]); // throws unless the caller may read it
      }
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
          const { value: next, done } = await iterator.next();
          if (done || res.destroyed) break;
          const ev = watcher ? next : scoped(next, req.query.account!);
          const a = start.after;
          if (a && (ev.blockNumber < a[0] || (ev.blockNumber === a[0] && ev.txIndex <= a[1]))) continue;
          if (!matches(ev, req.query)) continue;
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
}
