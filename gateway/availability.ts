/**
 * Which ledgers run each route, decided here once for the whole route table: the money core
 * (accounts, mirrors, transfers, freezes, balances, history, traces) and the ledger views run on
 * every engine; the businesses written only as chaincode (supervision, prepaid, bills, the
 * registry's org admission, reconciliation over chaincode anchors, ...) run on the chaincode
 * engines. Every /v1 route carries `x-lianjian-ledger` in /openapi.json; on a ledger that does not
 * run it, the route answers 501 NOT_ON_THIS_LEDGER before anything else.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
import { LedgerError } from '../ledger/errors';
import type { LedgerClient } from '../ledger/types';

type Engine = LedgerClient['engine'];

const ALL: Engine[] = ['embedded', 'fabric', 'evm'];
const CHAINCODE: Engine[] = ['embedded', 'fabric'];

/** Routes the EVM ledger runs too (MoneyCore.sol, ledger/evm), as `METHOD path` with Fastify's params. */
const ON_EVERY_LEDGER = new Set([
  'POST /v1/accounts',
  'GET /v1/accounts/:id',
  'GET /v1/accounts/:id/balance',
  'GET /v1/accounts/:id/history',
  'POST /v1/accounts/:id/freeze',
  'POST /v1/accounts/:id/unfreeze',
  'POST /v1/accounts/:id/close',
  'POST /v1/transfers',
  'GET /v1/transfers/:id',
  'POST /v1/mirror/deposits',
  'POST /v1/mirror/withdrawals',
  'GET /v1/trace/backward/:account',
  'GET /v1/trace/forward/:bank/:offTxId',
  'POST /v1/members',
  'GET /v1/me',
  'GET /v1/members/:handle',
  'GET /v1/height',
  'GET /v1/blocks',
  'GET /v1/blocks/:n',
  'GET /v1/transactions/:txId',
  'GET /v1/events',
  'GET /v1/witness',
  'GET /v1/gateway-key',
]);

/** The engines that run `method url` (only /v1 routes are marked; pages and probes run everywhere). */
export function ledgersOf(method: string, url: string): Engine[] {
  if (!url.startsWith('/v1/')) return ALL;
  return ON_EVERY_LEDGER.has(`${method} ${url}`) ? ALL : CHAINCODE;
}

const methodsOf = (route: RouteOptions): string[] => (Array.isArray(route.method) ? route.method : [route.method]);

/**
 * Marks every route registered after this call and refuses, on `engine`, those it does not run,
 * before authentication: what a ledger cannot do is no secret. Call before auth and the routes.
 */
export function installAvailability(app: FastifyInstance, engine: Engine): void {
  app.addHook('onRoute', (route) => {
    const perMethod = methodsOf(route)
      .filter((method) => method !== 'HEAD')
      .map((method) => ledgersOf(method, route.url));
    const runs = ALL.filter((e) => perMethod.every((engines) => engines.includes(e)));
    route.schema = { ...route.schema, 'x-lianjian-ledger': runs } as RouteOptions['schema'];
  });
  app.addHook('onRequest', (req, _reply, done) => {
    const url = req.routeOptions.url;
    if (!url || ledgersOf(req.method, url).includes(engine)) return done();
    const refusal = new LedgerError(
      'NOT_ON_THIS_LEDGER',
      `${req.method} ${url} belongs to a business that runs only as chaincode (LEDGER=embedded or fabric); this service runs LEDGER=${engine}, which has the money core: accounts, mirrors, transfers, freezes, balances, history and traces`,
      undefined,
      501,
    );
    done(refusal);
  });
}
