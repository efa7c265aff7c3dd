/**
 * `npm run bench:fabric`: `Money:transfer` through the Fabric LedgerClient on the live network
 * (AND policy: the regulator's peer and a bank's endorse every write), next to the embedded
 * engine's figures from the same run. Each client moves 1 fen back and forth between its own two
 * accounts, signed with its own SM2 key, as the gateway would submit it. CPU is counted across
 * every Fabric process (peers, orderers, chaincode servers) and this client.
 */
import fs from 'node:fs';
import type { FabricLedger } from '../ledger/fabric/index';
import { signCall } from '../ledger/intents';
import type { MemberKey } from '../ledger/types';
import { Harness } from '../test/support/harness';
import { benchMoney } from './money';
import type { Report } from './report';

const TICKS_PER_SECOND = 100;

/** CPU ms so far of every process running from the Fabric build dir (by their command line). */
function fabricCpuMs(buildDir: string): { total: number; byName: Record<string, number> } {
  const byName: Record<string, number> = {};
  let total = 0;
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (!cmdline.some((part) => part.includes(buildDir) || part.includes('fabric-shim'))) continue;
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
      const name = processName(pid, cmdline);
      byName[name] = (byName[name] ?? 0) + ms;
      total += ms;
    } catch {
      // the process ended meanwhile
    }
  }
  return { total, byName };
}

/** The network's name of a process: its peer id, orderer or chaincode server (from its environment and arguments). */
function processName(pid: string, cmdline: string[]): string {
  const bin = cmdline[0].split('/').pop() ?? '?';
  if (bin === 'peer' || bin === 'orderer') {
    const env = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    const id = env.find((e) => e.startsWith('CORE_PEER_ID=') || e.startsWith('ORDERER_GENERAL_LISTENPORT='));
    return id ? `${bin}.${id.split('=')[1].split('.').slice(0, 2).join('.')}` : bin;
  }
  const address = cmdline[cmdline.indexOf('--chaincode-address') + 1] ?? '?';
  return cmdline.some((p) => p.includes('fabric-shim')) ? `chaincode.${address.split(':')[1]}` : bin;
}

interface Load {
  h: Harness;
  /** `forward`: the money is in accounts[0] and moves to accounts[1] next. */
  clients: { key: MemberKey; accounts: [string, string]; forward: boolean }[];
}

/** Members and funded accounts for `count` clients (members persist on the chain; accounts are new per run). */
async function setUp(count: number): Promise<Load> {
  process.env.LEDGER = 'fabric'; // the scenario harness opens the live network
  const h = await Harness.create();
  const run = Date.now().toString(36);
  const clients: Load['clients'] = [];
  for (let start = 0; start < count; start += 16) {
    const batch = Array.from({ length: Math.min(16, count - start) }, (_, j) => start + j);
    const made = await Promise.all(
      batch.map(async (k) => {
        const key = await h.register({ mspId: 'Org1MSP', name: `bench-ent${k}`, roles: ['enterprise'] });
        const accounts: [string, string] = [`fb-${run}-${k}x`, `fb-${run}-${k}y`];
        await h.openAccount(accounts[0], key.keyId);
        await h.openAccount(accounts[1], key.keyId);
        await h.deposit(accounts[0], 1_000_000n);
        return { key, accounts, forward: true };
      }),
    );
    clients.push(...made);
  }
  return { h, clients };
}

/** Runs `txs` transfers with one transfer in flight per client; returns latencies (ms) and the wall time. */
async function drive(load: Load, txs: number): Promise<{ latencies: number[]; wallMs: number; failed: number }> {
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  const started = Date.now();
  await Promise.all(
    load.clients.map(async (client, k) => {
      for (;;) {
        const i = next++;
        if (i >= txs) return;
        const [from, to] = client.forward ? client.accounts : [client.accounts[1], client.accounts[0]];
        const call = signCall(client.key, {
          fn: 'Money:transfer',
          args: [load.h.uid(from), from, to, '1', 'bench', ''],
        });
        const t0 = Date.now();
        try {
          await load.h.ledger.submit(call);
          latencies.push(Date.now() - t0);
          client.forward = !client.forward;
        } catch (err) {
          failed++;
          if (failed <= 3) process.stderr.write(`[bench] fabric client ${k}: ${(err as Error).message}\n`);
        }
      }
    }),
  );
  return { latencies: latencies.sort((a, b) => a - b), wallMs: Date.now() - started, failed };
}

export async function benchFabric(report: Report): Promise<void> {
  process.stderr.write('[bench] embedded engine, same workload shape ...\n');
  await benchMoney(report);
  const clients = Number(process.env.BENCH_FABRIC_CLIENTS ?? 48);
  const txs = Number(process.env.BENCH_FABRIC_TXS ?? 3000);
  const load = await setUp(clients);
  try {
    const buildDir = (load.h.ledger as FabricLedger).network.buildDir;
    await drive(load, Math.min(200, txs)); // warm-up: connections, JIT, chaincode caches
    const cpu0 = fabricCpuMs(buildDir);
    const client0 = process.cpuUsage();
    const { latencies, wallMs, failed } = await drive(load, txs);
    const client = process.cpuUsage(client0);
    const cpu1 = fabricCpuMs(buildDir);
    const done = latencies.length;
    report('fabric.transfer.tps', (done * 1000) / wallMs, 'tx/s');
    report('fabric.transfer.p50_ms', latencies[Math.floor(done / 2)] ?? 0, 'ms');
    report('fabric.transfer.p99_ms', latencies[Math.floor(done * 0.99)] ?? 0, 'ms');
    const clientMs = (client.user + client.system) / 1000;
    report('fabric.transfer.cpu_ms_per_tx', (cpu1.total - cpu0.total + clientMs) / Math.max(1, done), 'ms');
    for (const [name, ms] of Object.entries(cpu1.byName).sort()) {
      const per = (ms - (cpu0.byName[name] ?? 0)) / Math.max(1, done);
      report(`fabric.transfer.cpu_ms_per_tx.${name.replace(/ /g, '_')}`, per, 'ms');
    }
    report('fabric.transfer.cpu_ms_per_tx.client', clientMs / Math.max(1, done), 'ms');
    if (failed) report('fabric.transfer.failed', failed, 'tx');
  } finally {
    await load.h.close();
  }
}
