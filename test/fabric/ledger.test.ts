/**
 * The Fabric LedgerClient on the live network (npm run test:fabric, LEDGER=fabric; not in npm test):
 * qscc views, the data dir's chain record, health, and crashes under load — kill -9 of one of the
 * three orderers (writes go on, nothing acknowledged is lost) and of a peer (a clear 503 while it
 * is down, writes resume by themselves, the event stream resumes with no gap and no duplicate).
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LedgerError } from '../../chaincode/lib/errors';
import { runningPid } from '../../network/fabric/daemons';
import { createLayout, layoutOptionsFromEnv } from '../../network/fabric/layout';
import { raftLeader } from '../../network/fabric/probe';
import { FabricLedger } from '../../ledger/fabric/index';
import { signCall } from '../../ledger/intents';
import type { LedgerEvent } from '../../ledger/types';
import type { SseMessage } from '../../gateway/sdk';
import { startGateway } from '../gateway/helpers';
import { onFabric } from '../support/fabric';
import { Harness } from '../support/harness';

const layout = createLayout(layoutOptionsFromEnv());
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** `fabric:up` as a user runs it after a crash: restarts what is dead, says ready after a cross-org endorsement. */
function fabricUp(): Promise<string> {
  const cli = path.join(layout.root, 'dist', 'network', 'fabric', 'cli.js');
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [cli, 'up'], { timeout: 180_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`fabric up: ${stdout}${stderr}`)) : resolve(stdout),
    ),
  );
}

function killHard(processName: string): void {
  const pid = runningPid(layout, processName);
  expect(pid, `${processName} should be running`).to.be.a('number');
  process.kill(pid!, 'SIGKILL');
}

describe('Fabric ledger adapter on the live network', function () {
  this.timeout(240_000);
  let h: Harness;
  /** Each load client's own account pair (one hot account would make the test about MVCC conflicts). */
  let pairs: [string, string][] = [];

  /** One 1-fen transfer by ent1 between a pair of its accounts, signed with its own key; its transaction id. */
  const transfer = async ([from, to]: [string, string] = pairs[0]): Promise<string> => {
    const call = signCall(h.id('ent1'), { fn: 'Money:transfer', args: [h.uid('ft'), from, to, '1', 'test', ''] });
    return (await h.ledger.submit(call)).txId;
  };

  before(async function () {
    if (!onFabric()) throw new Error('this suite runs on the Fabric network: npm run test:fabric (LEDGER=fabric)');
    h = await Harness.create();
    pairs = Array.from({ length: 6 }, (): [string, string] => [h.uid('fa'), h.uid('fb')]);
    await Promise.all(
      pairs.map(async ([from, to]) => {
        await h.openAccount(from, 'ent1');
        await h.openAccount(to, 'ent1');
        await h.deposit(from, 1_000_000n);
      }),
    );
  });
  after(async () => h?.close());

  it("shows blocks and transactions from qscc: Fabric's header hashes chain, creator MSP, validation code, the intent", async () => {
    const txId = await transfer();
    const tx = await h.ledger.transaction(txId, { withIntent: true });
    expect(tx).to.include({ txId, status: 'VALID', fn: 'Money:transfer', signer: 'Org1MSP:ent1' });
    expect(tx.creator.mspId).to.equal('Org1MSP');
    expect(tx.creator.id).to.match(/OU=client/);
    expect(tx.intent?.signer).to.equal('Org1MSP:ent1');
    const block = await h.ledger.block(tx.blockNumber);
    expect(block.txs[tx.txIndex].txId).to.equal(txId);
    expect(block.previousHash).to.equal((await h.ledger.block(tx.blockNumber - 1)).hash);
    expect(await h.ledger.height()).to.be.greaterThan(tx.blockNumber);
    const missing = await h.ledger.block(1e9).catch((e: LedgerError) => e);
    expect(missing).to.include({ code: 'BLOCK_NOT_FOUND', status: 404 });
    const noTx = await h.ledger.transaction('ab'.repeat(32)).catch((e: LedgerError) => e);
    expect(noTx).to.include({ code: 'TX_NOT_FOUND', status: 404 });
  });

  it('a data dir records the genesis block hash and refuses another chain', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lj-fabric-chain-'));
    const first = await FabricLedger.open({ dataDir: dir });
    const genesis = (await first.block(0)).hash;
    await first.close();
    const record = JSON.parse(fs.readFileSync(path.join(dir, 'fabric', 'chain.json'), 'utf8')) as {
      genesisBlockHash: string;
    };
    expect(record.genesisBlockHash).to.equal(genesis);
    fs.writeFileSync(
      path.join(dir, 'fabric', 'chain.json'),
      JSON.stringify({ ...record, genesisBlockHash: 'ab'.repeat(32) }),
    );
    const refused = await FabricLedger.open({ dataDir: dir }).catch((e: LedgerError) => e);
    expect(refused).to.be.instanceOf(LedgerError);
    expect(refused).to.include({ code: 'CHAIN_MISMATCH', field: 'LIANJIAN_DATA' });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reports each peer and orderer', async () => {
    const health = await h.ledger.health();
    expect(health.ready).to.equal(true);
    expect(health.components.filter((c) => c.kind === 'peer' && c.ok)).to.have.length(3);
    expect(health.components.filter((c) => c.kind === 'orderer' && c.ok)).to.have.length(3);
  });

  it('kill -9 of the Raft leader under load: writes continue, every acknowledged write is committed', async () => {
    const leader = await raftLeader(network());
    expect(leader, 'a Raft leader').to.be.a('string');
    const processName = leader!.split('.')[0];
    const acknowledged: string[] = [];
    const failures: string[] = [];
    let stop = false;
    let afterKill = 0;
    let killed = false;
    const client = async (pair: [string, string]): Promise<void> => {
      while (!stop) {
        try {
          acknowledged.push(await transfer(pair));
          if (killed) afterKill++;
        } catch (err) {
          failures.push(err instanceof LedgerError ? err.code : String(err));
        }
      }
    };
    const clients = pairs.map((pair) => client(pair));
    await sleep(2000);
    killHard(processName);
    killed = true;
    await sleep(15_000);
    stop = true;
    await Promise.all(clients);
    console.log(
      `      (${acknowledged.length} acknowledged, ${afterKill} after the kill; refused: ${failures.join(', ') || 'none'})`,
    );
    expect(afterKill, 'writes acknowledged after the leader died').to.be.greaterThan(0);
    for (const txId of acknowledged) expect((await h.ledger.transaction(txId)).status).to.equal('VALID');
    await fabricUp();
  });

  it('kill -9 of a peer: 503 while it is down, writes resume by themselves, events and SSE resume with no gap and no duplicate', async () => {
    const start = await h.ledger.height();
    const written: string[] = [];
    const seen: LedgerEvent[] = [];
    const abort = new AbortController();
    const reading = (async () => {
      for await (const ev of h.ledger.events(start, abort.signal)) seen.push(ev);
    })();
    // The same through the service: SSE from a gateway with its own Fabric ledger client.
    const gw = await startGateway('fabric-sse');
    const sse: SseMessage[] = [];
    const regulator = await gw.client('Org2MSP:regulator1');
    const streaming = (async () => {
      for await (const m of regulator.stream(`/v1/events?fromBlock=${start}`, { signal: abort.signal })) sse.push(m);
    })().catch(() => undefined);
    written.push(await transfer(), await transfer());
    killHard(network().orgs.Org1MSP.peer.name);
    const refused = await transfer().catch((e: unknown) => e);
    expect(refused, String(refused)).to.be.instanceOf(LedgerError);
    expect(refused).to.include({ code: 'LEDGER_UNAVAILABLE', status: 503 });
    await fabricUp();
    for (let i = 0; i < 3; i++) written.push(await transfer()); // the same ledger client: no restart
    const sseTxIds = (): string[] => sse.map((m) => (JSON.parse(m.data) as { txId: string }).txId);
    const deadline = Date.now() + 30_000;
    const missing = (): boolean => written.some((t) => !seen.some((e) => e.txId === t) || !sseTxIds().includes(t));
    while (missing() && Date.now() < deadline) await sleep(200);
    abort.abort();
    await Promise.all([reading, streaming]);
    await gw.close();
    for (const [name, ids, positions] of [
      ['ledger events', seen.map((e) => e.txId), seen.map((e) => e.blockNumber * 1e6 + e.txIndex)],
      ['SSE', sseTxIds(), sse.map((m) => m.id!.split('.').map(Number)).map(([b, t]) => b * 1e6 + t)],
    ] as const) {
      expect(new Set(ids).size, `${name}: no duplicate`).to.equal(ids.length);
      for (const txId of written) expect(ids, `${name}: event of ${txId}`).to.include(txId);
      expect(positions, `${name}: in commit order`).to.deep.equal([...positions].sort((a, b) => a - b));
    }
    await h.expectConserved();
  });

  const network = () => (h.ledger as FabricLedger).network;
});
