/** Gateway configuration from the environment; every value has a default that runs the embedded stack. */
import path from 'node:path';

export type LedgerKind = 'embedded' | 'fabric' | 'evm';

export interface GatewayConfig {
  port: number;
  host: string;
  dataDir: string;
  ledger: LedgerKind;
  logLevel: string;
  /** Per-identity token bucket: sustained requests/s and burst size. */
  ratePerSec: number;
  rateBurst: number;
  /** The one inbound gate: requests handled at once, requests waiting, longest wait. */
  maxConcurrent: number;
  maxQueue: number;
  queueTimeoutMs: number;
  /** Outbound guard defaults (ledger and payment rails). */
  downstreamConcurrency: number;
  downstreamQueue: number;
  downstreamTimeoutMs: number;
  breakerErrorPercent: number;
  breakerVolume: number;
  breakerResetMs: number;
  /** Signed requests: allowed clock skew and how long nonces are remembered. */
  maxSkewMs: number;
  nonceWindowMs: number;
  maxNonces: number;
  idempotencyMax: number;
  idempotencyTtlMs: number;
  sseHeartbeatMs: number;
  bodyLimit: number;
}

function int(env: NodeJS.ProcessEnv, name: string, dflt: number): number {
  const v = env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got ${JSON.stringify(v)}`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const ledger = (env.LEDGER || 'embedded') as LedgerKind;
  if (!['embedded', 'fabric', 'evm'].includes(ledger))
    throw new Error(`LEDGER must be embedded, fabric or evm, got ${ledger}`);
  return {
    port: int(env, 'PORT', 8080),
    host: env.HOST || '127.0.0.1',
    dataDir: path.resolve(env.LIANJIAN_DATA || './data'),
    ledger,
    logLevel: env.LOG_LEVEL || 'info',
    ratePerSec: int(env, 'LJ_RATE_PER_SEC', 500),
    rateBurst: int(env, 'LJ_RATE_BURST', 1000),
    maxConcurrent: int(env, 'LJ_MAX_CONCURRENT', 256),
    maxQueue: int(env, 'LJ_MAX_QUEUE', 1024),
    queueTimeoutMs: int(env, 'LJ_QUEUE_TIMEOUT_MS', 5000),
    downstreamConcurrency: int(env, 'LJ_DOWNSTREAM_CONCURRENCY', 128),
    downstreamQueue: int(env, 'LJ_DOWNSTREAM_QUEUE', 1024),
    downstreamTimeoutMs: int(env, 'LJ_DOWNSTREAM_TIMEOUT_MS', 15000),
    breakerErrorPercent: int(env, 'LJ_BREAKER_ERROR_PERCENT', 50),
    breakerVolume: int(env, 'LJ_BREAKER_VOLUME', 20),
    breakerResetMs: int(env, 'LJ_BREAKER_RESET_MS', 10000),
    maxSkewMs: int(env, 'LJ_MAX_SKEW_MS', 5 * 60_000),
    nonceWindowMs: int(env, 'LJ_NONCE_WINDOW_MS', 10 * 60_000),
    maxNonces: int(env, 'LJ_MAX_NONCES', 1_000_000),
    idempotencyMax: int(env, 'LJ_IDEMPOTENCY_MAX', 100_000),
    idempotencyTtlMs: int(env, 'LJ_IDEMPOTENCY_TTL_MS', 24 * 3600_000),
    sseHeartbeatMs: int(env, 'LJ_SSE_HEARTBEAT_MS', 15000),
    bodyLimit: int(env, 'LJ_BODY_LIMIT', 256 * 1024),
  };
}
