/**
 * npm run fabric:up | fabric:stop | fabric:down | fabric:status
 * (node dist/network/fabric/cli.js up | stop | down | status [--check] [--json] | restart-chaincode)
 *
 * A Fabric 3.1.5 network as native processes on 127.0.0.1, no Docker: three Raft orderers, one
 * peer each for Org1MSP (custodian bank), Org2MSP (regulator) and Org3MSP (second bank), and each
 * org's own chaincode server (chaincode as a service) for chaincode `lianjian` on channel `lianjian`.
 */
import * as fs from 'fs';
import { chaincodeServerName } from './chaincode';
import { stopDaemon } from './daemons';
import { createLayout, Layout, layoutOptionsFromEnv } from './layout';
import { withLock } from './lock';
import { stopAll } from './processes';
import { readState, writeState } from './state';
import { collectStatus, formatStatus } from './status';
import { up } from './up';
import { log } from './util';

const USAGE = 'usage: node dist/network/fabric/cli.js up | stop | down | status [--check] [--json] | restart-chaincode';

async function stop(layout: Layout): Promise<void> {
  const stopped = await stopAll(layout);
  log(
    stopped.length
      ? `stopped ${stopped.length} processes; ledgers and crypto kept (fabric:up resumes)`
      : 'nothing was running',
  );
}

async function down(layout: Layout): Promise<void> {
  await stopAll(layout);
  fs.rmSync(layout.netDir, { recursive: true, force: true });
  fs.rmSync(layout.networkFile, { force: true });
  log(`network wiped (ledgers, crypto, configs, logs); Fabric binaries kept in ${layout.buildDir}`);
}

async function status(layout: Layout, args: string[]): Promise<void> {
  const result = await collectStatus(layout);
  process.stdout.write(args.includes('--json') ? JSON.stringify(result, null, 2) + '\n' : formatStatus(result) + '\n');
  if (args.includes('--check') && !result.allUp) process.exitCode = 1;
}

/** After rebuilding dist/chaincode: stop the chaincode servers; `up` starts them on the new code. */
async function restartChaincode(layout: Layout): Promise<void> {
  for (const org of layout.orgs) await stopDaemon(layout, chaincodeServerName(org));
  const state = readState(layout);
  state.readyAt = undefined;
  writeState(layout, state);
  await up(layout);
}

function run(layout: Layout, args: string[]): Promise<void> {
  switch (args[0]) {
    case 'up':
      return withLock(layout, () => up(layout));
    case 'stop':
      return withLock(layout, () => stop(layout));
    case 'down':
      return withLock(layout, () => down(layout));
    case 'status':
      return status(layout, args.slice(1));
    case 'restart-chaincode':
      return withLock(layout, () => restartChaincode(layout));
    default:
      process.stderr.write(`${USAGE}\n`);
      process.exitCode = 2;
      return Promise.resolve();
  }
}

async function main(args: string[]): Promise<void> {
  const layout = createLayout(layoutOptionsFromEnv());
  try {
    await run(layout, args);
  } catch (error) {
    process.stderr.write(`[fabric] FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
    if (args[0] === 'up') {
      process.stderr.write(`[fabric] what started keeps running (logs in ${layout.dirs.logs}); fabric:stop stops it\n`);
    }
    process.exitCode = 1;
  }
}

void main(process.argv.slice(2));
