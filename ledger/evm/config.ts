/**
 * LEDGER=evm's environment: EVM_RPC_URL (the node), EVM_KEY_FILE (the relayer's key: it pays gas
 * and signs no member's request), and the contracts from EVM_MONEY_CORE_ADDRESS and
 * EVM_FORWARDER_ADDRESS or, when unset, `<data>/evm-ledger.json` as `lianjian evm-deploy` wrote it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isAddress } from 'ethers';
import type { EvmLedgerContracts } from './deploy';
import type { EvmLedgerOptions } from './index';
import { readEvmKey } from './witness';

export const EVM_LEDGER_RECORD = 'evm-ledger.json';

/** Where `lianjian evm-deploy` records the deployed contracts in a data dir. */
export const evmLedgerRecord = (dataDir: string): string => path.join(dataDir, EVM_LEDGER_RECORD);

/**
 * The EVM ledger's connection settings.
 * @throws Error naming what is missing or malformed
 */
export function evmLedgerOptions(env: NodeJS.ProcessEnv, dataDir: string): EvmLedgerOptions {
  const rpcUrl = env.EVM_RPC_URL?.trim();
  const keyFile = env.EVM_KEY_FILE?.trim();
  if (!rpcUrl || !keyFile)
    throw new Error('LEDGER=evm needs EVM_RPC_URL (the node) and EVM_KEY_FILE (the relayer key that pays gas)');
  const contracts = contractsOf(env, dataDir);
  return { rpcUrl, relayerKey: readEvmKey(keyFile), ...contracts };
}

/** The contracts from the environment, else from the data dir's record. */
function contractsOf(env: NodeJS.ProcessEnv, dataDir: string): EvmLedgerContracts {
  const file = evmLedgerRecord(dataDir);
  const moneyCore = env.EVM_MONEY_CORE_ADDRESS?.trim();
  const forwarder = env.EVM_FORWARDER_ADDRESS?.trim();
  const chosen: Partial<EvmLedgerContracts> =
    moneyCore || !fs.existsSync(file)
      ? { moneyCore, forwarder }
      : (JSON.parse(fs.readFileSync(file, 'utf8')) as EvmLedgerContracts);
  if (!chosen.moneyCore || !chosen.forwarder)
    throw new Error(
      `LEDGER=evm needs the contracts: EVM_MONEY_CORE_ADDRESS and EVM_FORWARDER_ADDRESS, or ${file} (npx lianjian evm-deploy)`,
    );
  for (const [name, value] of Object.entries(chosen))
    if (!isAddress(value)) throw new Error(`the ${name} address ${String(value)} is not an EVM address`);
  return { moneyCore: chosen.moneyCore, forwarder: chosen.forwarder };
}
