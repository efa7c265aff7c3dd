/**
 * The witness's environment: EVM_RPC_URL and EVM_KEY_FILE switch it on (both unset: off), with
 * optional EVM_WITNESS_ADDRESS, WITNESS_EVERY_BLOCKS and WITNESS_EVERY_MS.
 */
import { isAddress } from 'ethers';

/** The part of WitnessAnchorerOptions that comes from the environment. */
export interface WitnessEnvConfig {
  rpcUrl: string;
  keyFile: string;
  contractAddress?: string;
  everyNBlocks?: number;
  everyMs?: number;
}

/**
 * Reads the witness configuration from `env`; undefined when EVM_RPC_URL and EVM_KEY_FILE are both unset.
 * @throws Error naming the variable when only one of the two is set, a number is not a positive
 * integer, or EVM_WITNESS_ADDRESS is not an address.
 */
export function witnessConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WitnessEnvConfig | undefined {
  const rpcUrl = env.EVM_RPC_URL?.trim() || undefined;
  const keyFile = env.EVM_KEY_FILE?.trim() || undefined;
  if (!rpcUrl && !keyFile) return undefined;
  if (!rpcUrl) throw new Error('EVM_KEY_FILE is set but EVM_RPC_URL is not: the witness needs both (or neither)');
  if (!keyFile) throw new Error('EVM_RPC_URL is set but EVM_KEY_FILE is not: the witness needs both (or neither)');
  if (!/^https?:\/\//.test(rpcUrl)) throw new Error(`EVM_RPC_URL must be an http(s) URL, got ${rpcUrl}`);
  const contractAddress = env.EVM_WITNESS_ADDRESS?.trim() || undefined;
  const validAddress: boolean = !contractAddress || isAddress(contractAddress);
  if (!validAddress) throw new Error(`EVM_WITNESS_ADDRESS must be an EVM address, got ${contractAddress}`);
  return {
    rpcUrl,
    keyFile,
    contractAddress,
    everyNBlocks: positiveInt(env, 'WITNESS_EVERY_BLOCKS'),
    everyMs: positiveInt(env, 'WITNESS_EVERY_MS'),
  };
}

function positiveInt(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const text = env[name]?.trim();
  if (!text) return undefined;
  if (!/^[1-9][0-9]{0,14}$/.test(text)) throw new Error(`${name} must be a positive integer, got ${text}`);
  return Number(text);
}
