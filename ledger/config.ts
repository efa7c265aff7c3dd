/**
 * Configuration of the ledger layer from the environment; every value has a default that runs
 * the embedded stack. The gateway's configuration extends it.
 */
import path from 'node:path';
import type { GuardOptions } from './guard';

export const LEDGER_KINDS = ['embedded', 'fabric', 'evm'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

export interface LedgerConfig {
  /** LEDGER: which engine runs the chaincode. */
  ledger: LedgerKind;
  /** LIANJIAN_DATA: the service's data directory (ledger, books, service identities). */
  dataDir: string;
  /** Defaults for downstream guards (the ledger and the payment rails). */
  guard: GuardOptions;
}

/**
 * A non-negative number from `env[name]`, or `fallback` when unset.
 * @throws Error naming the variable when it is not a non-negative number
 */
export function envNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new Error(`${name} must be a non-negative number, got ${JSON.stringify(value)}`);
  return n;
}

/**
 * Reads LEDGER, LIANJIAN_DATA and the LJ_DOWNSTREAM_* / LJ_BREAKER_* guard settings.
 * @throws Error when LEDGER names no engine or a number is malformed
 */
export function loadLedgerConfig(env: NodeJS.ProcessEnv = process.env): LedgerConfig {
  const ledger = (env.LEDGER || 'embedded') as LedgerKind;
  if (!LEDGER_KINDS.includes(ledger)) throw new Error(`LEDGER must be embedded, fabric or evm, got ${ledger}`);
  return {
    ledger,
    dataDir: path.resolve(env.LIANJIAN_DATA || './data'),
    guard: {
      concurrency: envNumber(env, 'LJ_DOWNSTREAM_CONCURRENCY', 128),
      queue: envNumber(env, 'LJ_DOWNSTREAM_QUEUE', 1024),
      timeoutMs: envNumber(env, 'LJ_DOWNSTREAM_TIMEOUT_MS', 15000),
      errorThresholdPercentage: envNumber(env, 'LJ_BREAKER_ERROR_PERCENT', 50),
      volumeThreshold: envNumber(env, 'LJ_BREAKER_VOLUME', 20),
      resetTimeoutMs: envNumber(env, 'LJ_BREAKER_RESET_MS', 10000),
    },
  };
}
