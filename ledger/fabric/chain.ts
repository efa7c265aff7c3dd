/**
 * A data dir belongs to one chain: the first start records the channel's genesis block hash
 * (Fabric's header hash of block 0), and a later start against another chain (the network was
 * wiped and made again, or another network) is refused: the books, checkpoints and identities
 * kept there describe the other chain.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LedgerError } from '../errors';

interface ChainRecord {
  channel: string;
  genesisBlockHash: string;
  recordedAt: string;
}

/**
 * Records `genesisBlockHash` in `<dir>/chain.json`, or checks it against the recorded one.
 * @throws LedgerError 409 CHAIN_MISMATCH when the data dir belongs to another chain
 */
export function checkChain(dir: string, channel: string, genesisBlockHash: string, dataDir: string): void {
  const file = path.join(dir, 'chain.json');
  if (fs.existsSync(file)) {
    const kept = JSON.parse(fs.readFileSync(file, 'utf8')) as ChainRecord;
    if (kept.channel === channel && kept.genesisBlockHash === genesisBlockHash) return;
    throw new LedgerError(
      'CHAIN_MISMATCH',
      `the data dir ${dataDir} belongs to Fabric channel ${kept.channel} with genesis block ${kept.genesisBlockHash.slice(0, 16)}…, ` +
        `but the network answers with channel ${channel}, genesis block ${genesisBlockHash.slice(0, 16)}… (a new chain, e.g. after fabric:down): ` +
        'start with another LIANJIAN_DATA, or remove this data dir to begin again on the new chain',
      'LIANJIAN_DATA',
      409,
    );
  }
  if (fs.existsSync(path.join(dataDir, 'ledger'))) {
    throw new LedgerError(
      'CHAIN_MISMATCH',
      `the data dir ${dataDir} holds the embedded engine's ledger (and the books and checkpoints that go with it): ` +
        'give the Fabric chain its own, e.g. LIANJIAN_DATA=./data-fabric LEDGER=fabric npm start ' +
        '(and LIANJIAN_DATA=./data-fabric npx lianjian demo)',
      'LIANJIAN_DATA',
      409,
    );
  }
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const record: ChainRecord = { channel, genesisBlockHash, recordedAt: new Date().toISOString() };
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(record, null, 2), { mode: 0o600 });
  fs.renameSync(`${file}.tmp`, file);
}
