/**
 * Connection facts of the local Fabric network started by `npm run fabric:up`.
 * The Fabric LedgerClient adapter (gateway/) imports this; nothing here starts
 * anything. All paths are absolute; files exist only after fabric:up ran.
 *
 * Certificates come from cryptogen with NodeOUs enabled:
 *   <crypto>/peerOrganizations/<domain>/users/<User>@<domain>/msp/signcerts/<User>@<domain>-cert.pem
 *   <crypto>/peerOrganizations/<domain>/users/<User>@<domain>/msp/keystore/priv_sk
 * Admin@<domain> has OU=admin; User1..User8@<domain> have OU=client.
 */
import * as path from 'path';
import {
  BUILD,
  CHAINCODE,
  CHANNEL,
  DIRS,
  HOST,
  ORDERER_HOST,
  PEER_ORGS,
  PORTS,
  USERS_PER_ORG,
  PeerOrgLayout,
  ordererTlsCa,
  peerDir,
  peerOrgDir,
  userDir,
} from './layout';

export interface FabricIdentityFiles {
  /** cryptogen user name, e.g. "Admin" or "User3". */
  name: string;
  mspId: string;
  /** PEM X.509 signing certificate. */
  certPath: string;
  /** PEM PKCS#8 EC private key (P-256). */
  keyPath: string;
  /** MSP folder (for the peer CLI's CORE_PEER_MSPCONFIGPATH). */
  mspDir: string;
  /** TLS client certificate/key of that user (only needed for mutual TLS, which this network does not require). */
  tlsCertPath: string;
  tlsKeyPath: string;
  isAdmin: boolean;
}

export interface FabricPeerEndpoint {
  /** host:port to dial. */
  endpoint: string;
  /** Name in the peer's TLS certificate (the certificate also carries 127.0.0.1 and localhost). */
  hostAlias: string;
  /** PEM file of the org TLS CA that signed the peer's TLS certificate. */
  tlsRootCertPath: string;
}

export interface FabricOrgEnv {
  mspId: 'Org1MSP' | 'Org2MSP';
  /** Org1MSP is the custodian bank, Org2MSP the regulator. */
  role: 'custodian-bank' | 'regulator';
  domain: string;
  peer: FabricPeerEndpoint;
  admin: FabricIdentityFiles;
  /** User1..User8 (index 0 is User1). */
  users: FabricIdentityFiles[];
}

export interface FabricEnv {
  channel: string;
  chaincode: string;
  /** Build/run folder (network/fabric/.build unless LIANJIAN_FABRIC_BUILD_DIR is set). */
  buildDir: string;
  cryptoDir: string;
  /** Peer CLI binary and its config folder (FABRIC_CFG_PATH). */
  peerBin: string;
  peerConfigDir: string;
  orderer: { endpoint: string; hostAlias: string; tlsRootCertPath: string; adminEndpoint: string };
  orgs: Record<'Org1MSP' | 'Org2MSP', FabricOrgEnv>;
  chaincodeServerAddress: string;
}

function identity(o: PeerOrgLayout, name: string): FabricIdentityFiles {
  const dir = userDir(o, name);
  return {
    name,
    mspId: o.mspId,
    certPath: path.join(dir, 'msp', 'signcerts', `${name}@${o.domain}-cert.pem`),
    keyPath: path.join(dir, 'msp', 'keystore', 'priv_sk'),
    mspDir: path.join(dir, 'msp'),
    tlsCertPath: path.join(dir, 'tls', 'client.crt'),
    tlsKeyPath: path.join(dir, 'tls', 'client.key'),
    isAdmin: name === 'Admin',
  };
}

function orgEnv(o: PeerOrgLayout): FabricOrgEnv {
  const users: FabricIdentityFiles[] = [];
  for (let i = 1; i <= USERS_PER_ORG; i++) users.push(identity(o, `User${i}`));
  return {
    mspId: o.mspId,
    role: o.role,
    domain: o.domain,
    peer: {
      endpoint: `${HOST}:${o.peerPort}`,
      hostAlias: o.peerName,
      tlsRootCertPath: path.join(peerDir(o), 'tls', 'ca.crt'),
    },
    admin: identity(o, 'Admin'),
    users,
  };
}

const [org1, org2] = PEER_ORGS;

export const fabricEnv: FabricEnv = {
  channel: CHANNEL,
  chaincode: CHAINCODE,
  buildDir: BUILD,
  cryptoDir: DIRS.crypto,
  peerBin: path.join(DIRS.bin, 'peer'),
  peerConfigDir: path.join(DIRS.config, 'peer'),
  orderer: {
    endpoint: `${HOST}:${PORTS.orderer}`,
    hostAlias: ORDERER_HOST,
    tlsRootCertPath: ordererTlsCa(),
    adminEndpoint: `${HOST}:${PORTS.ordererAdmin}`,
  },
  orgs: { Org1MSP: orgEnv(org1), Org2MSP: orgEnv(org2) },
  chaincodeServerAddress: `${HOST}:${PORTS.chaincodeServer}`,
};

/** The org's TLS CA folder (all of the org's TLS certs chain to it). */
export function orgTlsCaPath(mspId: 'Org1MSP' | 'Org2MSP'): string {
  const o = PEER_ORGS.find((x) => x.mspId === mspId)!;
  return path.join(peerOrgDir(o), 'tlsca', `tlsca.${o.domain}-cert.pem`);
}

/** User `index` (1-based, 1..8) of an org, or the admin for index 0. */
export function fabricUser(mspId: 'Org1MSP' | 'Org2MSP', index: number): FabricIdentityFiles {
  const org = fabricEnv.orgs[mspId];
  if (index === 0) return org.admin;
  const u = org.users[index - 1];
  if (!u) throw new RangeError(`fabricUser: index must be 0 (admin) or 1..${USERS_PER_ORG}, got ${index}`);
  return u;
}

export { CHANNEL, CHAINCODE, PORTS };
