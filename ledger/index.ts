/** Picks the LedgerClient adapter named by LEDGER; the gateway above it never knows which. */
import type { LedgerConfig } from './config';
import { LedgerError } from './errors';
import { openEmbeddedLedger } from './embedded/index';
import { EvmLedger } from './evm/index';
import { evmLedgerOptions } from './evm/config';
import type { LedgerClient } from './types';

const NOT_YET: Record<string, string> = {
  fabric: 'LEDGER=fabric needs Fabric binaries that cannot be built on this machine yet (see network/fabric/README.md)',
};

/**
 * The ledger named by `config.ledger`.
 * @throws LedgerError 503 LEDGER_NOT_AVAILABLE when it cannot be opened or is misconfigured
 */
export async function createLedger(
  config: Pick<LedgerConfig, 'ledger' | 'dataDir'>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<LedgerClient> {
  if (config.ledger === 'embedded') return openEmbeddedLedger(config.dataDir);
  if (config.ledger === 'evm') {
    try {
      return await EvmLedger.connect(evmLedgerOptions(env, config.dataDir));
    } catch (err) {
      throw new LedgerError('LEDGER_NOT_AVAILABLE', (err as Error).message, 'LEDGER', 503);
    }
  }
  throw new LedgerError(
    'LEDGER_NOT_AVAILABLE',
    NOT_YET[config.ledger] ?? `unknown ledger engine ${config.ledger}`,
    'LEDGER',
    503,
  );
}
