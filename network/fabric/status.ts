/** `fabric:status`: every process (pid, up/down, ports), Raft roles, heights, package ids. */
import * as path from 'path';
import { logFile, portListening, runningPid } from './daemons';
import { FabricNetwork, loadFabricNetwork } from './env';
import { CHAINCODE, CHANNEL, HOST, Layout } from './layout';
import { processInfos } from './processes';
import { ordererRaft, peerHeight } from './probe';

export interface ProcessStatus {
  name: string;
  label: string;
  kind: 'orderer' | 'peer' | 'chaincode';
  pid?: number;
  /** Running and answering on its first port. */
  up: boolean;
  ports: { label: string; port: number; open: boolean }[];
  /** Peers: channel height. */
  height?: number;
  /** Orderers: Raft role and last committed block. */
  raft?: { isLeader: boolean; committedBlock?: number };
  /** Chaincode servers: the package id they serve. */
  packageId?: string;
  logFile: string;
}

export interface NetworkStatus {
  channel: string;
  chaincode: string;
  allUp: boolean;
  processes: ProcessStatus[];
  networkFile?: string;
}

/** Look at every process of the network (never starts or stops anything). */
export async function collectStatus(layout: Layout): Promise<NetworkStatus> {
  let network: FabricNetwork | undefined;
  try {
    network = loadFabricNetwork({ file: layout.networkFile, checkFiles: false });
  } catch {
    network = undefined;
  }
  const processes = await Promise.all(
    processInfos(layout).map(async (info): Promise<ProcessStatus> => {
      const pid = runningPid(layout, info.name);
      const open = info.ports.map((p) => portListening(p.port));
      const status: ProcessStatus = {
        ...info,
        pid,
        up: pid !== undefined && open[0],
        ports: info.ports.map((p, i) => ({ ...p, open: open[i] })),
        logFile: logFile(layout, info.name),
      };
      if (!status.up) return status;
      if (info.kind === 'peer') status.height = await peerHeight(`http://${HOST}:${info.ports[2].port}`);
      if (info.kind === 'orderer') status.raft = await ordererRaft(`http://${HOST}:${info.ports[2].port}`);
      return status;
    }),
  );
  for (const org of layout.orgs) {
    const server = processes.find((p) => p.kind === 'chaincode' && p.ports[0].port === org.chaincodeServerPort);
    if (server && network) server.packageId = network.orgs[org.mspId].chaincode.packageId;
  }
  return {
    channel: CHANNEL,
    chaincode: CHAINCODE.name,
    allUp: processes.every((p) => p.up),
    processes,
    networkFile: network ? layout.networkFile : undefined,
  };
}

function describeExtra(p: ProcessStatus): string {
  if (p.height !== undefined) return `height ${p.height}`;
  if (p.raft) return `${p.raft.isLeader ? 'Raft leader' : 'Raft follower'}, block ${p.raft.committedBlock ?? '?'}`;
  if (p.packageId) return `package ${p.packageId.slice(0, 26)}…`;
  return '';
}

/** Human-readable status lines. */
export function formatStatus(status: NetworkStatus): string {
  const lines = status.processes.map((p) => {
    const ports = p.ports.map((port) => `${port.label} ${port.port}${port.open ? '' : ' (closed)'}`).join(', ');
    const pid = p.pid === undefined ? '-' : String(p.pid);
    return `${p.up ? 'UP  ' : 'DOWN'} ${p.label.padEnd(36)} pid ${pid.padEnd(7)} ${ports.padEnd(48)} ${describeExtra(p)}`;
  });
  const upCount = status.processes.filter((p) => p.up).length;
  lines.push(`channel ${status.channel}, chaincode ${status.chaincode} (${CHAINCODE.endorsementPolicy})`);
  const first = status.processes[0];
  if (first) lines.push(`logs: ${path.dirname(first.logFile)}`);
  lines.push(
    status.networkFile ? `connection facts: ${status.networkFile}` : 'no network.json yet (npm run fabric:up)',
  );
  lines.push(
    `network ${status.allUp ? 'UP' : 'DOWN or partly down'}: ${upCount}/${status.processes.length} processes up`,
  );
  return lines.join('\n');
}
