/**
 * Outbound payouts (链上→链下): follow `PayoutInstructed` events from the chain (checkpointed by
 * block/tx), pay on the named rail with the instruction id as idempotency key, then confirm or
 * fail the instruction on chain. Rails are called through the service's outbound guard
 * (concurrency, timeout, circuit breaker). The checkpoint only passes an event once every
 * instruction in it has reached the chain, so a restart re-drives anything unfinished; the
 * rail's and the chaincode's idempotency make that harmless.
 */
import { signCall } from '../ledger/intents';
import { EventEmitter } from 'node:events';
import { LedgerError } from '../chaincode/lib/errors';
import { Guards } from '../ledger/guard';
import type { MemberKey, LedgerClient, LedgerEvent } from '../ledger/types';
import type { Books } from './books/types';
import { ChainMoveBooking } from './chain-moves';
import { isTransient } from './mirror';
import { internalRef, PayoutBooking } from './payout-books';
import { isRejection, railOf, RailAdapter, RailName, RailReceipt } from './rails';

/** The event fields this executor relies on (chaincode/supervision/README.md). */
export interface PayoutInstruction {
  instructionId: string;
  program?: string;
  account: string; // payout-pending account
  payee: string;
  payeeRef: string;
  amount: string;
  rail: string;
  kind?: string;
}

export interface PayoutRecord {
  instructionId: string;
  status: 'paying' | 'paid' | 'confirmed' | 'failed' | 'stuck' | 'skipped';
  rail: string;
  attempts: number;
  railRef?: string;
  reason?: string;
  at: string;
}

export interface PayoutOptions {
  ledger: LedgerClient;
  oracle: MemberKey;
  books: Books; // durable state: checkpoint and payout records
  rails: Partial<Record<RailName, RailAdapter>>;
  /** Rails are called under the guard `rail:<name>` (timeout, breaker); default: guards of its own. */
  guards?: Guards;
  name?: string;
  concurrency?: number;
  maxAttempts?: number;
  retryBaseMs?: number;
  /** Also book the chain's other movements on mirrored accounts (oracles/chain-moves.ts); default true. */
  chainMoves?: boolean;
}

type Pos = { block: number; txIndex: number };

/** An error for an operator's alert: the code and detail of a LedgerError, else its text. */
const errText = (err: unknown): string =>
  err instanceof LedgerError ? `${err.code} ${err.detail}` : err instanceof Error ? err.message : String(err);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const after = (a: Pos, b: Pos) => a.block > b.block || (a.block === b.block && a.txIndex > b.txIndex);

/** Events: 'confirmed' | 'failed' (record), 'stuck' (record, after maxAttempts), 'alert' (text). */
export class PayoutExecutor extends EventEmitter {
  private readonly o: Required<PayoutOptions>;
  private abort?: AbortController;
  private loop?: Promise<void>;
  private readonly booking: PayoutBooking;
  readonly moves: ChainMoveBooking;

  constructor(opts: PayoutOptions) {
    super();
    this.o = {
      name: 'payouts',
      concurrency: 16,
      maxAttempts: 6,
      retryBaseMs: 50,
      chainMoves: true,
      guards: new Guards(),
      ...opts,
    };
    this.booking = new PayoutBooking(this.o.books, this.o.ledger, this.o.oracle);
    this.moves = new ChainMoveBooking(this.o.books, this.o.ledger, this.o.oracle);
  }

  private get key(): string {
    return `checkpoint/${this.o.name}`;
  }

  async checkpoint(): Promise<Pos | undefined> {
    return this.o.books.getMeta<Pos>(this.key);
  }

  record(id: string): Promise<PayoutRecord | undefined> {
    return this.o.books.getMeta<PayoutRecord>(`payout/${id}`);
  }

  private async save(r: Omit<PayoutRecord, 'at'>): Promise<PayoutRecord> {
    const rec = { ...r, at: new Date().toISOString() };
    await this.o.books.putMeta(`payout/${r.instructionId}`, rec);
    return rec;
  }

  start(): void {
    if (this.loop) return;
    this.abort = new AbortController();
    const signal = this.abort.signal;
    this.loop = this.follow(signal).catch((err) => {
      if (!signal.aborted) this.emit('alert', `payout follower stopped: ${err}`);
    });
  }

  async stop(): Promise<void> {
    this.abort?.abort();
    await this.loop;
    this.loop = undefined;
  }

  /** Reads events past the checkpoint; up to `concurrency` events in progress, checkpointing in order. */
  private async follow(signal: AbortSignal): Promise<void> {
    const cp = await this.checkpoint();
    const queue: Array<{ pos: Pos; done: boolean }> = [];
    let running = 0;
    let wake: () => void = () => undefined;
    const advance = async () => {
      let last: Pos | undefined;
      while (queue.length && queue[0].done) last = queue.shift()!.pos;
      if (last && !signal.aborted) await this.o.books.putMeta(this.key, last);
    };
    let chain = Promise.resolve(); // checkpoint writes in order
    for await (const ev of this.o.ledger.events(cp?.block ?? 0, signal)) {
      const pos = { block: ev.blockNumber, txIndex: ev.txIndex };
      if (cp && !after(pos, cp)) continue;
      const work = this.instructionsOf(ev);
      // The chain accounts this transaction touched (undefined: unknown, look at all mirrored ones).
      const touched = this.o.chainMoves ? ChainMoveBooking.accountsOf(ev) : [];
      if (!work.length && touched?.length === 0) {
        queue.push({ pos, done: true });
        chain = chain.then(advance);
        continue;
      }
      while (running >= this.o.concurrency) await new Promise<void>((r) => (wake = r));
      const slot = { pos, done: false };
      queue.push(slot);
      running++;
      void Promise.all([...work.map((i) => this.drive(i, signal)), this.bookMoves(touched, signal)]).then(() => {
        running--;
        slot.done = !signal.aborted;
        chain = chain.then(advance);
        wake();
      });
    }
    await chain;
  }

  /**
   * `handle` until it returns: a failed read of the chain or the books (the ledger busy, the
   * books unreachable) retries with backoff instead of rejecting unhandled and holding the
   * checkpoint forever; the payout records make a retry pay nothing twice.
   */
  private async drive(i: PayoutInstruction, signal: AbortSignal): Promise<void> {
    for (let n = 0; !signal.aborted; n++) {
      try {
        await this.handle(i, signal);
        return;
      } catch (err) {
        this.emit('alert', `payout ${i.instructionId}: ${errText(err)}; retrying`);
        await sleep(this.o.retryBaseMs * 2 ** Math.min(n, 6));
      }
    }
  }

  /**
   * Books what the chain moved on the touched mirrored accounts (idempotent per movement). Read
   * failures retry with backoff; after a few, or when the books refuse a line for good, alert and
   * let the checkpoint pass: the account's own checkpoint (`chain-moves/<account>`) stays, so the
   * next transaction on it tries again, and reconciliation shows what is missing meanwhile.
   */
  private async bookMoves(accounts: string[] | undefined, signal: AbortSignal): Promise<void> {
    if (accounts?.length === 0) return;
    for (let n = 0; !signal.aborted; n++) {
      try {
        await this.moves.sync(accounts);
        return;
      } catch (err) {
        const text = err instanceof LedgerError ? `${err.code} ${err.detail}` : String(err);
        if (!isTransient(err) || n >= 10) {
          this.emit(
            'alert',
            `chain movements on ${accounts?.join(', ') ?? 'the mirrored accounts'} not booked: ${text}`,
          );
          return;
        }
        await sleep(this.o.retryBaseMs * 2 ** Math.min(n, 6));
      }
    }
  }

  private instructionsOf(ev: LedgerEvent): PayoutInstruction[] {
    return ev.envelope.events.filter((e) => e.type === 'PayoutInstructed') as unknown as PayoutInstruction[];
  }

  /** Pays one instruction and reports the outcome on chain. Never throws. */
  async handle(i: PayoutInstruction, signal?: AbortSignal): Promise<PayoutRecord | undefined> {
    const prev = await this.record(i.instructionId);
    if (prev && ['confirmed', 'failed', 'skipped'].includes(prev.status)) return prev;
    if (!(await this.ours(i)))
      return this.save({
        instructionId: i.instructionId,
        status: 'skipped',
        rail: i.rail,
        attempts: 0,
        reason: 'another bank keeps this payout account',
      });
    // A payee mirrored in these books is paid in the books (unless a rail already paid this one).
    const railPaid = !!prev?.railRef && prev.railRef !== internalRef(i.instructionId);
    if (!railPaid && (await this.booking.internal(i.instructionId))) return this.payInBooks(i, prev);
    const rail = railOf(this.o.rails, i.rail);
    if (!rail) return this.finish(i, 'failed', `NO_RAIL: no adapter for rail ${i.rail}`, 0);
    const paid = await this.payOnRail(i, rail, prev, signal);
    if (!paid || !('receipt' in paid)) return paid;
    await this.save({
      instructionId: i.instructionId,
      status: 'paid',
      rail: rail.name,
      attempts: paid.attempts,
      railRef: paid.receipt.railRef,
    });
    await this.bookDebit(i);
    return this.finish(i, 'confirmed', paid.receipt.railRef, paid.attempts);
  }

  /**
   * Pays on the rail with the instruction id as idempotency key until it pays (the receipt), the
   * rail refuses (failed) or the attempts run out (stuck); undefined when stopped.
   */
  private async payOnRail(
    i: PayoutInstruction,
    rail: RailAdapter,
    prev: PayoutRecord | undefined,
    signal?: AbortSignal,
  ): Promise<{ receipt: RailReceipt; attempts: number } | PayoutRecord | undefined> {
    let attempts = prev?.attempts ?? 0;
    if (prev?.railRef) return { receipt: { railRef: prev.railRef, settledAt: prev.at }, attempts };
    for (;;) {
      if (signal?.aborted) return undefined;
      attempts++;
      await this.save({ instructionId: i.instructionId, status: 'paying', rail: rail.name, attempts });
      try {
        const receipt = await this.o.guards.run(`rail:${rail.name}`, () =>
          rail.pay({
            idempotencyKey: i.instructionId,
            payee: i.payee,
            payeeRef: i.payeeRef,
            amount: i.amount,
            memo: i.kind,
          }),
        );
        return { receipt, attempts };
      } catch (err) {
        if (isRejection(err)) return this.finish(i, 'failed', `${err.code}: ${err.detail}`, attempts);
        // Timed out or breaker open: the rail may have paid; ask before paying again.
        const receipt = await rail.lookup(i.instructionId).catch(() => undefined);
        if (receipt) return { receipt, attempts };
        if (attempts >= this.o.maxAttempts) return this.stuck(i, rail.name, attempts, errText(err));
        await sleep(this.o.retryBaseMs * 2 ** Math.min(attempts, 6));
      }
    }
  }

  private async stuck(i: PayoutInstruction, rail: string, attempts: number, reason: string): Promise<PayoutRecord> {
    const rec = await this.save({ instructionId: i.instructionId, status: 'stuck', rail, attempts, reason });
    this.emit('stuck', rec);
    return rec;
  }

  /**
   * The payee holds a mirrored account at this bank: the payment is one internal book transfer
   * source → payee (no rail), then confirm with railRef `books:<instructionId>`. A replay finds
   * the posting by its ref. A transient books error throws (`drive` retries; nothing moved); a
   * refusal for good fails the payout (the money returns to the source on chain).
   */
  private async payInBooks(i: PayoutInstruction, prev?: PayoutRecord): Promise<PayoutRecord> {
    const attempts = (prev?.attempts ?? 0) + 1;
    await this.save({ instructionId: i.instructionId, status: 'paying', rail: i.rail, attempts });
    try {
      if (!(await this.booking.post(i.instructionId)))
        throw new Error(`instruction ${i.instructionId} is no longer readable`);
    } catch (err) {
      if (isTransient(err)) throw err;
      const e = err as LedgerError;
      return this.finish(i, 'failed', `BOOKS_REFUSED: ${e.code} ${e.detail}`, attempts);
    }
    const railRef = internalRef(i.instructionId);
    await this.save({ instructionId: i.instructionId, status: 'paid', rail: i.rail, attempts, railRef });
    return this.finish(i, 'confirmed', railRef, attempts);
  }

  /**
   * The money left the bank: debit the source account in the books before confirming on chain
   * (a replay after a crash posts nothing new). If the books refuse, confirm anyway — the rail
   * did pay — and alert; reconciliation shows the missing book line as a break.
   */
  private async bookDebit(i: PayoutInstruction): Promise<void> {
    for (let n = 0; ; n++) {
      try {
        await this.booking.post(i.instructionId);
        return;
      } catch (err) {
        if (isTransient(err) && n < 10) {
          await sleep(this.o.retryBaseMs * 2 ** Math.min(n, 6));
          continue;
        }
        this.emit('alert', `payout ${i.instructionId}: paid on the rail but not booked: ${errText(err)}`);
        return;
      }
    }
  }

  /** Only the payout account's own bank may pay it out (the chain re-checks this). */
  private async ours(i: PayoutInstruction): Promise<boolean> {
    try {
      const acct = JSON.parse(
        await this.o.ledger.evaluate(signCall(this.o.oracle, { fn: 'Money:getAccount', args: [i.account] })),
      ) as {
        bank: string;
      };
      return acct.bank === this.o.oracle.mspId;
    } catch (err) {
      if (err instanceof LedgerError && (err.status === 403 || err.status === 404)) return false;
      throw err;
    }
  }

  private async finish(
    i: PayoutInstruction,
    outcome: 'confirmed' | 'failed',
    detail: string,
    attempts: number,
  ): Promise<PayoutRecord> {
    const fn = outcome === 'confirmed' ? 'Supervision:confirmPayout' : 'Supervision:failPayout';
    for (let n = 0; ; n++) {
      try {
        await this.o.ledger.submit(
          signCall(this.o.oracle, {
            fn: fn,
            args: [i.instructionId, detail.slice(0, outcome === 'confirmed' ? 128 : 512)],
          }),
        );
        break;
      } catch (err) {
        if (isTransient(err) && n < 20) {
          await sleep(this.o.retryBaseMs * 2 ** Math.min(n, 6));
          continue;
        }
        // e.g. INSTRUCTION_FINAL: finished otherwise on chain. Money may have moved: operators decide.
        const reason = `the chain refused ${fn}: ${err instanceof LedgerError ? err.code : String(err)}`;
        const rec = await this.save({
          instructionId: i.instructionId,
          status: 'stuck',
          rail: i.rail,
          attempts,
          reason,
          ...(outcome === 'confirmed' ? { railRef: detail } : {}),
        });
        this.emit('alert', `payout ${i.instructionId}: ${reason}`);
        this.emit('stuck', rec);
        return rec;
      }
    }
    const rec = await this.save({
      instructionId: i.instructionId,
      status: outcome,
      rail: i.rail,
      attempts,
      ...(outcome === 'confirmed' ? { railRef: detail } : { reason: detail }),
    });
    this.emit(outcome, rec);
    return rec;
  }
}
