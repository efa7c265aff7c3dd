/**
 * The demo's key ceremony, run on a fresh chain: each demo org's MSP admin credential registers
 * the org with its first admin member; the admins register the demo members. Members' keys are
 * made here on behalf of the demo's clients and written to the demo clients' wallet (never read
 * by the service afterwards); the bank's oracle is a service identity and its key goes to the
 * service's wallet. Idempotent: on a chain that has the demo registry it does nothing, and every
 * step is itself a replay-safe no-op if a start was interrupted.
 */
import { ensureMemberKey, NewMember, registerMember } from '../ledger/identities';
import type { LedgerClient } from '../ledger/types';
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

/** Registers the demo orgs and members unless the chain has them. */
export async function bootstrap(options: BootstrapOptions): Promise<BootstrapResult> {
  const { ledger, demoWallet, serviceWallet } = options;
  const last = DEMO_USERS[DEMO_USERS.length - 1];
  if (await registered(ledger, `${last.mspId}:${last.name}`)) return { ran: false, files: {} };
  const files: Record<string, string> = {};
  const admins = new Map<string, ReturnType<typeof ensureMemberKey>['key']>();
  for (const org of ORGS) {
    const admin = ensureMemberKey(demoWallet, { mspId: org.mspId, name: 'admin', roles: [], admin: true });
    files[admin.key.keyId] = admin.file;
    admins.set(org.mspId, admin.key);
    await ledger.submit({
      fn: 'Identity:registerOrg',
      args: [org.mspId, org.name, JSON.stringify(org.roles), 'admin', admin.key.sm2.publicKey],
      org: org.mspId,
      asOrgAdmin: true,
    });
  }
  for (const member of DEMO_USERS) {
    const keyId = `${member.mspId}:${member.name}`;
    const made = ensureMemberKey(SERVICE_MEMBERS.has(keyId) ? serviceWallet : demoWallet, member);
    files[keyId] = made.file;
    await registerMember(ledger, { admin: admins.get(member.mspId)!, member, publicKey: made.key.sm2.publicKey });
  }
  const lines = Object.entries(files).map(([k, f]) => `  ${k.padEnd(20)} ${f}`);
  options.log?.(
    `bootstrap: registered the demo orgs and ${DEMO_USERS.length} members; key files:\n${lines.join('\n')}`,
  );
  return { ran: true, files };
}
