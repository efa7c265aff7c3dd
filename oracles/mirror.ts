/**
 * Inbound mirror (链下→链上): every movement on a mirrored account, in commit order, becomes a
 * `Money:mirrorDeposit` / `Money:mirrorWithdrawal` signed by the bank's oracle and keyed by its
 * offTxId. The checkpoint advances only after the chain has committed everything before it, so
 * a crash replays from there; the chaincode answers a replay with the first result, which makes
 * at-least-once delivery exactly-once on chain.
 */
import { submitSigned } from '../ledger/evm/member-signer';
import { signCall } from '../ledger/intents';
import { EventEmitter } from 'node:events';
import { mirrorMessage } from '../chaincode/core/money';
import { LedgerError } from '../chaincode/lib/errors';
import { sign } from '../chaincode/lib/gm';
import type { MemberKey, LedgerClient, SubmitResult } from '../ledger/types';
import { mirrored } from './books/rules';
import type { Books, Movement } from './books/types';
import type { OffChainFlag } from '../chaincode/supervision/off-chain';
import type { CaseBook } from './recon/cases';

export interface MirrorOptions {
  books: Books;
  ledger: LedgerClient;
  oracle: MemberKey;
  /** Checkpoint name in the books' meta store (one per oracle instance). */
  name?: string;
  /** Movements read and submitted per window (accounts in parallel, each account in order). */
  window?: number;
  /** Longest wait for a NOTIFY/wake-up before polling the outbox again. */
  idleMs?: number;
  /**
   * Where a movement the chain flags opens a reconciliation case: supervised money that left in
   * the books without an approved release (class `unapproved_debit`).
   */
  cases?: CaseBook;
}

export interface MirrorCheckpoint {
  seq: string;
  at: string;
}

/** Transient: the chain was busy or raced (MVCC), so the same submit may succeed later. */
export function isTransient(err: unknown): boolean {
  if (!(err instanceof LedgerError)) return true; // connection loss and the like
  if (err.code === 'IDEMPOTENCY_CONFLICT') return false;
  return err.status === 503 || err.status === 429 || err.status === 409 || /TIMEOUT|BUSY|UNAVAILABLE/.test(err.code);
}

/** The transaction and arguments that mirror one movement (the attestation signs exactly them). */
export function mirrorCall(m: Movement, oracle: MemberKey): { fn: string; args: string[] } {
  if (!m.chainAccount)
    throw new LedgerError('NOT_MIRRORED', `movement ${m.offTxId} is on an account that is not mirrored`, 'account');
  if (m.origin === 'chain')
    throw new LedgerError(
      'CHAIN_ORIGINATED',
      `movement ${m.offTxId} executed an on-chain payout; the chain already moved it`,
      'origin',
    );
  const kind = m.direction === 'credit' ? 'deposit' : 'withdrawal';
  const color = kind === 'deposit' ? (m.color ?? '') : '';
  // The chaincode verifies against its painted color: '' means `dep:<account>`.
  const signed = kind === 'deposit' && !color ? `dep:${m.chainAccount}` : color;
  const attestation = sign(
    oracle.sm2.privateKey,
    mirrorMessage({
      kind,
      bank: oracle.mspId,
      account: m.chainAccount,
      offTxId: m.offTxId,
      amount: m.amount,
      color: signed,
    }),
    oracle.sm2.publicKey,
  );
  return kind === 'deposit'
    ? { fn: 'Money:mirrorDeposit', args: [m.chainAccount, m.amount, m.offTxId, color, attestation] }
    : { fn: 'Money:mirrorWithdrawal', args: [m.chainAccount, m.amount, m.offTxId, attestation] };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Events: 'mirrored' (movement, result, lagMs), 'dead' (movement, error) for movements the chain
 * refuses for good (kept under meta `mirror-dead/<offTxId>` for operators), 'error' never thrown.
 */
export class MirrorOracle extends EventEmitter {
  private readonly o: Required<Omit<MirrorOptions, 'cases'>> & Pick<MirrorOptions, 'cases'>;
  private stopped = true;
  private loop?: Promise<void>;
  private interrupt: () => void = () => undefined;

  constructor(opts: MirrorOptions) {
    super();
    this.o = { name: 'mirror', window: 256, idleMs: 1000, cases: undefined, ...opts };
  }

  private get key(): string {
    return `checkpoint/${this.o.name}`;
  }

  async checkpoint(): Promise<bigint> {
    return BigInt((await this.o.books.getMeta<MirrorCheckpoint>(this.key))?.seq ?? '0');
  }

  /** Mirrors one window past the checkpoint; returns how many movements it carried. */
  async runOnce(): Promise<number> {
    const after = await this.checkpoint();
    const batch = await this.o.books.outbox(after, this.o.window);
    if (!batch.length) return 0;
    const lanes = new Map<string, Movement[]>();
    // Chain-originated lines (executed payouts) are already on chain: never mirror them.
    for (const m of batch.filter(mirrored)) lanes.set(m.chainAccount!, [...(lanes.get(m.chainAccount!) ?? []), m]);
    // Same account in order (a withdrawal needs its deposit first); accounts side by side.
    await Promise.all(
      [...lanes.values()].map(async (lane) => {
        for (const m of lane) await this.mirrorOne(m);
      }),
    );
    if (this.stopped && this.loop) return 0; // stopped mid-window: leave the checkpoint for a replay
    await this.o.books.putMeta(this.key, {
      seq: batch[batch.length - 1].seq,
      at: new Date().toISOString(),
    } satisfies MirrorCheckpoint);
    return batch.length;
  }

  private async mirrorOne(m: Movement): Promise<void> {
    const call = mirrorCall(m, this.o.oracle);
    for (let attempt = 0; ; attempt++) {
      let res: SubmitResult;
      try {
        res = await submitSigned(
          this.o.ledger,
          this.o.oracle,
          signCall(this.o.oracle, { fn: call.fn, args: call.args }),
        );
      } catch (err) {
        if (isTransient(err) && !(this.stopped && this.loop)) {
          await sleep(Math.min(2000, 20 * 2 ** Math.min(attempt, 7)));
          continue;
        }
        if (this.stopped && this.loop) return;
        // The chain refuses this record for good: park it and alert, do not block the stream.
        await this.o.books.putMeta(`mirror-dead/${m.offTxId}`, {
          movement: m,
          error: err instanceof LedgerError ? err.toJSON() : String(err),
          at: new Date().toISOString(),
        });
        this.emit('dead', m, err);
        return;
      }
      this.emit('mirrored', m, res, Date.now() - Date.parse(m.time));
      await this.openCase(m, res);
      return;
    }
  }

  /** A flagged movement (the chain raised an alert on its program) becomes a case in the bank's inbox. */
  private async openCase(m: Movement, res: SubmitResult): Promise<void> {
    const flagged = (JSON.parse(res.result || '{}') as { flagged?: OffChainFlag }).flagged;
    if (!flagged || !this.o.cases) return;
    const amount = `-${flagged.amount}`;
    await this.o.cases.observe(
      {
        kind: 'break',
        class: 'unapproved_debit',
        account: m.account,
        offTxId: m.offTxId,
        book: amount,
        chain: amount,
        side: 'book',
        time: m.time,
        program: flagged.program,
        entries: [m.offTxId],
        detail: `${flagged.amount} fen left supervised account ${m.chainAccount} (program ${flagged.program}) by book entry ${m.offTxId} without an approved release; program alert #${flagged.alert}`,
      },
      'mirror',
    );
  }

  /** Runs until stop(): drains the outbox, then sleeps until NOTIFY (PG) or a local post wakes it. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = (async () => {
      while (!this.stopped) {
        try {
          if ((await this.runOnce()) > 0) continue;
          // stop() cuts the idle wait short, so shutdown does not wait out idleMs.
          const stopping = new Promise<void>((r) => (this.interrupt = r));
          await Promise.race([this.o.books.waitForOutbox(await this.checkpoint(), this.o.idleMs), stopping]);
        } catch (err) {
          this.emit('failure', err); // books unreachable and the like: back off and go on
          await sleep(500);
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.interrupt();
    await this.loop;
    this.loop = undefined;
  }

  /** Waits until the checkpoint reaches the books' last mirrored movement (tests, shutdown). */
  async drained(timeoutMs = 30_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const cp = await this.checkpoint();
      if ((await this.o.books.outbox(cp, 1)).length === 0) return;
      if (Date.now() > end) throw new Error(`mirror not drained after ${timeoutMs} ms (checkpoint ${cp})`);
      await sleep(20);
    }
  }
}
