/**
 * One-time setup on running processes: orderers join the channel (channel participation API, no
 * system channel), peers join it, and each org installs its own ccaas package and approves the one
 * chaincode definition, which is then committed. Each step is recorded in state.json and tolerates
 * having been done already (a crash between a step and its record).
 */
import { packageFile } from './chaincode';
import { FabricHome, fabricBin } from './binaries';
import { peerFiles } from './cryptopaths';
import { CHAINCODE, CHANNEL, HOST, Layout, PeerMspId, PeerOrg, genesisBlockPath } from './layout';
import { ordererFlags, osnadminFlags, peerCliEnv } from './nodes';
import { NetworkState, writeState } from './state';
import { CommandError, log, retry, run } from './util';

/** What the setup steps work on; `state` is updated and saved as steps complete. */
export interface DeployContext {
  layout: Layout;
  home: FabricHome;
  state: NetworkState;
  packageIds: Record<PeerMspId, string>;
}

function setupLog(layout: Layout): string {
  return `${layout.dirs.logs}/setup.log`;
}

/** Run a command; if it fails with output matching `alreadyDone`, count it as success. */
async function runIdempotent(options: {
  layout: Layout;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  alreadyDone: RegExp;
}): Promise<string> {
  try {
    return await run({ ...options, logFile: setupLog(options.layout), timeoutMs: 120_000 });
  } catch (error) {
    if (error instanceof CommandError && options.alreadyDone.test(error.output)) return error.output;
    throw error;
  }
}

/** Every orderer not yet on the channel joins it with the genesis block (osnadmin channel join). */
export async function joinOrderers(context: DeployContext): Promise<void> {
  const { layout, home, state } = context;
  for (const orderer of layout.orderers.filter((o) => !state.orderersJoined.includes(o.name))) {
    const output = await runIdempotent({
      layout,
      command: fabricBin(home, 'osnadmin'),
      args: [
        'channel',
        'join',
        '--channelID',
        CHANNEL,
        '--config-block',
        genesisBlockPath(layout),
        ...osnadminFlags(layout, orderer),
      ],
      alreadyDone: /already exists/,
    });
    const status = /Status:\s*(\d+)/.exec(output)?.[1];
    if (status !== '201' && !/already exists/.test(output)) {
      throw new Error(`osnadmin channel join on ${orderer.name} answered ${status ?? '?'}: ${output.trim()}`);
    }
    state.orderersJoined.push(orderer.name);
    writeState(layout, state);
    log(`${orderer.name} joined channel ${CHANNEL} (channel participation API)`);
  }
}

function peerCli(context: DeployContext, org: PeerOrg, args: string[], alreadyDone = /$^/): Promise<string> {
  return runIdempotent({
    layout: context.layout,
    command: fabricBin(context.home, 'peer'),
    args,
    env: peerCliEnv(context.layout, org),
    alreadyDone,
  });
}

/** Every peer not yet on the channel joins it. */
export async function joinPeers(context: DeployContext): Promise<void> {
  const { layout, state } = context;
  for (const org of layout.orgs.filter((o) => !state.peersJoined.includes(o.mspId))) {
    await retry({
      what: `${org.peerHost} to join ${CHANNEL}`,
      attempt: () => peerCli(context, org, ['channel', 'join', '-b', genesisBlockPath(layout)], /already exists/),
      timeoutMs: 60_000,
      intervalMs: 1000,
    });
    state.peersJoined.push(org.mspId);
    writeState(layout, state);
    log(`${org.peerHost} joined channel ${CHANNEL}`);
  }
}

const definitionFlags = (): string[] => [
  '--channelID',
  CHANNEL,
  '--name',
  CHAINCODE.name,
  '--version',
  CHAINCODE.version,
  '--sequence',
  String(CHAINCODE.sequence),
  '--signature-policy',
  CHAINCODE.endorsementPolicy,
];

/** A peer CLI command that submits through an orderer, trying the orderers in turn until one takes it. */
async function submitWithOrderers(options: {
  context: DeployContext;
  org: PeerOrg;
  what: string;
  args: string[];
}): Promise<void> {
  const { context, org, what, args } = options;
  const orderers = context.layout.orderers;
  let attempt = 0;
  await retry({
    what,
    attempt: () =>
      peerCli(
        context,
        org,
        [...args, ...ordererFlags(context.layout, orderers[attempt++ % orderers.length])],
        ALREADY_DEFINED,
      ),
    timeoutMs: 90_000,
    intervalMs: 1000,
  });
}

/** Approving or committing again what is already there. */
const ALREADY_DEFINED = /unchanged content|new definition must be sequence|already successfully installed/;

/** Install each org's package on its peer, approve the definition for each org, commit it. */
export async function deployChaincode(context: DeployContext): Promise<void> {
  const { layout, state, packageIds } = context;
  for (const org of layout.orgs.filter((o) => state.installed[o.mspId] !== packageIds[o.mspId])) {
    await peerCli(context, org, ['lifecycle', 'chaincode', 'install', packageFile(layout, org)], ALREADY_DEFINED);
    state.installed[org.mspId] = packageIds[org.mspId];
    writeState(layout, state);
    log(`${org.mspId} installed its ccaas package ${packageIds[org.mspId].slice(0, 28)}…`);
  }
  for (const org of layout.orgs.filter((o) => !state.approved.includes(o.mspId))) {
    await submitWithOrderers({
      context,
      org,
      what: `${org.mspId} to approve the chaincode definition`,
      args: ['lifecycle', 'chaincode', 'approveformyorg', ...definitionFlags(), '--package-id', packageIds[org.mspId]],
    });
    state.approved.push(org.mspId);
    writeState(layout, state);
    log(`${org.mspId} approved ${CHAINCODE.name} ${CHAINCODE.version} (sequence ${CHAINCODE.sequence})`);
  }
  if (state.committed) return;
  const peers = layout.orgs.flatMap((o) => [
    '--peerAddresses',
    `${HOST}:${o.peerPort}`,
    '--tlsRootCertFiles',
    peerFiles(layout, o).tlsCa,
  ]);
  await submitWithOrderers({
    context,
    org: layout.orgs[0],
    what: 'the chaincode definition to commit',
    args: ['lifecycle', 'chaincode', 'commit', ...definitionFlags(), ...peers],
  });
  state.committed = true;
  writeState(layout, state);
  log(`chaincode ${CHAINCODE.name} committed on ${CHANNEL}, endorsement ${CHAINCODE.endorsementPolicy}`);
}
