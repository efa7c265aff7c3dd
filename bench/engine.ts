/**
 * Embedded engine throughput: committed transfers/s with N concurrent clients (default 64).
 * Proposals (with the members' signed intents, for the real chaincode) are made before timing
 * starts: members sign on their own machines, not on the ledger's cores.
 * Run alone: `node -e "require('./dist/bench/engine').benchEngine((m,v,u)=>console.log(m,v.toFixed(1),u))"`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createCa, OrgCa } from '../network/embedded/ca';
import { ContractClass } from '../network/embedded/chaincode';
import { EmbeddedEngine } from '../network/embedded/engine';
import { Proposal } from '../network/embedded/proposal';
import { Client, makeClient, proposal, TestBank } from '../test/embedded/fixtures';
import { profileTo } from './profile';

export interface BenchEngineOptions {
  contracts?: ContractClass[];
  /** Concurrent clients, each awaiting its previous commit (default 64). */
  clients?: number;
  /** Transactions per measured run (default 3000). */
  txs?: number;
  blockMaxTx?: number;
  blockTimeoutMs?: number;
  /** Runs once after the engine is open with org Org1MSP registered: accounts, deposits... */
  setup?: (engine: EmbeddedEngine, ca: OrgCa) => Promise<void>;
  /**
   * The i-th transfer (i unique across runs). Client k submits i = k, k+clients, ... in order,
   * so per-client keys never conflict.
   */
  makeProposal?: (i: number) => Proposal;
}

type Report = (metric: string, value: number, unit: string) => void;

/** Default workload: the test contract's transfer (4 reads + 4 writes), one account pair per client. */
function defaultWorkload(clients: number) {
  let users: Client[] = [];
  return {
    setup: async (engine: EmbeddedEngine, ca: OrgCa) => {
      users = Array.from({ length: clients }, (_, k) => makeClient(ca, `bench${k}`));
      await Promise.all(users.map((u, k) => engine.submit(proposal(u, 'TestBank:open', [`b${k}x`, '1000000']))));
      await Promise.all(users.map((u, k) => engine.submit(proposal(u, 'TestBank:open', [`b${k}y`, '1000000']))));
    },
    makeProposal: (i: number): Proposal => {
      const k = i % clients;
      const flip = Math.floor(i / clients) % 2 === 1;
      const [from, to] = flip ? [`b${k}y`, `b${k}x`] : [`b${k}x`, `b${k}y`];
      return proposal(users[k], 'TestBank:transfer', [from, to, '1', `ref${i}`]);
    },
  };
}

async function run(engine: EmbeddedEngine, props: Proposal[], clients: number) {
  const lat: number[] = [];
  let valid = 0;
  let failed = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage(); // includes the verifier worker threads
  await Promise.all(
    Array.from({ length: clients }, async (_, k) => {
      for (let i = k; i < props.length; i += clients) {
        const s = performance.now();
        try {
          const r = await engine.submit(props[i]);
          if (r.status === 'VALID') valid++;
          else failed++;
        } catch {
          failed++;
        }
        lat.push(performance.now() - s);
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  lat.sort((a, b) => a - b);
  return {
    cpuMsPerTx: (cpu.user + cpu.system) / 1000 / props.length,
    tps: valid / secs,
    p99: lat[Math.floor(lat.length * 0.99)] ?? 0,
    p50: lat[Math.floor(lat.length / 2)] ?? 0,
    failed,
  };
}

export async function benchEngine(report: Report, opts: BenchEngineOptions = {}): Promise<void> {
  const clients = opts.clients ?? 64;
  const txs = opts.txs ?? 3000;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lj-bench-engine-'));
  const engine = await EmbeddedEngine.open({
    dataDir,
    contracts: opts.contracts ?? [TestBank],
    blockMaxTx: opts.blockMaxTx ?? 500,
    blockTimeoutMs: opts.blockTimeoutMs ?? 20,
  });
  try {
    const ca = createCa('Org1MSP');
    await engine.addOrg(ca);
    const w = opts.makeProposal
      ? { setup: opts.setup ?? (() => Promise.resolve()), makeProposal: opts.makeProposal }
      : defaultWorkload(clients);
    await w.setup(engine, ca);
    // Warm-up (JIT, verifier workers' key tables), then the measured run.
    const warm = Array.from({ length: Math.min(txs, clients * 4) }, (_, i) => w.makeProposal(i));
    await run(engine, warm, clients);
    const props = Array.from({ length: txs }, (_, i) => w.makeProposal(warm.length + i));
    const stopProfile = await profileTo(process.env.BENCH_PROFILE, 'engine');
    const measured = await run(engine, props, clients);
    await stopProfile();
    report('engine.transfer.tps', measured.tps, 'tx/s');
    report('engine.transfer.p99_ms', measured.p99, 'ms');
    report('engine.transfer.p50_ms', measured.p50, 'ms');
    // CPU per tx (all threads): the capacity bound on a shared or noisy machine is cores / this.
    report('engine.transfer.cpu_ms_per_tx', measured.cpuMsPerTx, 'ms');
    if (measured.failed > 0) report('engine.transfer.failed', measured.failed, 'tx');
  } finally {
    await engine.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
