import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ClientTls } from '../../gateway/sdk';
import { fabricServiceEnv, onFabric } from './fabric';

export const ROOT = resolve(__dirname, '../../..');

/** Runs `lianjian <args>` as a user would (bin/lianjian.js) and collects its output and exit code. */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) => {
    const p = spawn(process.execPath, [join(ROOT, 'bin/lianjian.js'), ...args], { env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => done({ code: code ?? -1, out, err }));
  });
}

export interface Service {
  url: string;
  /** What a client trusts: the CA the service wrote in its data dir (https). */
  tls: ClientTls;
  /** SIGTERM, resolving with the exit code (immediately if it already exited). */
  stop(): Promise<number | null>;
  /** SIGKILL (kill -9): no shutdown code runs; resolves once the process is gone. */
  kill(): Promise<void>;
}

/** Starts `npm start`'s entry (dist/gateway/main.js) as a child on an ephemeral port; resolves once it serves (HTTPS unless TLS=off). */
export function startService(env: NodeJS.ProcessEnv): Promise<Service> {
  // LEDGER=fabric: the service acts on the live chain with the chain's demo wallet and oracle keys.
  const fabric = onFabric() && env.LEDGER !== 'embedded' ? fabricServiceEnv(env.LIANJIAN_DATA ?? 'data') : {};
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'dist/gateway/main.js')], {
    env: { ...process.env, PORT: '0', ...fabric, ...env },
  });
  const stop = async (): Promise<number | null> => {
    if (child.exitCode !== null) return child.exitCode;
    child.kill('SIGTERM');
    return new Promise((r) => child.once('exit', (code) => r(code)));
  };
  const kill = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
  };
  return new Promise((ok, fail) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /serving (https?:\/\/\S+)/.exec(out);
      if (!m) return;
      const ca = m[1].startsWith('https:')
        ? readFileSync(join(env.LIANJIAN_DATA ?? 'data', 'tls', 'ca.crt'))
        : undefined;
      ok({ url: m[1], tls: ca ? { ca } : {}, stop, kill });
    });
    child.on('exit', (c) => fail(new Error(`service exited ${c}: ${out}`)));
  });
}
