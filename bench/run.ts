/**
 * `npm run bench`: one JSON object per line, {"metric", "value", "unit"}. Suites run one after
 * another on this machine; `BENCH=gm,engine` picks some. Progress goes to stderr.
 */
import type { Report } from './report';

interface Suite {
  name: string;
  run: (report: Report) => Promise<void>;
}

/** Each suite loads lazily so one missing or failing suite does not stop the others. */
const suites: Suite[] = [
  { name: 'gm', run: async (r) => (await import('./gm')).benchGm(r) },
  { name: 'engine', run: async (r) => (await import('./money')).benchMoney(r) },
  { name: 'gateway', run: async (r) => (await import('./gateway')).benchGateway(r) },
  { name: 'bills', run: async (r) => (await import('./bills')).benchBills(r) },
  { name: 'oracles', run: async (r) => (await import('./oracles')).benchOracles(r) },
  // Needs the Fabric network (npm run fabric:up): bench:fabric, not in the default set.
  { name: 'fabric', run: async (r) => (await import('./fabric')).benchFabric(r) },
  { name: 'evm', run: async (r) => (await import('./evm')).benchEvm(r) },
];
const DEFAULT = ['gm', 'engine', 'gateway', 'bills', 'oracles', 'evm'];

async function main(): Promise<void> {
  const only = process.env.BENCH?.split(',').map((s) => s.trim());
  const report: Report = (metric, value, unit) => {
    process.stdout.write(
      JSON.stringify({ metric, value: Number.isInteger(value) ? value : Number(value.toFixed(2)), unit }) + '\n',
    );
  };
  let failed = 0;
  for (const s of suites) {
    if (only ? !only.includes(s.name) : !DEFAULT.includes(s.name)) continue;
    const t0 = Date.now();
    process.stderr.write(`[bench] ${s.name} ...\n`);
    try {
      await s.run(report);
      process.stderr.write(`[bench] ${s.name} done in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    } catch (e) {
      failed++;
      process.stderr.write(`[bench] ${s.name} FAILED: ${(e as Error).message}\n`);
    }
  }
  process.exitCode = failed ? 1 : 0;
}

void main();
