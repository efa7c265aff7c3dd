/**
 * `npm start`: make the data dir private, open the ledger, bootstrap the embedded demo orgs on
 * first start, open the bank's books and start its oracles (mirror, payouts, scheduled
 * reconciliation; `ORACLES=off` to run without), start the EVM witness when EVM_RPC_URL is set,
 * serve HTTPS (TLS=off: HTTP). The one place that
 * assembles the service.
 */
import pino from 'pino';
import { buildApp } from './app';
import { bootstrap } from './bootstrap';
import { GatewayConfig, loadConfig } from './config';
import { Guards } from '../ledger/guard';
import { createPrivately, makePrivate } from '../ledger/data-dir';
import { createLedger } from '../ledger/index';
import type { LedgerClient } from '../ledger/types';
import { openServiceWallet, Wallet } from '../ledger/wallet';
import { OracleService } from '../oracles/service';
import { ensureTls } from './tls';
import { startWitness } from './witness';

interface OracleStart {
  config: GatewayConfig;
  ledger: LedgerClient;
  /** The service's own identities. */
  wallet: Wallet;
  guards: Guards;
  logger: pino.Logger;
}

/** Opens the books and, unless ORACLES=off, runs the oracles as the bank's oracle identity. */
async function openOracles({ config, ledger, wallet, guards, logger }: OracleStart): Promise<OracleService> {
  let service: OracleService;
  try {
    service = await OracleService.open({
      dataDir: config.dataDir,
      databaseUrl: config.databaseUrl,
      guards,
      log: (level, msg, detail) => logger[level]({ detail }, msg),
      oracle: wallet.get(config.oracleIdentity),
      bank: config.booksBank,
    });
  } catch (err) {
    // LevelDB books take one process: most often `lianjian reconcile` is holding them.
    throw new Error(
      `the oracles could not open the books (${(err as Error).message}); stop the other process using them`,
      { cause: err },
    );
  }
  if (!config.oraclesOn) return service;
  if (!service.oracle) {
    logger.warn({ keyId: config.oracleIdentity }, `no oracle identity in ${wallet.dir}: oracles not started`);
    return service;
  }
  service.start({ ledger, intervalMs: config.reconIntervalMs, wageCheckIntervalMs: config.wageCheckIntervalMs });
  const started = ledger.engine === 'evm' ? 'mirror (LEDGER=evm)' : 'mirror, payouts, reconciliation';
  logger.info({ keyId: config.oracleIdentity }, `oracles started: ${started}`);
  return service;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel, name: 'lianjian-gateway' });
  createPrivately();
  makePrivate(config.dataDir);
  const tls = config.tls.enabled ? ensureTls(config.tls) : undefined;
  const ledger = await createLedger(config);
  const wallet = openServiceWallet(config.dataDir);
  if (config.bootstrap) {
    const demoWallet = new Wallet(config.demoWallet);
    await bootstrap({ ledger, demoWallet, serviceWallet: wallet, log: (m) => console.log(m) }); // for people, not the log
  }
  const guards = new Guards(config.guard);
  const oracles = await openOracles({ config, ledger, wallet, guards, logger });
  const witness = startWitness({ ledger, dataDir: config.dataDir, oracles, logger });
  const app = await buildApp({ ledger, config, logger, oracles, guards, tls, witness });
  const stop = async (signal: string): Promise<void> => {
    logger.info({ signal }, 'shutting down');
    try {
      await app.close();
      await witness?.close();
      await oracles.stop(); // finishes in-flight mirror windows and payouts before the ledger goes
      await ledger.close();
      guards.shutdown();
    } finally {
      process.exit(0);
    }
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  const url = await app.listen({ port: config.port, host: config.host });
  console.log(`Lianjian (${config.ledger}) is serving ${url}  ·  console ${url}/console/  ·  API docs ${url}/docs`);
  if (tls?.ca && config.tls.generate)
    console.log(`TLS: clients trust ${config.tls.caFile} (the CLI and SDK read it from the data dir when local)`);
}

main().catch((err) => {
  // Start-up faults are configuration for people to fix: the reason, no stack.
  const e = err as { code?: string; detail?: string; message?: string };
  console.error(`lianjian: cannot start: ${e.code ? `${e.code}: ` : ''}${e.detail ?? e.message ?? String(err)}`);
  process.exit(1);
});
