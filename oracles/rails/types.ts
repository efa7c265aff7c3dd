/**
 * Payment rails the payout executor drives: a bank transfer, an e-CNY wallet transfer and a
 * hardware-wallet top-up. Every call carries the payout instruction id as its idempotency key:
 * a rail that sees the key again answers with its first outcome and moves no money.
 */
import { LedgerError } from '../../chaincode/lib/errors';

export type RailName = 'bank' | 'ecny' | 'hw_wallet';

export interface RailPayment {
  idempotencyKey: string; // the instruction id
  payee: string; // on-chain payee account
  payeeRef: string; // the payee's account at the rail (offChainRef on chain)
  amount: string; // fen
  memo?: string;
}

export interface RailReceipt {
  railRef: string;
  settledAt: string;
}

export interface RailAdapter {
  readonly name: RailName;
  pay(p: RailPayment): Promise<RailReceipt>;
  /** The outcome recorded for a key, if the rail executed it (used after a timeout). */
  lookup(idempotencyKey: string): Promise<RailReceipt | undefined>;
}

/** The rail refused for good (limit, unknown payee): the payout fails on chain with this reason. */
export const railRejected = (code: string, detail: string): LedgerError => new LedgerError(code, detail, 'payee', 422);
/** No answer in time: the payment may or may not have happened; retry with the same key. */
export const railTimeout = (rail: string): LedgerError =>
  new LedgerError('RAIL_TIMEOUT', `${rail} rail did not answer in time`, undefined, 503);

export const isRejection = (e: unknown): e is LedgerError => e instanceof LedgerError && e.status === 422;
