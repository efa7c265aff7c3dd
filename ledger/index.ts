/** Picks the LedgerClient adapter named by LEDGER; the gateway above it never knows which. */
import type { LedgerConfig } from './config';
import { LedgerError } from './errors';
import { openEmbeddedLedger } from './embedded/index';
import type { LedgerClient } from './types';

/**
 * The ledger named by `config.ledger`. Fabric and EVM adapters load only when chosen: the
 * embedded default never pays for gRPC, Fabric's protobufs or ethers.
 * @throws LedgerError 503 LEDGER_NOT_AVAILABLE when it cannot be opened, is misconfigured or unknown
 */
export async function createLedger(
  config: Pick<LedgerConfig, 'ledger' | 'dataDir'>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<LedgerClient> {
  if (config.ledger === 'embedded') return openEmbeddedLedger(config.dataDir);
  if (config.ledger === 'fabric') return (await import('./fabric/index')).openFabricLedger(config.dataDir);
  if (config.ledger === 'evm') {
    const { EvmLedger } = await import('./evm/index');
    const { evmLedgerOptions } = await import('./evm/config');
    try {
      return await EvmLedger.connect(evmLedgerOptions(env, config.dataDir));
    } catch (err) {
      throw new LedgerError('LEDGER_NOT_AVAILABLE', (err as Error).message, 'LEDGER', 503);
    }
  }
  throw new LedgerError('LEDGER_NOT_AVAILABLE', `unknown ledger engine ${String(config.ledger)}`, 'LEDGER', 503);
}
