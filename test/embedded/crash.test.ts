import { expect } from 'chai';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createCa } from '../../network/embedded/ca';
import { openDb } from '../../network/embedded/store';
import * as stateKeys from '../../network/embedded/keys';
import { verifyChain } from '../../network/embedded/verify-chain';
import { ACCOUNTS, OPENING } from './crash-child';
import { makeClient, tmpDir } from './fixtures';

/** Starts the child, waits for "ready", lets it commit for `runMs`, then SIGKILLs it. */
function runAndKill(dataDir: string, runMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'crash-child.js'), dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let readyHeight = -1;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ready (\d+)/.exec(out);
      if (m && readyHeight < 0) {
        readyHeight = Number(m[1]);
        setTimeout(() => child.kill('SIGKILL'), runMs);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' && readyHeight >= 0) resolve(readyHeight);
      else reject(new Error(`child exited code=${code} signal=${signal}: ${err}`));
    });
  });
}

async function balances(dataDir: string): Promise<bigint> {
  const db = openDb(dataDir);
  await db.open();
  let sum = 0n;
  for await (const [, raw] of db.iterator({
    gte: stateKeys.stateKey('\u0000acct\u0000'),
    lt: stateKeys.stateKey('\u0000acct\u0001'),
  }))
    sum += BigInt(stateKeys.decodeState(raw).value.toString());
  await db.close();
  return sum;
}

describe('embedded engine: crash consistency (kill -9 under load)', function () {
  this.timeout(60000);

  it('reopens consistent after SIGKILL at random moments', async () => {
    const dataDir = tmpDir('crash');
    const ca = createCa('Org1MSP');
    fs.writeFileSync(
      path.join(dataDir, 'identity.json'),
      JSON.stringify({ ca: { org: ca.org, certPem: ca.certPem }, client: makeClient(ca, 'loader') }),
    );
    const started = Date.now();
    let lastHeight = 0;
    let firstHeight = -1;
    let rounds = 0;
    while (rounds < 15 && Date.now() - started < 25000) {
      const readyHeight = await runAndKill(dataDir, 30 + Math.floor(Math.random() * 300));
      expect(readyHeight, 'a reopened ledger never loses committed blocks').to.be.at.least(lastHeight);
      const r = await verifyChain(dataDir);
      expect(r, `round ${rounds}`).to.include({ ok: true });
      lastHeight = r.height;
      if (firstHeight < 0) firstHeight = r.height;
      expect(await balances(dataDir)).to.equal(BigInt(ACCOUNTS * OPENING)); // money conserved in the surviving state
      rounds++;
    }
    expect(rounds).to.be.at.least(5); // 15 on an idle machine; fewer when the box is shared
    expect(lastHeight, 'transfers committed across rounds').to.be.greaterThan(firstHeight);
  });
});
