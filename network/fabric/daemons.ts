/**
 * Long-running processes of the network: started detached with a pid file and a log file,
 * recognised again by pid + executable, stopped by pid. Also: who holds a port.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { Layout } from './layout';
import { log, sleep, tailFile } from './util';

/** One process of the network as `status` knows it. */
export interface ProcessInfo {
  /** Pid/log file name, e.g. "orderer0", "peer0.org1.lianjian.local", "ccaas.org1". */
  name: string;
  /** What progress lines and `status` show, e.g. "orderer0 (OrdererMSP)". */
  label: string;
  kind: 'orderer' | 'peer' | 'chaincode';
  /** Ports it listens on; the first one answering means it is up. */
  ports: { label: string; port: number }[];
}

/** How to run one process of the network. */
export interface DaemonSpec extends ProcessInfo {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
}

interface PidRecord {
  pid: number;
  command: string;
  startedAt: string;
}

/** The pid file of a process. */
export function pidFile(layout: Layout, name: string): string {
  return path.join(layout.dirs.run, `${name}.pid`);
}

/** The log file of a process (stdout and stderr, appended across restarts). */
export function logFile(layout: Layout, name: string): string {
  return path.join(layout.dirs.logs, `${name}.log`);
}

function readPidRecord(layout: Layout, name: string): PidRecord | undefined {
  try {
    const record = JSON.parse(fs.readFileSync(pidFile(layout, name), 'utf8')) as PidRecord;
    return Number.isInteger(record.pid) && record.pid > 0 ? record : undefined;
  } catch {
    return undefined;
  }
}

/** True if `pid` is a live (not zombie) process running `command`. */
function isLiveProcessOf(pid: number, command: string): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    if (/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'))) return false;
    return fs.realpathSync(`/proc/${pid}/exe`) === fs.realpathSync(command);
  } catch {
    return true; // no /proc: trust kill(0)
  }
}

/** Pid of the running process `name`, or undefined if it is not running. */
export function runningPid(layout: Layout, name: string): number | undefined {
  const record = readPidRecord(layout, name);
  return record && isLiveProcessOf(record.pid, record.command) ? record.pid : undefined;
}

/** Start a process detached (own process group), output appended to its log file; returns its pid. */
export function startDaemon(layout: Layout, spec: DaemonSpec): number {
  fs.mkdirSync(layout.dirs.run, { recursive: true });
  fs.mkdirSync(layout.dirs.logs, { recursive: true });
  const fd = fs.openSync(logFile(layout, spec.name), 'a');
  fs.writeSync(fd, `\n==== ${new Date().toISOString()} ${spec.command} ${spec.args.join(' ')}\n`);
  const child = spawn(spec.command, spec.args, {
    env: spec.env,
    cwd: spec.cwd,
    detached: true,
    stdio: ['ignore', fd, fd],
  });
  fs.closeSync(fd);
  if (!child.pid) throw new Error(`could not start ${spec.label} (${spec.command})`);
  child.unref();
  const record: PidRecord = { pid: child.pid, command: spec.command, startedAt: new Date().toISOString() };
  fs.writeFileSync(pidFile(layout, spec.name), JSON.stringify(record) + '\n');
  return child.pid;
}

function signal(pid: number, name: NodeJS.Signals): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, name);
      return;
    } catch {
      /* not a group leader, or gone */
    }
  }
}

/** Stop a process by its pid file: SIGTERM, SIGKILL after `graceMs`. True if it was running. */
export async function stopDaemon(layout: Layout, name: string, graceMs = 10_000): Promise<boolean> {
  const record = readPidRecord(layout, name);
  const wasRunning = record !== undefined && isLiveProcessOf(record.pid, record.command);
  if (record && wasRunning) {
    signal(record.pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline && isLiveProcessOf(record.pid, record.command)) await sleep(100);
    if (isLiveProcessOf(record.pid, record.command)) signal(record.pid, 'SIGKILL');
    while (isLiveProcessOf(record.pid, record.command)) await sleep(50);
  }
  fs.rmSync(pidFile(layout, name), { force: true });
  return wasRunning;
}

/** `read()`, or undefined if it throws (a /proc entry that vanished, no permission). */
function tryRead<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/** Listening TCP sockets from /proc/net/tcp{,6} (Linux): port -> socket inodes. Looks without connecting. */
function listeningSockets(): Map<number, string[]> {
  const sockets = new Map<number, string[]>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = tryRead(() => fs.readFileSync(table, 'utf8')) ?? '';
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] !== '0A' || !fields[1]) continue; // 0A = LISTEN
      const port = parseInt(fields[1].split(':')[1], 16);
      sockets.set(port, [...(sockets.get(port) ?? []), fields[9]]);
    }
  }
  return sockets;
}

/**
 * True when something listens on the TCP port. Reads /proc instead of connecting, so TLS servers
 * do not log failed handshakes for every look.
 */
export function portListening(port: number): boolean {
  return listeningSockets().has(port);
}

/** True when 127.0.0.1:port can be bound right now. */
export function portBindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** "pid 123 (cmdline)" of the process listening on a TCP port, from /proc; undefined if unknown. */
export function portHolder(port: number): string | undefined {
  const inodes = listeningSockets().get(port);
  return inodes ? findSocketOwner(new Set(inodes)) : undefined;
}

function findSocketOwner(inodes: Set<string>): string | undefined {
  for (const pid of fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    for (const fd of tryRead(() => fs.readdirSync(`/proc/${pid}/fd`)) ?? []) {
      const target = tryRead(() => fs.readlinkSync(`/proc/${pid}/fd/${fd}`)) ?? '';
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode && inodes.has(inode)) {
        const cmdline = tryRead(() => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8')) ?? '';
        return `pid ${pid} (${cmdline
          .replace(/[\0\s]+/g, ' ')
          .trim()
          .slice(0, 120)})`;
      }
    }
  }
  return undefined;
}

/**
 * Wait until every port of `spec` can be bound (a process killed a moment ago may still hold its
 * sockets); after `timeoutMs` throw naming the program that holds the port.
 */
export async function waitPortsFree(spec: ProcessInfo, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const { label, port } of spec.ports) {
    let reported = false;
    while (!(await portBindable(port))) {
      const holder = portHolder(port) ?? 'another program (see ss -ltnp)';
      if (Date.now() > deadline) {
        throw new Error(
          `port 127.0.0.1:${port} (${spec.label} ${label}) is taken by ${holder}; stop it, or move the whole ` +
            'network with LIANJIAN_FABRIC_PORT_BASE',
        );
      }
      if (!reported) log(`port ${port} of ${spec.label} still held by ${holder}; waiting up to ${timeoutMs / 1000} s`);
      reported = true;
      await sleep(250);
    }
  }
}

/** Wait until the first port of `spec` listens; throw early with its log tail if the process dies. */
export async function waitListening(layout: Layout, spec: DaemonSpec, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const log = logFile(layout, spec.name);
  while (!portListening(spec.ports[0].port)) {
    if (runningPid(layout, spec.name) === undefined) {
      throw new Error(`${spec.label} exited during startup; ${log}:\n${tailFile(log, 15)}`);
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${spec.label} did not listen on 127.0.0.1:${spec.ports[0].port} in ${timeoutMs / 1000} s; see ${log}`,
      );
    }
    await sleep(100);
  }
}
