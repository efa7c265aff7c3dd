/** Small process/file helpers for the fabric:* scripts. */
import { spawn, SpawnOptions } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { DIRS } from './layout';

const t0 = Date.now();
export function log(msg: string): void {
  const s = ((Date.now() - t0) / 1000).toFixed(1).padStart(6);
  process.stdout.write(`[fabric] ${s}s ${msg}\n`);
}

export class CommandError extends Error {
  constructor(
    message: string,
    readonly code: number | null,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(message);
  }
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Append stdout+stderr to this file instead of keeping them only in memory. */
  logFile?: string;
  timeoutMs?: number;
}

/** Run a command to completion, capture its output; throws CommandError on non-zero exit. */
export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const logFd = opts.logFile ? fs.openSync(opts.logFile, 'a') : undefined;
    if (logFd !== undefined) fs.writeSync(logFd, `\n$ ${cmd} ${args.join(' ')}\n`);
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d;
      if (logFd !== undefined) fs.writeSync(logFd, d);
    });
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d;
      if (logFd !== undefined) fs.writeSync(logFd, d);
    });
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined;
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      if (logFd !== undefined) fs.closeSync(logFd);
      reject(e);
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      if (logFd !== undefined) fs.closeSync(logFd);
      if (code === 0) resolve({ stdout, stderr });
      else {
        const tail = (stderr || stdout).trim().split('\n').slice(-15).join('\n');
        reject(
          new CommandError(
            `${path.basename(cmd)} ${args.slice(0, 3).join(' ')} ... exited ${code}:\n${tail}`,
            code,
            stdout,
            stderr,
          ),
        );
      }
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Retry fn until it succeeds or the deadline passes (then rethrow the last error). */
export async function retry<T>(what: string, fn: () => Promise<T>, timeoutMs = 60_000, intervalMs = 1000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > end) throw new Error(`${what}: gave up after ${timeoutMs / 1000}s: ${(e as Error).message}`);
      await sleep(intervalMs);
    }
  }
}

/** True when something accepts TCP connections on host:port. */
export function portOpen(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

export async function waitForPort(what: string, port: number, timeoutMs: number, pidName?: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await portOpen(port)) return;
    if (pidName && !isRunning(pidName)) {
      throw new Error(`${what} exited during startup; see ${logPath(pidName)}:\n${tailFile(logPath(pidName), 20)}`);
    }
    await sleep(250);
  }
  throw new Error(
    `${what} did not listen on 127.0.0.1:${port} within ${timeoutMs / 1000}s; see ${pidName ? logPath(pidName) : 'logs'}`,
  );
}

export function tailFile(file: string, lines: number): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

// ---- background processes with pid files in .build/run/ ----
export const pidPath = (name: string) => path.join(DIRS.run, `${name}.pid`);
export const logPath = (name: string) => path.join(DIRS.logs, `${name}.log`);

export function readPid(name: string): number | undefined {
  try {
    const n = Number(fs.readFileSync(pidPath(name), 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // a zombie or a reused pid of another program does not count
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (/\) Z /.test(stat)) return false;
  } catch {
    /* no /proc: trust kill(0) */
  }
  return true;
}

export function isRunning(name: string): boolean {
  const pid = readPid(name);
  return pid !== undefined && pidAlive(pid);
}

/** Start a long-running process detached (own process group), output appended to .build/logs/<name>.log. */
export function startDaemon(name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): number {
  fs.mkdirSync(DIRS.run, { recursive: true });
  fs.mkdirSync(DIRS.logs, { recursive: true });
  const fd = fs.openSync(logPath(name), 'a');
  fs.writeSync(fd, `\n==== ${new Date().toISOString()} starting ${cmd} ${args.join(' ')}\n`);
  const opts: SpawnOptions = { env, cwd, detached: true, stdio: ['ignore', fd, fd] };
  const child = spawn(cmd, args, opts);
  fs.closeSync(fd);
  if (!child.pid) throw new Error(`could not start ${name} (${cmd})`);
  child.unref();
  fs.writeFileSync(pidPath(name), `${child.pid}\n`);
  return child.pid;
}

/** Stop a daemon by its pid file: SIGTERM to its process group, SIGKILL after a grace period. */
export async function stopDaemon(name: string, graceMs = 5000): Promise<boolean> {
  const pid = readPid(name);
  if (pid === undefined) return false;
  let was = false;
  if (pidAlive(pid)) {
    was = true;
    const sig = (s: NodeJS.Signals) => {
      try {
        process.kill(-pid, s);
      } catch {
        try {
          process.kill(pid, s);
        } catch {
          /* gone */
        }
      }
    };
    sig('SIGTERM');
    const end = Date.now() + graceMs;
    while (Date.now() < end && pidAlive(pid)) await sleep(100);
    if (pidAlive(pid)) sig('SIGKILL');
    const end2 = Date.now() + 2000;
    while (Date.now() < end2 && pidAlive(pid)) await sleep(50);
  }
  fs.rmSync(pidPath(name), { force: true });
  return was;
}
