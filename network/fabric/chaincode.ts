/**
 * Chaincode as a service, one server per org: each org's ccaas package (metadata.json + code.tar.gz
 * holding connection.json with the address of that org's own chaincode server, so each org has its
 * own package id) and the fabric-shim server process that runs dist/chaincode/index.js.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { DaemonSpec, ProcessInfo } from './daemons';
import { CHAINCODE, HOST, Layout, PeerOrg } from './layout';
import { run } from './util';

/** The chaincode every org runs (compiled by `npx tsc -p tsconfig.json`). */
export function chaincodeEntry(layout: Layout): string {
  return path.join(layout.root, 'dist', 'chaincode', 'index.js');
}

/** Where the org's ccaas package file is written. */
export function packageFile(layout: Layout, org: PeerOrg): string {
  return path.join(layout.dirs.artifacts, 'ccaas', `${org.mspId}.tar.gz`);
}

/** Process name of the org's chaincode server, e.g. "ccaas.org1". */
export function chaincodeServerName(org: PeerOrg): string {
  return `ccaas.${org.name.toLowerCase()}`;
}

/** An org's chaincode server as a process of the network. */
export function chaincodeServerInfo(org: PeerOrg): ProcessInfo {
  return {
    name: chaincodeServerName(org),
    label: `chaincode server of ${org.mspId}`,
    kind: 'chaincode',
    ports: [{ label: 'chaincode', port: org.chaincodeServerPort }],
  };
}

/** tar + gzip with fixed names, times, owners and modes: the same bytes every time. */
async function deterministicTarGz(options: { dir: string; files: string[]; out: string }): Promise<void> {
  const { dir, files, out } = options;
  const tar = `${out}.tar`;
  await run({
    command: 'tar',
    args: [
      '--sort=name',
      '--mtime=@0',
      '--owner=0',
      '--group=0',
      '--numeric-owner',
      '--mode=0644',
      '--format=gnu',
      '-C',
      dir,
      '-cf',
      tar,
      ...files,
    ],
  });
  await run({ command: 'sh', args: ['-c', 'gzip -n -9 -c "$1" > "$2"', 'gzip', tar, out] });
  fs.rmSync(tar);
}

/** The connection.json an org's peer gets from the ccaas builder: its own chaincode server. */
export function connectionJson(org: PeerOrg): { address: string; dial_timeout: string; tls_required: boolean } {
  return { address: `${HOST}:${org.chaincodeServerPort}`, dial_timeout: '10s', tls_required: false };
}

/** Build the org's ccaas package (byte-identical on every run) and return its package id. */
export async function buildPackage(layout: Layout, org: PeerOrg): Promise<string> {
  const out = packageFile(layout, org);
  const work = path.join(layout.dirs.artifacts, 'ccaas', `${org.mspId}.work`);
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(path.join(work, 'code'), { recursive: true });
  fs.writeFileSync(path.join(work, 'code', 'connection.json'), JSON.stringify(connectionJson(org), null, 2) + '\n');
  await deterministicTarGz({
    dir: path.join(work, 'code'),
    files: ['connection.json'],
    out: path.join(work, 'code.tar.gz'),
  });
  fs.writeFileSync(path.join(work, 'metadata.json'), JSON.stringify({ type: 'ccaas', label: CHAINCODE.label }) + '\n');
  await deterministicTarGz({ dir: work, files: ['code.tar.gz', 'metadata.json'], out });
  fs.rmSync(work, { recursive: true, force: true });
  return packageIdOf(out);
}

/** Fabric's package id of a package file: "<label>:<sha256 of the file>". */
export function packageIdOf(file: string): string {
  return `${CHAINCODE.label}:${createHash('sha256').update(fs.readFileSync(file)).digest('hex')}`;
}

/**
 * fabric-shim's server mode loads `contracts` from the "main" of the package.json in --module-path;
 * the repository's own package.json is not the chaincode, so a tiny generated folder points at it.
 */
export function writeModuleFolder(layout: Layout): string {
  const entry = chaincodeEntry(layout);
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: compile first (npx tsc -p tsconfig.json)`);
  fs.mkdirSync(layout.dirs.ccmodule, { recursive: true });
  const manifest = { name: 'lianjian-chaincode', version: CHAINCODE.version, private: true, main: entry };
  fs.writeFileSync(path.join(layout.dirs.ccmodule, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  return layout.dirs.ccmodule;
}

/** The caller's environment minus CORE_* and npm_* (fabric-shim reads CORE_* as its own options). */
function chaincodeServerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('CORE_') && !key.startsWith('npm_')) env[key] = value;
  }
  env.CORE_CHAINCODE_LOGGING_LEVEL = process.env.LIANJIAN_CHAINCODE_LOG_LEVEL ?? 'warning';
  return env;
}

/** How to run the org's chaincode server (fabric-shim server mode) for the given package id (see writeModuleFolder). */
export function chaincodeServerSpec(options: { layout: Layout; org: PeerOrg; packageId: string }): DaemonSpec {
  const { layout, org, packageId } = options;
  const shim = path.join(path.dirname(require.resolve('fabric-shim/package.json', { paths: [layout.root] })), 'cli.js');
  return {
    ...chaincodeServerInfo(org),
    command: process.execPath,
    args: [
      shim,
      'server',
      '--chaincode-address',
      `${HOST}:${org.chaincodeServerPort}`,
      '--chaincode-id',
      packageId,
      '--module-path',
      layout.dirs.ccmodule,
    ],
    env: chaincodeServerEnv(),
    cwd: layout.root,
  };
}
