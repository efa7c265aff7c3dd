/** Picks the LedgerClient adapter named by LEDGER; the gateway above it never knows which. */
import type { LedgerConfig } from './config';
import { LedgerError } from './errors';
import { openEmbeddedLedger } from './embedded/index';
import type { LedgerClient } from './types';

const NOT_YET: Record<string, string> = {
  evm: 'LEDGER=evm has no adapter yet; contracts/ holds the Solidity money core (npm run test:evm)',
};

export async function createLedger(config: Pick<LedgerConfig, 'ledger' | 'dataDir'>): Promise<LedgerClient> {
  if (config.ledger === 'embedded') return openEmbeddedLedger(config.dataDir);
  // Loaded only when chosen: the embedded default never pays for gRPC and Fabric's protobufs.
  if (config.ledger === 'fabric') return (await import('./fabric/index')).openFabricLedger(config.dataDir);
  throw new LedgerError(
    'LEDGER_NOT_AVAILABLE',
    NOT_YET[config.ledger] ?? `unknown ledger engine ${config.ledger}`,
    'LEDGER',
    503,
  );
}
