/**
 * Builds Fabric's own binaries once (cached in .build/bin) with `go install`
 * from the Go module proxy, and copies Fabric's sampleconfig out of the module
 * cache. Needs only Go (PATH or /usr/local/go/bin).
 */
import * as fs from 'fs';
import * as path from 'path';
import { BUILD, DIRS, FABRIC_COMMANDS, FABRIC_MODULE, FABRIC_VERSION } from './layout';
import { CommandError, log, logPath, run } from './util';

const VERSION_STAMP = path.join(DIRS.bin, '.fabric-version');

export function binPath(cmd: (typeof FABRIC_COMMANDS)[number]): string {
  return path.join(DIRS.bin, cmd);
}

export function binariesReady(): boolean {
  if (!FABRIC_COMMANDS.every((c) => fs.existsSync(binPath(c)))) return false;
  if (!fs.existsSync(path.join(DIRS.sampleconfig, 'core.yaml'))) return false;
  try {
    return fs.readFileSync(VERSION_STAMP, 'utf8').trim() === fabricVersion();
  } catch {
    return false;
  }
}

function goBinary(): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, 'go'))) return path.join(dir, 'go');
  }
  if (fs.existsSync('/usr/local/go/bin/go')) return '/usr/local/go/bin/go';
  throw new Error('Go is needed to build Fabric (looked in PATH and /usr/local/go/bin)');
}

function goEnv(): NodeJS.ProcessEnv {
  return { ...process.env, CGO_ENABLED: '0', GOBIN: DIRS.bin, GOFLAGS: '-buildvcs=false' };
}

function explainProxyRefusal(e: unknown): never {
  const msg = e instanceof Error ? e.message : String(e);
  if (/403|not available|410 Gone|404 Not Found/.test(msg)) {
    throw new Error(
      `the Go module proxy refused ${FABRIC_MODULE}@${FABRIC_VERSION}:\n${msg}\n` +
        'Fabric cannot be built on this machine until the proxy serves that version ' +
        '(set LIANJIAN_FABRIC_VERSION to another pseudo-version the proxy serves, or put prebuilt ' +
        `peer/orderer/configtxgen/cryptogen/osnadmin binaries and a sampleconfig/ folder into ${BUILD}).`,
    );
  }
  throw e;
}

/** Module version to build: LIANJIAN_FABRIC_VERSION overrides the pinned one. */
export function fabricVersion(): string {
  return process.env.LIANJIAN_FABRIC_VERSION || FABRIC_VERSION;
}

export async function ensureBinaries(): Promise<void> {
  const version = fabricVersion();
  if (binariesReady()) {
    log('binaries cached in network/fabric/.build/bin');
    return;
  }
  // Prebuilt binaries dropped in by hand (no stamp) are accepted as they are.
  if (
    FABRIC_COMMANDS.every((c) => fs.existsSync(binPath(c))) &&
    fs.existsSync(path.join(DIRS.sampleconfig, 'core.yaml')) &&
    !fs.existsSync(VERSION_STAMP)
  ) {
    log('using prebuilt binaries found in network/fabric/.build/bin');
    return;
  }
  const go = goBinary();
  fs.mkdirSync(DIRS.bin, { recursive: true });
  fs.mkdirSync(DIRS.logs, { recursive: true });
  const buildLog = logPath('go-build');
  const started = Date.now();
  log(`building binaries (first time, ~5-8 min on 2 cores): ${FABRIC_MODULE}@${version}, log ${buildLog}`);

  // 1. fetch the module (gives sampleconfig/ and warms the cache)
  let dir: string;
  try {
    const { stdout } = await run(go, ['mod', 'download', '-json', `${FABRIC_MODULE}@${version}`], {
      env: goEnv(),
      cwd: BUILD,
      logFile: buildLog,
    });
    const info = JSON.parse(stdout) as { Dir?: string; Error?: string };
    if (info.Error || !info.Dir) throw new Error(info.Error ?? 'no Dir in go mod download output');
    dir = info.Dir;
  } catch (e) {
    if (e instanceof CommandError) {
      try {
        const info = JSON.parse(e.stdout) as { Error?: string };
        if (info.Error) explainProxyRefusal(new Error(info.Error));
      } catch (inner) {
        if (!(inner instanceof SyntaxError)) throw inner;
      }
    }
    explainProxyRefusal(e);
  }
  fs.rmSync(DIRS.sampleconfig, { recursive: true, force: true });
  fs.cpSync(path.join(dir, 'sampleconfig'), DIRS.sampleconfig, { recursive: true });
  await run('chmod', ['-R', 'u+w', DIRS.sampleconfig]);

  // 2. go install the five commands (one go invocation: shared compile cache, parallel)
  const pkgs = FABRIC_COMMANDS.map((c) => `${FABRIC_MODULE}/cmd/${c}@${version}`);
  try {
    await run(go, ['install', '-trimpath', ...pkgs], { env: goEnv(), cwd: BUILD, logFile: buildLog });
  } catch (e) {
    const msg = e instanceof CommandError ? e.stderr : String(e);
    if (!/replace directive|must not contain directives|cannot be installed/.test(msg)) throw e;
    // 3. fallback: a throwaway module that requires Fabric, then go build from it
    log('go install refused (replace directives); building from a throwaway module in .build/gomod');
    fs.rmSync(DIRS.gomod, { recursive: true, force: true });
    fs.mkdirSync(DIRS.gomod, { recursive: true });
    fs.writeFileSync(path.join(DIRS.gomod, 'go.mod'), 'module lianjian.local/fabricbuild\n\ngo 1.23\n');
    const env = { ...goEnv(), GOFLAGS: '-buildvcs=false -mod=mod' };
    await run(go, ['get', ...FABRIC_COMMANDS.map((c) => `${FABRIC_MODULE}/cmd/${c}@${version}`)], {
      env,
      cwd: DIRS.gomod,
      logFile: buildLog,
    });
    for (const c of FABRIC_COMMANDS) {
      await run(go, ['build', '-trimpath', '-o', binPath(c), `${FABRIC_MODULE}/cmd/${c}`], {
        env,
        cwd: DIRS.gomod,
        logFile: buildLog,
      });
    }
  }
  for (const c of FABRIC_COMMANDS) {
    if (!fs.existsSync(binPath(c))) throw new Error(`go build finished but ${binPath(c)} is missing; see ${buildLog}`);
  }
  fs.writeFileSync(VERSION_STAMP, `${version}\n`);
  log(`binaries built in ${((Date.now() - started) / 1000).toFixed(0)}s`);
}
