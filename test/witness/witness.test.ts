/**
 * The witness service against a real JSON-RPC node (`hardhat node`, started here): anchoring from
 * a fake hash-chained ledger, verification naming an edited block, retries while the node is down,
 * idempotent root anchoring, and configuration errors.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { keccak256, toUtf8Bytes, Wallet } from 'ethers';
import {
  verifyAgainstWitness,
  WitnessAnchorer,
  WitnessConfigError,
  type WitnessAnchorerOptions,
  type WitnessLogLevel,
} from '../../ledger/evm/witness';
import { witnessConfigFromEnv } from '../../ledger/evm/witness-config';
import { WitnessContract } from '../../ledger/evm/witness-contract';
import {
  deployContract,
  providerFor,
  startEvmNode,
  startRpcProxy,
  writeKeyFile,
  type EvmNode,
} from '../support/evm-node';
import { until } from '../support/wait';
import { FakeSource } from './fake-source';

interface LogLine {
  level: WitnessLogLevel;
  message: string;
  fields?: Record<string, unknown>;
}

describe('EVM witness (against hardhat node)', function () {
  this.timeout(60_000);
  let node: EvmNode;
  const anchorers: WitnessAnchorer[] = [];
  const dirs: string[] = [];

  before(async function () {
    this.timeout(120_000);
    node = await startEvmNode();
  });

  after(async () => {
    await Promise.all(anchorers.map((anchorer) => anchorer.close()));
    await node?.stop();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  const tempDir = (): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianjian-witness-'));
    dirs.push(dir);
    return dir;
  };

  /** An anchorer with test-friendly timings; its log lines land in the returned array. */
  function anchorer(options: Partial<WitnessAnchorerOptions> & { source: FakeSource }): {
    witness: WitnessAnchorer;
    logs: LogLine[];
  } {
    const logs: LogLine[] = [];
    const witness = new WitnessAnchorer({
      rpcUrl: node.url,
      keyFile: writeKeyFile(node.keys[1]),
      sourceChainId: 'lianjian:test-ledger',
      everyNBlocks: 5,
      everyMs: 3_600_000,
      pollMs: 50,
      retryInitialMs: 50,
      retryMaxMs: 200,
      logger: (level, message, fields) => logs.push({ level, message, fields }),
      ...options,
    });
    anchorers.push(witness);
    return { witness, logs };
  }

  async function commit(source: FakeSource, witness: WitnessAnchorer, blocks: number): Promise<void> {
    for (let i = 0; i < blocks; i++) {
      source.append();
      witness.noteCommitted();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(await witness.idle(), 'anchorer drained').to.equal(true);
  }

  it('anchors the newest block every N blocks (deploying on first use) and verification names an edited block', async () => {
    const source = new FakeSource();
    const dataDir = tempDir();
    const { witness } = anchorer({ source, dataDir, sourceChainId: 'lianjian:verify' });
    witness.start();
    await commit(source, witness, 5); // blocks 0..4: anchors 4
    await commit(source, witness, 7); // blocks 5..11: anchors 9
    const last = witness.lastAnchor();
    expect(last?.height).to.equal(9);
    expect(last?.blockHash).to.equal(`0x${(await source.block(9)).hash}`);
    expect(last?.evmTxHash).to.match(/^0x[0-9a-f]{64}$/);
    expect(last?.evmBlock).to.be.a('number');
    expect(witness.lag().count).to.equal(2);
    const record = JSON.parse(fs.readFileSync(path.join(dataDir, 'evm-witness.json'), 'utf8')) as { address: string };
    expect(witness.status()).to.include({ state: 'idle', contract: record.address, failures: 0 });

    const check = { source, rpcUrl: node.url, contract: record.address, chainId: 'lianjian:verify' };
    expect(await verifyAgainstWitness(check)).to.deep.equal({
      ok: true,
      height: 12,
      anchors: 2,
      checked: 2,
      latestAnchoredHeight: 9,
      unwitnessed: 2,
      lastMatchedHeight: 9,
    });

    source.editAndResign(7); // re-signed from block 7 on: 7..11 all hash differently, the links still hold
    const edited = await verifyAgainstWitness(check);
    expect(edited).to.include({ ok: false, checked: 2, lastMatchedHeight: 4 });
    expect(edited.mismatch).to.include({ height: 9, reason: 'hash differs', storedHash: (await source.block(9)).hash });

    source.editAndResign(4);
    expect((await verifyAgainstWitness(check)).mismatch?.height).to.equal(4);
  });

  it('after a restart reuses the recorded contract, remembers the last anchor and never anchors backwards', async () => {
    const source = new FakeSource();
    const dataDir = tempDir();
    const first = anchorer({ source, dataDir, sourceChainId: 'lianjian:restart' });
    first.witness.start();
    await commit(source, first.witness, 5);
    await first.witness.close();
    const before = first.witness.lastAnchor();
    expect(before?.height).to.equal(4);

    const second = anchorer({ source, dataDir, sourceChainId: 'lianjian:restart' });
    second.witness.start();
    await until('the restarted anchorer connects', () => second.witness.status().contract !== undefined);
    expect(second.witness.lastAnchor()).to.include({ height: 4, evmTxHash: before?.evmTxHash });
    await commit(source, second.witness, 4); // 5..8: not yet 5 blocks past 4
    expect(second.witness.lastAnchor()?.height).to.equal(4);
    second.witness.anchorNow();
    expect(await second.witness.idle()).to.equal(true);
    expect(second.witness.lastAnchor()?.height).to.equal(8);
    expect(second.witness.status().contract).to.equal(
      (JSON.parse(fs.readFileSync(path.join(dataDir, 'evm-witness.json'), 'utf8')) as { address: string }).address,
    );
  });

  it('keeps retrying while the node is down without blocking the ledger, and catches up when it is back', async () => {
    const proxy = await startRpcProxy(node.url);
    try {
      const source = new FakeSource();
      const { witness, logs } = anchorer({ source, rpcUrl: proxy.url, dataDir: tempDir(), everyNBlocks: 1 });
      witness.start();
      await commit(source, witness, 3);
      expect(witness.lastAnchor()?.height).to.equal(2);

      await proxy.down();
      const started = Date.now();
      for (let i = 0; i < 20; i++) {
        source.append();
        witness.noteCommitted(); // returns at once, node or no node
      }
      expect(Date.now() - started).to.be.lessThan(100);
      await until('retries while the node is down', () => witness.status().failures >= 3);
      expect(witness.status()).to.include({ state: 'retrying', pendingHeight: 22 });
      expect(logs.some((line) => line.level === 'warn' && line.message.includes('retrying'))).to.equal(true);

      await proxy.up();
      await until('caught up with the newest block', () => witness.lastAnchor()?.height === 22, 15_000);
      expect(witness.status()).to.include({ state: 'idle', failures: 0 });
      const contract = witness.status().contract!;
      const verdict = await verifyAgainstWitness({
        source,
        rpcUrl: node.url,
        contract,
        chainId: 'lianjian:test-ledger',
      });
      expect(verdict).to.include({ ok: true, height: 23, unwitnessed: 0 });
    } finally {
      await proxy.stop();
    }
  });

  it('anchors each run root once: the same root again is a no-op, a second run of the day is kept, an earlier day is refused', async () => {
    const source = new FakeSource();
    const { witness, logs } = anchorer({ source, dataDir: tempDir(), sourceChainId: 'lianjian:roots' });
    witness.start();
    const root1 = keccak256(toUtf8Bytes('recon 2025-03-01'));
    expect(witness.anchorRoot('2025-03-01', root1)).to.equal(true);
    expect(witness.anchorRoot('2025-03-01', root1)).to.equal(true); // queued once
    expect(await witness.idle()).to.equal(true);
    const anchored = witness.lastRootAnchor();
    expect(anchored).to.include({ day: '2025-03-01', root: root1 });
    expect(anchored?.evmTxHash).to.match(/^0x/);

    const provider = await providerFor(node.url);
    const contract = new WitnessContract(witness.status().contract!, provider);
    const chain = witness.sourceChain;
    const evmHeight = await provider.getBlockNumber();
    witness.anchorRoot('2025-03-01', root1.slice(2)); // same root, hex without 0x
    expect(await witness.idle()).to.equal(true);
    expect(await provider.getBlockNumber(), 'no transaction for a root already anchored').to.equal(evmHeight);

    witness.anchorRoot('2025-03-01', keccak256(toUtf8Bytes('another root')));
    witness.anchorRoot('2025-03-02', keccak256(toUtf8Bytes('recon 2025-03-02')));
    witness.anchorRoot('2025-02-28', keccak256(toUtf8Bytes('recon 2025-02-28')));
    expect(await witness.idle()).to.equal(true);
    const refusals = logs.filter((line) => line.level === 'error').map((line) => line.message);
    expect(refusals).to.have.length(1);
    expect(refusals[0]).to.match(/DayBeforeLatest/);
    expect(await contract.anchorCounts(chain)).to.deep.equal({ blocks: 0, roots: 3 });
    expect((await contract.rootAnchor(chain, 20250301, root1))?.value).to.equal(root1);
    expect(witness.lastRootAnchor()?.day).to.equal('2025-03-02');
    expect(() => witness.anchorRoot('2025-02-30', root1)).to.throw(/YYYY-MM-DD/);
    expect(() => witness.anchorRoot('2025-03-03', '0x1234')).to.throw(/32 bytes/);
    provider.destroy();
  });

  it('stops with a clear error when its key may not anchor on a given contract', async () => {
    const { address } = await deployContract({
      url: node.url,
      key: node.keys[0],
      name: 'Witness',
      args: [new Wallet(node.keys[0]).address],
    });
    const source = new FakeSource();
    source.append(5);
    const { witness, logs } = anchorer({ source, contractAddress: address, keyFile: writeKeyFile(node.keys[2]) });
    witness.start();
    await until('the anchorer gives up', () => witness.status().state === 'failed');
    expect(witness.status().lastError).to.match(/may not anchor .* and does not own it/);
    expect(logs.some((line) => line.level === 'error')).to.equal(true);
    expect(witness.anchorRoot('2025-03-01', keccak256(toUtf8Bytes('x')))).to.equal(false);
  });

  it('stops when the key file is missing or malformed', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'bad.key'), 'not a key');
    for (const keyFile of [path.join(dir, 'absent.key'), path.join(dir, 'bad.key')]) {
      const { witness } = anchorer({ source: new FakeSource(), keyFile, dataDir: dir });
      witness.start();
      await until('the anchorer gives up', () => witness.status().state === 'failed');
      expect(witness.status().lastError).to.match(/EVM key file/);
      expect(witness.status().lastError).not.to.contain('not a key');
    }
    expect(new WitnessConfigError('x')).to.be.instanceOf(Error);
  });
});

describe('EVM witness configuration (environment)', () => {
  it('is off when EVM_RPC_URL and EVM_KEY_FILE are both unset, and refuses half a configuration', () => {
    expect(witnessConfigFromEnv({})).to.equal(undefined);
    expect(() => witnessConfigFromEnv({ EVM_RPC_URL: 'http://127.0.0.1:8545' })).to.throw(/EVM_KEY_FILE/);
    expect(() => witnessConfigFromEnv({ EVM_KEY_FILE: '/k' })).to.throw(/EVM_RPC_URL/);
    expect(
      witnessConfigFromEnv({
        EVM_RPC_URL: 'http://127.0.0.1:8545',
        EVM_KEY_FILE: '/k',
        WITNESS_EVERY_BLOCKS: '10',
        WITNESS_EVERY_MS: '30000',
      }),
    ).to.deep.equal({
      rpcUrl: 'http://127.0.0.1:8545',
      keyFile: '/k',
      contractAddress: undefined,
      everyNBlocks: 10,
      everyMs: 30000,
    });
    const both = { EVM_RPC_URL: 'http://127.0.0.1:8545', EVM_KEY_FILE: '/k' };
    expect(() => witnessConfigFromEnv({ ...both, WITNESS_EVERY_BLOCKS: '0' })).to.throw(/WITNESS_EVERY_BLOCKS/);
    expect(() => witnessConfigFromEnv({ ...both, WITNESS_EVERY_MS: '1.5' })).to.throw(/WITNESS_EVERY_MS/);
    expect(() => witnessConfigFromEnv({ ...both, EVM_WITNESS_ADDRESS: '0x12' })).to.throw(/EVM_WITNESS_ADDRESS/);
  });
});
