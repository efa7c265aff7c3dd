/**
 * Where everything of the local Fabric network lives, and which ports it uses.
 * Pure data: no side effects, safe to import from anywhere (env.ts does).
 */
import * as fs from 'fs';
import * as path from 'path';

/** Fabric v3.1.5 (module has no /v3 suffix, so the tag is not a Go version). */
export const FABRIC_MODULE = 'github.com/hyperledger/fabric';
export const FABRIC_VERSION = 'v1.4.0-rc1.0.20260618074816-86c1172bec37';
export const FABRIC_COMMANDS = ['peer', 'orderer', 'configtxgen', 'cryptogen', 'osnadmin'] as const;

export const CHANNEL = 'lianjian';
export const CHAINCODE = 'lianjian';
export const CHAINCODE_VERSION = '1.0';
export const CHAINCODE_LABEL = 'lianjian_1.0';
export const ENDORSEMENT_POLICY = "AND('Org1MSP.peer','Org2MSP.peer')";

export const HOST = '127.0.0.1';
export const PORTS = {
  orderer: 17050,
  ordererAdmin: 17053,
  ordererOps: 17443,
  org1Peer: 17051,
  org1PeerChaincode: 17052,
  org1PeerOps: 17444,
  org2Peer: 18051,
  org2PeerChaincode: 18052,
  org2PeerOps: 18444,
  chaincodeServer: 19999,
} as const;

/** Users per peer org besides Admin (User1..User8): the gateway maps app identities onto them. */
export const USERS_PER_ORG = 8;

/** Find the repository root (the folder whose package.json is named "lianjian"). */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj)) {
      try {
        if (JSON.parse(fs.readFileSync(pj, 'utf8')).name === 'lianjian') return dir;
      } catch {
        /* keep looking */
      }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`network/fabric: cannot find the lianjian repository root above ${__dirname}`);
    dir = up;
  }
}

export const ROOT = repoRoot();
/** Source folder network/fabric (also when running compiled from dist/). */
export const FABRIC_DIR = path.join(ROOT, 'network', 'fabric');
/** Git-ignored build/run folder; LIANJIAN_FABRIC_BUILD_DIR overrides it. */
export const BUILD = process.env.LIANJIAN_FABRIC_BUILD_DIR
  ? path.resolve(process.env.LIANJIAN_FABRIC_BUILD_DIR)
  : path.join(FABRIC_DIR, '.build');

export const DIRS = {
  bin: path.join(BUILD, 'bin'),
  gomod: path.join(BUILD, 'gomod'),
  sampleconfig: path.join(BUILD, 'sampleconfig'),
  config: path.join(BUILD, 'config'),
  crypto: path.join(BUILD, 'crypto'),
  artifacts: path.join(BUILD, 'artifacts'),
  data: path.join(BUILD, 'data'),
  run: path.join(BUILD, 'run'),
  logs: path.join(BUILD, 'logs'),
  ccmodule: path.join(BUILD, 'ccmodule'),
  trivialChaincode: path.join(BUILD, 'trivial-chaincode'),
  builders: path.join(FABRIC_DIR, 'builders'),
};

export const ORDERER_DOMAIN = 'orderer.lianjian.local';
export const ORDERER_HOST = `orderer0.${ORDERER_DOMAIN}`;

export interface PeerOrgLayout {
  mspId: 'Org1MSP' | 'Org2MSP';
  name: 'Org1' | 'Org2';
  role: 'custodian-bank' | 'regulator';
  domain: string;
  peerName: string;
  peerPort: number;
  chaincodePort: number;
  opsPort: number;
}

export const PEER_ORGS: readonly PeerOrgLayout[] = [
  {
    mspId: 'Org1MSP',
    name: 'Org1',
    role: 'custodian-bank',
    domain: 'org1.lianjian.local',
    peerName: 'peer0.org1.lianjian.local',
    peerPort: PORTS.org1Peer,
    chaincodePort: PORTS.org1PeerChaincode,
    opsPort: PORTS.org1PeerOps,
  },
  {
    mspId: 'Org2MSP',
    name: 'Org2',
    role: 'regulator',
    domain: 'org2.lianjian.local',
    peerName: 'peer0.org2.lianjian.local',
    peerPort: PORTS.org2Peer,
    chaincodePort: PORTS.org2PeerChaincode,
    opsPort: PORTS.org2PeerOps,
  },
];

// ---- cryptogen output layout ----
export function peerOrgDir(o: PeerOrgLayout): string {
  return path.join(DIRS.crypto, 'peerOrganizations', o.domain);
}
export function peerDir(o: PeerOrgLayout): string {
  return path.join(peerOrgDir(o), 'peers', o.peerName);
}
export function userDir(o: PeerOrgLayout, user: string): string {
  return path.join(peerOrgDir(o), 'users', `${user}@${o.domain}`);
}
export function ordererOrgDir(): string {
  return path.join(DIRS.crypto, 'ordererOrganizations', ORDERER_DOMAIN);
}
export function ordererDir(): string {
  return path.join(ordererOrgDir(), 'orderers', ORDERER_HOST);
}
export function ordererAdminDir(): string {
  return path.join(ordererOrgDir(), 'users', `Admin@${ORDERER_DOMAIN}`);
}
/** TLS CA of the orderer org (the -o/--cafile trust root for clients). */
export function ordererTlsCa(): string {
  return path.join(ordererDir(), 'tls', 'ca.crt');
}
