/** `npm start`: open the ledger, bootstrap the embedded demo orgs on first start, serve. */
import pino from 'pino';
import { buildApp } from './app';
import { bootstrap } from './bootstrap';
import { loadConfig } from './config';
import { createLedger } from './ledger';
import { openWallet } from './wallet';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel, name: 'lianjian-gateway' });
  const ledger = await createLedger(config);
  const wallet = openWallet(config.dataDir);
  if (config.ledger === 'embedded') await bootstrap(ledger, wallet, config.dataDir, (m) => console.log(m)); // for people, not the log
  const app = await buildApp({ ledger, wallet, config, logger });
  const stop = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await app.close();
    await ledger.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  const url = await app.listen({ port: config.port, host: config.host });
  console.log(`Lianjian (${config.ledger}) is serving ${url}  ·  console ${url}/console  ·  API docs ${url}/docs`);
}

main().catch((err) => {
  console.error((err as { code?: string }).code === 'LEDGER_NOT_AVAILABLE' ? `LEDGER_NOT_AVAILABLE: ${(err as Error).message}` : err);
  process.exit(1);
});
