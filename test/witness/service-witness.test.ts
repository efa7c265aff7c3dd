/**
 * The witness as the service runs it (gateway/witness.ts) against a real `hardhat node`: it
 * anchors the embedded ledger's newest block and each reconciliation run's root, GET /v1/witness
 * shows the last anchor, and after the operator edits and re-signs an anchored block with the
 * node key, plain `verify-chain` still passes while `verify-chain --witness` names that block.
 */
import { expect } from 'chai';
import pino from 'pino';
import { verifyChainCommand } from '../../bin/verify-chain';
import { startWitness, type WitnessRunner } from '../../gateway/witness';
import { loadLedgerConfig } from '../../ledger/config';
import { Guards } from '../../ledger/guard';
import { OracleService } from '../../oracles/service';
import { startEvmNode, writeKeyFile, type EvmNode } from '../support/evm-node';
import { forgeLastBlock } from '../support/forge';
import { Harness } from '../support/harness';
import { until } from '../support/wait';

/** Runs the CLI command in-process, collecting what it prints. */
async function verifyChainCli(args: string[]): Promise<{ code: number; out: string }> {
  const write = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  let out = '';
  Object.assign(process.stdout, { write: (s: string) => (out += s) && true });
  Object.assign(process.stderr, { write: () => true });
  try {
    return { code: await verifyChainCommand(args), out };
  } finally {
    Object.assign(process.stdout, { write });
    Object.assign(process.stderr, { write: writeErr });
  }
}

describe('the service witness and verify-chain --witness (against hardhat node)', function () {
  this.timeout(120_000);
  let node: EvmNode;

  before(async function () {
    this.timeout(120_000);
    node = await startEvmNode();
  });
  after(async () => node?.stop());

  it('anchors blocks and run roots; a block re-signed after it was anchored is named by --witness only', async () => {
    const h = await Harness.create();
    await h.openAccount('wt-a', 'ent1');
    await h.openAccount('wt-b', 'ent2');
    await h.deposit('wt-a', '10000');
    const guards = new Guards(loadLedgerConfig({}).guard);
    const oracles = await OracleService.open({ dataDir: h.dataDir, guards, oracle: h.id('oracle1') });
    const env = {
      EVM_RPC_URL: node.url,
      EVM_KEY_FILE: writeKeyFile(node.keys[2]),
      WITNESS_EVERY_BLOCKS: '1',
      WITNESS_EVERY_MS: '3600000',
    };
    const logger = pino({ level: 'silent' });
    const witness = startWitness({ env, ledger: h.ledger, dataDir: h.dataDir, oracles, logger }) as WitnessRunner;
    expect(witness, 'EVM_RPC_URL and EVM_KEY_FILE switch the witness on').to.not.equal(undefined);
    const run = await oracles.reconcileNow(h.ledger); // anchors its root on the ledger too: a block
    await until('the run root anchored', () => witness.status().lastRootAnchor?.root === `0x${run.root}`, 60_000);
    await h.submit('ent1', 'Money:transfer', 'wt-t1', 'wt-a', 'wt-b', '2500', 'goods', '');
    const height = await h.ledger.height();
    await until('the newest block anchored', () => witness.status().lastAnchor?.height === height - 1, 60_000);
    const anchored = witness.status();
    expect(anchored.lastAnchor?.blockHash).to.equal(`0x${(await h.ledger.block(height - 1)).hash}`);
    expect(anchored.lastAnchor?.evmTxHash).to.match(/^0x[0-9a-f]{64}$/);
    expect(anchored.evmChainId).to.equal('31337');

    await witness.close();
    await oracles.stop();
    guards.shutdown();
    await h.ledger.close();
    expect(startWitness({ env: {}, ledger: h.ledger, dataDir: h.dataDir, oracles, logger }), 'off when unset').to.equal(
      undefined,
    );

    expect(await verifyChainCli(['--data', h.dataDir, '--witness', '--rpc', node.url])).to.deep.equal({
      code: 0,
      out: `OK height=${height} witnessed\n`,
    });
    const forged = await forgeLastBlock(`${h.dataDir}/ledger`, 'wt-b');
    expect(forged).to.equal(height - 1);
    expect(await verifyChainCli(['--data', h.dataDir]), 'hashes and signatures agree').to.deep.equal({
      code: 0,
      out: `OK height=${height}\n`,
    });
    const verdict = await verifyChainCli(['--data', h.dataDir, '--witness', '--rpc', node.url]);
    expect(verdict.code).to.equal(1);
    expect(verdict.out).to.match(
      new RegExp(`^BAD block=${forged} reason=the stored hash [0-9a-f]{64} is not the hash`),
    );
  });
});
