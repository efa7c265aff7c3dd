/** Configuration of the oracles from the environment, with defaults that run them on LevelDB books. */
import { envNumber } from '../ledger/config';

export interface OracleConfig {
  /** DATABASE_URL: the bank's books in PostgreSQL; unset = LevelDB in the data dir. */
  databaseUrl?: string;
  /** RECON_INTERVAL_MS: scheduled reconciliation period (default 15 min). */
  reconIntervalMs: number;
  /** RECON_LAG_MS: a movement younger than this may still be in flight (default 5 min). */
  reconLagMs: number;
  /** WAGE_CHECK_INTERVAL_MS: how often the month-end wage checks run (default one hour). */
  wageCheckIntervalMs: number;
  /** ORACLE_IDENTITY: the bank's oracle service identity (default Org1MSP:oracle1). */
  oracleIdentity: string;
  /** ORACLES=off: serve without running the oracles. */
  oraclesOn: boolean;
  /** BOOKS_BANK: the bank org whose books this service keeps (default: ORACLE_IDENTITY's org). */
  booksBank: string;
}

/**
 * Reads DATABASE_URL, RECON_INTERVAL_MS, RECON_LAG_MS, WAGE_CHECK_INTERVAL_MS, ORACLE_IDENTITY, ORACLES and
 * BOOKS_BANK.
 * @throws Error naming a malformed number
 */
export function loadOracleConfig(env: NodeJS.ProcessEnv = process.env): OracleConfig {
  const oracleIdentity = env.ORACLE_IDENTITY || 'Org1MSP:oracle1';
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    reconIntervalMs: envNumber(env, 'RECON_INTERVAL_MS', 15 * 60_000),
    reconLagMs: envNumber(env, 'RECON_LAG_MS', 5 * 60_000),
    wageCheckIntervalMs: envNumber(env, 'WAGE_CHECK_INTERVAL_MS', 60 * 60_000),
    oracleIdentity,
    oraclesOn: env.ORACLES !== 'off',
    booksBank: env.BOOKS_BANK || oracleIdentity.split(':')[0],
  };
}
