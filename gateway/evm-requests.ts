/**
 * Client side of LEDGER=evm writes: which money-core call a REST write runs, computed from the
 * same operation table the gateway and the chaincode use (chaincode/operations.ts), so the
 * member's EIP-712 request (ledger/evm/member-signer.ts) is exactly the call the gateway submits.
 */
import { bodyOf, matchPath, queryOf } from '../chaincode/core/operation';
import { OPERATIONS } from '../chaincode/operations';
import { EVM_WRITES } from '../ledger/evm/money-core-calls';

/** The request parts the call follows from (as signed: the plain body, the Idempotency-Key). */
export interface WriteRequest {
  method: string;
  url: URL;
  body: string;
  idempotencyKey: string;
}

/**
 * The money-core call of a write the EVM ledger runs, or undefined for reads, other businesses'
 * writes and bodies the gateway will refuse anyway (it answers those itself).
 */
export function evmCallOf(request: WriteRequest): { fn: string; args: string[] } | undefined {
  for (const op of OPERATIONS) {
    if (op.method !== request.method || !EVM_WRITES.includes(op.fn)) continue;
    const params = matchPath(op.path, request.url.pathname);
    if (!params) continue;
    try {
      const input = {
        params,
        query: queryOf(request.url.search),
        body: bodyOf(request.body),
        idempotencyKey: request.idempotencyKey,
      };
      return { fn: op.fn, args: op.args(input) };
    } catch {
      return undefined;
    }
  }
  return undefined;
}
