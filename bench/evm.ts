/**
 * The EVM figures, against a real `hardhat node` started here:
 * - `evm.transfer.tps`: Money:transfer on MoneyCore.sol through the LEDGER=evm adapter, each
 *   client a member signing its own EIP-712 request, one relayer submitting (automining node);
 * - `evm.anchor.lag_ms`: from an embedded block's commit to its hash anchored on the Witness
 *   (WITNESS_EVERY_BLOCKS=1), mean and max over the blocks anchored.
 */
import { Wallet } from 'ethers';
import { WitnessAnchorer } from '../ledger/evm/witness';
import { EvmTwin } from '../test/evm-ledger/twin';
import { startEvmNode, writeKeyFile, type EvmNode } from '../test/support/evm-node';
import { Harness } from '../test/support/harness';
import type { Report } from './report';

const CLIENTS = Number(process.env.BENCH_EVM_CLIENTS ?? 8);
const TRANSFERS = Number(process.env.BENCH_EVM_TRANSFERS ?? 400);
const ANCHORED_BLOCKS = Number(process.env.BENCH_EVM_BLOCKS ?? 20);

async function transferTps(node: EvmNode, report: Report): Promise<void> {
  const twin = await EvmTwin.create(node, { clients: CLIENTS });
  const clients = Array.from({ length: CLIENTS }, (_, k) => `Org1MSP:bench${k}`);
  for (const [k, who] of clients.entries()) {
    for (const side of ['a', 'b'])
      await twin.submit('Org1MSP:bank1', 'Money:openAccount', `b${k}${side}`, 'settlement', who, `r${k}${side}`, '');
    await twin.submit('Org1MSP:oracle1', 'Money:mirrorDeposit', `b${k}a`, '100000000', `bd${k}`, '', '');
  }
  const perClient = Math.ceil(TRANSFERS / CLIENTS);
  const t0 = process.hrtime.bigint();
  await Promise.all(
    clients.map(async (who, k) => {
      for (let i = 0; i < perClient; i++)
        await twin.submit(who, 'Money:transfer', `bt${k}-${i}`, `b${k}a`, `b${k}b`, '1', 'bench', '');
    }),
  );
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  report('evm.transfer.tps', (perClient * CLIENTS) / secs, 'tx/s');
  await twin.close();
}

async function anchorLag(node: EvmNode, report: Report): Promise<void> {
  const h = await Harness.create();
  const genesis = (await h.ledger.block(0)).hash;
  const anchorer = new WitnessAnchorer({
    rpcUrl: node.url,
    keyFile: writeKeyFile(new Wallet(node.keys[3]).privateKey),
    dataDir: h.dataDir,
    sourceChainId: `lianjian:${genesis}`,
    source: h.ledger,
    everyNBlocks: 1,
    everyMs: 3_600_000,
    pollMs: 20,
    logger: () => undefined,
  });
  anchorer.start();
  await h.openAccount('lag-a', 'ent1');
  await anchorer.idle(60_000);
  const before = anchorer.lag().count;
  for (let i = 0; i < ANCHORED_BLOCKS; i++) {
    await h.deposit('lag-a', '100');
    anchorer.noteCommitted();
    await anchorer.idle(60_000); // one block at a time: the lag of each, not of a backlog
  }
  const lag = anchorer.lag();
  if (lag.count <= before) throw new Error('no block was anchored');
  report('evm.anchor.lag_ms', lag.meanMs ?? 0, 'ms');
  report('evm.anchor.lag_max_ms', lag.maxMs ?? 0, 'ms');
  await anchorer.close();
  await h.close();
}

export async function benchEvm(report: Report): Promise<void> {
  const node = await startEvmNode();
  try {
    await transferTps(node, report);
    await anchorLag(node, report);
  } finally {
    await node.stop();
  }
}
