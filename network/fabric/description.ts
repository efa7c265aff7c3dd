/** Builds and writes network.json (the FabricNetwork of env.ts) from the layout. */
import { createHash } from 'crypto';
import * as fs from 'fs';
import { peerConfigDir } from './artifacts';
import { FabricHome, fabricBin } from './binaries';
import { orgAdmin, orgCa, orgTlsCa, ordererTlsCaCert, peerFiles } from './cryptopaths';
import { FabricNetwork, FabricOrg } from './env';
import { CHAINCODE, CHANNEL, FABRIC_VERSION, HOST, Layout, PeerMspId, genesisBlockPath } from './layout';

/** The network's connection facts; `packageIds` are each org's ccaas package id. */
export function describeNetwork(options: {
  layout: Layout;
  home: FabricHome;
  packageIds: Record<PeerMspId, string>;
}): FabricNetwork {
  const { layout, home, packageIds } = options;
  const ordererCa = ordererTlsCaCert(layout);
  const orgs = Object.fromEntries(
    layout.orgs.map((org): [PeerMspId, FabricOrg] => [
      org.mspId,
      {
        mspId: org.mspId,
        name: org.name,
        role: org.role,
        domain: org.domain,
        peer: {
          name: org.peerHost,
          endpoint: `${HOST}:${org.peerPort}`,
          hostnameOverride: org.peerHost,
          tlsCaCertPath: peerFiles(layout, org).tlsCa,
          operationsUrl: `http://${HOST}:${org.peerOpsPort}`,
        },
        ca: orgCa(layout, org),
        tlsCa: orgTlsCa(layout, org),
        admin: orgAdmin(layout, org),
        chaincode: { packageId: packageIds[org.mspId], serverAddress: `${HOST}:${org.chaincodeServerPort}` },
      },
    ]),
  ) as Record<PeerMspId, FabricOrg>;
  return {
    formatVersion: 1,
    fabricVersion: FABRIC_VERSION,
    channel: CHANNEL,
    chaincode: {
      name: CHAINCODE.name,
      version: CHAINCODE.version,
      sequence: CHAINCODE.sequence,
      endorsementPolicy: CHAINCODE.endorsementPolicy,
    },
    orgs,
    orderers: layout.orderers.map((o) => ({
      name: o.host,
      mspId: 'OrdererMSP' as const,
      endpoint: `${HOST}:${o.port}`,
      hostnameOverride: o.host,
      tlsCaCertPath: ordererCa,
      adminEndpoint: `${HOST}:${o.adminPort}`,
      operationsUrl: `http://${HOST}:${o.opsPort}`,
    })),
    ordererTlsCaCertPath: ordererCa,
    genesisBlockPath: genesisBlockPath(layout),
    genesisBlockSha256: fs.existsSync(genesisBlockPath(layout))
      ? createHash('sha256')
          .update(fs.readFileSync(genesisBlockPath(layout)))
          .digest('hex')
      : '',
    peerCli: { bin: fabricBin(home, 'peer'), configDir: peerConfigDir(layout) },
    buildDir: layout.buildDir,
    writtenAt: new Date().toISOString(),
  };
}

/** Write network.json atomically (write to a temporary file, then rename). */
export function writeNetworkFile(layout: Layout, network: FabricNetwork): void {
  const temporary = `${layout.networkFile}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(network, null, 2) + '\n');
  fs.renameSync(temporary, layout.networkFile);
}
