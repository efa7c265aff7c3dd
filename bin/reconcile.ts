/**
 * `lianjian reconcile [--account ID] [--from ISO --to ISO] [--lag-ms N] [--json|--csv] [--data DIR]`:
 * the books against the chain with the service stopped (oracles/recon/cli.ts). Exit 0 clean,
 * 1 breaks, 2 bad usage or the stores are in use.
 */
import path from 'node:path';
import { createPrivately } from '../ledger/data-dir';
import { reconcileCommand as reconcile, ReconcileOptions } from '../oracles/recon/cli';
import { flag, parseCommandLine } from './flags';

const USAGE =
  'usage: lianjian reconcile [--account ID] [--from ISO-TIME] [--to ISO-TIME] [--lag-ms N] [--json|--csv] [--data DIR]';

/** The options of a command line, or the reason it is wrong. */
export function reconcileOptions(args: string[]): (ReconcileOptions & { dataDir?: string }) | string {
  let flags: Record<string, string[]>;
  try {
    flags = parseCommandLine(args, {
      switches: ['json', 'csv'],
      known: ['account', 'from', 'to', 'lag-ms', 'data'],
    }).flags;
  } catch (err) {
    return (err as Error).message;
  }
  const options: ReconcileOptions & { dataDir?: string } = {
    format: flags.csv ? 'csv' : flags.json ? 'json' : 'text',
  };
  if (flags.account) options.account = flag(flags, 'account');
  for (const bound of ['from', 'to'] as const) {
    const value = flag(flags, bound);
    if (value === undefined) continue;
    if (Number.isNaN(Date.parse(value))) return `--${bound} needs an ISO date or time`;
    options[bound] = new Date(value).toISOString();
  }
  const lag = flag(flags, 'lag-ms');
  if (lag !== undefined) {
    if (!/^[0-9]+$/.test(lag)) return '--lag-ms needs a number of milliseconds';
    options.lagMs = Number(lag);
  }
  if (flags.data) options.dataDir = path.resolve(flag(flags, 'data')!);
  return options;
}

export async function reconcileCommand(args: string[]): Promise<number> {
  const options = reconcileOptions(args);
  if (typeof options === 'string') {
    process.stderr.write(`${options}\n${USAGE}\n`);
    return 2;
  }
  createPrivately(); // reports in the data dir are private like the rest of it
  if (options.dataDir) process.env.LIANJIAN_DATA = options.dataDir;
  return reconcile(options);
}
