/**
 * The two sides of reconciliation as sorted streams. Books: journal lines of mirrored accounts
 * by (account, offTxId). Chain: per mirrored account (in book-account order) its mirrored
 * deposits and withdrawals from `Money:history`, sorted by offTxId — one account in memory at a
 * time. Balances ride along: the chain side notes each account's balance as it passes.
 */
import { signCall } from '../../ledger/intents';
import type { MemberKey, LedgerClient } from '../../ledger/types';
import type { BookAccount, Books, MovementFilter } from '../books/types';
import { chainEntries, HistoryItem, InstructionIndex } from './instructions';
import type { ReconBalance, ReconEntry } from './merge';

const signed = (direction: string, amount: string): bigint => (direction === 'credit' ? 1n : -1n) * BigInt(amount);

export async function* bookEntries(books: Books, f: MovementFilter): AsyncIterable<ReconEntry> {
  // The window is applied after the merge (so both sides are cut alike); read all lines here.
  for await (const m of books.movementsByAccount({ account: f.account }, true))
    yield { account: m.account, offTxId: m.offTxId, amount: signed(m.direction, m.amount), time: m.time };
}

export async function* mirroredAccounts(books: Books, account?: string): AsyncIterable<BookAccount> {
  for await (const a of books.accounts({ account })) if (a.chainAccount) yield a;
}

interface HistoryPage {
  items: HistoryItem[];
  nextAfterSeq?: number;
}

export class ChainSide {
  /** Chain balances seen so far, taken by `balances()` as the merge reaches each account. */
  private readonly seen = new Map<string, bigint>();
  private readonly instructions: InstructionIndex;
  constructor(
    private readonly ledger: LedgerClient,
    private readonly reader: MemberKey,
    private readonly books: Books,
    private readonly account?: string,
  ) {
    this.instructions = new InstructionIndex(ledger, reader);
  }

  async *entries(): AsyncIterable<ReconEntry> {
    // Every mirrored chain account of these books (not only the filtered one): internal payouts key by it.
    const mirrored = new Set<string>();
    for await (const a of mirroredAccounts(this.books)) mirrored.add(a.chainAccount!);
    for await (const a of mirroredAccounts(this.books, this.account)) {
      const items: HistoryItem[] = [];
      let balance = 0n;
      let after = '0';
      for (;;) {
        let page: HistoryPage;
        try {
          page = JSON.parse(
            await this.ledger.evaluate(
              signCall(this.reader, { fn: 'Money:history', args: [a.chainAccount!, after, '500'] }),
            ),
          ) as HistoryPage;
        } catch (err) {
          if ((err as { code?: string }).code === 'ACCOUNT_NOT_FOUND') break; // every book line shows as missing on chain
          throw err;
        }
        for (const h of page.items) {
          balance = BigInt(h.balance);
          items.push(h);
        }
        if (!page.nextAfterSeq) break;
        after = String(page.nextAfterSeq);
      }
      this.seen.set(a.id, balance);
      const rows: ReconEntry[] = await chainEntries(items, a.id, a.chainAccount!, this.instructions, mirrored);
      rows.sort((x, y) => (x.offTxId < y.offTxId ? -1 : x.offTxId > y.offTxId ? 1 : 0));
      yield* rows;
    }
  }

  async *balances(): AsyncIterable<ReconBalance> {
    for await (const a of mirroredAccounts(this.books, this.account)) {
      const chain = this.seen.get(a.id);
      this.seen.delete(a.id);
      yield { account: a.id, book: BigInt(a.balance), chain };
    }
  }
}
