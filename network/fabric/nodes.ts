/**
 * How each orderer and peer runs (binary, environment, ports), and the environments of the
 * peer CLI and osnadmin acting as an org's admin.
 */
import * as path from 'path';
import { ordererConfigDir, peerConfigDir } from './artifacts';
import { FabricHome, fabricBin } from './binaries';
import { ordererAdminTls, ordererFiles, orgAdmin, peerFiles, ordererTlsCaCert } from './cryptopaths';
import { DaemonSpec, ProcessInfo } from './daemons';
import { HOST, Layout, ORDERER_MSP_ID, OrdererNode, PeerOrg } from './layout';

/**
 * Gossip timing. With the sample's values (reconnect 25 s, state info every 4 s) endorsement through
 * the Gateway fails for up to ~25 s after a start ("no combination of peers ... satisfy the
 * endorsement policy") until discovery knows the other orgs' peers and their chaincodes.
 */
export const GOSSIP = {
  dialTimeout: '1s',
  connTimeout: '1s',
  reconnectInterval: '1s',
  aliveTimeInterval: '2s',
  aliveExpirationTimeout: '10s',
  publishStateInfoInterval: '1s',
  requestStateInfoInterval: '1s',
};

function baseEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    // One log line per gRPC call costs CPU on every transaction; the rest stays at info.
    FABRIC_LOGGING_SPEC: process.env.LIANJIAN_FABRIC_LOGGING_SPEC ?? 'info:comm.grpc.server=warning',
  };
}

/** An orderer as a process of the network. */
export function ordererInfo(orderer: OrdererNode): ProcessInfo {
  return {
    name: orderer.name,
    label: `${orderer.name} (${ORDERER_MSP_ID})`,
    kind: 'orderer',
    ports: [
      { label: 'listen', port: orderer.port },
      { label: 'admin', port: orderer.adminPort },
      { label: 'operations', port: orderer.opsPort },
    ],
  };
}

/** A peer as a process of the network. */
export function peerInfo(org: PeerOrg): ProcessInfo {
  return {
    name: org.peerHost,
    label: `${org.peerHost} (${org.mspId})`,
    kind: 'peer',
    ports: [
      { label: 'listen', port: org.peerPort },
      { label: 'chaincode', port: org.peerChaincodePort },
      { label: 'operations', port: org.peerOpsPort },
    ],
  };
}

/** How to run one Raft orderer. */
export function ordererSpec(options: { layout: Layout; home: FabricHome; orderer: OrdererNode }): DaemonSpec {
  const { layout, home, orderer } = options;
  const files = ordererFiles(layout, orderer);
  const data = path.join(layout.dirs.data, orderer.name);
  const rootCas = `[${files.tlsCa}]`;
  return {
    ...ordererInfo(orderer),
    command: fabricBin(home, 'orderer'),
    args: [],
    cwd: layout.buildDir,
    env: {
      ...baseEnv(),
      FABRIC_CFG_PATH: ordererConfigDir(layout),
      ORDERER_GENERAL_LISTENADDRESS: HOST,
      ORDERER_GENERAL_LISTENPORT: String(orderer.port),
      ORDERER_GENERAL_LOCALMSPID: ORDERER_MSP_ID,
      ORDERER_GENERAL_LOCALMSPDIR: files.mspDir,
      ORDERER_GENERAL_TLS_ENABLED: 'true',
      ORDERER_GENERAL_TLS_PRIVATEKEY: files.tlsKey,
      ORDERER_GENERAL_TLS_CERTIFICATE: files.tlsCert,
      ORDERER_GENERAL_TLS_ROOTCAS: rootCas,
      ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE: files.tlsCert,
      ORDERER_GENERAL_CLUSTER_CLIENTPRIVATEKEY: files.tlsKey,
      ORDERER_GENERAL_CLUSTER_ROOTCAS: rootCas,
      ORDERER_GENERAL_BOOTSTRAPMETHOD: 'none',
      ORDERER_CHANNELPARTICIPATION_ENABLED: 'true',
      ORDERER_FILELEDGER_LOCATION: path.join(data, 'ledger'),
      ORDERER_CONSENSUS_WALDIR: path.join(data, 'etcdraft', 'wal'),
      ORDERER_CONSENSUS_SNAPDIR: path.join(data, 'etcdraft', 'snapshot'),
      ORDERER_ADMIN_LISTENADDRESS: `${HOST}:${orderer.adminPort}`,
      ORDERER_ADMIN_TLS_ENABLED: 'true',
      ORDERER_ADMIN_TLS_CERTIFICATE: files.tlsCert,
      ORDERER_ADMIN_TLS_PRIVATEKEY: files.tlsKey,
      ORDERER_ADMIN_TLS_ROOTCAS: rootCas,
      ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED: 'true',
      ORDERER_ADMIN_TLS_CLIENTROOTCAS: rootCas,
      ORDERER_OPERATIONS_LISTENADDRESS: `${HOST}:${orderer.opsPort}`,
      ORDERER_METRICS_PROVIDER: 'prometheus',
    },
  };
}

/** How to run an org's peer: LevelDB state, no Docker, the archive's ccaas builder, quick gossip. */
export function peerSpec(options: { layout: Layout; home: FabricHome; org: PeerOrg }): DaemonSpec {
  const { layout, home, org } = options;
  const files = peerFiles(layout, org);
  const address = `${HOST}:${org.peerPort}`;
  const data = path.join(layout.dirs.data, org.peerHost);
  return {
    ...peerInfo(org),
    command: fabricBin(home, 'peer'),
    args: ['node', 'start'],
    cwd: layout.buildDir,
    env: {
      ...baseEnv(),
      FABRIC_CFG_PATH: peerConfigDir(layout),
      CORE_PEER_ID: org.peerHost,
      CORE_PEER_ADDRESS: address,
      CORE_PEER_LISTENADDRESS: address,
      CORE_PEER_CHAINCODEADDRESS: `${HOST}:${org.peerChaincodePort}`,
      CORE_PEER_CHAINCODELISTENADDRESS: `${HOST}:${org.peerChaincodePort}`,
      CORE_PEER_GOSSIP_BOOTSTRAP: address,
      CORE_PEER_GOSSIP_EXTERNALENDPOINT: address,
      CORE_PEER_GOSSIP_USELEADERELECTION: 'false',
      CORE_PEER_GOSSIP_ORGLEADER: 'true',
      CORE_PEER_GOSSIP_DIALTIMEOUT: GOSSIP.dialTimeout,
      CORE_PEER_GOSSIP_CONNTIMEOUT: GOSSIP.connTimeout,
      CORE_PEER_GOSSIP_RECONNECTINTERVAL: GOSSIP.reconnectInterval,
      CORE_PEER_GOSSIP_ALIVETIMEINTERVAL: GOSSIP.aliveTimeInterval,
      CORE_PEER_GOSSIP_ALIVEEXPIRATIONTIMEOUT: GOSSIP.aliveExpirationTimeout,
      CORE_PEER_GOSSIP_PUBLISHSTATEINFOINTERVAL: GOSSIP.publishStateInfoInterval,
      CORE_PEER_GOSSIP_REQUESTSTATEINFOINTERVAL: GOSSIP.requestStateInfoInterval,
      CORE_PEER_LOCALMSPID: org.mspId,
      CORE_PEER_MSPCONFIGPATH: files.mspDir,
      CORE_PEER_TLS_ENABLED: 'true',
      CORE_PEER_TLS_CERT_FILE: files.tlsCert,
      CORE_PEER_TLS_KEY_FILE: files.tlsKey,
      CORE_PEER_TLS_ROOTCERT_FILE: files.tlsCa,
      CORE_PEER_FILESYSTEMPATH: data,
      CORE_LEDGER_STATE_STATEDATABASE: 'goleveldb',
      // The chaincode never reads key history (GetHistoryForKey); the blocks are the audit trail.
      CORE_LEDGER_HISTORY_ENABLEHISTORYDATABASE: 'false',
      CORE_LEDGER_SNAPSHOTS_ROOTDIR: path.join(data, 'snapshots'),
      CORE_OPERATIONS_LISTENADDRESS: `${HOST}:${org.peerOpsPort}`,
      CORE_METRICS_PROVIDER: 'prometheus',
      CORE_VM_ENDPOINT: '',
    },
  };
}

/** Environment for the peer CLI acting as the org's admin against the org's own peer. */
export function peerCliEnv(layout: Layout, org: PeerOrg): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    FABRIC_LOGGING_SPEC: 'warning',
    FABRIC_CFG_PATH: peerConfigDir(layout),
    CORE_PEER_TLS_ENABLED: 'true',
    CORE_PEER_LOCALMSPID: org.mspId,
    CORE_PEER_TLS_ROOTCERT_FILE: peerFiles(layout, org).tlsCa,
    CORE_PEER_MSPCONFIGPATH: orgAdmin(layout, org).mspDir,
    CORE_PEER_ADDRESS: `${HOST}:${org.peerPort}`,
  };
}

/** osnadmin's connection flags for one orderer's admin endpoint (mutual TLS as the orderer org's admin). */
export function osnadminFlags(layout: Layout, orderer: OrdererNode): string[] {
  const admin = ordererAdminTls(layout);
  return [
    '-o',
    `${HOST}:${orderer.adminPort}`,
    '--ca-file',
    ordererTlsCaCert(layout),
    '--client-cert',
    admin.certPath,
    '--client-key',
    admin.keyPath,
  ];
}

/** The peer CLI's flags to submit through an orderer. */
export function ordererFlags(layout: Layout, orderer: OrdererNode): string[] {
  return [
    '-o',
    `${HOST}:${orderer.port}`,
    '--ordererTLSHostnameOverride',
    orderer.host,
    '--tls',
    '--cafile',
    ordererTlsCaCert(layout),
  ];
}
