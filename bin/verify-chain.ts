/**
 * `lianjian verify-chain [--data DIR] [--replay]`: verifies the embedded ledger of a data dir
 * (default LIANJIAN_DATA or ./data) with the service stopped; prints `OK height=N` or
 * `BAD block=N reason=...`. Exit 0 OK, 1 BAD, 2 usage or the ledger is in use.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isLockedError } from '../network/embedded/store';
import { verifyChain } from '../network/embedded/verify-chain';
import { flag, parseFlags } from './flags';

const USAGE = 'usage: lianjian verify-chain [--data DIR (default $LIANJIAN_DATA or ./data)] [--replay]';

/** The node key: `<data>/keys/`, or beside the ledger where an older version kept it. */
function nodeKeyFile(dataDir: string): string {
  const kept = path.join(dataDir, 'keys', 'node.key');
  const legacy = path.join(dataDir, 'ledger', 'node.key');
  return fs.existsSync(kept) || fs.existsSync(path.join(dataDir, 'keys', 'node.pub')) || !fs.existsSync(legacy)
    ? kept
    : legacy;
}

export async function verifyChainCommand(args: string[]): Promise<number> {
  let dataDir: string;
  let replay: boolean;
  try {
    const flags = parseFlags(args, ['replay']);
    const unknown = Object.keys(flags).filter((f) => f !== 'data' && f !== 'replay');
    if (unknown.length) throw new Error(`unknown option --${unknown[0]}`);
    dataDir = path.resolve(flag(flags, 'data', process.env.LIANJIAN_DATA || './data')!);
    replay = flag(flags, 'replay') === 'true';
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const engineDir = path.join(dataDir, 'ledger');
  if (!fs.existsSync(path.join(engineDir, 'ledger'))) {
    process.stderr.write(`no embedded ledger in ${dataDir} (expected ${path.join(engineDir, 'ledger')})\n${USAGE}\n`);
    return 2;
  }
  try {
    const r = await verifyChain(engineDir, {
      nodeKeyFile: nodeKeyFile(dataDir),
      replay,
      progress: (line) => process.stderr.write(line + '\n'),
    });
    process.stdout.write(
      r.ok ? `OK height=${r.height}${replay ? ' replayed' : ''}\n` : `BAD block=${r.badBlock} reason=${r.reason}\n`,
    );
    return r.ok ? 0 : 1;
  } catch (err) {
    if (isLockedError(err)) {
      process.stderr.write(
        `the ledger in ${dataDir} is in use by a running service (LevelDB allows one process): stop it, then run verify-chain again\n`,
      );
      return 2;
    }
    process.stderr.write(`verify-chain could not run: ${(err as Error).message}\n`);
    return 2;
  }
}
