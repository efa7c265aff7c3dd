/**
 * Child process of crash.test: opens the engine on argv[2] and commits transfers under load
 * until it is killed with SIGKILL. Prints "ready <height>" once open.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EmbeddedEngine } from '../../network/embedded/engine';
import { Client, proposal, TestBank } from './fixtures';

export const ACCOUNTS = 8;
export const OPENING = 1000;

async function main(): Promise<void> {
  const dataDir = process.argv[2];
  const { ca, client } = JSON.parse(fs.readFileSync(path.join(dataDir, 'identity.json'), 'utf8')) as {
    ca: { org: string; certPem: string };
    client: Client;
  };
  const engine = await EmbeddedEngine.open({
    dataDir,
    contracts: [TestBank],
    blockTimeoutMs: 2,
    blockMaxTx: 50,
    verifierThreads: 0,
    syncWrites: false,
  });
  await engine.addOrg(ca);
  if (engine.height() === 0) {
    await Promise.all(
      Array.from({ length: ACCOUNTS }, (_, i) =>
        engine.submit(proposal(client, 'TestBank:open', [`acct${i}`, String(OPENING)])),
      ),
    );
  }
  process.stdout.write(`ready ${engine.height()}\n`);
  let n = 0;
  const worker = async () => {
    for (;;) {
      const from = Math.floor(Math.random() * ACCOUNTS);
      const to = (from + 1 + Math.floor(Math.random() * (ACCOUNTS - 1))) % ACCOUNTS;
      const ref = `${process.pid}-${n++}`;
      await engine
        .submit(
          proposal(client, 'TestBank:transfer', [
            `acct${from}`,
            `acct${to}`,
            String(1 + Math.floor(Math.random() * 5)),
            ref,
          ]),
        )
        .catch(() => undefined);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(String(err?.stack ?? err) + '\n');
    process.exit(2);
  });
}
