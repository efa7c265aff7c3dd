/** Small helpers for the fabric:* commands: progress lines, child commands, waiting. */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';

const started = Date.now();

/** One progress line on stdout, prefixed with the seconds since the command started. */
export function log(message: string): void {
  const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(5);
  process.stdout.write(`[fabric ${seconds}s] ${message}\n`);
}

/** A command that exited non-zero; `output` holds its stdout+stderr. */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly output: string,
  ) {
    super(message);
  }
}

export interface RunOptions {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Append the command line and its output to this file. */
  logFile?: string;
  /** Kill the command after this long (default 60 s). */
  timeoutMs?: number;
}

/** Run a command to completion; resolves with stdout+stderr, throws CommandError on a non-zero exit. */
export function run(options: RunOptions): Promise<string> {
  const { command, args, logFile, timeoutMs = 60_000 } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: 'pipe' });
    child.stdin.end();
    let output = '';
    const collect = (chunk: Buffer): void => {
      output += chunk.toString();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      if (logFile) fs.appendFileSync(logFile, `\n$ ${command} ${args.join(' ')}\n${output}`);
      if (exitCode === 0) return resolve(output);
      const tail = output.trim().split('\n').slice(-8).join('\n');
      const what = `${path.basename(command)} ${args.slice(0, 3).join(' ')}`;
      reject(new CommandError(`${what} exited ${exitCode ?? 'on a signal'}: ${tail}`, exitCode, output));
    });
  });
}

/** Resolve after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The message of anything thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface RetryOptions<T> {
  /** What is being waited for, for progress lines and the final error. */
  what: string;
  attempt: () => Promise<T>;
  timeoutMs: number;
  intervalMs?: number;
  /** Print the latest failure every this often while still trying (default 5 s; 0 = never). */
  reportEveryMs?: number;
}

/** Retry `attempt` until it resolves or the deadline passes; then throw with the last failure. */
export async function retry<T>(options: RetryOptions<T>): Promise<T> {
  const { what, attempt, timeoutMs, intervalMs = 500, reportEveryMs = 5000 } = options;
  const start = Date.now();
  let lastReport = start;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      const now = Date.now();
      if (now - start > timeoutMs) {
        throw new Error(`${what}: gave up after ${Math.round(timeoutMs / 1000)} s: ${errorMessage(error)}`, {
          cause: error,
        });
      }
      if (reportEveryMs > 0 && now - lastReport >= reportEveryMs) {
        lastReport = now;
        log(`still waiting for ${what} (${Math.round((now - start) / 1000)} s): ${firstLine(errorMessage(error))}`);
      }
    }
    await sleep(intervalMs);
  }
}

/** The first line of a message, at most 200 characters. */
export function firstLine(message: string): string {
  return (message.split('\n').find((line) => line.trim()) ?? '').slice(0, 200);
}

/** GET a small text document over plain HTTP (operations endpoints); rejects on errors and non-200. */
export function httpGetText(url: string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { timeout: timeoutMs }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () =>
        response.statusCode === 200 ? resolve(body) : reject(new Error(`GET ${url}: HTTP ${response.statusCode}`)),
      );
    });
    request.on('timeout', () => request.destroy(new Error(`GET ${url}: timed out`)));
    request.on('error', reject);
  });
}

/** Last `lines` lines of a text file ('' if it cannot be read). */
export function tailFile(file: string, lines: number): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
