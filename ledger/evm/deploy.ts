/**
 * Deploys the EVM ledger's contracts: the trusted forwarder (contracts/Forwarder.sol), then
 * MoneyCore (contracts/MoneyCore.sol) trusting it, with the deployer as the genesis org's admin.
 * The deployer is that admin's own key (a client), not the relayer's.
 */
import { ContractFactory, type Signer } from 'ethers';
import { forwarderArtifact, moneyCoreArtifact } from './money-core-calls';

/** The deployed contracts of an EVM ledger. */
export interface EvmLedgerContracts {
  moneyCore: string;
  forwarder: string;
}

/**
 * Deploys a forwarder and a MoneyCore whose genesis org is `org`, administered by `admin` as `adminName`.
 * @throws Error when a deployment fails
 */
export async function deployMoneyCore(
  admin: Signer,
  genesis: { org: string; adminName: string },
): Promise<EvmLedgerContracts> {
  const forwarder = await new ContractFactory(forwarderArtifact.abi, forwarderArtifact.bytecode, admin).deploy();
  await forwarder.waitForDeployment();
  const forwarderAddress = await forwarder.getAddress();
  const core = await new ContractFactory(moneyCoreArtifact.abi, moneyCoreArtifact.bytecode, admin).deploy(
    genesis.org,
    genesis.adminName,
    forwarderAddress,
  );
  await core.waitForDeployment();
  return { moneyCore: await core.getAddress(), forwarder: forwarderAddress };
}
