/**
 * `lianjian demo [--url U] [--ca FILE] [--wallet DIR]`: seed a small, realistic story into a running
 * `npm start` through the REST API only, each step signed by the demo member that would do it
 * with its own key. Every step has a fixed business id and Idempotency-Key and is skipped when its
 * result is already on the ledger, so a second run changes nothing.
 */
import path from 'node:path';
import { ClientTls, LianjianClient } from '../../gateway/sdk';
import { Wallet } from '../../ledger/wallet';
import { CONNECTION_FLAGS, CONNECTION_USAGE, connectionOf, onlyFlags } from '../connect';
import { flag, parseFlags } from '../flags';
import { issueBill } from './bills';
import { deposit, openAccounts, transfer } from './money';
import { sellPlan } from './prepaid';
import { DemoError, DemoSession } from './session';
import { BANK, CONSUMER, DEMO_PROGRAM, ENT1, ENT2, MERCHANT, REGULATOR, TRACE_ACCOUNT } from './story';
import { supervise } from './supervision';

export { DemoError } from './session';
export * from './story';

export interface DemoOptions {
  url: string;
  /** The service's CA (and a client certificate when it requires one). */
  tls?: ClientTls;
  /** The demo clients' key folder (the first `npm start` writes it; LIANJIAN_WALLET). */
  walletDir: string;
  /** How long to wait for the mirror / payout oracles (ms). */
  waitMs?: number;
  log?: (line: string) => void;
}

export interface DemoResult {
  /** Writes made (0 on a re-run). */
  changed: number;
  /** Steps the ledger does not run (LEDGER=evm runs the money core only). */
  skipped: string[];
}

async function reachable(base: string, tls: ClientTls | undefined): Promise<void> {
  const anonymous = new LianjianClient({ baseUrl: base, tls });
  try {
    const health = await anonymous.raw('GET', '/healthz', undefined, { signal: AbortSignal.timeout(5000) });
    if (health.status !== 200) throw new Error(`GET /healthz answered ${health.status}`);
  } catch (e) {
    const message = (e as Error).message;
    const hint = /certificate/i.test(message)
      ? "Pass the service's CA with --ca (it is <LIANJIAN_DATA>/tls/ca.crt where the service runs)."
      : 'Start it with `npm start` (or pass --url).';
    throw new DemoError(`cannot reach Lianjian at ${base} (${message}). ${hint}`);
  } finally {
    anonymous.close();
  }
}

export async function runDemo(o: DemoOptions): Promise<DemoResult> {
  const log = o.log ?? ((line: string): void => console.log(line));
  const base = o.url.replace(/\/+$/, '');
  await reachable(base, o.tls);
  const wallet = new Wallet(o.walletDir);
  const members = [BANK, ENT1, ENT2, MERCHANT, CONSUMER, REGULATOR];
  const s = new DemoSession({ baseUrl: base, tls: o.tls, wallet, members, log, waitMs: o.waitMs ?? 30_000 });
  try {
    await s.as(BANK).get('/v1/me');
  } catch (e) {
    throw new DemoError(
      `the service at ${base} does not accept the key files in ${wallet.dir} (${(e as Error).message}): is --wallet the service's LIANJIAN_WALLET?`,
    );
  }
  await openAccounts(s);
  await deposit(s);
  await transfer(s);
  await s.step('supervision', () => supervise(s));
  await s.step('bills', () => issueBill(s));
  await s.step('prepaid', () => sellPlan(s));
  const file = (keyId: string): string => {
    const rel = path.relative(process.cwd(), wallet.fileOf(keyId));
    return rel.startsWith('..') ? wallet.fileOf(keyId) : rel;
  };
  log('');
  log(`Done: ${s.changed ? `${s.changed} writes` : 'nothing to change (already seeded)'}.`);
  log(`Open ${base}/console/ and sign in with ${file(ENT2)} (ent2), then:`);
  log(
    `  账户 Accounts → ${TRACE_ACCOUNT} → 资金穿透 Fund flow: its money traced back to ent1's, ent2's and the pre-sale deposits`,
  );
  log(
    `  sign in with ${file(REGULATOR)} (regulator1) to trace a deposit forward (e.g. Org1MSP / demo-dep-presale) and read program ${DEMO_PROGRAM}`,
  );
  return { changed: s.changed, skipped: s.skipped };
}

const USAGE = `usage: lianjian demo ${CONNECTION_USAGE} [--wallet ./wallet]`;

export async function demoCommand(args: string[]): Promise<number> {
  let options: DemoOptions;
  try {
    const flags = parseFlags(args);
    onlyFlags(flags, [...CONNECTION_FLAGS, 'wallet']);
    const { url, tls } = connectionOf(flags);
    options = { url, tls, walletDir: path.resolve(flag(flags, 'wallet', process.env.LIANJIAN_WALLET || './wallet')!) };
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  try {
    await runDemo(options);
    return 0;
  } catch (e) {
    console.error(
      e instanceof DemoError ? `lianjian demo: ${e.message}` : `lianjian demo failed: ${(e as Error).message}`,
    );
    return 1;
  }
}
