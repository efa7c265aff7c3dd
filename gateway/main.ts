/**
 * `npm start`: open the ledger, bootstrap the embedded demo orgs on first start, start the bank's
 * oracles (mirror, payouts, scheduled reconciliation; `ORACLES=off` to run without), serve.
 */
import pino from 'pino';
import { buildApp } from './app';
import { bootstrap } from './bootstrap';
import { loadConfig } from './config';
import { createLedger } from './ledger';
import type { LedgerClient } from './ledger/types';
import { openWallet, Wallet } from './wallet';
import { OracleService, startOracles } from '../oracles/service';

/** The oracles run as the bank's oracle identity (ORACLE_IDENTITY, default Org1MSP:oracle1). */
async function oracles(
  ledger: LedgerClient,
  wallet: Wallet,
  dataDir: string,
  logger: pino.Logger,
): Promise<OracleService | undefined> {
  if (process.env.ORACLES === 'off') return undefined;
  const keyId = process.env.ORACLE_IDENTITY || 'Org1MSP:oracle1';
  const oracle = wallet.get(keyId);
  if (!oracle) {
    logger.warn({ keyId }, 'no oracle identity in the wallet: oracles not started (set ORACLE_IDENTITY)');
    return undefined;
  }
  try {
    const svc = await startOracles(ledger, oracle, {
      dataDir,
      log: (level, msg, detail) => logger[level]({ detail }, msg),
    });
    logger.info({ keyId }, 'oracles started: mirror, payouts, reconciliation');
    return svc;
  } catch (err) {
    // LevelDB books take one process: most often `lianjian reconcile` is holding them.
    throw new Error(
      `the oracles could not open the books (${(err as Error).message}); stop the other process using them, or start with ORACLES=off`,
    );
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel, name: 'lianjian-gateway' });
  const ledger = await createLedger(config);
  const wallet = openWallet(config.dataDir);
  if (config.ledger === 'embedded') await bootstrap(ledger, wallet, config.dataDir, (m) => console.log(m)); // for people, not the log
  const app = await buildApp({ ledger, wallet, config, logger });
  const svc = await oracles(ledger, wallet, config.dataDir, logger);
  const stop = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    try {
      await app.close();
      await svc?.stop(); // finishes in-flight mirror windows and payouts before the ledger goes
      await ledger.close();
    } finally {
      process.exit(0);
    }
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  const url = await app.listen({ port: config.port, host: config.host });
  console.log(`Lianjian (${config.ledger}) is serving ${url}  ·  console ${url}/console  ·  API docs ${url}/docs`);
}

main().catch((err) => {
  // Start-up faults are configuration for people to fix: the reason, no stack.
  const e = err as { code?: string; detail?: string; message?: string };
  console.error(`lianjian: cannot start: ${e.code ? `${e.code}: ` : ''}${e.detail ?? e.message ?? String(err)}`);
  process.exit(1);
});
