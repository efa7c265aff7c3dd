/**
 * The one error type of the platform (see chaincode/lib/errors.ts): a stable UPPER_SNAKE code,
 * a message for people, the field at fault and the HTTP status. Adapters turn every engine
 * failure into one; the gateway maps it to its response and never inspects anything else.
 */
import { LedgerError } from '../chaincode/lib/errors';

export { conflict, ErrorStatus, forbidden, invalid, LedgerError, notFound, rejected } from '../chaincode/lib/errors';

/** 401: the caller could not be authenticated (missing header, unknown key, bad signature, ...). */
export const unauthenticated = (code: string, detail: string, field?: string): LedgerError =>
  new LedgerError(code, detail, field, 401);

/** 503 with Retry-After: the platform or a downstream cannot take the call now. */
export const unavailable = (code: string, detail: string, retryAfterSec = 1): LedgerError =>
  new LedgerError(code, detail, undefined, 503, retryAfterSec);

/** A business-rule rejection (4xx): the downstream worked, the request was wrong. */
export const isBusinessError = (err: unknown): boolean => err instanceof LedgerError && err.status < 500;
