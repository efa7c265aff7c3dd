/**
 * Where the embedded engine keeps its data: the LevelDB database, and the node's block-signing
 * key — in the service's `<data>/keys/` apart from the ledger data (so a copy of the ledger for an
 * auditor carries no key), or `<engine dir>/node.key` where a test opens an engine on its own.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Level } from 'level';
import { generateKeyPair } from '../../chaincode/lib/gm';
import type { Db } from './commit';

export type NodeKey = { privateKey: string; publicKey: string };

/** Where a node key lives and where an older version kept it. */
export interface NodeKeyLocation {
  /** The key file (0600, in a 0700 folder); `node.pub` beside it holds the public key for verifiers. */
  file: string;
  /** Where an earlier version kept it (`<engine dir>/node.key`): moved to `file` on open. */
  legacyFile?: string;
}

/** The default: beside the engine's database. */
export const nodeKeyIn = (engineDir: string): NodeKeyLocation => ({ file: path.join(engineDir, 'node.key') });

const publicFileOf = (file: string): string => path.join(path.dirname(file), 'node.pub');

/**
 * The node's SM2 block-signing key, created on first open (`create`) or moved from its legacy place.
 * @throws Error when there is none and `create` is false, or two different keys exist
 */
export function loadNodeKey(at: NodeKeyLocation, create: boolean): NodeKey {
  const { file, legacyFile } = at;
  if (legacyFile && fs.existsSync(legacyFile)) {
    const legacy = fs.readFileSync(legacyFile, 'utf8');
    if (!fs.existsSync(file)) writeKeyFile(file, legacy);
    else if (
      (JSON.parse(fs.readFileSync(file, 'utf8')) as NodeKey).privateKey !== (JSON.parse(legacy) as NodeKey).privateKey
    )
      throw new Error(`two different node keys: ${file} and ${legacyFile}; keep the one that signed the chain`);
    fs.rmSync(legacyFile);
  }
  if (fs.existsSync(file)) {
    const key = JSON.parse(fs.readFileSync(file, 'utf8')) as NodeKey;
    if (!fs.existsSync(publicFileOf(file))) fs.writeFileSync(publicFileOf(file), key.publicKey + '\n', { mode: 0o600 });
    return key;
  }
  if (!create) throw new Error(`no node key at ${file}`);
  const kp = generateKeyPair();
  writeKeyFile(file, JSON.stringify(kp));
  fs.writeFileSync(publicFileOf(file), kp.publicKey + '\n', { mode: 0o600 });
  return kp;
}

/** The node's public key, from its key file or from `node.pub` beside it (all a verifier needs). */
export function loadNodePublicKey(file: string): string {
  if (fs.existsSync(file)) return (JSON.parse(fs.readFileSync(file, 'utf8')) as NodeKey).publicKey;
  if (fs.existsSync(publicFileOf(file))) return fs.readFileSync(publicFileOf(file), 'utf8').trim();
  throw new Error(`no node key at ${file} (nor node.pub beside it)`);
}

function writeKeyFile(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, { mode: 0o600 });
  fs.renameSync(tmp, file); // atomic: a crash never leaves half a key
}

export const openDb = (dataDir: string): Db =>
  new Level<string, Buffer>(path.join(dataDir, 'ledger'), { valueEncoding: 'buffer' }) as unknown as Db;

/**
 * LevelDB's lock: another process (usually the running service) holds the database. A store
 * whose deferred open failed answers later calls with a bare LEVEL_DATABASE_NOT_OPEN.
 */
export function isLockedError(err: unknown): boolean {
  for (let e = err as { code?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === 'LEVEL_LOCKED' || /\bLOCK\b|locked/.test(String((e as Error).message))) return true;
    if (e.code === 'LEVEL_DATABASE_NOT_OPEN' && e.cause === undefined) return true;
  }
  return false;
}
