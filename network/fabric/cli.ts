/**
 * npm run fabric:up | fabric:down | fabric:status
 * (node dist/network/fabric/cli.js up|down|status|restart-chaincode)
 *
 * A Fabric v3 network as native processes on 127.0.0.1: one Raft orderer,
 * peer0 of Org1MSP (custodian bank) and of Org2MSP (regulator), channel
 * `lianjian` created through the channel participation API, chaincode
 * `lianjian` deployed as a service (one fabric-shim server both peers dial).
 */
import * as fs from 'fs';
import * as path from 'path';
import { binPath, ensureBinaries } from './binaries';
import { CCSERVER, PACKAGE_FILE, buildPackage, startChaincodeServer } from './chaincode';
import {
  BUILD,
  CHAINCODE,
  CHAINCODE_VERSION,
  CHANNEL,
  DIRS,
  ENDORSEMENT_POLICY,
  HOST,
  PEER_ORGS,
  PORTS,
  PeerOrgLayout,
  ordererTlsCa,
  peerDir,
} from './layout';
import {
  GENESIS_BLOCK,
  ensureCrypto,
  makeGenesisBlock,
  ordererEnv,
  osnadminArgs,
  peerCliEnv,
  peerEnv,
  writeProcessConfigs,
} from './setup';
import { isRunning, log, logPath, portOpen, readPid, retry, run, startDaemon, stopDaemon, waitForPort } from './util';

const ORDERER = 'orderer';
const peerProc = (o: PeerOrgLayout) => o.peerName;
const STATE_FILE = path.join(DIRS.run, 'network.json');

interface NetworkState {
  channelCreated: boolean;
  chaincodeCommitted: boolean;
  packageId?: string;
  sequence?: number;
}

function readState(): NetworkState {
  try {
    return JSON.parse(fs.readFileSync(STATE_FILE, 'utf8')) as NetworkState;
  } catch {
    return { channelCreated: false, chaincodeCommitted: false };
  }
}
function writeState(s: NetworkState): void {
  fs.mkdirSync(DIRS.run, { recursive: true });
  fs.writeFileSync(STATE_FILE, JSON.stringify(s, null, 2) + '\n');
}

interface Proc {
  name: string;
  label: string;
  ports: number[];
}
function processes(): Proc[] {
  return [
    { name: ORDERER, label: 'orderer', ports: [PORTS.orderer, PORTS.ordererAdmin, PORTS.ordererOps] },
    ...PEER_ORGS.map((o) => ({
      name: peerProc(o),
      label: `${o.peerName} (${o.mspId})`,
      ports: [o.peerPort, o.chaincodePort, o.opsPort],
    })),
    { name: CCSERVER, label: 'chaincode server', ports: [PORTS.chaincodeServer] },
  ];
}

const ordererArgs = () => ['-o', `${HOST}:${PORTS.orderer}`, '--tls', '--cafile', ordererTlsCa()];
const peerCli = (o: PeerOrgLayout, args: string[], timeoutMs = 60_000) =>
  run(binPath('peer'), args, { env: peerCliEnv(o), logFile: logPath('setup'), timeoutMs });

// ---------------------------------------------------------------- up
async function up(): Promise<void> {
  const started = Date.now();
  fs.mkdirSync(BUILD, { recursive: true });
  const procs = processes();
  if (procs.every((p) => isRunning(p.name))) {
    log('already up');
    await status();
    return;
  }
  // a half-running network: stop what is left, keep the ledgers, start again
  for (const p of procs) if (await stopDaemon(p.name)) log(`stopped leftover ${p.label}`);

  for (const p of procs) {
    for (const port of p.ports) {
      if (await portOpen(port))
        throw new Error(
          `port ${HOST}:${port} (${p.label}) is already in use by another program (ss -ltnp | grep ${port})`,
        );
    }
  }

  const state = readState();
  const resume = state.channelCreated && state.chaincodeCommitted && fs.existsSync(DIRS.data);
  if (!resume) {
    fs.rmSync(DIRS.data, { recursive: true, force: true });
    fs.rmSync(DIRS.artifacts, { recursive: true, force: true });
    fs.rmSync(DIRS.logs, { recursive: true, force: true });
    fs.rmSync(STATE_FILE, { force: true });
  }
  await ensureBinaries();
  fs.mkdirSync(DIRS.data, { recursive: true });
  fs.mkdirSync(DIRS.logs, { recursive: true });
  await ensureCrypto();
  writeProcessConfigs();
  if (!resume) await makeGenesisBlock();
  else log('existing ledgers found: restarting processes on them');

  // orderer
  startDaemon(ORDERER, binPath('orderer'), [], ordererEnv(), BUILD);
  await waitForPort('orderer', PORTS.orderer, 30_000, ORDERER);
  await waitForPort('orderer admin', PORTS.ordererAdmin, 30_000, ORDERER);
  log(`orderer up (${HOST}:${PORTS.orderer}, admin ${PORTS.ordererAdmin}, ops ${PORTS.ordererOps})`);

  if (!resume) {
    await run(
      binPath('osnadmin'),
      ['channel', 'join', '--channelID', CHANNEL, '--config-block', GENESIS_BLOCK, ...osnadminArgs()],
      { logFile: logPath('setup') },
    );
    log(`channel ${CHANNEL} joined by the orderer (channel participation API)`);
  }

  // peers
  for (const o of PEER_ORGS) {
    fs.mkdirSync(path.join(DIRS.data, o.peerName), { recursive: true });
    startDaemon(peerProc(o), binPath('peer'), ['node', 'start'], peerEnv(o), BUILD);
  }
  for (const o of PEER_ORGS) {
    await waitForPort(o.peerName, o.peerPort, 60_000, peerProc(o));
    log(`${o.peerName} up (${HOST}:${o.peerPort}, ops ${o.opsPort})`);
  }

  if (!resume) {
    for (const o of PEER_ORGS) {
      await retry(`${o.peerName} channel join`, () => peerCli(o, ['channel', 'join', '-b', GENESIS_BLOCK]), 30_000);
      log(`${o.peerName} joined channel ${CHANNEL}`);
    }
  }

  // chaincode as a service
  const pkgId = await buildPackage();
  if (resume && state.packageId && state.packageId !== pkgId) {
    log(`warning: package id changed (${state.packageId} -> ${pkgId}); run fabric:down then fabric:up to redeploy`);
  }
  await startChaincodeServer(resume && state.packageId ? state.packageId : pkgId);

  if (!resume) {
    await deployChaincode(pkgId);
    writeState({ channelCreated: true, chaincodeCommitted: true, packageId: pkgId, sequence: 1 });
  }

  // first call connects the peers to the chaincode server
  await retry('chaincode smoke query', smokeQuery, 60_000, 2000);
  log('chaincode answers queries');
  log(
    `network up in ${((Date.now() - started) / 1000).toFixed(1)}s — channel ${CHANNEL}, chaincode ${CHAINCODE}; logs in ${path.relative(process.cwd(), DIRS.logs)}/`,
  );
}

/** One query through org1's peer; proves the peer reaches the chaincode server. */
async function smokeQuery(): Promise<void> {
  try {
    await peerCli(
      PEER_ORGS[0],
      [
        'chaincode',
        'query',
        '-C',
        CHANNEL,
        '-n',
        CHAINCODE,
        '-c',
        '{"function":"org.hyperledger.fabric:GetMetadata","Args":[]}',
      ],
      30_000,
    );
  } catch (e) {
    // the chaincode ran but could not serialize its answer: it is reachable (see README, class-transformer)
    if (/classToPlain/.test((e as Error).message)) {
      log(
        'warning: chaincode reached, but fabric-contract-api cannot serialize object results (class-transformer 0.4.1 lacks classToPlain; pin 0.4.0)',
      );
      return;
    }
    throw e;
  }
}

async function deployChaincode(pkgId: string): Promise<void> {
  // the peer is the judge of the package id: check ours matches
  const { stdout } = await run(binPath('peer'), ['lifecycle', 'chaincode', 'calculatepackageid', PACKAGE_FILE], {
    env: peerCliEnv(PEER_ORGS[0]),
  });
  if (stdout.trim() !== pkgId) throw new Error(`package id mismatch: peer says ${stdout.trim()}, we computed ${pkgId}`);

  for (const o of PEER_ORGS) {
    await peerCli(o, ['lifecycle', 'chaincode', 'install', PACKAGE_FILE], 120_000);
    log(`chaincode package installed on ${o.peerName} (${pkgId.slice(0, 24)}...)`);
  }
  const def = [
    '--channelID',
    CHANNEL,
    '--name',
    CHAINCODE,
    '--version',
    CHAINCODE_VERSION,
    '--sequence',
    '1',
    '--signature-policy',
    ENDORSEMENT_POLICY,
  ];
  for (const o of PEER_ORGS) {
    // the first submission may meet a Raft leader election still in progress
    await retry(
      `approve for ${o.mspId}`,
      () => peerCli(o, ['lifecycle', 'chaincode', 'approveformyorg', ...ordererArgs(), ...def, '--package-id', pkgId]),
      60_000,
      2000,
    );
    log(`chaincode definition approved by ${o.mspId}`);
  }
  const peersArgs = PEER_ORGS.flatMap((o) => [
    '--peerAddresses',
    `${HOST}:${o.peerPort}`,
    '--tlsRootCertFiles',
    path.join(peerDir(o), 'tls', 'ca.crt'),
  ]);
  await retry(
    'commit',
    () => peerCli(PEER_ORGS[0], ['lifecycle', 'chaincode', 'commit', ...ordererArgs(), ...def, ...peersArgs]),
    60_000,
    2000,
  );
  log(`chaincode ${CHAINCODE} committed (endorsement ${ENDORSEMENT_POLICY})`);
}

// ---------------------------------------------------------------- down
async function down(): Promise<void> {
  const started = Date.now();
  const procs = processes().reverse();
  for (const p of procs) {
    if (await stopDaemon(p.name)) log(`${p.label} stopped`);
  }
  fs.rmSync(DIRS.data, { recursive: true, force: true });
  fs.rmSync(DIRS.artifacts, { recursive: true, force: true });
  fs.rmSync(DIRS.run, { recursive: true, force: true });
  log(
    `ledger data wiped; down in ${((Date.now() - started) / 1000).toFixed(1)}s (binaries and crypto kept in ${path.relative(process.cwd(), BUILD)})`,
  );
}

// ---------------------------------------------------------------- status
async function height(o: PeerOrgLayout): Promise<string> {
  try {
    const { stdout } = await run(binPath('peer'), ['channel', 'getinfo', '-c', CHANNEL], {
      env: peerCliEnv(o),
      timeoutMs: 15_000,
    });
    const m = /"height":\s*(\d+)/.exec(stdout);
    return m ? m[1] : '?';
  } catch (e) {
    return `? (${(e as Error).message.split('\n').pop()})`;
  }
}

async function status(): Promise<boolean> {
  let allUp = true;
  for (const p of processes()) {
    const pid = readPid(p.name);
    const running = isRunning(p.name);
    const listening = await Promise.all(p.ports.map((port) => portOpen(port)));
    const upNow = running && listening[0];
    allUp &&= upNow;
    const ports = p.ports.map((port, i) => `${port}${listening[i] ? '' : '(closed)'}`).join(',');
    log(
      `${upNow ? 'UP  ' : 'DOWN'} ${p.label.padEnd(40)} pid ${running ? pid : '-'}  ports ${ports}  log ${path.relative(process.cwd(), logPath(p.name))}`,
    );
  }
  for (const o of PEER_ORGS) {
    if (isRunning(peerProc(o)) && fs.existsSync(binPath('peer')))
      log(`channel ${CHANNEL} height on ${o.peerName}: ${await height(o)}`);
  }
  if (isRunning(ORDERER) && fs.existsSync(binPath('osnadmin'))) {
    try {
      const { stdout } = await run(
        binPath('osnadmin'),
        ['channel', 'list', '--channelID', CHANNEL, ...osnadminArgs()],
        { timeoutMs: 15_000 },
      );
      const m = /"height":\s*(\d+)/.exec(stdout);
      log(`channel ${CHANNEL} height on orderer: ${m ? m[1] : '?'}`);
    } catch {
      /* older/newer osnadmin syntax: peers' heights suffice */
    }
  }
  const st = readState();
  if (st.packageId) log(`chaincode ${CHAINCODE} package ${st.packageId}`);
  log(`network ${allUp ? 'UP' : 'DOWN (or partly down)'}`);
  return allUp;
}

// ---------------------------------------------------------------- restart the chaincode server only
async function restartChaincode(): Promise<void> {
  const st = readState();
  if (!st.packageId) throw new Error('network not deployed; run npm run fabric:up');
  await stopDaemon(CCSERVER);
  await startChaincodeServer(st.packageId);
}

async function main(): Promise<void> {
  const cmd = process.argv[2];
  switch (cmd) {
    case 'up':
      return up();
    case 'down':
      return down();
    case 'status': {
      const ok = await status();
      if (process.argv.includes('--check') && !ok) process.exitCode = 1;
      return;
    }
    case 'restart-chaincode':
      return restartChaincode();
    default:
      console.error('usage: node dist/network/fabric/cli.js up|down|status [--check]|restart-chaincode');
      process.exitCode = 2;
  }
}

main().catch((e: Error) => {
  process.stderr.write(`[fabric] FAILED: ${e.message}\n`);
  if (process.argv[2] === 'up' && processes().some((p) => isRunning(p.name)))
    process.stderr.write(
      '[fabric] processes started so far keep running for inspection (logs in network/fabric/.build/logs); npm run fabric:down stops them\n',
    );
  process.exitCode = 1;
});
