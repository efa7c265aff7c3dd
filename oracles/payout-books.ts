/**
 * Executed payouts in the books (链上→链下 leg of the decision in oracles/README.md): when the
 * rail has paid, the custodian bank debits the supervised account it physically holds the money
 * in — the instruction's `source` — with `ref = instructionId` and `origin: 'chain'`. The chain's
 * payout-pending account is an earmark that exists only on chain, so it has no book account.
 * When the payee's chain account is mirrored in the same books, the bank pays it by one internal
 * transfer source → payee (`ref = instructionId`, lines `<id>:dr` / `<id>:cr`) instead of a
 * withdrawal, confirmed on chain with railRef `books:<id>`; chain-moves then leaves that payee's
 * `sv_payout_in` alone and reconciliation keys both sides by the transfer's lines.
 */
import { signCall } from '../ledger/intents';
import { LedgerError } from '../chaincode/lib/errors';
import type { MemberKey, LedgerClient } from '../ledger/types';
import type { BookAccount, Books, Posting } from './books/types';

/** What the chain says about one instruction (Supervision:getInstruction). */
export interface ChainInstruction {
  id: string;
  program: string;
  kind: string;
  ref: string;
  account: string;
  source: string;
  payee: string;
  payeeRef: string;
  amount: string;
  status: 'instructed' | 'settled' | 'failed';
  railRef?: string;
  reason?: string;
}

/**
 * The railRef an internal payout is confirmed with: the chain then records, for good, that this
 * instruction was paid by a book transfer (chain-moves and reconciliation key it by that).
 */
export const internalRef = (instructionId: string): string => `books:${instructionId}`;

/** Whether reconciliation should expect the instruction as an internal transfer (`<id>:dr` on the source). */
export function paidInBooks(i: ChainInstruction, mirrored: (chainAccount: string) => boolean): boolean {
  if (i.status === 'settled') return i.railRef === internalRef(i.id);
  return i.status === 'instructed' && i.payee !== i.source && mirrored(i.payee); // what the executor will do
}

export class PayoutBooking {
  private byChain = new Map<string, string>();

  constructor(
    private readonly books: Books,
    private readonly ledger: LedgerClient,
    private readonly oracle: MemberKey,
  ) {}

  async instruction(id: string): Promise<ChainInstruction | undefined> {
    try {
      return JSON.parse(
        await this.ledger.evaluate(signCall(this.oracle, { fn: 'Supervision:getInstruction', args: [id] })),
      ) as ChainInstruction;
    } catch (err) {
      if (err instanceof LedgerError && err.status === 404) return undefined;
      throw err;
    }
  }

  /** The book account mirrored to `chainAccount`, if these books keep it (mirrors are rarely re-pointed). */
  async bookAccountFor(chainAccount: string): Promise<BookAccount | undefined> {
    const known = this.byChain.get(chainAccount);
    if (known) return this.books.getAccount(known);
    for await (const a of this.books.accounts()) if (a.chainAccount) this.byChain.set(a.chainAccount, a.id);
    const id = this.byChain.get(chainAccount);
    return id ? this.books.getAccount(id) : undefined;
  }

  /**
   * How the books carry the instruction: its source's book account and, when the payee is
   * mirrored in these books too, the payee's (an internal payout). Undefined when the source is
   * not kept here.
   */
  async plan(instructionId: string): Promise<{ i: ChainInstruction; from: BookAccount; to?: BookAccount } | undefined> {
    const i = await this.instruction(instructionId);
    if (!i) return undefined;
    const from = await this.bookAccountFor(i.source);
    if (!from) return undefined;
    const to = await this.bookAccountFor(i.payee);
    return { i, from, ...(to && to.id !== from.id ? { to } : {}) };
  }

  /** True when the payee holds a mirrored account in these books: the bank pays by one book transfer. */
  async internal(instructionId: string): Promise<boolean> {
    return !!(await this.plan(instructionId))?.to;
  }

  /**
   * Debits the instruction's source in the books (idempotent on the instruction id): a withdrawal,
   * or a transfer to the payee's book account when the payee is mirrored here. Undefined when the
   * source is not kept in these books (nothing to write here).
   */
  async post(instructionId: string): Promise<Posting | undefined> {
    const plan = await this.plan(instructionId);
    if (!plan) return undefined;
    const { i, from, to } = plan;
    if (to) return this.books.transfer({ ref: i.id, from: from.id, to: to.id, amount: i.amount, origin: 'chain' });
    return this.books.withdraw({
      ref: i.id,
      account: from.id,
      amount: i.amount,
      counterparty: `${i.payee} ${i.payeeRef}`.slice(0, 128),
      origin: 'chain',
    });
  }
}
