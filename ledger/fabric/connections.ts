/**
 * One gRPC connection per org's peer, and on it the org's Gateways: the service identity (every
 * member call of the org) and, for genesis registration only, the org's MSP admin.
 */
import * as grpc from '@grpc/grpc-js';
import { connect, Contract, Gateway, hash, Network } from '@hyperledger/fabric-gateway';
import fs from 'node:fs';
import type { FabricNetwork, FabricOrg } from '../../network/fabric/env';
import { serviceIdentity } from './identities';
import { nodeSigner } from './signer';

const CALL_TIMEOUT_MS = 15_000;
/** A transaction the orderers took but lost (its orderer crashed) never commits: resubmit after this. */
export const COMMIT_TIMEOUT_MS = 5_000;

/** A peer's gRPC client: quick to notice a dead peer and quick to reconnect when it is back. */
export function peerClient(org: FabricOrg): grpc.Client {
  return new grpc.Client(org.peer.endpoint, grpc.credentials.createSsl(fs.readFileSync(org.peer.tlsCaCertPath)), {
    'grpc.ssl_target_name_override': org.peer.hostnameOverride,
    'grpc.initial_reconnect_backoff_ms': 250,
    'grpc.min_reconnect_backoff_ms': 250,
    'grpc.max_reconnect_backoff_ms': 2000,
    'grpc.max_receive_message_length': 100 * 1024 * 1024,
  });
}

function gatewayFor(client: grpc.Client, identity: { mspId: string; certPem: string; keyPem: string }): Gateway {
  const deadline = (ms: number) => (): grpc.CallOptions => ({ deadline: Date.now() + ms });
  return connect({
    client,
    identity: { mspId: identity.mspId, credentials: Buffer.from(identity.certPem) },
    signer: nodeSigner(identity.keyPem),
    hash: hash.none,
    evaluateOptions: deadline(CALL_TIMEOUT_MS),
    endorseOptions: deadline(CALL_TIMEOUT_MS),
    submitOptions: deadline(CALL_TIMEOUT_MS),
    commitStatusOptions: deadline(COMMIT_TIMEOUT_MS),
  });
}

/** An org's peer connection with its contracts. */
export class OrgConnection {
  readonly client: grpc.Client;
  readonly service: Gateway;
  private adminGateway?: Gateway;

  constructor(
    readonly org: FabricOrg,
    private readonly network: FabricNetwork,
    identitiesDir: string,
  ) {
    this.client = peerClient(org);
    this.service = gatewayFor(this.client, serviceIdentity(identitiesDir, org));
  }

  /** The channel as the org's service identity, or as its MSP admin. */
  channel(asAdmin = false): Network {
    return this.gateway(asAdmin).getNetwork(this.network.channel);
  }

  /** The Lianjian chaincode as the service identity (or the MSP admin). */
  chaincode(asAdmin = false): Contract {
    return this.channel(asAdmin).getContract(this.network.chaincode.name);
  }

  /** The peer's query system chaincode (blocks, transactions, chain info). */
  qscc(): Contract {
    return this.channel().getContract('qscc');
  }

  private gateway(asAdmin: boolean): Gateway {
    if (!asAdmin) return this.service;
    this.adminGateway ??= gatewayFor(this.client, {
      mspId: this.org.mspId,
      certPem: fs.readFileSync(this.org.admin.certPath, 'utf8'),
      keyPem: fs.readFileSync(this.org.admin.keyPath, 'utf8'),
    });
    return this.adminGateway;
  }

  /** Whether the gRPC channel is connected (or connecting after being idle) right now. */
  connected(): boolean {
    const state = this.client.getChannel().getConnectivityState(false);
    return state === grpc.connectivityState.READY || state === grpc.connectivityState.IDLE;
  }

  close(): void {
    this.service.close();
    this.adminGateway?.close();
    this.client.close();
  }
}
