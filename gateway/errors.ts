/**
 * Gateway-side errors: same wire shape as LedgerError ({code, message, field}) but any HTTP
 * status (504 for timeouts) and optional Retry-After.
 */
import { LedgerError } from '../chaincode/lib/errors';

export class GatewayError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly field?: string,
    readonly retryAfterSec?: number,
  ) {
    super(detail);
    this.name = 'GatewayError';
  }
}

export interface ErrorBody {
  code: string;
  message: string;
  field?: string;
}

export const isLedgerError = (e: unknown): e is LedgerError =>
  e instanceof LedgerError ||
  (!!e && (e as Error).name === 'LedgerError' && typeof (e as LedgerError).code === 'string');

/** A business-rule rejection from the chain (4xx): the downstream worked, the request was wrong. */
export const isBusinessError = (e: unknown): boolean =>
  (isLedgerError(e) && e.status < 500) || (e instanceof GatewayError && e.status < 500);

export const unauthenticated = (code: string, detail: string, field?: string) =>
  new GatewayError(401, code, detail, field);
