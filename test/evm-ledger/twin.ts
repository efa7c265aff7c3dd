/**
 * The EVM ledger as the differential test drives it: MoneyCore and its forwarder deployed on a
 * real `hardhat node`, the demo's members registered under the same handles as on the embedded
 * ledger (each with its own secp256k1 key, made here on the client side), and every write signed
 * by its member (EIP-712) and relayed by a relayer key that belongs to no member.
 */
import { Wallet, type ContractTransactionResponse } from 'ethers';
import { EvmLedger } from '../../ledger/evm/index';
import { deployMoneyCore } from '../../ledger/evm/deploy';
import { EVM_ROLES } from '../../ledger/evm/money-core-calls';
import { signEvmCall } from '../../ledger/evm/member-signer';
import { providerFor, type EvmNode } from '../support/evm-node';

/** The demo members the money core needs, by handle, with their roles. */
const MEMBERS: Record<string, string[]> = {
  'Org1MSP:bank1': ['bank'],
  'Org1MSP:oracle1': ['oracle'],
  'Org1MSP:ent1': ['enterprise'],
  'Org1MSP:ent2': ['enterprise'],
  'Org2MSP:regulator1': ['regulator'],
  'Org2MSP:auditor1': ['auditor'],
  'Org2MSP:court1': ['court'],
};

const bits = (roles: string[]): bigint => roles.reduce((b, r) => b | (1n << BigInt(EVM_ROLES.indexOf(r))), 0n);

export class EvmTwin {
  private readonly nonces = new Map<string, bigint>();

  private constructor(
    readonly ledger: EvmLedger,
    private readonly keys: Map<string, Wallet>,
  ) {}

  /**
   * Deploys and registers the members (and `clients` enterprises `Org1MSP:bench<k>` for the bench):
   * node key #0 is Org1's admin, #1 Org2's admin, #2 the relayer.
   * @throws Error when the node refuses a deployment or registration
   */
  static async create(node: EvmNode, extra: { clients?: number } = {}): Promise<EvmTwin> {
    const provider = await providerFor(node.url);
    const org1Admin = new Wallet(node.keys[0], provider);
    const org2Admin = new Wallet(node.keys[1], provider);
    const contracts = await deployMoneyCore(org1Admin, { org: 'Org1MSP', adminName: 'admin' });
    const ledger = await EvmLedger.connect({ rpcUrl: node.url, relayerKey: node.keys[2], ...contracts });
    const core = ledger.reads.contract.connect(org1Admin) as typeof ledger.reads.contract;
    const mined = async (sent: Promise<unknown>): Promise<void> => {
      await ((await sent) as ContractTransactionResponse).wait();
    };
    await mined(core.getFunction('admitOrg')(org2Admin.address, 'Org2MSP', 'admin'));
    const keys = new Map<string, Wallet>();
    const clients = Array.from({ length: extra.clients ?? 0 }, (_, k): [string, string[]] => [
      `Org1MSP:bench${k}`,
      ['enterprise'],
    ]);
    for (const [handle, roles] of [...Object.entries(MEMBERS), ...clients]) {
      const [org, name] = handle.split(':');
      const member = new Wallet(Wallet.createRandom().privateKey);
      keys.set(handle, member);
      const admin = org === 'Org1MSP' ? org1Admin : org2Admin;
      await mined(core.connect(admin).getFunction('registerMember')(member.address, name, bits(roles), false));
    }
    provider.destroy();
    return new EvmTwin(ledger, keys);
  }

  /** `who` (a handle) signs the call with its own key; the relayer submits it. Resolves with the result. */
  async submit<T = unknown>(who: string, fn: string, ...args: string[]): Promise<T> {
    const key = this.keys.get(who);
    if (!key) throw new Error(`no EVM key for ${who}`);
    const nonce = this.nonces.get(who) ?? 0n;
    // Far deadline: hardhat's clock runs ahead of the wall clock by a second per block mined.
    const deadline = Math.floor(Date.now() / 1000) + 10 * 365 * 86_400;
    const call = await signEvmCall(key, { target: this.ledger.target, fn, args, nonce, deadline });
    const done = await this.ledger.submit(call); // a refused call sends nothing: the nonce stays unused
    this.nonces.set(who, nonce + 1n);
    return JSON.parse(done.result) as T;
  }

  async evaluate<T = unknown>(fn: string, ...args: string[]): Promise<T> {
    return JSON.parse(await this.ledger.evaluate({ fn, args })) as T;
  }

  close(): Promise<void> {
    return this.ledger.close();
  }
}
