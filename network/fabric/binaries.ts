/**
 * Fabric's binaries, config templates and ccaas builder, in the layout of Fabric's release archive
 * (bin/, config/, builders/ccaas/bin/). Taken from FABRIC_HOME if set, else from the build folder if
 * already unpacked there, else unpacked from ../shared/fabric/ after checking its sha256.
 * Nothing is ever built with Go, and Fabric's own files are never edited.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { FABRIC_VERSION, Layout } from './layout';
import { log, run } from './util';

/** sha256 of hyperledger-fabric-linux-amd64-3.1.5.tar.gz, from ../shared/fabric/README.md. */
export const ARCHIVE_SHA256 = '01b7f182a0384fc2889750ac17820fd5ae700cf3ce1011d8d3459d40d45b3d88';
export const ARCHIVE_NAME = `hyperledger-fabric-linux-amd64-${FABRIC_VERSION}.tar.gz`;

const COMMANDS = ['peer', 'orderer', 'configtxgen', 'cryptogen', 'osnadmin'] as const;
export type FabricCommand = (typeof COMMANDS)[number];
const BUILDER_SCRIPTS = ['detect', 'build', 'release'];
const UNPACKED_PARTS = ['bin', 'config', 'builders'];

/** A Fabric install folder with everything the network needs. */
export interface FabricHome {
  dir: string;
  /** How it was found. */
  source: 'FABRIC_HOME' | 'build folder' | 'unpacked archive';
  /** Fabric's sample core.yaml and orderer.yaml. */
  configDir: string;
  /** Fabric's chaincode-as-a-service external builder (has bin/detect, bin/build, bin/release). */
  ccaasBuilderDir: string;
}

/** Absolute path of one Fabric command. */
export function fabricBin(home: FabricHome, command: FabricCommand): string {
  return path.join(home.dir, 'bin', command);
}

/** The files a Fabric install folder must hold; the missing ones. */
function missingFiles(dir: string): string[] {
  const needed = [
    ...COMMANDS.map((c) => path.join('bin', c)),
    path.join('config', 'core.yaml'),
    path.join('config', 'orderer.yaml'),
    ...BUILDER_SCRIPTS.map((s) => path.join('builders', 'ccaas', 'bin', s)),
  ];
  return needed.filter((file) => !fs.existsSync(path.join(dir, file)));
}

function homeAt(dir: string, source: FabricHome['source']): FabricHome {
  return { dir, source, configDir: path.join(dir, 'config'), ccaasBuilderDir: path.join(dir, 'builders', 'ccaas') };
}

/** The release archive beside the repository (../shared/fabric/), or LIANJIAN_FABRIC_ARCHIVE. */
export function archivePath(layout: Layout, env: NodeJS.ProcessEnv = process.env): string {
  return env.LIANJIAN_FABRIC_ARCHIVE ?? path.join(layout.root, '..', 'shared', 'fabric', ARCHIVE_NAME);
}

/** FABRIC_HOME or an already unpacked build folder, without unpacking anything; undefined if neither. */
export function findFabricHome(layout: Layout, env: NodeJS.ProcessEnv = process.env): FabricHome | undefined {
  if (env.FABRIC_HOME) {
    const dir = path.resolve(env.FABRIC_HOME);
    const missing = missingFiles(dir);
    if (missing.length) throw new Error(`FABRIC_HOME=${dir} lacks ${missing.join(', ')} (Fabric release layout)`);
    return homeAt(dir, 'FABRIC_HOME');
  }
  return missingFiles(layout.buildDir).length === 0 ? homeAt(layout.buildDir, 'build folder') : undefined;
}

/** sha256 of a file, streamed. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Find Fabric, unpacking the release archive into the build folder the first time. */
export async function ensureFabricHome(layout: Layout, env: NodeJS.ProcessEnv = process.env): Promise<FabricHome> {
  const found = findFabricHome(layout, env);
  if (found) return found;
  const archive = archivePath(layout, env);
  if (!fs.existsSync(archive)) {
    throw new Error(
      `no Fabric binaries: set FABRIC_HOME to a Fabric ${FABRIC_VERSION} install (bin/, config/, builders/ccaas/), ` +
        `or put ${ARCHIVE_NAME} at ${archive} (install-fabric.sh --fabric-version ${FABRIC_VERSION} binary gives the same layout)`,
    );
  }
  log(`unpacking ${path.basename(archive)} into ${path.relative(process.cwd(), layout.buildDir) || '.'}`);
  const actual = await sha256File(archive);
  if (actual !== ARCHIVE_SHA256) {
    throw new Error(`${archive}: sha256 is ${actual}, expected ${ARCHIVE_SHA256}; refusing to use it`);
  }
  const staging = path.join(layout.buildDir, `.unpack-${process.pid}`);
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  try {
    await run({ command: 'tar', args: ['-xzf', archive, '-C', staging], timeoutMs: 120_000 });
    const missing = missingFiles(staging);
    if (missing.length) throw new Error(`${archive} lacks ${missing.join(', ')}`);
    for (const part of UNPACKED_PARTS) {
      fs.rmSync(path.join(layout.buildDir, part), { recursive: true, force: true });
      fs.renameSync(path.join(staging, part), path.join(layout.buildDir, part));
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  log(`Fabric ${FABRIC_VERSION} unpacked (sha256 verified)`);
  return homeAt(layout.buildDir, 'unpacked archive');
}
