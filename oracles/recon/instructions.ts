/**
 * The chain side of executed payouts. Supervision moves money out of a supervised account in
 * two steps: release (source → payout-pending, history ref `<program>:<request>`, one move for
 * all of a request's payees) and then settle (payout → payee) or fail (payout → back to source,
 * ref = instructionId). At the custodian bank the money stays in the supervised account until
 * the payout executes, so per instruction the chain movement that the books must match is
 * "−amount, keyed by instructionId" unless it failed (released and returned: net zero).
 */
import { signCall } from '../../ledger/intents';
import { LedgerError } from '../../chaincode/lib/errors';
import type { MemberKey, LedgerClient } from '../../ledger/types';
import { chainMoves, HistoryItem, internalPayout, lineKey, readInstruction, RELEASE } from '../chain-moves';
import { ChainInstruction, paidInBooks } from '../payout-books';
import type { ReconEntry } from './merge';

export type { HistoryItem };

export class InstructionIndex {
  private readonly programs = new Map<string, Promise<ChainInstruction[] | undefined>>();
  private readonly byId = new Map<string, Promise<ChainInstruction | undefined>>();
  constructor(
    private readonly ledger: LedgerClient,
    private readonly reader: MemberKey,
  ) {}

  /** One instruction by id (cached per run); undefined when absent or not readable. */
  get(id: string): Promise<ChainInstruction | undefined> {
    let p = this.byId.get(id);
    if (!p) {
      p = readInstruction(this.ledger, this.reader, id);
      this.byId.set(id, p);
    }
    return p;
  }

  /** A program's instructions (cached per run); undefined when there is no such program. */
  private list(program: string): Promise<ChainInstruction[] | undefined> {
    let p = this.programs.get(program);
    if (!p) {
      p = this.ledger.evaluate(signCall(this.reader, { fn: 'Supervision:listInstructions', args: [program, ''] })).then(
        (t) => JSON.parse(t) as ChainInstruction[],
        (err) => {
          if (err instanceof LedgerError && err.status === 404) return undefined;
          throw err;
        },
      );
      this.programs.set(program, p);
    }
    return p;
  }

  /** The instructions one release moved out of `source`. Program ids may hold ':', so try each split. */
  async released(h: HistoryItem, source: string): Promise<ChainInstruction[]> {
    const ref = h.ref ?? '';
    const kind = RELEASE.exec(h.kind)![1];
    for (let at = ref.indexOf(':'); at > 0; at = ref.indexOf(':', at + 1)) {
      const all = await this.list(ref.slice(0, at));
      if (all) return all.filter((i) => i.source === source && i.kind === kind && `${i.program}:${i.ref}` === ref);
    }
    return [];
  }
}

/**
 * One book account's chain movements as reconciliation entries, one key each: mirrored deposits
 * and withdrawals by offTxId, payouts by instructionId, chain movements between accounts by the
 * key the oracle books them under (`cm-…:dr|cr`, oracles/chain-moves.ts), and anything else the
 * chain did to the account by `<kind>:<ref>` (no book line can match it: missing_off_chain).
 * An internal payout (confirmed with railRef `books:<id>`; while still instructed: its payee is
 * mirrored here, `mirrored` = all mirrored chain accounts) is one book transfer keyed by the
 * instruction id: `<id>:dr` on the source, `<id>:cr` on the payee (its `sv_payout_in`).
 */
export async function chainEntries(
  items: HistoryItem[],
  account: string,
  chainAccount: string,
  idx: InstructionIndex,
  mirrored: ReadonlySet<string> = new Set(),
): Promise<ReconEntry[]> {
  const rows: ReconEntry[] = [];
  const failed = new Set<string>();
  const returns: HistoryItem[] = [];
  const moves = new Map(chainMoves(items, chainAccount).map((m) => [m.item, m]));
  const isMirrored = (a: string): boolean => mirrored.has(a);
  const entry = (h: HistoryItem, offTxId: string, amount = BigInt(h.amount)): number =>
    rows.push({ account, offTxId, amount, time: h.time });
  /** A movement no book line can match: it surfaces as missing_off_chain. */
  const other = (h: HistoryItem, amount = BigInt(h.amount)): number => entry(h, `${h.kind}:${h.ref || h.txId}`, amount);
  for (const h of items) {
    if ((h.kind === 'deposit' || h.kind === 'withdrawal') && h.ref) entry(h, h.ref);
    else if (RELEASE.test(h.kind)) await releaseEntries(h, { idx, chainAccount, isMirrored, failed, entry, other });
    else if (h.kind === 'sv_return_in') returns.push(h);
    else if (await internalPayout(h, chainAccount, isMirrored, (id) => idx.get(id))) entry(h, `${h.ref}:cr`);
    else if (moves.has(h)) entry(h, lineKey(moves.get(h)!));
    else other(h);
  }
  // A failed payout's return cancels its release; an unmatched return is a movement of its own.
  for (const h of returns) if (!h.ref || !failed.delete(h.ref)) other(h);
  return rows;
}

/** One release out of `source`: an entry per instruction (failed ones noted), the unexplained rest as `other`. */
async function releaseEntries(
  h: HistoryItem,
  o: {
    idx: InstructionIndex;
    chainAccount: string;
    isMirrored: (a: string) => boolean;
    failed: Set<string>;
    entry: (h: HistoryItem, offTxId: string, amount: bigint) => number;
    other: (h: HistoryItem, amount: bigint) => number;
  },
): Promise<void> {
  let rest = BigInt(h.amount); // negative: what left the account
  for (const i of await o.idx.released(h, o.chainAccount)) {
    rest += BigInt(i.amount);
    if (i.status === 'failed') o.failed.add(i.id);
    else o.entry(h, paidInBooks(i, o.isMirrored) ? `${i.id}:dr` : i.id, -BigInt(i.amount));
  }
  if (rest !== 0n) o.other(h, rest); // a release the instructions do not explain
}
