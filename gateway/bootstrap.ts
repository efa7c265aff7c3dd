/**
 * The demo's key ceremony, run on a fresh chain: each demo org's MSP admin credential registers
 * the org with its first admin member; the admins register the demo members. Members' keys are
 * made here on behalf of the demo's clients and written to the demo clients' wallet (never read
 * by the service afterwards); the bank's oracle is a service identity and its key goes to the
 * service's wallet. Idempotent: on a chain that has the demo registry it does nothing, and every
 * step is itself a replay-safe no-op if a start was interrupted.
 */
import { submitSigned } from '../ledger/evm/member-signer';
import { evmPublicKey } from '../ledger/evm/money-core-calls';
import { ensureMemberKey, NewMember, registerMember } from '../ledger/identities';
import { signCall } from '../ledger/intents';
import type { LedgerClient, MemberKey, SubmitResult } from '../ledger/types';
import type { Wallet } from '../ledger/wallet';

export const ORGS = [
  {
    mspId: 'Org1MSP',
    name: 'Custodian Bank 托管银行',
    roles: ['bank', 'oracle', 'enterprise', 'merchant', 'consumer'],
  },
  { mspId: 'Org2MSP', name: 'Regulator 监管机构', roles: ['regulator', 'auditor', 'court'] },
];

/** Service identities: their keys belong to the service, not to a client. */
export const SERVICE_MEMBERS = new Set(['Org1MSP:oracle1']);

export const DEMO_USERS: NewMember[] = [
  { mspId: 'Org1MSP', name: 'bank1', roles: ['bank'], displayName: '托管银行 Custodian Bank' },
  { mspId: 'Org1MSP', name: 'oracle1', roles: ['oracle'], displayName: '托管银行预言机 Bank oracle' },
  { mspId: 'Org1MSP', name: 'ent1', roles: ['enterprise'], displayName: '闽建地产 Minjian Property' },
  { mspId: 'Org1MSP', name: 'ent2', roles: ['enterprise'], displayName: '兴化建材 Xinghua Building Supplies' },
  { mspId: 'Org1MSP', name: 'merchant1', roles: ['merchant'], displayName: '悦动健身 Yuedong Fitness' },
  { mspId: 'Org1MSP', name: 'consumer1', roles: ['consumer'], displayName: '林女士 Ms Lin' },
  // Org2 last: registering the first regulator seals genesis.
  { mspId: 'Org2MSP', name: 'regulator1', roles: ['regulator'], displayName: '住建局 Housing Bureau' },
  { mspId: 'Org2MSP', name: 'auditor1', roles: ['auditor'], displayName: '审计局 Audit Office' },
  { mspId: 'Org2MSP', name: 'court1', roles: ['court'], displayName: '人民法院 People’s Court' },
];

export interface BootstrapOptions {
  ledger: LedgerClient;
  /** Where the demo's clients keep their keys (LIANJIAN_WALLET). */
  demoWallet: Wallet;
  /** The service's own identities (`<dataDir>/service`). */
  serviceWallet: Wallet;
  log?: (msg: string) => void;
}

export interface BootstrapResult {
  ran: boolean;
  /** Key files by key id. */
  files: Record<string, string>;
}

async function registered(ledger: LedgerClient, handle: string): Promise<boolean> {
  try {
    await ledger.evaluate({ fn: 'Identity:getMember', args: [handle], org: handle.split(':')[0] });
    return true;
  } catch {
    return false;
  }
}

/** What a member registers as its key: its SM2 public key, and on EVM its account address too. */
const registeredKey = (key: MemberKey): string =>
  key.secp256k1 ? evmPublicKey(key.secp256k1.address, key.sm2.publicKey) : key.sm2.publicKey;

/**
 * Registers an org with its first admin. On the chaincode ledgers the org's MSP admin credential
 * does it; on EVM the genesis admin (who deployed the contracts, `lianjian evm-deploy --wallet`)
 * admits it with its own key.
 */
function registerOrg(
  ledger: LedgerClient,
  org: (typeof ORGS)[number],
  keys: { admin: MemberKey; genesis: MemberKey },
): Promise<SubmitResult> {
  const args = [org.mspId, org.name, JSON.stringify(org.roles), 'admin', registeredKey(keys.admin)];
  if (ledger.engine !== 'evm')
    return ledger.submit({ fn: 'Identity:registerOrg', args, org: org.mspId, asOrgAdmin: true });
  const call = signCall(keys.genesis, { fn: 'Identity:registerOrg', args, idempotencyKey: `org:${org.mspId}` });
  return submitSigned(ledger, keys.genesis, call);
}

/** Registers the demo orgs and members unless the chain has them. */
export async function bootstrap(options: BootstrapOptions): Promise<BootstrapResult> {
  const { ledger, demoWallet, serviceWallet } = options;
  const last = DEMO_USERS[DEMO_USERS.length - 1];
  if (await registered(ledger, `${last.mspId}:${last.name}`)) return { ran: false, files: {} };
  const evm = { evm: ledger.engine === 'evm' };
  const genesis = `${ORGS[0].mspId}:admin`;
  if (evm.evm && !demoWallet.get(genesis)?.secp256k1)
    throw new Error(
      `LEDGER=evm: the demo bootstrap needs ${genesis}'s key in ${demoWallet.dir}, the key that deployed the contracts: npx lianjian evm-deploy --key <its key file> --wallet ${demoWallet.dir}`,
    );
  const files: Record<string, string> = {};
  const admins = new Map<string, MemberKey>();
  for (const org of ORGS) {
    const admin = ensureMemberKey(demoWallet, { mspId: org.mspId, name: 'admin', roles: [], admin: true }, evm);
    files[admin.key.keyId] = admin.file;
    admins.set(org.mspId, admin.key);
    await registerOrg(ledger, org, { admin: admin.key, genesis: admins.get(ORGS[0].mspId)! });
  }
  for (const member of DEMO_USERS) {
    const keyId = `${member.mspId}:${member.name}`;
    const made = ensureMemberKey(SERVICE_MEMBERS.has(keyId) ? serviceWallet : demoWallet, member, evm);
    files[keyId] = made.file;
    await registerMember(ledger, { admin: admins.get(member.mspId)!, member, publicKey: registeredKey(made.key) });
  }
  const lines = Object.entries(files).map(([k, f]) => `  ${k.padEnd(20)} ${f}`);
  options.log?.(
    `bootstrap: registered the demo orgs and ${DEMO_USERS.length} members; key files:\n${lines.join('\n')}`,
  );
  return { ran: true, files };
}
