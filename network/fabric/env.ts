/**
 * Connection facts of the local Fabric network, as `npm run fabric:up` writes them to
 * network/fabric/.build/network.json. The Fabric ledger adapter imports this module; nothing
 * here starts anything. All paths in the file are absolute.
 */
import * as fs from 'fs';
import * as path from 'path';
import { OrgRole, PeerMspId, repoRoot } from './layout';

export type { OrgRole, PeerMspId } from './layout';

/** A PEM certificate and its PEM PKCS#8 ECDSA P-256 private key. */
export interface FabricCertAndKey {
  certPath: string;
  keyPath: string;
}

/** A TLS gRPC endpoint of a peer or an orderer. */
export interface FabricTlsEndpoint {
  /** host:port to dial, e.g. "127.0.0.1:18051". */
  endpoint: string;
  /**
   * Host name in the server's TLS certificate (gRPC `grpc.ssl_target_name_override`). The
   * certificates also carry 127.0.0.1 and localhost, so dialling 127.0.0.1 verifies without it.
   */
  hostnameOverride: string;
  /** PEM of the TLS CA that signed the server's certificate. */
  tlsCaCertPath: string;
}

/** An org's peer: Gateway, discovery, deliver and qscc all on `endpoint`. */
export interface FabricPeer extends FabricTlsEndpoint {
  name: string;
  /** Plain-HTTP operations endpoint (/healthz, /metrics in Prometheus format). */
  operationsUrl: string;
}

/** One of the three Raft orderers. */
export interface FabricOrderer extends FabricTlsEndpoint {
  name: string;
  mspId: 'OrdererMSP';
  /** Channel participation API (osnadmin), mutual TLS. */
  adminEndpoint: string;
  operationsUrl: string;
}

/** One peer organisation: its peer, its CAs, its admin and its chaincode server. */
export interface FabricOrg {
  mspId: PeerMspId;
  /** configtx/cryptogen name: "Org1", "Org2", "Org3". */
  name: string;
  /** Org1MSP custodian bank, Org2MSP regulator, Org3MSP second bank. */
  role: OrgRole;
  domain: string;
  peer: FabricPeer;
  /** The org's signing CA: client identities issued from it are members of the org (OU=client). */
  ca: FabricCertAndKey;
  /** The org's TLS CA (for TLS client certificates; the network does not require client TLS). */
  tlsCa: FabricCertAndKey;
  /** The org's MSP admin identity (OU=admin); mspDir is for the peer CLI's CORE_PEER_MSPCONFIGPATH. */
  admin: FabricCertAndKey & { mspDir: string };
  /** The org's own chaincode server and the package id its peer runs. */
  chaincode: { packageId: string; serverAddress: string };
}

/** Everything a client needs to reach the network (the content of network.json). */
export interface FabricNetwork {
  formatVersion: 1;
  fabricVersion: string;
  channel: string;
  chaincode: { name: string; version: string; sequence: number; endorsementPolicy: string };
  orgs: Record<PeerMspId, FabricOrg>;
  /** Three Raft orderers of OrdererMSP; any of them accepts transactions. */
  orderers: FabricOrderer[];
  /** The orderer org's TLS CA (same file as each orderer's tlsCaCertPath). */
  ordererTlsCaCertPath: string;
  /** The channel's genesis block as made by configtxgen. */
  genesisBlockPath: string;
  /** sha256 of that file: identifies this chain; a new value means a new chain (fabric:down, then up). */
  genesisBlockSha256: string;
  /** The peer CLI and its FABRIC_CFG_PATH, for tooling. */
  peerCli: { bin: string; configDir: string };
  buildDir: string;
  writtenAt: string;
}

/** Where network.json is: LIANJIAN_FABRIC_NETWORK_FILE, else <build dir>/network.json. */
export function defaultNetworkFile(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LIANJIAN_FABRIC_NETWORK_FILE) return path.resolve(env.LIANJIAN_FABRIC_NETWORK_FILE);
  const buildDir = env.LIANJIAN_FABRIC_BUILD_DIR
    ? path.resolve(env.LIANJIAN_FABRIC_BUILD_DIR)
    : path.join(repoRoot(), 'network', 'fabric', '.build');
  return path.join(buildDir, 'network.json');
}

/** The network description could not be read or is not what this code expects. */
export class FabricNetworkFileError extends Error {}

/** Options of loadFabricNetwork. */
export interface LoadFabricNetworkOptions {
  /** Defaults to defaultNetworkFile(). */
  file?: string;
  /** Also check that every certificate and key file it names exists (default true). */
  checkFiles?: boolean;
}

/** Read and check network.json; throws FabricNetworkFileError with what to do when it is missing or wrong. */
export function loadFabricNetwork(options: LoadFabricNetworkOptions = {}): FabricNetwork {
  const file = options.file ?? defaultNetworkFile();
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : String(error);
    throw new FabricNetworkFileError(`${file} ${reason}: start the network with npm run fabric:up`);
  }
  const network = parsed as FabricNetwork;
  const problem = shapeProblem(network);
  if (problem) throw new FabricNetworkFileError(`${file}: ${problem}; rerun npm run fabric:up`);
  if (options.checkFiles ?? true) {
    const missing = referencedFiles(network).filter((f) => !fs.existsSync(f));
    if (missing.length) {
      throw new FabricNetworkFileError(
        `${file} names missing files (${missing.slice(0, 3).join(', ')}); rerun npm run fabric:up`,
      );
    }
  }
  return network;
}

function shapeProblem(network: FabricNetwork): string | undefined {
  if (network?.formatVersion !== 1) return `formatVersion is ${String(network?.formatVersion)}, expected 1`;
  if (typeof network.channel !== 'string' || typeof network.chaincode?.name !== 'string')
    return 'no channel or chaincode';
  const incomplete = (['Org1MSP', 'Org2MSP', 'Org3MSP'] as const).find((mspId) => !orgComplete(network.orgs?.[mspId]));
  if (incomplete) return `org ${incomplete} incomplete`;
  if (!Array.isArray(network.orderers) || network.orderers.length === 0) return 'no orderers';
  if (typeof network.genesisBlockSha256 !== 'string') return 'no genesisBlockSha256';
  return undefined;
}

function orgComplete(org: FabricOrg | undefined): boolean {
  return Boolean(org?.peer?.endpoint && org.ca?.keyPath && org.admin?.certPath && org.chaincode?.packageId);
}

/** Every certificate/key file path named by a network description. */
export function referencedFiles(network: FabricNetwork): string[] {
  const orgFiles = Object.values(network.orgs).flatMap((org) => [
    org.peer.tlsCaCertPath,
    org.ca.certPath,
    org.ca.keyPath,
    org.tlsCa.certPath,
    org.tlsCa.keyPath,
    org.admin.certPath,
    org.admin.keyPath,
  ]);
  return [...orgFiles, ...network.orderers.map((o) => o.tlsCaCertPath), network.ordererTlsCaCertPath];
}
