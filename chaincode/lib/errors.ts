/**
 * One error type for every layer. Chaincode throws it; on Fabric only the message crosses
 * the wire, so the message is the JSON of {code, message, field, status} and `fromWire` restores it.
 * Above the chaincode the ledger adapters and the gateway throw it too (5xx for their own faults),
 * and the gateway maps it to `{code, message, field}` with its status.
 */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 501 | 502 | 503 | 504;

export class LedgerError extends Error {
  constructor(
    readonly code: string,
    readonly detail: string,
    readonly field?: string,
    readonly status: ErrorStatus = 400,
    /** Seconds a client should wait before retrying (sent as Retry-After). */
    readonly retryAfterSec?: number,
  ) {
    super(JSON.stringify({ code, message: detail, field, status }));
    this.name = 'LedgerError';
  }

  toJSON(): { code: string; message: string; field?: string } {
    return { code: this.code, message: this.detail, ...(this.field ? { field: this.field } : {}) };
  }

  /** Restores a LedgerError from any text that carries one (Fabric wraps chaincode messages). */
  static fromWire(text: string): LedgerError | undefined {
    const start = text.indexOf('{"code":');
    if (start < 0) return undefined;
    const end = text.lastIndexOf('}');
    try {
      const o = JSON.parse(text.slice(start, end + 1)) as {
        code: string;
        message: string;
        field?: string;
        status?: ErrorStatus;
      };
      return new LedgerError(o.code, o.message, o.field, o.status ?? 400);
    } catch {
      return undefined;
    }
  }
}

export const invalid = (field: string, detail: string, code = 'INVALID_ARGUMENT'): LedgerError =>
  new LedgerError(code, detail, field, 400);
export const notFound = (field: string, detail: string, code = 'NOT_FOUND'): LedgerError =>
  new LedgerError(code, detail, field, 404);
export const forbidden = (detail: string, code = 'FORBIDDEN', field?: string): LedgerError =>
  new LedgerError(code, detail, field, 403);
export const conflict = (detail: string, code = 'CONFLICT', field?: string): LedgerError =>
  new LedgerError(code, detail, field, 409);
export const rejected = (detail: string, code: string, field?: string): LedgerError =>
  new LedgerError(code, detail, field, 422);
