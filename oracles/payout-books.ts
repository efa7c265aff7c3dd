/**
 * Executed payouts in the books (链上→链下 leg of the decision in oracles/README.md): when the
 * rail has paid, the custodian bank debits the supervised account it physically holds the money
 * in — the instruction's `source` — with `ref = instructionId` and `origin: 'chain'`. The chain's
 * payout-pending account is an earmark that exists only on chain, so it has no book account.
 */
import { LedgerError } from '../chaincode/lib/errors';
import type { Identity, LedgerClient } from '../gateway/ledger/types';
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
}

export class PayoutBooking {
  private byChain = new Map<string, string>();

  constructor(private readonly books: Books, private readonly ledger: LedgerClient, private readonly oracle: Identity) {}

  async instruction(id: string): Promise<ChainInstruction | undefined> {
    try {
      return JSON.parse(await this.ledger.evaluate(this.oracle, 'Supervision:getInstruction', [id])) as ChainInstruction;
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
   * Debits the instruction's source in the books (idempotent on the instruction id). Undefined
   * when the source is not kept in these books (nothing to write here).
   */
  async post(instructionId: string): Promise<Posting | undefined> {
    const i = await this.instruction(instructionId);
    if (!i) return undefined;
    const acct = await this.bookAccountFor(i.source);
    if (!acct) return undefined;
    return this.books.withdraw({ ref: i.id, account: acct.id, amount: i.amount, counterparty: `${i.payee} ${i.payeeRef}`.slice(0, 128), origin: 'chain' });
  }
}
