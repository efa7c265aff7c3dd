/** Gateway configuration from the environment; every value has a default that runs the embedded stack. */
import path from 'node:path';
import { envNumber, LedgerConfig, loadLedgerConfig } from '../ledger/config';
import { loadOracleConfig, OracleConfig } from '../oracles/config';
import { loadTlsSettings, TlsSettings } from './tls';

export interface GatewayConfig extends LedgerConfig, OracleConfig {
  /** LIANJIAN_WALLET: the demo clients' key folder the first start writes (default ./wallet). */
  demoWallet: string;
  /** BOOTSTRAP=off: do not register the demo orgs and members on a fresh chain. */
  bootstrap: boolean;
  port: number;
  host: string;
  logLevel: string;
  /** Per-identity token bucket: sustained requests/s and burst size. */
  ratePerSec: number;
  rateBurst: number;
  /** The one inbound gate: requests handled at once (of one identity), requests waiting, longest wait. */
  maxConcurrent: number;
  maxConcurrentPerIdentity: number;
  maxQueue: number;
  queueTimeoutMs: number;
  /** LJ_TARGET_HOLD_MS: time a request should spend in the service once admitted; longer → fewer admitted at once (0: off). */
  targetHoldMs: number;
  /** Signed requests: allowed clock skew and how long nonces are remembered. */
  maxSkewMs: number;
  nonceWindowMs: number;
  maxNonces: number;
  sseHeartbeatMs: number;
  bodyLimit: number;
  /** HTTPS by default (TLS, TLS_CERT, TLS_KEY, TLS_CA, TLS_CLIENT_CA, TLS_HOSTS; gateway/tls.ts). */
  tls: TlsSettings;
  /** AUDIT_DIR: where the hash-chained audit log of every request is kept (default <data>/audit). */
  auditDir: string;
}

/**
 * The ledger's and the oracles' settings plus PORT, HOST, LOG_LEVEL, the LJ_* gateway limits and TLS.
 * @throws Error naming the variable that is malformed
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const int = (name: string, fallback: number): number => envNumber(env, name, fallback);
  const ledger = loadLedgerConfig(env);
  const host = env.HOST || '127.0.0.1';
  return {
    ...ledger,
    ...loadOracleConfig(env),
    demoWallet: path.resolve(env.LIANJIAN_WALLET || './wallet'),
    bootstrap: env.BOOTSTRAP !== 'off',
    port: int('PORT', 8080),
    host,
    logLevel: env.LOG_LEVEL || 'info',
    ratePerSec: int('LJ_RATE_PER_SEC', 500),
    rateBurst: int('LJ_RATE_BURST', 1000),
    maxConcurrent: int('LJ_MAX_CONCURRENT', 64),
    maxConcurrentPerIdentity: int('LJ_MAX_CONCURRENT_PER_IDENTITY', Math.ceil(int('LJ_MAX_CONCURRENT', 64) / 2)),
    maxQueue: int('LJ_MAX_QUEUE', 2048),
    queueTimeoutMs: int('LJ_QUEUE_TIMEOUT_MS', 250),
    targetHoldMs: int('LJ_TARGET_HOLD_MS', 0),
    maxSkewMs: int('LJ_MAX_SKEW_MS', 5 * 60_000),
    nonceWindowMs: int('LJ_NONCE_WINDOW_MS', 10 * 60_000),
    maxNonces: int('LJ_MAX_NONCES', 1_000_000),
    sseHeartbeatMs: int('LJ_SSE_HEARTBEAT_MS', 15000),
    bodyLimit: int('LJ_BODY_LIMIT', 256 * 1024),
    tls: loadTlsSettings(env, ledger.dataDir, host),
    auditDir: path.resolve(env.AUDIT_DIR || path.join(ledger.dataDir, 'audit')),
  };
}
