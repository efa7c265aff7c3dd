/**
 * What a route plugin (gateway/routes/<domain>.ts) works with; see gateway/routes/README.md.
 * `submit` runs an operation (chaincode/operations.ts) with the caller's own signed request as
 * the intent the chaincode checks; `evaluate` runs a query as the caller. Both go through the
 * ledger's guard (concurrency, timeout, circuit breaker) and return the parsed JSON result.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Member, Role } from '../chaincode/core/context';
import type { HttpIntent } from '../chaincode/core/intent';
import { bodyOf, matchPath, Operation, queryOf } from '../chaincode/core/operation';
import { LedgerError } from '../ledger/errors';
import type { Gate, Guards } from '../ledger/guard';
import type { LedgerClient } from '../ledger/types';
import type { OracleService } from '../oracles/service';
import type { MemberDirectory } from './members';
import type { WitnessView } from './witness';

declare module 'fastify' {
  interface FastifyInstance {
    ledger: LedgerClient;
    /** The one inbound gate (in flight / queued counts for ops pages and tests). */
    gate: Gate;
    /** The service's downstream guards: the ledger runs under LEDGER_GUARD, rails under `rail:<name>`. */
    guards: Guards;
    /** The bank's books, reconciliation cases and oracles. */
    oracles: OracleService;
    /** Members' public keys, roles and status from the chain. */
    members: MemberDirectory;
    /** The external EVM witness, when EVM_RPC_URL configures one. */
    witness?: WitnessView;
  }
  interface FastifyRequest {
    /** The verified caller (set once the signature checks out). */
    member?: Member;
    /** The caller's signed request: the intent the chaincode checks. */
    intent?: HttpIntent;
    /** The member named by X-LJ-Key, before the signature is checked. */
    claimed?: Member;
    /** Bytes as received (what the signature covers). */
    rawBody?: Buffer;
    /** Body bytes after opening an sm4-envelope (= rawBody otherwise). */
    plainBody?: Buffer;
    /** The committed transaction of this request, echoed as X-LJ-Tx-Id / X-LJ-Block (and Idempotent-Replay). */
    ljTx?: { txId: string; blockNumber: number; replayed: boolean };
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

/**
 * The verified caller.
 * @throws LedgerError 401 when the route was reached without one (a public route)
 */
export function caller(req: FastifyRequest): Member {
  if (!req.member) throw new LedgerError('UNAUTHENTICATED', 'signed request required', 'X-LJ-Key', 401);
  return req.member;
}

/**
 * Friendly early check; the chaincode checks again with the on-chain roles.
 * @throws LedgerError 403 ROLE_REQUIRED
 */
export function requireRole(req: FastifyRequest, ...roles: Role[]): Member {
  const member = caller(req);
  if (!roles.some((r) => member.roles.includes(r))) {
    throw new LedgerError(
      'ROLE_REQUIRED',
      `this action needs the role ${roles.join(' or ')}; ${member.handle} has ${member.roles.join(', ') || 'none'}`,
      undefined,
      403,
    );
  }
  return member;
}

function parse<T>(text: string): T {
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

function intentOf(req: FastifyRequest): HttpIntent {
  if (!req.intent) throw new LedgerError('UNAUTHENTICATED', 'signed request required', 'X-LJ-Key', 401);
  return req.intent;
}

/** The chaincode arguments `op` takes from this request, computed exactly as the chaincode will. */
export function argsOf(req: FastifyRequest, op: Operation): string[] {
  const intent = intentOf(req);
  const params = matchPath(op.path, intent.path);
  if (!params) throw new LedgerError('NOT_FOUND', `${intent.path} is not ${op.path}`, undefined, 404);
  return op.args({
    params,
    query: queryOf(intent.query),
    body: bodyOf(intent.body),
    idempotencyKey: intent.idempotencyKey,
  });
}

/**
 * Runs the write `op` with the caller's signed request as its intent; resolves once committed.
 * A replay of a write already committed under the same Idempotency-Key answers its first result
 * with `Idempotent-Replay: true`.
 * @throws LedgerError from the chain or the guard
 */
export async function submit<T = unknown>(req: FastifyRequest, op: Operation): Promise<T> {
  const intent = intentOf(req);
  const args = argsOf(req, op);
  const ledger = req.server.ledger;
  const r = await req.server.guards.run(LEDGER_GUARD, () => ledger.submit({ fn: op.fn, args, intent }));
  req.ljTx = { txId: r.txId, blockNumber: r.blockNumber, replayed: !!r.replayed };
  return parse<T>(r.result);
}

/**
 * Read-only query as the caller against committed state.
 * @throws LedgerError from the chain or the guard
 */
export async function evaluate<T = unknown>(req: FastifyRequest, fn: string, args: string[]): Promise<T> {
  const intent = intentOf(req);
  const ledger = req.server.ledger;
  return parse<T>(await req.server.guards.run(LEDGER_GUARD, () => ledger.evaluate({ fn, args, intent })));
}

export * as S from './schemas';
