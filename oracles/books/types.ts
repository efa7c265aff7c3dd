/**
 * The off-chain books: a bank core or the e-CNY operator's wallet system, kept as accounts and
 * a journal of movements. Two backends (LevelDB, PostgreSQL) behind one interface, so the
 * mirror, the rails and reconciliation never know which one runs.
 */

export type BookSystem = 'bank' | 'ecny';
export type Direction = 'debit' | 'credit';

export interface BookAccount {
  id: string;
  system: BookSystem;
  holder: string;
  balance: string; // fen
  /** The on-chain account this one is mirrored to (动账事件 flow to the chain); none = not mirrored. */
  chainAccount?: string;
  /** Deposit color on chain; '' = the chaincode default `dep:<account>`. */
  color?: string;
  /** e-CNY wallet tier (1 strongest KYC … 4 anonymous); the rails enforce its limits. */
  tier?: number;
  opened: string; // ISO time
}

/** One line of the journal. `seq` is the commit order; `offTxId` is unique across the books. */
export interface Movement {
  seq: string; // digit string (bigint on the wire would not JSON-encode)
  account: string;
  direction: Direction;
  amount: string; // fen, positive
  counterparty: string;
  time: string;
  ref: string; // the posting's business reference (idempotency key)
  offTxId: string;
  /** Mirror routing, copied from the account at posting time (outbox rows carry it). */
  chainAccount?: string;
  color?: string;
  /**
   * 'chain': the bank executed what the chain decided — a payout instruction (ref =
   * instructionId) or a chain movement (oracles/chain-moves.ts, ref = `cm-…`). The chain already
   * moved that money, so the mirror never carries these lines; reconciliation matches them by
   * the same key. Absent: the books originated it (mirrored by offTxId).
   */
  origin?: 'chain';
}

export type PostingKind = 'deposit' | 'withdrawal' | 'transfer';

/** A posting: one business event (deposit, withdrawal, transfer) and the movements it wrote. */
export interface Posting {
  ref: string;
  kind: PostingKind;
  from?: string;
  to?: string;
  amount: string;
  counterparty: string;
  time: string;
  origin?: 'chain';
  movements: Movement[];
}

export interface OpenAccount {
  id: string;
  system?: BookSystem;
  holder: string;
  chainAccount?: string;
  color?: string;
  tier?: number;
}

export interface DepositRequest {
  ref: string;
  account: string;
  amount: string | bigint;
  counterparty?: string;
}
export interface WithdrawalRequest {
  ref: string;
  account: string;
  amount: string | bigint;
  counterparty?: string;
  origin?: 'chain';
}
export interface TransferRequest {
  ref: string;
  from: string;
  to: string;
  amount: string | bigint;
  origin?: 'chain';
}

/** Range for reconciliation and reports; `from`/`to` bound movement time (ISO, inclusive/exclusive). */
export interface MovementFilter {
  account?: string;
  from?: string;
  to?: string;
}

export interface Tamper {
  amount?: string;
  drop?: boolean;
  duplicate?: boolean;
  balanceDelta?: string;
  account?: string;
}

export interface Books {
  readonly backend: 'level' | 'pg';
  openAccount(a: OpenAccount): Promise<BookAccount>;
  getAccount(id: string): Promise<BookAccount | undefined>;
  deposit(r: DepositRequest): Promise<Posting>;
  withdraw(r: WithdrawalRequest): Promise<Posting>;
  transfer(r: TransferRequest): Promise<Posting>;
  posting(ref: string): Promise<Posting | undefined>;
  /** Journal lines with seq > afterSeq, in commit order. */
  journal(afterSeq: bigint, limit: number): Promise<Movement[]>;
  /** Movements on mirrored accounts with seq > afterSeq, in commit order (the outbox). */
  outbox(afterSeq: bigint, limit: number): Promise<Movement[]>;
  /** Resolves when a movement may exist past `afterSeq`, or after `timeoutMs`. */
  waitForOutbox(afterSeq: bigint, timeoutMs: number): Promise<void>;
  /** Movements sorted by (account, offTxId), streamed; only mirrored accounts when `mirroredOnly`. */
  movementsByAccount(f: MovementFilter, mirroredOnly?: boolean): AsyncIterable<Movement>;
  /** Accounts sorted by id, streamed. */
  accounts(f?: { account?: string }): AsyncIterable<BookAccount>;
  /** Small durable key-value state for the oracles (checkpoints, cases, payouts). */
  getMeta<T>(key: string): Promise<T | undefined>;
  putMeta(key: string, value: unknown): Promise<void>;
  /** Keys with `prefix`, sorted. */
  listMeta<T>(prefix: string): AsyncIterable<{ key: string; value: T }>;
  /**
   * Test hook for reconciliation: break the books as a faulty core would. `amount` edits a line,
   * `drop` deletes it, `duplicate` posts it twice (each keeping the balance consistent with the
   * journal); `balanceDelta` with `account` shifts only the balance row.
   */
  tamper(offTxId: string, change: Tamper): Promise<void>;
  close(): Promise<void>;
}
