/**
 * Chain-originated movements (链上→链下, outside supervision payouts): money the chain moved on
 * a mirrored account between two chain accounts — `Money:transfer`, a prepaid purchase into
 * escrow, a bill settlement, a supervision payout settling into a mirrored payee, … The bank
 * executes what the chain decided: the oracle books each one with `origin: 'chain'` (never
 * re-mirrored), idempotent on a key derived from the movement, the same key reconciliation uses.
 *
 * Key: `cm-` + SM3(txId | kind | from | to | n) (n = the how-manieth identical move of that tx),
 * so the `<kind>_out` entry on `from` and the `<kind>_in` entry on `to` name the same movement.
 * The book posting is a transfer with that ref: its `:dr` line is the `from` side, `:cr` the `to`
 * side. Between a mirrored and an unmirrored chain account the other leg is the books' clearing
 * account `chain-clearing` (created on first use, never mirrored; it may go negative).
 *
 * Exception: a supervision payout whose source and payee are both mirrored in these books is an
 * internal payout — the payout executor already booked it as one transfer source → payee keyed
 * by the instruction id (oracles/payout-books.ts) — so the payee's `sv_payout_in` is not booked
 * here again (`internalPayout`).
 */
import { signCall } from '../ledger/intents';
import { sm3 } from '../chaincode/lib/gm/hash';
import { LedgerError } from '../chaincode/lib/errors';
import type { MemberKey, LedgerClient, LedgerEvent } from '../ledger/types';
import { CLEARING_ACCOUNT } from './books/rules';
import type { BookAccount, Books, Posting } from './books/types';
import { ChainInstruction, internalRef } from './payout-books';

export { CLEARING_ACCOUNT };

export interface HistoryItem {
  seq: number;
  txId: string;
  kind: string;
  amount: string; // signed fen
  balance: string;
  counterparty?: string;
  ref?: string;
  time: string;
}

/** Kinds reconciliation reads otherwise: mirrored deposits/withdrawals, supervision releases and returns. */
export const RELEASE = /^sv_(release|wages|refund|arrears|deposit)_out$/;
const handledElsewhere = (kind: string): boolean =>
  kind === 'deposit' || kind === 'withdrawal' || RELEASE.test(kind) || kind === 'sv_return_in';

export interface ChainMove {
  item: HistoryItem;
  key: string; // the posting ref; the line on this account is `${key}:dr` (out) or `${key}:cr` (in)
  side: 'out' | 'in';
  from: string;
  to: string;
  amount: string; // fen, positive
}

/**
 * The chain movements among one account's history items (in seq order, starting at a
 * transaction boundary) that the oracle books. Deterministic: both accounts of a movement derive
 * the same key.
 */
export function chainMoves(items: HistoryItem[], chainAccount: string): ChainMove[] {
  const out: ChainMove[] = [];
  const seen = new Map<string, number>();
  for (const h of items) {
    const m = /^(.+)_(out|in)$/.exec(h.kind);
    if (!m || !h.counterparty || handledElsewhere(h.kind)) continue;
    const side = m[2] as 'out' | 'in';
    const [from, to] = side === 'out' ? [chainAccount, h.counterparty] : [h.counterparty, chainAccount];
    const id = `${h.txId}|${m[1]}|${from}|${to}`;
    const n = seen.get(id) ?? 0;
    seen.set(id, n + 1);
    const amount = BigInt(h.amount);
    out.push({
      item: h,
      key: `cm-${sm3(`${id}|${n}`).slice(0, 48)}`,
      side,
      from,
      to,
      amount: String(amount < 0n ? -amount : amount),
    });
  }
  return out;
}

/** A supervision payout settling into its payee (ref = instructionId). */
export const PAYOUT_IN = 'sv_payout_in';

/** One instruction as the chain has it; undefined when there is none or this identity may not read it. */
export async function readInstruction(
  ledger: LedgerClient,
  reader: MemberKey,
  id: string,
): Promise<ChainInstruction | undefined> {
  try {
    return JSON.parse(
      await ledger.evaluate(signCall(reader, { fn: 'Supervision:getInstruction', args: [id] })),
    ) as ChainInstruction;
  } catch (err) {
    if (err instanceof LedgerError && (err.status === 404 || err.status === 403)) return undefined;
    throw err;
  }
}

/**
 * The instruction behind a payee's `sv_payout_in` when it is an internal payout of these books:
 * confirmed with railRef `books:<id>` (the executor paid it by a book transfer, ref = id, whose
 * `:cr` line is this movement's off-chain side) and its source mirrored here (`mirrored`).
 */
export async function internalPayout(
  h: HistoryItem,
  chainAccount: string,
  mirrored: (chainAccount: string) => boolean,
  get: (id: string) => Promise<ChainInstruction | undefined>,
): Promise<ChainInstruction | undefined> {
  if (h.kind !== PAYOUT_IN || !h.ref) return undefined;
  const i = await get(h.ref);
  return i &&
    i.payee === chainAccount &&
    i.source !== chainAccount &&
    i.status === 'settled' &&
    i.railRef === internalRef(i.id) &&
    mirrored(i.source)
    ? i
    : undefined;
}

/** The book line key reconciliation expects on this account for a movement. */
export const lineKey = (m: ChainMove): string => `${m.key}:${m.side === 'out' ? 'dr' : 'cr'}`;

interface HistoryPage {
  items: HistoryItem[];
  nextAfterSeq?: number;
}

/**
 * Books chain movements of mirrored accounts, per account after a checkpoint (meta
 * `chain-moves/<chainAccount>` = last history seq handled). Driven by the payout executor's
 * event follower: each committed transaction names the accounts it touched.
 */
export class ChainMoveBooking {
  private readonly lanes = new Map<string, Promise<void>>();

  constructor(
    private readonly books: Books,
    private readonly ledger: LedgerClient,
    private readonly oracle: MemberKey,
  ) {}

  /** Mirrored chain account → book account (read fresh: few accounts, and mirrors may be opened any time). */
  private async mirroredMap(): Promise<Map<string, BookAccount>> {
    const map = new Map<string, BookAccount>();
    for await (const a of this.books.accounts()) if (a.chainAccount) map.set(a.chainAccount, a);
    return map;
  }

  /** The chain accounts a committed transaction touched; undefined = unknown (an event without `accounts`). */
  static accountsOf(ev: LedgerEvent): string[] | undefined {
    const all = new Set<string>();
    for (const e of ev.envelope.events as Array<{ accounts?: unknown }>) {
      if (!Array.isArray(e.accounts)) return undefined;
      for (const a of e.accounts) if (typeof a === 'string') all.add(a);
    }
    return [...all];
  }

  /** Books what the chain moved on these chain accounts (all mirrored ones when undefined). */
  async sync(chainAccounts?: string[]): Promise<Posting[]> {
    const map = await this.mirroredMap();
    const todo = (chainAccounts ?? [...map.keys()]).filter((a) => map.has(a));
    const done: Posting[][] = await Promise.all(todo.map((a) => this.serial(a, () => this.syncAccount(a, map))));
    return done.flat();
  }

  /** One pass per account at a time, so its checkpoint only moves forward. */
  private serial<T>(account: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.lanes.get(account) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.lanes.set(account, tail);
    void tail.then(() => this.lanes.get(account) === tail && this.lanes.delete(account));
    return run;
  }

  private async syncAccount(chainAccount: string, map: Map<string, BookAccount>): Promise<Posting[]> {
    const cpKey = `chain-moves/${chainAccount}`;
    const cp = (await this.books.getMeta<{ seq: number }>(cpKey))?.seq ?? 0;
    const items: HistoryItem[] = [];
    for (let after = cp; ;) {
      let page: HistoryPage;
      try {
        page = JSON.parse(
          await this.ledger.evaluate(
            signCall(this.oracle, { fn: 'Money:history', args: [chainAccount, String(after), '500'] }),
          ),
        ) as HistoryPage;
      } catch (err) {
        if (err instanceof LedgerError && (err.code === 'ACCOUNT_NOT_FOUND' || err.status === 403)) return [];
        throw err;
      }
      items.push(...page.items);
      if (!page.nextAfterSeq || !page.items.length) break;
      after = page.nextAfterSeq;
    }
    if (!items.length) return [];
    const posted: Posting[] = [];
    const get = (id: string) => readInstruction(this.ledger, this.oracle, id);
    for (const m of chainMoves(items, chainAccount)) {
      if (await internalPayout(m.item, chainAccount, (a) => map.has(a), get)) continue; // booked by the payout executor
      posted.push(await this.book(m, map));
    }
    await this.books.putMeta(cpKey, { seq: items[items.length - 1].seq, at: new Date().toISOString() });
    return posted;
  }

  private async clearing(): Promise<string> {
    if (!(await this.books.getAccount(CLEARING_ACCOUNT))) {
      await this.books
        .openAccount({ id: CLEARING_ACCOUNT, system: 'bank', holder: 'chain clearing 链上清算' })
        .catch(async (err) => {
          if (!(await this.books.getAccount(CLEARING_ACCOUNT))) throw err; // opened concurrently is fine
        });
    }
    return CLEARING_ACCOUNT;
  }

  /** One transfer per movement: mirrored ↔ mirrored, or mirrored ↔ clearing. Idempotent on the key. */
  private async book(m: ChainMove, map: Map<string, BookAccount>): Promise<Posting> {
    const from = map.get(m.from)?.id ?? (await this.clearing());
    const to = map.get(m.to)?.id ?? (await this.clearing());
    return this.books.transfer({ ref: m.key, from, to, amount: m.amount, origin: 'chain' });
  }
}
