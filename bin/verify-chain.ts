/**
 * `lianjian verify-chain [--data DIR] [--replay] [--witness [--rpc URL] [--witness-address ADDR]]`:
 * verifies the embedded ledger of a data dir (default LIANJIAN_DATA or ./data) with the service
 * stopped; prints `OK height=N` or `BAD block=N reason=...`. With `--witness`, every stored block
 * hash is first compared with the anchors on the external EVM witness (EVM_RPC_URL, the Witness
 * the service recorded in the data dir or EVM_WITNESS_ADDRESS): a block edited and re-signed with
 * the node key after it was anchored is named there. Exit 0 OK, 1 BAD, 2 usage or the ledger is in use.
 */
import fs from 'node:fs';
import path from 'node:path';
import { decodeBlock } from '../network/embedded/block';
import type { Db } from '../network/embedded/commit';
import * as layout from '../network/embedded/keys';
import { isLockedError, openDb } from '../network/embedded/store';
import { verifyChain, type VerifyResult } from '../network/embedded/verify-chain';
import {
  ledgerWitnessId,
  recordedWitnessAddress,
  verifyAgainstWitness,
  type WitnessSource,
} from '../ledger/evm/witness';
import { flag, parseFlags } from './flags';

const USAGE =
  'usage: lianjian verify-chain [--data DIR (default $LIANJIAN_DATA or ./data)] [--replay]' +
  ' [--witness [--rpc URL (default $EVM_RPC_URL)] [--witness-address ADDR (default: recorded in DIR, or $EVM_WITNESS_ADDRESS)]]';

/** Where the witness is, when `--witness` asks for it. */
interface WitnessTarget {
  rpcUrl: string;
  contract: string;
}

interface Invocation {
  dataDir: string;
  replay: boolean;
  witness?: WitnessTarget;
}

/** The node key: `<data>/keys/`, or beside the ledger where an older version kept it. */
function nodeKeyFile(dataDir: string): string {
  const kept = path.join(dataDir, 'keys', 'node.key');
  const legacy = path.join(dataDir, 'ledger', 'node.key');
  return fs.existsSync(kept) || fs.existsSync(path.join(dataDir, 'keys', 'node.pub')) || !fs.existsSync(legacy)
    ? kept
    : legacy;
}

function parse(args: string[]): Invocation {
  const flags = parseFlags(args, ['replay', 'witness']);
  const unknown = Object.keys(flags).filter(
    (f) => !['data', 'replay', 'witness', 'rpc', 'witness-address'].includes(f),
  );
  if (unknown.length) throw new Error(`unknown option --${unknown[0]}`);
  const dataDir = path.resolve(flag(flags, 'data', process.env.LIANJIAN_DATA || './data')!);
  const invocation: Invocation = { dataDir, replay: flag(flags, 'replay') === 'true' };
  if (flag(flags, 'witness') !== 'true') return invocation;
  const rpcUrl = flag(flags, 'rpc', process.env.EVM_RPC_URL?.trim() || undefined);
  if (!rpcUrl) throw new Error('--witness needs the EVM node: --rpc URL or EVM_RPC_URL');
  const contract =
    flag(flags, 'witness-address') ??
    recordedWitnessAddress(dataDir) ??
    (process.env.EVM_WITNESS_ADDRESS?.trim() || undefined);
  if (!contract) throw new Error(`--witness needs the Witness address: none recorded in ${dataDir}; --witness-address`);
  return { ...invocation, witness: { rpcUrl, contract } };
}

/** The stored blocks of a closed ledger database, as the witness check reads them. */
function storedBlocks(db: Db): WitnessSource {
  return {
    height: () => Promise.resolve(Number(db.getSync(layout.HEIGHT)?.toString() ?? '0')),
    block: (n) => {
      const raw = db.getSync(layout.blockKey(n));
      if (!raw) throw new Error(`block ${n} is missing`);
      const block = decodeBlock(raw.toString('utf8'));
      return Promise.resolve({ number: n, hash: block.hash });
    },
  };
}

/** Compares every stored block hash with the witness's anchors; the first that differs is BAD. */
async function checkWitness(engineDir: string, target: WitnessTarget): Promise<VerifyResult> {
  const db = openDb(engineDir);
  await db.open({ createIfMissing: false });
  try {
    const source = storedBlocks(db);
    if ((await source.height()) === 0) return { ok: true, height: 0 };
    const chainId = ledgerWitnessId((await source.block(0)).hash);
    const v = await verifyAgainstWitness({ source, chainId, ...target });
    if (v.ok) {
      process.stderr.write(
        `witness: ${v.checked} anchors match (latest anchored ${v.latestAnchoredHeight ?? 'none'}, ${v.unwitnessed} blocks not yet anchored)\n`,
      );
      return { ok: true, height: v.height };
    }
    const m = v.mismatch!;
    const since = v.lastMatchedHeight === undefined ? '' : `; block ${v.lastMatchedHeight} still matches`;
    const reason =
      m.reason === 'block missing'
        ? `block ${m.height} was anchored on the EVM witness at ${m.anchoredAt} but is missing`
        : `the stored hash ${m.storedHash} is not the hash ${m.anchoredHash} anchored on the EVM witness at ${m.anchoredAt}${since}`;
    return { ok: false, height: v.height, badBlock: m.height, reason };
  } finally {
    await db.close();
  }
}

export async function verifyChainCommand(args: string[]): Promise<number> {
  let invocation: Invocation;
  try {
    invocation = parse(args);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { dataDir, replay, witness } = invocation;
  const engineDir = path.join(dataDir, 'ledger');
  if (!fs.existsSync(path.join(engineDir, 'ledger'))) {
    process.stderr.write(`no embedded ledger in ${dataDir} (expected ${path.join(engineDir, 'ledger')})\n${USAGE}\n`);
    return 2;
  }
  try {
    let r = witness ? await checkWitness(engineDir, witness) : undefined;
    if (!r || r.ok)
      r = await verifyChain(engineDir, {
        nodeKeyFile: nodeKeyFile(dataDir),
        replay,
        progress: (line) => process.stderr.write(line + '\n'),
      });
    const checks = [replay ? ' replayed' : '', witness ? ' witnessed' : ''].join('');
    process.stdout.write(r.ok ? `OK height=${r.height}${checks}\n` : `BAD block=${r.badBlock} reason=${r.reason}\n`);
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
