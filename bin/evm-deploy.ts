/**
 * `lianjian evm-deploy --key FILE [--wallet DIR] [--rpc URL] [--data DIR] [--org MSP] [--name NAME]`:
 * an org admin deploys the EVM ledger (forwarder + MoneyCore) with its own key, becoming the
 * genesis org's admin, and records the addresses in `<data>/evm-ledger.json` for
 * `LEDGER=evm npm start`. With --wallet (the admin's member wallet, e.g. the demo's
 * LIANJIAN_WALLET) the admin's member key file gets that secp256k1 key beside its SM2 key (made
 * there when new), and the SM2 key is recorded in the registry so the gateway can check the
 * admin's signed requests.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type ContractTransactionResponse, Wallet as EvmWallet } from 'ethers';
import { evmLedgerRecord } from '../ledger/evm/config';
import { deployMoneyCore } from '../ledger/evm/deploy';
import { MONEY_CORE_INTERFACE } from '../ledger/evm/money-core-calls';
import { readEvmKey } from '../ledger/evm/witness';
import { connectEvm } from '../ledger/evm/witness-contract';
import { ensureMemberKey } from '../ledger/identities';
import { Wallet } from '../ledger/wallet';
import { Contract } from 'ethers';
import { flag, parseFlags } from './flags';

const USAGE =
  'usage: lianjian evm-deploy --key FILE (the org admin’s secp256k1 key) [--wallet DIR (the admin’s member wallet)] [--rpc URL (default $EVM_RPC_URL)] [--data DIR] [--org Org1MSP] [--name admin]';

interface DeployOptions {
  key: string;
  rpcUrl: string;
  dataDir: string;
  org: string;
  name: string;
  wallet?: string;
}

function optionsOf(args: string[]): DeployOptions {
  const flags = parseFlags(args);
  const key = flag(flags, 'key');
  const rpcUrl = flag(flags, 'rpc', process.env.EVM_RPC_URL);
  if (!key || !rpcUrl) throw new Error('--key and --rpc (or EVM_RPC_URL) are needed');
  const dataDir = path.resolve(flag(flags, 'data', process.env.LIANJIAN_DATA || './data')!);
  const wallet = flag(flags, 'wallet');
  return {
    key,
    rpcUrl,
    dataDir,
    org: flag(flags, 'org', 'Org1MSP')!,
    name: flag(flags, 'name', 'admin')!,
    ...(wallet ? { wallet: path.resolve(wallet) } : {}),
  };
}

/** The admin's member key file with this secp256k1 key; its SM2 public key. */
function adminMemberKey(options: DeployOptions, admin: EvmWallet): string {
  const wallet = new Wallet(options.wallet!);
  const member = { mspId: options.org, name: options.name, roles: [], admin: true };
  const { key } = ensureMemberKey(wallet, member);
  wallet.put({ ...key, secp256k1: { privateKey: admin.privateKey, address: admin.address } });
  return key.sm2.publicKey;
}

export async function evmDeployCommand(args: string[]): Promise<number> {
  let options: DeployOptions;
  try {
    options = optionsOf(args);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const provider = await connectEvm({ rpcUrl: options.rpcUrl });
  try {
    const admin = new EvmWallet(readEvmKey(options.key), provider);
    const contracts = await deployMoneyCore(admin, { org: options.org, adminName: options.name });
    if (options.wallet) {
      const sm2 = adminMemberKey(options, admin);
      const core = new Contract(contracts.moneyCore, MONEY_CORE_INTERFACE, admin);
      const sent = (await core.getFunction('admitOrgWithKey')(
        admin.address,
        options.org,
        options.name,
        sm2,
      )) as ContractTransactionResponse;
      await sent.wait();
    }
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
