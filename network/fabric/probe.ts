/**
 * Looking at a running network: Raft leadership and block heights from the operations endpoints'
 * Prometheus metrics, and an end-to-end cross-org endorsement through an org's Gateway.
 */
import * as grpc from '@grpc/grpc-js';
import { Gateway, connect, signers } from '@hyperledger/fabric-gateway';
import { createPrivateKey } from 'crypto';
import * as fs from 'fs';
import { FabricCertAndKey, FabricNetwork, PeerMspId } from './env';
import { CHANNEL } from './layout';
import { httpGetText } from './util';

/** The value of a metric with label channel="lianjian" in Prometheus text, or undefined. */
export function channelMetric(metricsText: string, metric: string): number | undefined {
  const pattern = new RegExp(`^${metric}\\{[^}]*channel="${CHANNEL}"[^}]*\\}\\s+(\\S+)`, 'm');
  const match = pattern.exec(metricsText);
  return match ? Number(match[1]) : undefined;
}

/** Raft view of one orderer, from its metrics; undefined if it does not answer. */
export async function ordererRaft(
  operationsUrl: string,
): Promise<{ isLeader: boolean; committedBlock?: number; activeNodes?: number } | undefined> {
  try {
    const text = await httpGetText(`${operationsUrl}/metrics`);
    return {
      isLeader: channelMetric(text, 'consensus_etcdraft_is_leader') === 1,
      committedBlock: channelMetric(text, 'consensus_etcdraft_committed_block_number'),
      activeNodes: channelMetric(text, 'consensus_etcdraft_active_nodes'),
    };
  } catch {
    return undefined;
  }
}

/** Name of the orderer that leads the channel's Raft cluster, or undefined if none does (yet). */
export async function raftLeader(network: FabricNetwork): Promise<string | undefined> {
  const views = await Promise.all(network.orderers.map((o) => ordererRaft(o.operationsUrl)));
  return network.orderers.find((_, i) => views[i]?.isLeader)?.name;
}

/** Channel height (number of blocks) on a peer, from its metrics; undefined if it does not answer. */
export async function peerHeight(operationsUrl: string): Promise<number | undefined> {
  try {
    return channelMetric(await httpGetText(`${operationsUrl}/metrics`), 'ledger_blockchain_height');
  } catch {
    return undefined;
  }
}

/** Heights of every peer, keyed by MSP id (undefined where a peer does not answer). */
export async function peerHeights(network: FabricNetwork): Promise<Record<PeerMspId, number | undefined>> {
  const orgs = Object.values(network.orgs);
  const heights = await Promise.all(orgs.map((org) => peerHeight(org.peer.operationsUrl)));
  return Object.fromEntries(orgs.map((org, i) => [org.mspId, heights[i]])) as Record<PeerMspId, number | undefined>;
}

export interface EndorsementProof {
  viaOrg: PeerMspId;
  transactionId: string;
  blockNumber: bigint;
  elapsedMs: number;
}

/** A Gateway connection and a close() that also closes its gRPC client. */
export interface GatewayConnection {
  gateway: Gateway;
  close: () => void;
}

export interface GatewayOptions {
  network: FabricNetwork;
  /** Whose peer to connect to; also the MSP of the identity. */
  viaOrg: PeerMspId;
  /** Identity to sign with (a certificate issued by that org's CA); defaults to the org's admin. */
  identity?: FabricCertAndKey;
  timeoutMs?: number;
}

/** A Gateway connection to an org's peer, as that org's admin or as the given identity of that org. */
export function connectToGateway(options: GatewayOptions): GatewayConnection {
  const { network, viaOrg, timeoutMs = 20_000 } = options;
  const org = network.orgs[viaOrg];
  const identity = options.identity ?? org.admin;
  const client = new grpc.Client(
    org.peer.endpoint,
    grpc.credentials.createSsl(fs.readFileSync(org.peer.tlsCaCertPath)),
    {
      'grpc.ssl_target_name_override': org.peer.hostnameOverride,
    },
  );
  const deadline = (): grpc.CallOptions => ({ deadline: Date.now() + timeoutMs });
  const gateway = connect({
    client,
    identity: { mspId: org.mspId, credentials: fs.readFileSync(identity.certPath) },
    signer: signers.newPrivateKeySigner(createPrivateKey(fs.readFileSync(identity.keyPath))),
    evaluateOptions: deadline,
    endorseOptions: deadline,
    submitOptions: deadline,
    commitStatusOptions: deadline,
  });
  const close = (): void => {
    gateway.close();
    client.close();
  };
  return { gateway, close };
}

/**
 * Submit `org.hyperledger.fabric:GetMetadata` through `viaOrg`'s peer Gateway (as that org's admin
 * unless another identity is given) and wait for its commit. The Gateway picks endorsers by service discovery to satisfy the
 * chaincode's policy, so success means the regulator's peer and a bank's peer both endorsed and
 * the transaction was committed VALID. Throws with the Gateway's reason otherwise.
 */
export async function proveCrossOrgEndorsement(options: GatewayOptions): Promise<EndorsementProof> {
  const { network, viaOrg } = options;
  const started = Date.now();
  const connection = connectToGateway(options);
  try {
    const contract = connection.gateway.getNetwork(network.channel).getContract(network.chaincode.name);
    const commit = await contract.submitAsync('org.hyperledger.fabric:GetMetadata');
    const status = await commit.getStatus();
    if (!status.successful) {
      throw new Error(`transaction ${status.transactionId} committed with validation code ${status.code}, not VALID`);
    }
    return {
      viaOrg,
      transactionId: status.transactionId,
      blockNumber: status.blockNumber,
      elapsedMs: Date.now() - started,
    };
  } catch (error) {
    throw new Error(`via ${viaOrg}'s Gateway: ${gatewayErrorText(error)}`, { cause: error });
  } finally {
    connection.close();
  }
}

/** A Gateway error's message plus the per-peer details it carries. */
function gatewayErrorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const details = (error as Error & { details?: { address?: string; message?: string }[] }).details ?? [];
  const detailText = details.map((d) => `${d.address ?? '?'}: ${d.message ?? ''}`).join('; ');
  return detailText ? `${error.message} (${detailText})` : error.message;
}
