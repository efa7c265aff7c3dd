/**
 * The gateway end to end on the embedded ledger over HTTPS (keep-alive), SM2-signed transfers.
 * Requests are signed before each timed run on worker threads (members sign on their own
 * machines), so the figures are the service's:
 * - gateway.transfer.rps: BENCH_GW_CONCURRENCY (64) closed-loop clients, each on its own account pair;
 * - gateway.transfer.p99_ms@<rate>rps: open loop at BENCH_GW_RATE (300) req/s;
 * - gateway.overload.*: open loop at 3× the measured rps for BENCH_OVERLOAD_SECONDS (30): timeouts
 *   (no answer within 10 s), refusals (503 + Retry-After) and the p99 of accepted requests;
 * - gateway.hot_account.*: 200 concurrent transfers of 1 fen out of one account holding 100, each
 *   client retrying a 503 after its Retry-After with the same Idempotency-Key;
 * - gateway.sm2_ops_per_write: SM2 signs and verifies in the service per committed transfer.
 * Run alone: `BENCH=gateway npm run bench`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { mirrorMessage } from '../chaincode/core/money';
import { sign, sm2Operations } from '../chaincode/lib/gm';
import { buildApp } from '../gateway/app';
import { bootstrap } from '../gateway/bootstrap';
import { loadConfig } from '../gateway/config';
import { LianjianClient } from '../gateway/sdk';
import { ensureTls } from '../gateway/tls';
import { Guards } from '../ledger/guard';
import { createLedger } from '../ledger/index';
import type { MemberKey } from '../ledger/types';
import { Wallet } from '../ledger/wallet';
import { OracleService } from '../oracles/service';
import { profileTo } from './profile';
import type { Report } from './report';
import type { LoadJob, Outcome, Signed } from './load-worker';
import type { ToSign } from './sign-worker';

const CONCURRENCY = Number(process.env.BENCH_GW_CONCURRENCY ?? 64);
const SECONDS = Number(process.env.BENCH_GW_SECONDS ?? 5);
const RATE = Number(process.env.BENCH_GW_RATE ?? 300);
const OVERLOAD_SECONDS = Number(process.env.BENCH_OVERLOAD_SECONDS ?? 30);
/** Account pairs the open-loop runs spread over (each pair's transfers queue on its keys). */
const PAIRS = 512;
const OWNERS = ['Org1MSP:ent1', 'Org1MSP:ent2'];

const pct = (xs: number[], p: number): number =>
  xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] : NaN;

/** Signs transfer requests on worker threads (one per core). */
class Signer {
  private readonly workers = Array.from(
    { length: Math.max(1, os.availableParallelism()) },
    () => new Worker(path.join(__dirname, 'sign-worker.js')),
  );
  private seq = 0;

  constructor(private readonly keys: (keyId: string) => MemberKey) {}

  /** Signed transfers for account pairs `pairs[i]` (owner by pair), with fresh idempotency keys. */
  async transfers(pairs: number[]): Promise<Signed[]> {
    const items: ToSign[] = pairs.map((pair) => {
      const body = JSON.stringify({ from: `src${pair}`, to: `dst${pair}`, amount: '1', purpose: 'bench' });
      const key = this.keys(OWNERS[pair % OWNERS.length]);
      return { key: { keyId: key.keyId, sm2: key.sm2 }, url: '/v1/transfers', body, idempotencyKey: `b${this.seq++}` };
    });
    const share = Math.ceil(items.length / this.workers.length);
    const parts = await Promise.all(
      this.workers.map(
        (w, i) =>
          new Promise<Record<string, string>[]>((resolve) => {
            w.once('message', (m: { out: Record<string, string>[] }) => resolve(m.out));
            w.postMessage({ id: i, items: items.slice(i * share, (i + 1) * share) });
          }),
      ),
    );
    return parts.flat().map((signed, i) => ({
      url: items[i].url,
      body: items[i].body,
      headers: { ...signed, 'content-type': 'application/json', 'idempotency-key': items[i].idempotencyKey },
    }));
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Runs a load job on the generator thread. */
function load(generator: Worker, job: LoadJob): Promise<{ outcomes: Outcome[]; seconds: number }> {
  return new Promise((resolve) => {
    generator.once('message', resolve);
    generator.postMessage(job);
  });
}

function summarise(report: Report, tag: string, outcomes: Outcome[]): void {
  const ok = outcomes.filter((o) => o.status >= 200 && o.status < 300);
  report(
    `${tag}.p99_ms`,
    pct(
      ok.map((o) => o.ms),
      99,
    ),
    'ms',
  );
  report(
    `${tag}.p50_ms`,
    pct(
      ok.map((o) => o.ms),
      50,
    ),
    'ms',
  );
  report(`${tag}.ok`, ok.length, 'count');
  report(`${tag}.refused_503`, outcomes.filter((o) => o.status === 503).length, 'count');
  report(`${tag}.timeouts`, outcomes.filter((o) => o.status === 0).length, 'count');
  report(`${tag}.errors`, outcomes.filter((o) => o.status >= 400 && o.status !== 503).length, 'count');
}

export async function benchGateway(report: Report): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lj-bench-gw-'));
  // The service's defaults; LJ_* variables (gateway/config.ts) tune it for an experiment.
  const tuning = Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('LJ_')));
  const config = { ...loadConfig({ ...tuning, LIANJIAN_DATA: dir }), ratePerSec: 0 };
  const ledger = await createLedger(config);
  const wallet = new Wallet(path.join(dir, 'clients'));
  const serviceWallet = new Wallet(path.join(dir, 'service'));
  await bootstrap({ ledger, demoWallet: wallet, serviceWallet });
  const guards = new Guards(config.guard);
  const oracles = await OracleService.open({ dataDir: dir, guards });
  const tls = ensureTls(config.tls);
  const app = await buildApp({ ledger, config, logger: false, oracles, guards, tls });
  // Time inside the service (from its first hook to the response), beside what clients see.
  const inside: number[] = [];
  const beforeHandler: number[] = [];
  const marks = new WeakMap<object, number>();
  app.addHook('preHandler', async (req, reply) => {
    marks.set(req, reply.elapsedTime);
  });
  app.addHook('onResponse', async (req, reply) => {
    if (req.method === 'POST' && reply.statusCode === 201) {
      inside.push(reply.elapsedTime);
      beforeHandler.push(marks.get(req) ?? NaN);
    }
  });
  const id = (k: string): MemberKey => wallet.get(k) ?? serviceWallet.get(k)!;
  const signer = new Signer(id);
  const generator = new Worker(path.join(__dirname, 'load-worker.js'));
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const baseUrl = `https://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const as = (k: string): LianjianClient => new LianjianClient({ baseUrl, identity: id(k), tls: { ca: tls.ca } });
    await setUp(as, id('Org1MSP:oracle1'));

    // Throughput: closed loop, CONCURRENCY clients, each on its own pair.
    const perClient = Math.ceil((SECONDS * 1500) / CONCURRENCY);
    const own = await signer.transfers(Array.from({ length: CONCURRENCY * perClient }, (_, n) => n % CONCURRENCY));
    const ops0 = sm2Operations.sign + sm2Operations.verify;
    const stopProfile = await profileTo(process.env.BENCH_PROFILE, 'gateway');
    const cpu0 = process.cpuUsage();
    const run = await load(generator, {
      baseUrl,
      ca: tls.ca!,
      requests: own,
      concurrency: CONCURRENCY,
      seconds: SECONDS,
    });
    const closed = run.outcomes;
    const secs = run.seconds;
    const written = closed.filter((o) => o.status === 201).length;
    const cpu = process.cpuUsage(cpu0);
    await stopProfile();
    report('gateway.transfer.rps', written / secs, 'tx/s');
    report(
      'gateway.transfer.p99_ms',
      pct(
        closed.filter((o) => o.status === 201).map((o) => o.ms),
        99,
      ),
      'ms',
    );
    // CPU of the whole process (service, verifier threads, the load generator's TLS) per write:
    // on a shared machine, capacity is about cores / this.
    report('gateway.transfer.cpu_ms_per_tx', (cpu.user + cpu.system) / 1000 / written, 'ms');
    report('gateway.transfer.errors', closed.length - written, 'count');
    report('gateway.sm2_ops_per_write', (sm2Operations.sign + sm2Operations.verify - ops0) / written, 'ops');

    // Latency at a steady rate.
    const steady = await signer.transfers(Array.from({ length: RATE * SECONDS }, (_, n) => n % PAIRS));
    summarise(
      report,
      `gateway.transfer@${RATE}rps`,
      (await load(generator, { baseUrl, ca: tls.ca!, requests: steady, rate: RATE })).outcomes,
    );

    // Overload: three times what the service sustained.
    const heavy = Math.max(1, Math.round(3 * (written / secs)));
    const flood = await signer.transfers(Array.from({ length: heavy * OVERLOAD_SECONDS }, (_, n) => n % PAIRS));
    report('gateway.overload.offered_rps', heavy, 'req/s');
    const over = (await load(generator, { baseUrl, ca: tls.ca!, requests: flood, rate: heavy })).outcomes;
    const accepted = over.filter((o) => o.status === 201);
    report('gateway.overload.server_p99_ms', pct(inside.slice(-accepted.length), 99), 'ms');
    report('gateway.overload.before_handler_p99_ms', pct(beforeHandler.slice(-accepted.length), 99), 'ms');
    report(
      'gateway.overload.p99_ms',
      pct(
        accepted.map((o) => o.ms),
        99,
      ),
      'ms',
    );
    report('gateway.overload.accepted_rps', accepted.length / OVERLOAD_SECONDS, 'tx/s');
    report('gateway.overload.refused_503', over.filter((o) => o.status === 503).length, 'count');
    report('gateway.overload.timeouts', over.filter((o) => o.status === 0).length, 'count');
    report('gateway.overload.errors', over.filter((o) => o.status >= 400 && o.status !== 503).length, 'count');

    await hotAccount(report, as, id('Org1MSP:oracle1'));
  } finally {
    await generator.terminate();
    await signer.close();
    await app.close();
    await oracles.stop();
    await ledger.close();
    guards.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A setup write, retried after a 503 (Retry-After) with the same Idempotency-Key, as a client would. */
async function post(client: LianjianClient, url: string, body: unknown, idempotencyKey: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const r = await client.raw('POST', url, body, { idempotencyKey });
    if (r.status < 300) return;
    if (r.status !== 503 || attempt >= 20) throw new Error(`setup ${url}: ${r.status} ${JSON.stringify(r.body)}`);
    await new Promise((done) => setTimeout(done, Number(r.headers.get('retry-after') ?? 1) * 1000 * Math.random()));
  }
}

/** PAIRS account pairs src<i> → dst<i>, owned by ent1 or ent2, each src funded. */
async function setUp(as: (k: string) => LianjianClient, oracleKey: MemberKey): Promise<void> {
  const bank = as('Org1MSP:bank1');
  const oracle = as('Org1MSP:oracle1');
  const lanes = 32;
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      for (let i = lane; i < PAIRS; i += lanes) {
        const owner = OWNERS[i % OWNERS.length];
        for (const acct of [`src${i}`, `dst${i}`])
          await post(bank, '/v1/accounts', { id: acct, kind: 'settlement', owner, offChainRef: acct }, `open-${acct}`);
        await deposit(oracle, oracleKey, `src${i}`, '100000000');
      }
    }),
  );
  bank.close();
  oracle.close();
}

async function deposit(
  oracle: LianjianClient,
  key: Pick<MemberKey, 'sm2'>,
  account: string,
  amount: string,
): Promise<void> {
  const offTxId = `dep-${account}`;
  const msg = mirrorMessage({ kind: 'deposit', bank: 'Org1MSP', account, offTxId, amount, color: `dep:${account}` });
  const attestation = sign(key.sm2.privateKey, msg, key.sm2.publicKey);
  await post(oracle, '/v1/mirror/deposits', { account, amount, offTxId, attestation }, offTxId);
}

/** 200 concurrent transfers of 1 fen out of an account holding 100. */
async function hotAccount(report: Report, as: (k: string) => LianjianClient, oracleKey: MemberKey): Promise<void> {
  const bank = as('Org1MSP:bank1');
  await post(bank, '/v1/accounts', { id: 'HOT', kind: 'settlement', owner: 'Org1MSP:ent1', offChainRef: 'HOT' }, 'hot');
  const sink = { id: 'HOTSINK', kind: 'settlement', owner: 'Org1MSP:ent2', offChainRef: 'SINK' };
  await post(bank, '/v1/accounts', sink, 'hot-sink');
  const oracle = as('Org1MSP:oracle1');
  await deposit(oracle, oracleKey, 'HOT', '100');
  const ent = as('Org1MSP:ent1');
  let conflicts = 0;
  const body = { from: 'HOT', to: 'HOTSINK', amount: '1', purpose: 'hot' };
  const finals = await Promise.all(
    Array.from({ length: 200 }, async (_, i) => {
      for (let attempt = 1; ; attempt++) {
        const r = await ent.raw('POST', '/v1/transfers', body, { idempotencyKey: `hot-${i}` });
        const code = (r.body as { code?: string } | undefined)?.code ?? '';
        if (/CONFLICT$|^CONTENDED$/.test(code)) conflicts++;
        if (r.status !== 503 || attempt >= 30) return { status: r.status, code };
        await new Promise((done) => setTimeout(done, Number(r.headers.get('retry-after') ?? 1) * 1000 * Math.random()));
      }
    }),
  );
  report('gateway.hot_account.ok', finals.filter((f) => f.status === 201).length, 'count');
  report('gateway.hot_account.insufficient', finals.filter((f) => f.code === 'INSUFFICIENT_FUNDS').length, 'count');
  report('gateway.hot_account.conflicts', conflicts, 'count');
  report(
    'gateway.hot_account.other',
    finals.filter((f) => f.status !== 201 && f.code !== 'INSUFFICIENT_FUNDS').length,
    'count',
  );
  for (const c of [bank, oracle, ent]) c.close();
}
