/**
 * `lianjian evm-deploy --key FILE [--rpc URL] [--data DIR] [--org MSP] [--name NAME]`: an org admin
 * deploys the EVM ledger (forwarder + MoneyCore) with its own key, becoming the genesis org's
 * admin, and records the addresses in `<data>/evm-ledger.json` for `LEDGER=evm npm start`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Wallet } from 'ethers';
import { evmLedgerRecord } from '../ledger/evm/config';
import { deployMoneyCore } from '../ledger/evm/deploy';
import { readEvmKey } from '../ledger/evm/witness';
import { connectEvm } from '../ledger/evm/witness-contract';
import { flag, parseFlags } from './flags';

const USAGE =
  'usage: lianjian evm-deploy --key FILE (the org admin’s secp256k1 key) [--rpc URL (default $EVM_RPC_URL)] [--data DIR] [--org Org1MSP] [--name admin]';

export async function evmDeployCommand(args: string[]): Promise<number> {
  let options: { key: string; rpcUrl: string; dataDir: string; org: string; name: string };
  try {
    const flags = parseFlags(args);
    const key = flag(flags, 'key');
    const rpcUrl = flag(flags, 'rpc', process.env.EVM_RPC_URL);
    if (!key || !rpcUrl) throw new Error('--key and --rpc (or EVM_RPC_URL) are needed');
    const dataDir = path.resolve(flag(flags, 'data', process.env.LIANJIAN_DATA || './data')!);
    options = { key, rpcUrl, dataDir, org: flag(flags, 'org', 'Org1MSP')!, name: flag(flags, 'name', 'admin')! };
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const provider = await connectEvm({ rpcUrl: options.rpcUrl });
  try {
    const admin = new Wallet(readEvmKey(options.key), provider);
    const contracts = await deployMoneyCore(admin, { org: options.org, adminName: options.name });
    fs.mkdirSync(options.dataDir, { recursive: true });
    fs.writeFileSync(evmLedgerRecord(options.dataDir), JSON.stringify(contracts, null, 2) + '\n');
    process.stdout.write(`MoneyCore ${contracts.moneyCore} forwarder ${contracts.forwarder}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`evm-deploy failed: ${(err as Error).message}\n`);
    return 1;
  } finally {
    provider.destroy();
  }
}
