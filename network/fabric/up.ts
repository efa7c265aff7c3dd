/**
 * `fabric:up`: bring the network to ready from any state (nothing, stopped, partly crashed,
 * half set up) and say ready only once a cross-org endorsement has been committed VALID.
 */
import * as fs from 'fs';
import { ensureCrypto, ensureGenesisBlock, writeNodeConfigs } from './artifacts';
import { FabricHome, ensureFabricHome } from './binaries';
import { buildPackage, writeModuleFolder } from './chaincode';
import { portListening, runningPid } from './daemons';
import { deployChaincode, joinOrderers, joinPeers } from './deploy';
import { describeNetwork, writeNetworkFile } from './description';
import { FabricNetwork, loadFabricNetwork } from './env';
import { CHAINCODE, CHANNEL, FABRIC_VERSION, Layout, PeerMspId } from './layout';
import { deadProcesses, processInfos, processSpecs, startDead } from './processes';
import { peerHeights, proveCrossOrgEndorsement, raftLeader } from './probe';
import { NetworkState, readState, writeState } from './state';
import { log, retry } from './util';

/** True when the network was proven ready and every process still runs and listens. */
export function isUpAndReady(layout: Layout): boolean {
  if (!readState(layout).readyAt || !networkFileValid(layout)) return false;
  const processes = processInfos(layout);
  return processes.every((p) => runningPid(layout, p.name) !== undefined && portListening(p.ports[0].port));
}

function networkFileValid(layout: Layout): boolean {
  try {
    loadFabricNetwork({ file: layout.networkFile });
    return true;
  } catch {
    return false;
  }
}

async function preparePackages(layout: Layout, state: NetworkState): Promise<Record<PeerMspId, string>> {
  writeModuleFolder(layout);
  const ids = await Promise.all(layout.orgs.map((org) => buildPackage(layout, org)));
  const packageIds = Object.fromEntries(layout.orgs.map((org, i) => [org.mspId, ids[i]])) as Record<PeerMspId, string>;
  const changed = layout.orgs.filter(
    (o) => state.approved.includes(o.mspId) && state.installed[o.mspId] !== packageIds[o.mspId],
  );
  if (changed.length) {
    throw new Error(
      `the ccaas package of ${changed.map((o) => o.mspId).join(', ')} changed since it was approved; npm run fabric:down first`,
    );
  }
  return packageIds;
}

async function prepare(layout: Layout, home: FabricHome): Promise<void> {
  if (fs.existsSync(layout.dirs.data) && !fs.existsSync(layout.dirs.crypto)) {
    throw new Error(`ledgers in ${layout.dirs.data} but no crypto material: npm run fabric:down, then up`);
  }
  for (const dir of Object.values(layout.dirs)) fs.mkdirSync(dir, { recursive: true });
  await ensureCrypto(layout, home);
  writeNodeConfigs(layout, home);
  await ensureGenesisBlock(layout, home);
}

/** Wait until one orderer reports Raft leadership of the channel; log who and how long it took. */
async function waitForRaftLeader(network: FabricNetwork): Promise<void> {
  const since = Date.now();
  const leader = await retry({
    what: 'a Raft leader',
    attempt: async () => (await raftLeader(network)) ?? Promise.reject(new Error('no orderer reports leadership yet')),
    timeoutMs: 60_000,
    intervalMs: 200,
  });
  log(`Raft leader: ${leader} (waited ${Date.now() - since} ms)`);
}

/** Prove cross-org endorsement through every org's Gateway, then wait for every peer to have the blocks. */
async function proveReady(network: FabricNetwork): Promise<void> {
  log("proving cross-org endorsement through each org's Gateway (waits for gossip to find the other orgs)");
  const orgs = Object.keys(network.orgs) as PeerMspId[];
  const proofs = await Promise.all(
    orgs.map(async (viaOrg) => {
      const proof = await retry({
        what: `a cross-org endorsement via ${viaOrg}`,
        attempt: () => proveCrossOrgEndorsement({ network, viaOrg, timeoutMs: 15_000 }),
        timeoutMs: 120_000,
        intervalMs: 1000,
      });
      log(
        `${viaOrg} Gateway: GetMetadata endorsed and committed VALID (block ${proof.blockNumber}, tx ${proof.transactionId.slice(0, 12)}…)`,
      );
      return proof;
    }),
  );
  const target = Number(proofs.reduce((max, p) => (p.blockNumber > max ? p.blockNumber : max), 0n)) + 1;
  await retry({
    what: `every peer at height ${target}`,
    attempt: async () => {
      const heights = await peerHeights(network);
      if (Object.values(heights).every((h) => h !== undefined && h >= target)) return;
      throw new Error(`heights ${JSON.stringify(heights)}`);
    },
    timeoutMs: 30_000,
    intervalMs: 200,
  });
}

/** Bring the network up (see the module comment); idempotent. */
export async function up(layout: Layout): Promise<void> {
  const started = Date.now();
  if (isUpAndReady(layout)) {
    log(`already up: all ${processInfos(layout).length} processes running, network ready; nothing to do`);
    return;
  }
  const home = await ensureFabricHome(layout);
  log(`Fabric ${FABRIC_VERSION} from ${home.source} (${home.dir})`);
  const state = readState(layout);
  state.readyAt = undefined;
  await prepare(layout, home);
  const packageIds = await preparePackages(layout, state);
  const network = describeNetwork({ layout, home, packageIds });
  const specs = processSpecs({ layout, home, packageIds });
  const dead = deadProcesses(layout, specs).length;
  if (state.orderersJoined.length && dead)
    log(`${specs.length - dead} of ${specs.length} processes running; starting the others on the existing ledgers`);
  await startDead(layout, specs);
  const context = { layout, home, state, packageIds };
  await joinOrderers(context);
  await joinPeers(context);
  await waitForRaftLeader(network);
  await deployChaincode(context);
  await proveReady(network);
  writeNetworkFile(layout, network);
  state.readyAt = new Date().toISOString();
  writeState(layout, state);
  log(
    `ready in ${((Date.now() - started) / 1000).toFixed(1)} s: channel ${CHANNEL}, chaincode ${CHAINCODE.name}, ${layout.networkFile}`,
  );
}
