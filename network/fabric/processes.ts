/** The network's nine processes as a whole: list, start what is dead, stop all. */
import { FabricHome } from './binaries';
import { chaincodeServerInfo, chaincodeServerSpec } from './chaincode';
import { DaemonSpec, ProcessInfo, runningPid, startDaemon, stopDaemon, waitListening, waitPortsFree } from './daemons';
import { Layout, PeerMspId } from './layout';
import { ordererInfo, ordererSpec, peerInfo, peerSpec } from './nodes';
import { log } from './util';

/** Every process, in start order: orderers, peers, chaincode servers. */
export function processInfos(layout: Layout): ProcessInfo[] {
  return [...layout.orderers.map(ordererInfo), ...layout.orgs.map(peerInfo), ...layout.orgs.map(chaincodeServerInfo)];
}

/** Full specs of every process, in start order. */
export function processSpecs(options: {
  layout: Layout;
  home: FabricHome;
  packageIds: Record<PeerMspId, string>;
}): DaemonSpec[] {
  const { layout, home, packageIds } = options;
  return [
    ...layout.orderers.map((orderer) => ordererSpec({ layout, home, orderer })),
    ...layout.orgs.map((org) => peerSpec({ layout, home, org })),
    ...layout.orgs.map((org) => chaincodeServerSpec({ layout, org, packageId: packageIds[org.mspId] })),
  ];
}

/** The processes that are not running. */
export function deadProcesses<T extends ProcessInfo>(layout: Layout, processes: T[]): T[] {
  return processes.filter((p) => runningPid(layout, p.name) === undefined);
}

/**
 * Start the dead ones among `specs`, all at once (none needs another to start: peers retry the
 * orderers, and a peer dials its chaincode server only when it first runs the chaincode); resolves
 * when every started one listens. Returns their names.
 */
export async function startDead(layout: Layout, specs: DaemonSpec[]): Promise<string[]> {
  const dead = deadProcesses(layout, specs);
  await Promise.all(
    dead.map(async (spec) => {
      await waitPortsFree(spec);
      const pid = startDaemon(layout, spec);
      const since = Date.now();
      await waitListening(layout, spec);
      log(`${spec.label} started (pid ${pid}, 127.0.0.1:${spec.ports[0].port}, ${Date.now() - since} ms)`);
    }),
  );
  return dead.map((spec) => spec.name);
}

/** Stop every process (chaincode servers, peers, orderers); returns the names that were running. */
export async function stopAll(layout: Layout): Promise<string[]> {
  const stopped: string[] = [];
  for (const kind of ['chaincode', 'peer', 'orderer'] as const) {
    const ofKind = processInfos(layout).filter((p) => p.kind === kind);
    await Promise.all(
      ofKind.map(async (p) => {
        const pid = runningPid(layout, p.name);
        if (await stopDaemon(layout, p.name)) {
          log(`${p.label} stopped (pid ${pid})`);
          stopped.push(p.name);
        }
      }),
    );
  }
  return stopped;
}
