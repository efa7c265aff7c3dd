/**
 * verify-chain against an operator who holds the node key: it edits a committed write set, makes
 * the stored state and history agree, re-hashes and re-signs the block. Every hash and signature
 * then checks out; only re-executing the transaction from its signed intent (`--replay`) finds
 * it. Also: the transaction and key-history indexes must be exactly what the blocks say, and the
 * CLI says plainly when the ledger is in use.
 */
import { expect } from 'chai';
import path from 'node:path';
import * as layout from '../../network/embedded/keys';
import { verifyChain } from '../../network/embedded/verify-chain';
import { verifyChainCommand } from '../../bin/verify-chain';
import { EmbeddedLedger } from '../../ledger/embedded/index';
import { Harness } from '../support/harness';
import { forgeLastBlock, stored, withDb } from '../support/forge';

/** A small real chain (the Lianjian chaincode): two accounts, a deposit, a transfer last. */
async function buildChain(): Promise<{ dataDir: string; engineDir: string }> {
  const h = await Harness.create();
  await h.openAccount('rp-a', 'ent1');
  await h.openAccount('rp-b', 'ent2');
  await h.deposit('rp-a', '10000');
  await h.submit('ent1', 'Money:transfer', 'rp-t1', 'rp-a', 'rp-b', '2500', 'goods', '');
  await h.ledger.close();
  return { dataDir: h.dataDir, engineDir: path.join(h.dataDir, 'ledger') };
}

describe('verify-chain: indexes and re-execution (--replay)', function () {
  this.timeout(60_000);

  it('a re-signed block with an edited write set passes the hash checks and fails the replay', async () => {
    const { engineDir } = await buildChain();
    expect(await verifyChain(engineDir, { replay: true })).to.include({ ok: true });
    const n = await forgeLastBlock(engineDir, 'rp-b');
    expect(await verifyChain(engineDir), 'hashes, signatures and state agree').to.include({ ok: true });
    const replayed = await verifyChain(engineDir, { replay: true });
    expect(replayed).to.include({ ok: false, badBlock: n });
    expect(replayed.reason).to.match(/re-executing Money:transfer writes another value for "acct~rp-b"/);
  });

  it('the transaction index must point every transaction to its block, and hold nothing else', async () => {
    const { engineDir } = await buildChain();
    let txId = '';
    await withDb(engineDir, async (db) => {
      const [, , body] = stored(await db.get(layout.blockKey(3)));
      txId = body.txs[0].txId;
      await db.put(layout.txKey(txId), Buffer.from('0:0'));
    });
    expect(await verifyChain(engineDir)).to.deep.include({ ok: false, badBlock: 3 });
    await withDb(engineDir, (db) => db.put(layout.txKey(txId), Buffer.from('3:0')));
    expect((await verifyChain(engineDir)).ok).to.equal(true);
    await withDb(engineDir, (db) => db.put(layout.txKey('f'.repeat(64)), Buffer.from('2:0')));
    const stray = await verifyChain(engineDir);
    expect(stray).to.include({ ok: false, badBlock: 2 });
    expect(stray.reason).to.match(/transaction index entry/);
  });

  it('the key-history index must hold each valid write, unaltered, and nothing else', async () => {
    const { engineDir } = await buildChain();
    let key = '';
    let original: Buffer | undefined;
    await withDb(engineDir, async (db) => {
      [[key, original]] = await db.iterator({ ...layout.histRange('acct~rp-a'), limit: 1 }).all(); // its opening
      await db.put(key, Buffer.from(JSON.stringify({ ...JSON.parse(original.toString()), v: 'AAAA' })));
    });
    const opened = Number(key.slice(-18, -6));
    const altered = await verifyChain(engineDir);
    expect(altered).to.include({ ok: false, badBlock: opened });
    expect(altered.reason).to.match(/history index entry of "acct~rp-a" is altered/);
    await withDb(engineDir, async (db) => {
      await db.put(key, original!);
      await db.put(layout.histKey('acct~rp-a', 1, 0), Buffer.from('{}'));
    });
    const stray = await verifyChain(engineDir);
    expect(stray).to.include({ ok: false, badBlock: 1 });
    expect(stray.reason).to.match(/history index entry .* is no transaction's write/);
  });

  it('the CLI takes --data, replays with --replay, and says so when a running service holds the ledger', async () => {
    const { dataDir, engineDir } = await buildChain();
    const out = await capture(() => verifyChainCommand(['--data', dataDir, '--replay']));
    expect(out).to.deep.include({ code: 0 });
    expect(out.stdout).to.match(/^OK height=\d+ replayed\n$/);
    const running = await EmbeddedLedger.open(engineDir);
    try {
      const locked = await capture(() => verifyChainCommand([`--data=${dataDir}`]));
      expect(locked.code).to.equal(2);
      expect(locked.stderr).to.match(/in use by a running service/);
      expect(locked.stdout).to.equal('');
    } finally {
      await running.close();
    }
    expect((await capture(() => verifyChainCommand([dataDir]))).code).to.equal(2); // one flag style
  });
});

async function capture(run: () => Promise<number>): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' };
  const stdout = Object.getOwnPropertyDescriptor(process.stdout, 'write');
  const stderr = Object.getOwnPropertyDescriptor(process.stderr, 'write');
  Object.assign(process.stdout, { write: (s: string) => (out.stdout += s) && true });
  Object.assign(process.stderr, { write: (s: string) => (out.stderr += s) && true });
  try {
    const code = await run();
    return { code, ...out };
  } finally {
    if (stdout) Object.defineProperty(process.stdout, 'write', stdout);
    else delete (process.stdout as { write?: unknown }).write;
    if (stderr) Object.defineProperty(process.stderr, 'write', stderr);
    else delete (process.stderr as { write?: unknown }).write;
  }
}
