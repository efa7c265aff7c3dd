/**
 * How a CLI command reaches a running service: `--url` (LIANJIAN_URL, default
 * https://127.0.0.1:8080), the CA to trust `--ca` (LIANJIAN_CA; for a local URL, default the data
 * dir's `tls/ca.crt`, which the service writes on first start), and a client certificate for
 * mutual TLS `--client-cert`/`--client-key` (LIANJIAN_CLIENT_CERT, LIANJIAN_CLIENT_KEY).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ClientTls } from '../gateway/sdk';
import { flag, Flags } from './flags';

export const DEFAULT_URL = 'https://127.0.0.1:8080';
export const CONNECTION_FLAGS = ['url', 'ca', 'client-cert', 'client-key'];
export const CONNECTION_USAGE =
  '[--url https://127.0.0.1:8080] [--ca <service CA file>] [--client-cert <file> --client-key <file>]';

export interface Connection {
  url: string;
  tls: ClientTls;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The service URL and TLS trust from flags and the environment.
 * @throws Error naming a file that cannot be read, or a client certificate without its key
 */
export function connectionOf(flags: Flags, env: NodeJS.ProcessEnv = process.env): Connection {
  const url = flag(flags, 'url', env.LIANJIAN_URL || DEFAULT_URL)!;
  const read = (file: string, what: string): string => {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new Error(`cannot read the ${what} ${file}`, { cause: err });
    }
  };
  let caFile = flag(flags, 'ca', env.LIANJIAN_CA || undefined);
  const localCa = path.resolve(env.LIANJIAN_DATA || './data', 'tls', 'ca.crt');
  if (!caFile && LOCAL_HOSTS.has(new URL(url).hostname) && fs.existsSync(localCa)) caFile = localCa;
  const cert = flag(flags, 'client-cert', env.LIANJIAN_CLIENT_CERT || undefined);
  const key = flag(flags, 'client-key', env.LIANJIAN_CLIENT_KEY || undefined);
  if (Boolean(cert) !== Boolean(key)) throw new Error('--client-cert and --client-key go together');
  return {
    url,
    tls: {
      ...(caFile ? { ca: read(caFile, 'CA file (--ca)') } : {}),
      ...(cert && key ? { cert: read(cert, 'client certificate'), key: read(key, 'client key') } : {}),
    },
  };
}

/** Throws on a flag the command does not know. */
export function onlyFlags(flags: Flags, known: string[]): void {
  const unknown = Object.keys(flags).find((f) => !known.includes(f));
  if (unknown) throw new Error(`unknown option --${unknown}`);
}
