/**
 * An operation binds a REST write (method + path pattern) to the chaincode transaction it runs
 * and says how the transaction's arguments follow from the member's signed request. The gateway
 * builds the arguments with it; the chaincode rebuilds them from the signed intent with the
 * same function and refuses the transaction if they differ, so what runs is what was signed.
 */
import { invalid } from '../lib/errors';

/** The parts of a signed request that arguments may come from. */
export interface RequestInput {
  /** Path parameters (`:name` segments), decoded. */
  params: Record<string, string>;
  /** Query parameters (first value of each). */
  query: Record<string, string>;
  /** The parsed JSON body ({} when empty). */
  body: Record<string, unknown>;
  /** The Idempotency-Key header ('' when none). */
  idempotencyKey: string;
}

export interface Operation {
  method: 'POST' | 'PUT' | 'DELETE';
  /** Fastify-style pattern: `/v1/accounts/:id/freeze`. */
  path: string;
  /** 'Contract:function' */
  fn: string;
  args(input: RequestInput): string[];
}

/** Declares an operation (a typed identity function, so tables read as data). */
export const operation = (op: Operation): Operation => op;

/**
 * Matches `path` against `pattern`; returns the `:name` parameters, or undefined when it does not match.
 */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const have = path.split('/');
  if (want.length !== have.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) {
      if (!have[i]) return undefined;
      try {
        params[want[i].slice(1)] = decodeURIComponent(have[i]);
      } catch {
        return undefined;
      }
    } else if (want[i] !== have[i]) return undefined;
  }
  return params;
}

/** A body field as a chaincode argument: '' when absent, JSON for objects, text otherwise. */
export function arg(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

/**
 * The request's business id: `body[field]` when given, else the Idempotency-Key.
 * @throws LedgerError 400 VALIDATION_ERROR when neither is there
 */
export function requestId(input: RequestInput, field = 'id'): string {
  const given = input.body[field];
  if (typeof given === 'string' && given) return given;
  if (input.idempotencyKey) return input.idempotencyKey;
  throw invalid(field, `${field} is required when no Idempotency-Key is sent`, 'VALIDATION_ERROR');
}

/** Parses the query string of a signed request into first values. */
export function queryOf(search: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(search)) if (!(name in out)) out[name] = value;
  return out;
}

/**
 * Parses a signed request's body as the operation's input.
 * @throws LedgerError 400 INVALID_JSON when it is not a JSON object
 */
export function bodyOf(text: string): Record<string, unknown> {
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid('body', 'request body is not valid JSON', 'INVALID_JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalid('body', 'request body must be a JSON object', 'INVALID_JSON');
  }
  return parsed as Record<string, unknown>;
}
