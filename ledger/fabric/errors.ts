/**
 * What a Fabric failure means for the caller: the chaincode's own LedgerError (restored from the
 * peer's message, as on embedded), a conflict worth executing again (MVCC, phantom reads, peers
 * that endorsed different states), a network that is warming up or has lost a node (retry
 * briefly, then 503), or a fault of its own.
 */
import { status as GrpcStatus } from '@grpc/grpc-js';
import { LedgerError } from '../errors';

export type Failure =
  | { kind: 'chaincode'; error: LedgerError }
  | { kind: 'conflict'; reason: string }
  | { kind: 'unavailable'; reason: string };

interface GatewayLikeError extends Error {
  code?: number;
  details?: { address?: string; mspId?: string; message?: string }[];
}

/** The error's message plus each peer's detail. */
export function failureText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const details = (err as GatewayLikeError).details ?? [];
  const detail = details.map((d) => `${d.mspId ?? d.address ?? '?'}: ${d.message ?? ''}`).join('; ');
  return detail ? `${err.message} (${detail})` : err.message;
}

/** The chaincode's error carried by a peer's answer, when there is one. */
function chaincodeError(err: GatewayLikeError): LedgerError | undefined {
  for (const d of err.details ?? []) {
    const found = d.message ? LedgerError.fromWire(d.message) : undefined;
    if (found) return found;
  }
  return LedgerError.fromWire(err.message);
}

const CONFLICT = /MVCC_READ_CONFLICT|PHANTOM_READ_CONFLICT|ProposalResponsePayloads do not match/i;
const WARMING =
  /no combination of peers|failed to select a set of endorsers|no peers available|no Raft leader|SERVICE_UNAVAILABLE|not yet|failed to collect enough transaction endorsements|connection refused|failed to connect/i;
const TRANSIENT_GRPC = new Set<number>([GrpcStatus.UNAVAILABLE, GrpcStatus.DEADLINE_EXCEEDED, GrpcStatus.CANCELLED]);

/**
 * Classifies a fabric-gateway error (EndorseError, SubmitError, CommitStatusError, a gRPC error).
 * A LedgerError passes through as the chaincode's.
 */
export function classify(err: unknown): Failure {
  if (err instanceof LedgerError) return { kind: 'chaincode', error: err };
  const e = (err instanceof Error ? err : new Error(String(err))) as GatewayLikeError;
  const text = failureText(e);
  const own = chaincodeError(e);
  if (own) return { kind: 'chaincode', error: own };
  if (CONFLICT.test(text)) return { kind: 'conflict', reason: text };
  // Warming up (gossip, Raft election), a node down, or anything else of Fabric's own: retry briefly.
  const known = WARMING.test(text) || (e.code !== undefined && TRANSIENT_GRPC.has(e.code));
  return { kind: 'unavailable', reason: known ? text : `unexpected: ${text}` };
}

/** 503 LEDGER_UNAVAILABLE naming what Fabric said. */
export const ledgerUnavailable = (reason: string): LedgerError =>
  new LedgerError('LEDGER_UNAVAILABLE', `the Fabric network cannot take this now: ${reason}`, undefined, 503, 2);

/** Full jitter: a random wait up to base·2^attempt, capped. */
export const backoffMs = (attempt: number, baseMs = 25, capMs = 1000): number =>
  Math.random() * Math.min(capMs, baseMs * 2 ** attempt);

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
