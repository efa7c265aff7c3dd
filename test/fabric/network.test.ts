/**
 * The live Fabric network (npm run test:fabric; not part of npm test). Works on the network of
 * LIANJIAN_FABRIC_BUILD_DIR / LIANJIAN_FABRIC_PORT_BASE (default network/fabric/.build), brings it
 * up itself, crashes and stops parts of it, and always leaves it up and ready for the suites after it.
 */
import { expect } from 'chai';
import { execFile, execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runningPid } from '../../network/fabric/daemons';
import { FabricNetwork, loadFabricNetwork } from '../../network/fabric/env';
import { Layout, createLayout, layoutOptionsFromEnv } from '../../network/fabric/layout';
import { processInfos } from '../../network/fabric/processes';
import { connectToGateway, peerHeights, proveCrossOrgEndorsement } from '../../network/fabric/probe';
import { collectStatus } from '../../network/fabric/status';

interface CliResult {
  code: number;
  output: string;
  ms: number;
}

/** Run the fabric CLI (compiled) with the test's own environment. */
function fabricCli(layout: Layout, args: string[]): Promise<CliResult> {
  const started = Date.now();
  const cli = path.join(layout.root, 'dist', 'network', 'fabric', 'cli.js');
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { timeout: 180_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: stdout + stderr, ms: Date.now() - started });
    });
  });
}

/** Pid of every process by name (undefined when not running). */
function pids(layout: Layout): Record<string, number | undefined> {
  return Object.fromEntries(processInfos(layout).map((p) => [p.name, runningPid(layout, p.name)]));
}

/** Names whose pid differs between two snapshots. */
function changed(before: Record<string, number | undefined>, after: Record<string, number | undefined>): string[] {
  return Object.keys(before).filter((name) => before[name] !== after[name]);
}

function killHard(layout: Layout, name: string): void {
  const pid = runningPid(layout, name);
  expect(pid, `${name} should be running`).to.be.a('number');
  process.kill(pid!, 'SIGKILL');
}

/** Retry a cross-org endorsement until it commits (a crashed leader needs a new election first). */
async function endorseEventually(network: FabricNetwork, timeoutMs: number): Promise<{ ms: number; block: bigint }> {
  const started = Date.now();
  for (;;) {
    try {
      const proof = await proveCrossOrgEndorsement({ network, viaOrg: 'Org1MSP', timeoutMs: 10_000 });
      return { ms: Date.now() - started, block: proof.blockNumber };
    } catch (error) {
      if (Date.now() - started > timeoutMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/** A block's bytes as the org's peer serves them (qscc GetBlockByNumber). */
async function blockBytes(network: FabricNetwork, blockNumber: number): Promise<Buffer> {
  const connection = connectToGateway({ network, viaOrg: 'Org2MSP' });
  try {
    const qscc = connection.gateway.getNetwork(network.channel).getContract('qscc');
    return Buffer.from(await qscc.evaluateTransaction('GetBlockByNumber', network.channel, String(blockNumber)));
  } finally {
    connection.close();
  }
}

/** A client certificate (OU=client) for `mspId`, issued with openssl from the org's CA key in network.json. */
function issueClientIdentity(
  network: FabricNetwork,
  mspId: 'Org1MSP' | 'Org3MSP',
): { certPath: string; keyPath: string } {
  const org = network.orgs[mspId];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fabric-client-'));
  const keyPath = path.join(dir, 'key.pem');
  const certPath = path.join(dir, 'cert.pem');
  const ext = path.join(dir, 'ext.cnf');
  fs.writeFileSync(ext, 'keyUsage=critical,digitalSignature\nbasicConstraints=critical,CA:FALSE\n');
  const openssl = (...args: string[]): Buffer => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', keyPath);
  const subject = `/C=CN/O=${org.domain}/OU=client/CN=test-app@${org.domain}`;
  openssl('req', '-new', '-key', keyPath, '-subj', subject, '-out', path.join(dir, 'csr.pem'));
  openssl(
    'x509',
    '-req',
    '-in',
    path.join(dir, 'csr.pem'),
    '-CA',
    org.ca.certPath,
    '-CAkey',
    org.ca.keyPath,
    '-set_serial',
    String(Date.now()),
    '-days',
    '1',
    '-sha256',
    '-extfile',
    ext,
    '-out',
    certPath,
  );
  return { certPath, keyPath };
}

describe('fabric: live network (three Raft orderers, three orgs)', function () {
  this.timeout(180_000);
  const layout = createLayout(layoutOptionsFromEnv());
  let network: FabricNetwork;

  before(async () => {
    const result = await fabricCli(layout, ['up']);
    expect(result.code, result.output).to.equal(0);
    network = loadFabricNetwork({ file: layout.networkFile });
  });

  after(async () => {
    // leave the network up and ready for the suites that run after this one
    const result = await fabricCli(layout, ['up']);
    expect(result.code, result.output).to.equal(0);
  });

  it('up says ready only after a cross-org endorsement was committed VALID', async () => {
    const result = await fabricCli(layout, ['stop']);
    expect(result.code, result.output).to.equal(0);
    const upAgain = await fabricCli(layout, ['up']);
    expect(upAgain.code, upAgain.output).to.equal(0);
    expect(upAgain.output).to.match(/Org1MSP Gateway: GetMetadata endorsed and committed VALID/);
    expect(upAgain.output).to.match(/Org2MSP Gateway: GetMetadata endorsed and committed VALID/);
    expect(upAgain.output).to.match(/Org3MSP Gateway: GetMetadata endorsed and committed VALID/);
    expect(upAgain.output.trim().split('\n').pop()).to.match(/ready in [\d.]+ s/);
    const proof = await proveCrossOrgEndorsement({ network, viaOrg: 'Org3MSP' });
    expect(proof.transactionId).to.match(/^[0-9a-f]{64}$/);
  });

  it("a client identity issued from an org's CA key (network.json) submits through the Gateway", async () => {
    const identity = issueClientIdentity(network, 'Org3MSP');
    const proof = await proveCrossOrgEndorsement({ network, viaOrg: 'Org3MSP', identity });
    expect(proof.blockNumber > 0n).to.equal(true);
    fs.rmSync(path.dirname(identity.certPath), { recursive: true, force: true });
  });

  it('up again is a quick no-op that starts nothing', async () => {
    const before = pids(layout);
    const result = await fabricCli(layout, ['up']);
    expect(result.code, result.output).to.equal(0);
    expect(result.output).to.match(/already up/);
    expect(result.ms).to.be.below(3000);
    expect(changed(before, pids(layout))).to.deep.equal([]);
  });

  it('status --check exits 0 when all nine processes are up, and reports heights and a Raft leader', async () => {
    const result = await fabricCli(layout, ['status', '--check']);
    expect(result.code, result.output).to.equal(0);
    expect(result.output).to.match(/network UP: 9\/9 processes up/);
    const status = await collectStatus(layout);
    expect(status.processes.filter((p) => p.kind === 'peer').every((p) => (p.height ?? 0) > 1)).to.equal(true);
    expect(status.processes.filter((p) => p.raft?.isLeader)).to.have.length(1);
  });

  it('kill -9 of the Raft leader: a cross-org invoke still commits; up restarts only that orderer', async () => {
    const leader = (await collectStatus(layout)).processes.find((p) => p.raft?.isLeader);
    expect(leader, 'a Raft leader').to.not.equal(undefined);
    killHard(layout, leader!.name);
    const { ms } = await endorseEventually(network, 60_000);
    console.log(`      (committed ${ms} ms after killing ${leader!.name})`);
    const check = await fabricCli(layout, ['status', '--check']);
    expect(check.code, 'status --check with an orderer down').to.equal(1);
    const before = pids(layout);
    const result = await fabricCli(layout, ['up']);
    expect(result.code, result.output).to.equal(0);
    expect(changed(before, pids(layout))).to.deep.equal([leader!.name]);
  });

  it('kill -9 of the regulator peer: writes fail while it is down; up restarts only it', async () => {
    const peer = network.orgs.Org2MSP.peer.name;
    killHard(layout, peer);
    let failure: unknown;
    await proveCrossOrgEndorsement({ network, viaOrg: 'Org1MSP', timeoutMs: 10_000 }).catch(
      (e: unknown) => (failure = e),
    );
    expect(failure, 'no write commits without the regulator').to.be.instanceOf(Error);
    const before = pids(layout);
    const result = await fabricCli(layout, ['up']);
    expect(result.code, result.output).to.equal(0);
    expect(changed(before, pids(layout))).to.deep.equal([peer]);
    await proveCrossOrgEndorsement({ network, viaOrg: 'Org1MSP' });
  });

  it('stop keeps the ledgers: up resumes on the same chain at the same height', async () => {
    const heights = await peerHeights(network);
    const height = heights.Org1MSP!;
    expect(Object.values(heights)).to.deep.equal([height, height, height]);
    const lastBlock = await blockBytes(network, height - 1);
    const stop = await fabricCli(layout, ['stop']);
    expect(stop.code, stop.output).to.equal(0);
    expect(Object.values(pids(layout)).every((pid) => pid === undefined)).to.equal(true);
    const check = await fabricCli(layout, ['status', '--check']);
    expect(check.code).to.equal(1);
    const result = await fabricCli(layout, ['up']);
    expect(result.code, result.output).to.equal(0);
    expect(result.output).to.match(/0 of 9 processes running; starting the others on the existing ledgers/);
    const after = await peerHeights(network);
    for (const h of Object.values(after)) expect(h).to.be.at.least(height);
    expect((await blockBytes(network, height - 1)).equals(lastBlock)).to.equal(true);
  });

  it('status --check exits 1 while a chaincode server is down, 0 after up', async () => {
    killHard(layout, 'ccaas.org3');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await fabricCli(layout, ['status', '--check'])).code).to.equal(1);
    const result = await fabricCli(layout, ['up']);
    expect(result.code, result.output).to.equal(0);
    expect((await fabricCli(layout, ['status', '--check'])).code).to.equal(0);
  });
});
