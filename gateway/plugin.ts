/**
 * What a route plugin (gateway/routes/<domain>.ts) works with; see gateway/routes/README.md.
 * submit/evaluate run a chaincode function as the authenticated caller, through the ledger's
 * guard (concurrency, timeout, circuit breaker), and return the parsed JSON result.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Role } from '../chaincode/core/context';
import { LedgerError } from '../ledger/errors';
import type { Gate, Guards } from '../ledger/guard';
import type { OracleService } from '../oracles/service';
import type { Identity, LedgerClient } from '../ledger/types';

declare module 'fastify' {
  interface FastifyInstance {
    ledger: LedgerClient;
    /** The one inbound gate (in flight / queued counts for ops pages and tests). */
    gate: Gate;
    /** The service's downstream guards: the ledger runs under LEDGER_GUARD, rails under `rail:<name>`. */
    guards: Guards;
    /** The bank's books, reconciliation cases and oracles. */
    oracles: OracleService;
  }
  interface FastifyRequest {
    /** The verified caller (set once the signature checks out). */
    identity?: Identity;
    /** Key named by X-LJ-Key, before the signature is checked. */
    claimed?: Identity;
    /** Bytes as received (what the signature covers). */
    rawBody?: Buffer;
    /** Body bytes after opening an sm4-envelope (= rawBody otherwise). */
    plainBody?: Buffer;
    /** The committed transaction of this request, echoed as X-LJ-Tx-Id / X-LJ-Block. */
    ljTx?: { txId: string; blockNumber: number };
    /** Gives back the request's inbound gate slot early (long-lived streams). */
    releaseGate?: () => void;
  }
  interface FastifyContextConfig {
    /** No signature needed (health, docs, public keys). */
    public?: boolean;
  }
}

export type RoutePlugin = (app: FastifyInstance) => Promise<void>;

export const LEDGER_GUARD = 'ledger';

/** The verified caller; throws 401 if the route was reached without one (a public route). */
export function caller(req: FastifyRequest): Identity {
  if (!req.identity) throw new LedgerError('UNAUTHENTICATED', 'signed request required', 'X-LJ-Key', 401);
  return req.identity;
}

/** Friendly early check; the chaincode checks again with the on-chain roles. */
export function requireRole(req: FastifyRequest, ...roles: Role[]): Identity {
  const id = caller(req);
  if (!roles.some((r) => id.roles.includes(r))) {
    throw new LedgerError(
      'ROLE_REQUIRED',
      `this action needs the role ${roles.join(' or ')}; ${id.keyId} has ${id.roles.join(', ') || 'none'}`,
      undefined,
      403,
    );
  }
  return id;
}

function parse<T>(text: string): T {
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

/** Endorse + order + commit `fn` ('Contract:function') as the caller; resolves once committed. */
export async function submit<T = unknown>(req: FastifyRequest, fn: string, args: string[]): Promise<T> {
  const id = caller(req);
  const ledger = req.server.ledger;
  const r = await req.server.guards.run(LEDGER_GUARD, () => ledger.submit(id, fn, args));
  req.ljTx = { txId: r.txId, blockNumber: r.blockNumber };
  return parse<T>(r.result);
}

/** Read-only query as the caller against committed state. */
export async function evaluate<T = unknown>(req: FastifyRequest, fn: string, args: string[]): Promise<T> {
  const id = caller(req);
  const ledger = req.server.ledger;
  return parse<T>(await req.server.guards.run(LEDGER_GUARD, () => ledger.evaluate(id, fn, args)));
}

export * as S from './schemas';
