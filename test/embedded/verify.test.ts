import { expect } from 'chai';
import { Level } from 'level';
import * as path from 'node:path';
import * as stateKeys from '../../network/embedded/keys';
import { verifyChain, verifyLedger } from '../../network/embedded/verify-chain';
import { verifyChainCommand } from '../../bin/verify-chain';
import { openTestEngine, proposal, tmpDir } from './fixtures';

/** A chain in `<data>/ledger` as the service lays it out (node key beside it, as before issue 14). */
async function buildChain(): Promise<string> {
  const { engine, alice, dataDir } = await openTestEngine({
    blockTimeoutMs: 1,
    dataDir: path.join(tmpDir('vc'), 'ledger'),
  });
  await engine.submit(proposal(alice, 'TestBank:open', ['a', '100']));
  await engine.submit(proposal(alice, 'TestBank:open', ['b', '0']));
  for (let i = 0; i < 4; i++) await engine.submit(proposal(alice, 'TestBank:transfer', ['a', 'b', '1', `r${i}`]));
  expect((await verifyLedger(engine.db, engine.nodePublicKey)).ok).to.equal(true);
  await engine.close();
  return dataDir;
}

async function tamper(dataDir: string, f: (db: Level<string, Buffer>) => Promise<void>) {
  const db = new Level<string, Buffer>(path.join(dataDir, 'ledger'), { valueEncoding: 'buffer' });
  await db.open();
  await f(db);
  await db.close();
}

describe('embedded engine: verify-chain', function () {
  this.timeout(20000);

  it('accepts an untouched chain', async () => {
    const dir = await buildChain();
    expect(await verifyChain(dir)).to.deep.equal({ ok: true, height: 6 });
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = (s: string) => {
      out.push(s);
      return true;
    };
    try {
      expect(await verifyChainCommand(['--data', path.dirname(dir)])).to.equal(0);
    } finally {
      process.stdout.write = write;
    }
    expect(out.join('')).to.equal('OK height=6\n');
  });

  it('reports the first tampered block (body edited in LevelDB)', async () => {
    const dir = await buildChain();
    await tamper(dir, async (db) => {
      for (const n of [3, 4]) {
        const raw = (await db.get(stateKeys.blockKey(n))).toString();
        await db.put(
          stateKeys.blockKey(n),
          Buffer.from(raw.replace('"amount\\":\\"1\\"', '"amount\\":\\"9\\"').replace('["a","b","1"', '["a","b","9"')),
        );
      }
    });
    const r = await verifyChain(dir);
    expect(r).to.include({ ok: false, badBlock: 3 });
    expect(r.reason).to.match(/data hash/);
  });

  it('detects a re-hashed block by its broken node signature and chain link', async () => {
    const dir = await buildChain();
    const { sm3 } = await import('../../chaincode/lib/gm');
    await tamper(dir, async (db) => {
      const [h, sig, body] = (await db.get(stateKeys.blockKey(2))).toString().split('\n');
      const forged = body.replace('["a","b","1","r0"]', '["a","b","2","r0"]');
      const header = JSON.stringify({ ...JSON.parse(h), dataHash: sm3(forged) });
      await db.put(stateKeys.blockKey(2), Buffer.from(`${header}\n${sig}\n${forged}`));
    });
    const r = await verifyChain(dir);
    expect(r).to.include({ ok: false, badBlock: 2 });
    expect(r.reason).to.match(/signature/);
  });

  it('detects a state value edited in LevelDB and names the block that last wrote it', async () => {
    const dir = await buildChain();
    await tamper(dir, async (db) => {
      const k = stateKeys.stateKey('\u0000acct\u0000b\u0000');
      const d = stateKeys.decodeState(await db.get(k));
      await db.put(k, stateKeys.encodeState(d.version, Buffer.from('1000000')));
    });
    const r = await verifyChain(dir);
    expect(r).to.include({ ok: false, badBlock: 5 });
    expect(r.reason).to.match(/differs from the replay/);
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = (s: string) => {
      out.push(s);
      return true;
    };
    try {
      expect(await verifyChainCommand(['--data', path.dirname(dir)])).to.equal(1);
    } finally {
      process.stdout.write = write;
    }
    expect(out.join('')).to.match(/^BAD block=5 reason=/);
  });
});
