/** Where the embedded engine keeps its data: the LevelDB database and the node's block-signing key. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Level } from 'level';
import { generateKeyPair } from '../../chaincode/lib/gm';
import type { Db } from './commit';

export type NodeKey = { privateKey: string; publicKey: string };

/** The node's SM2 block-signing key, created on first open and kept in the data dir. */
export function loadNodeKey(dataDir: string, create: boolean): NodeKey {
  const file = path.join(dataDir, 'node.key');
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as NodeKey;
  if (!create) throw new Error(`no node key in ${dataDir}`);
  const kp = generateKeyPair();
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(kp), { mode: 0o600 });
  fs.renameSync(tmp, file); // atomic: a crash never leaves half a key
  return kp;
}

export const openDb = (dataDir: string) =>
  new Level<string, Buffer>(path.join(dataDir, 'ledger'), { valueEncoding: 'buffer' }) as unknown as Db;
