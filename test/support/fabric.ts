/**
 * The same tests on Fabric: with LEDGER=fabric the harnesses open the live network of
 * `npm run fabric:up` instead of a fresh embedded ledger. The chain outlives a test, so the demo
 * members' keys do too: one wallet per chain (by its genesis block), registered once by the first
 * harness and reused by every later one (bootstrap is then a no-op).
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadFabricNetwork } from '../../network/fabric/env';

/** True when the tests run against the Fabric network (LEDGER=fabric). */
export const onFabric = (): boolean => process.env.LEDGER === 'fabric';

/** The engine the suites run on, for their titles. */
export const engineName = (): string => (onFabric() ? 'Fabric' : 'embedded');

export interface ChainWallets {
  /** The demo members' own keys (their client side). */
  clients: string;
  /** The service identities' keys (the banks' oracles). */
  service: string;
}

/** The wallets of the chain `fabric:up` made (under its net/ folder: `fabric:down` wipes them with the chain). */
export function fabricTestWallets(): ChainWallets {
  const network = loadFabricNetwork({ checkFiles: false });
  const root = path.join(network.buildDir, 'net', 'test-wallets', network.genesisBlockSha256.slice(0, 16));
  return { clients: path.join(root, 'clients'), service: path.join(root, 'service') };
}

/**
 * The environment a child service needs to act on the chain's demo registry: the demo wallet,
 * and the oracle keys copied into its data dir's service wallet (where `npm start` keeps them).
 */
export function fabricServiceEnv(dataDir: string): NodeJS.ProcessEnv {
  const wallets = fabricTestWallets();
  if (fs.existsSync(wallets.service)) {
    fs.cpSync(wallets.service, path.join(dataDir, 'service'), { recursive: true });
  }
  return { LEDGER: 'fabric', LIANJIAN_WALLET: wallets.clients };
}
