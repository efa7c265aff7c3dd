/**
 * Where everything of the local Fabric network lives and which ports it uses.
 * Pure data: building a Layout touches no file and starts nothing.
 */
import * as fs from 'fs';
import * as path from 'path';

export const FABRIC_VERSION = '3.1.5';
export const CHANNEL = 'lianjian';
export const CHAINCODE = {
  name: 'lianjian',
  version: '1.0',
  sequence: 1,
  label: 'lianjian_1.0',
  /** The regulator's peer endorses every write, plus one bank's. */
  endorsementPolicy: "AND('Org2MSP.peer', OR('Org1MSP.peer','Org3MSP.peer'))",
} as const;
export const HOST = '127.0.0.1';
export const ORDERER_MSP_ID = 'OrdererMSP';
export const ORDERER_DOMAIN = 'orderer.lianjian.local';
export const DEFAULT_PORT_BASE = 17000;

export type PeerMspId = 'Org1MSP' | 'Org2MSP' | 'Org3MSP';
export type OrgRole = 'custodian-bank' | 'regulator' | 'second-bank';

/** One Raft orderer of the orderer org. */
export interface OrdererNode {
  /** Process name, e.g. "orderer0". */
  name: string;
  /** TLS host name (certificate CN), e.g. "orderer0.orderer.lianjian.local". */
  host: string;
  port: number;
  adminPort: number;
  opsPort: number;
}

/** One peer organisation with its single peer and its own chaincode server. */
export interface PeerOrg {
  mspId: PeerMspId;
  /** cryptogen/configtx name, e.g. "Org1". */
  name: string;
  role: OrgRole;
  domain: string;
  /** Process and TLS host name of its peer, e.g. "peer0.org1.lianjian.local". */
  peerHost: string;
  peerPort: number;
  /** Where the peer listens for chaincode (unused by ccaas, but Fabric binds it). */
  peerChaincodePort: number;
  peerOpsPort: number;
  /** The org's chaincode server (ccaas) that only its own peer dials. */
  chaincodeServerPort: number;
}

/** Every path and port of one network (see createLayout). */
export interface Layout {
  /** Repository root (package.json named "lianjian"). */
  root: string;
  /** network/fabric/.build unless LIANJIAN_FABRIC_BUILD_DIR says otherwise; unpacked Fabric lives here. */
  buildDir: string;
  /** Everything `down` wipes: crypto, configs, ledgers, pids, logs. */
  netDir: string;
  /** Machine-readable connection facts (written by `up`, removed by `down`). */
  networkFile: string;
  lockFile: string;
  dirs: {
    crypto: string;
    config: string;
    artifacts: string;
    data: string;
    run: string;
    logs: string;
    ccmodule: string;
  };
  portBase: number;
  orderers: OrdererNode[];
  orgs: PeerOrg[];
}

/** Options of createLayout. */
export interface LayoutOptions {
  /** Defaults to network/fabric/.build under the repository root. */
  buildDir?: string;
  /** First port of the block the network uses (orderers base+50.., peers base+1051..). */
  portBase?: number;
}

const ORG_SPECS: { mspId: PeerMspId; name: string; role: OrgRole }[] = [
  { mspId: 'Org1MSP', name: 'Org1', role: 'custodian-bank' },
  { mspId: 'Org2MSP', name: 'Org2', role: 'regulator' },
  { mspId: 'Org3MSP', name: 'Org3', role: 'second-bank' },
];
const ORDERER_COUNT = 3;

/** Find the repository root: the nearest folder above `from` whose package.json is named "lianjian". */
export function repoRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && readPackageName(manifest) === 'lianjian') return dir;
    if (path.dirname(dir) === dir) throw new Error(`network/fabric: no lianjian repository root above ${from}`);
  }
}

function readPackageName(manifest: string): string | undefined {
  try {
    return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name;
  } catch {
    return undefined;
  }
}

/** Layout options from LIANJIAN_FABRIC_BUILD_DIR and LIANJIAN_FABRIC_PORT_BASE. */
export function layoutOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): LayoutOptions {
  const base = env.LIANJIAN_FABRIC_PORT_BASE;
  const portBase = base ? Number(base) : undefined;
  if (portBase !== undefined && !(Number.isInteger(portBase) && portBase >= 1024 && portBase <= 60000)) {
    throw new Error(`LIANJIAN_FABRIC_PORT_BASE must be an integer in 1024..60000, got "${base}"`);
  }
  return {
    buildDir: env.LIANJIAN_FABRIC_BUILD_DIR ? path.resolve(env.LIANJIAN_FABRIC_BUILD_DIR) : undefined,
    portBase,
  };
}

/** Compute every path and port of the network. */
export function createLayout(options: LayoutOptions = {}): Layout {
  const root = repoRoot();
  const buildDir = options.buildDir ?? path.join(root, 'network', 'fabric', '.build');
  const netDir = path.join(buildDir, 'net');
  const portBase = options.portBase ?? DEFAULT_PORT_BASE;
  const orderers = Array.from({ length: ORDERER_COUNT }, (_, i) => ({
    name: `orderer${i}`,
    host: `orderer${i}.${ORDERER_DOMAIN}`,
    port: portBase + 50 + 100 * i,
    adminPort: portBase + 51 + 100 * i,
    opsPort: portBase + 53 + 100 * i,
  }));
  const orgs = ORG_SPECS.map((spec, i): PeerOrg => {
    const base = portBase + 1000 + 100 * i;
    const domain = `${spec.name.toLowerCase()}.lianjian.local`;
    return {
      ...spec,
      domain,
      peerHost: `peer0.${domain}`,
      peerPort: base + 51,
      peerChaincodePort: base + 52,
      peerOpsPort: base + 53,
      chaincodeServerPort: base + 54,
    };
  });
  const sub = (name: string): string => path.join(netDir, name);
  return {
    root,
    buildDir,
    netDir,
    networkFile: path.join(buildDir, 'network.json'),
    lockFile: path.join(buildDir, '.cli.lock'),
    dirs: {
      crypto: sub('crypto'),
      config: sub('config'),
      artifacts: sub('artifacts'),
      data: sub('data'),
      run: sub('run'),
      logs: sub('logs'),
      ccmodule: sub('ccmodule'),
    },
    portBase,
    orderers,
    orgs,
  };
}

/** Look up a peer org by MSP id. */
export function orgByMsp(layout: Layout, mspId: PeerMspId): PeerOrg {
  const org = layout.orgs.find((o) => o.mspId === mspId);
  if (!org) throw new Error(`unknown org ${mspId}`);
  return org;
}

/** The genesis (config) block of the channel, as made by configtxgen. */
export function genesisBlockPath(layout: Layout): string {
  return path.join(layout.dirs.artifacts, `${CHANNEL}.block`);
}
