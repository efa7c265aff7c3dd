/**
 * What every demo step works with: a signed client per demo member (keys from the demo clients'
 * wallet), idempotent reads and writes, and progress lines for people.
 */
import { ApiError, ClientTls, LianjianClient } from '../../gateway/sdk';
import { Wallet } from '../../ledger/wallet';

export class DemoError extends Error {}

/** yuan label from fen, with string math only. */
export const yuan = (fen: string): string =>
  `¥${(BigInt(fen) / 100n).toLocaleString('en-US')}.${String(BigInt(fen) % 100n).padStart(2, '0')}`;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Today and today + months, as China calendar days. */
export function chinaDay(monthsAhead = 0): string {
  const d = new Date(Date.now() + 8 * 3600_000);
  d.setUTCMonth(d.getUTCMonth() + monthsAhead);
  return d.toISOString().slice(0, 10);
}

const notFound = (e: unknown): boolean => e instanceof ApiError && (e.status === 404 || /NOT_FOUND$/.test(e.code));

/** A step the ledger does not run (LEDGER=evm runs only the money core). */
export const notOnThisLedger = (e: unknown): boolean => e instanceof ApiError && e.code === 'NOT_ON_THIS_LEDGER';

export interface SessionOptions {
  baseUrl: string;
  /** The service's CA (and a client certificate when it requires one). */
  tls?: ClientTls;
  wallet: Wallet;
  members: string[];
  log: (line: string) => void;
  /** How long to wait for the mirror / payout oracles (ms). */
  waitMs: number;
}

export class DemoSession {
  /** Writes made (0 on a re-run). */
  changed = 0;
  readonly skipped: string[] = [];
  /** Story accounts this ledger does not open (LEDGER=evm has no e-CNY wallets): their deposits and transfers are skipped too. */
  readonly notOpened = new Set<string>();
  private readonly clients = new Map<string, LianjianClient>();

  constructor(readonly options: SessionOptions) {
    for (const keyId of options.members) {
      const identity = options.wallet.get(keyId);
      if (!identity) {
        throw new DemoError(
          `no key file for ${keyId} at ${options.wallet.fileOf(keyId)}: pass --wallet <the LIANJIAN_WALLET of the running service> (its first start writes the demo clients' keys there)`,
        );
      }
      this.clients.set(keyId, new LianjianClient({ baseUrl: options.baseUrl, identity, tls: options.tls }));
    }
  }

  /** The signed client of a demo member. */
  as(keyId: string): LianjianClient {
    const client = this.clients.get(keyId);
    if (!client) throw new DemoError(`${keyId} is not a demo member`);
    return client;
  }

  /** A GET that answers undefined on 404. */
  async find<T>(who: string, path: string): Promise<T | undefined> {
    try {
      return await this.as(who).get<T>(path);
    } catch (e) {
      if (notFound(e)) return undefined;
      throw e;
    }
  }

  /** A write under a fixed Idempotency-Key: a re-run replays it. */
  async post<T>(who: string, path: string, body: unknown, key: string): Promise<T> {
    const answer = await this.as(who).post<T>(path, body, { idempotencyKey: key });
    this.changed++;
    return answer;
  }

  log(line: string): void {
    this.options.log(line);
  }

  done(label: string, writes: number): void {
    this.log(`✓ ${label}${writes ? '' : ' (already there)'}`);
  }

  /** Runs a step; one the ledger does not run is reported and skipped. */
  async step(name: string, run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (e) {
      if (!notOnThisLedger(e)) throw e;
      this.skipped.push(name);
      this.log(`- ${name}: not on this ledger (${(e as ApiError).message})`);
    }
  }
}
