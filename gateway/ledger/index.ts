/** Picks the LedgerClient adapter named by the config; adapters load lazily so unused engines cost nothing. */
import { LedgerError } from '../../chaincode/lib/errors';
import type { GatewayConfig } from '../config';
import type { LedgerClient } from './types';

export async function createLedger(config: Pick<GatewayConfig, 'ledger' | 'dataDir'>): Promise<LedgerClient> {
  switch (config.ledger) {
    case 'embedded': {
      // Resolved at run time: embedded.ts is written by the lead and may not exist in every checkout.
      const mod = (await import('./embedded' as string)) as { openEmbeddedLedger(dataDir: string): Promise<LedgerClient> };
      return mod.openEmbeddedLedger(config.dataDir);
    }
    case 'fabric': {
      const mod = (await import('./fabric' as string)) as { openFabricLedger(): Promise<LedgerClient> };
      return mod.openFabricLedger();
    }
    default:
      throw new LedgerError('LEDGER_NOT_AVAILABLE', `ledger engine ${config.ledger} is not available yet`, 'LEDGER', 503);
  }
}
