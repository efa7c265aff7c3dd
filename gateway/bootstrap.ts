/**
 * First start on the embedded engine: org admins, the two orgs (registered during genesis by
 * their own admins), then demo members. Idempotent: a marker file makes later starts do nothing,
 * and every step is itself a replay-safe no-op if a start was interrupted.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { LedgerClient } from '../ledger/types';
import { createMember, ensureIdentity, NewIdentity } from '../ledger/identities';
import type { Wallet } from '../ledger/wallet';

export const ORGS = [
  { mspId: 'Org1MSP', name: 'Custodian Bank', roles: ['bank', 'oracle', 'enterprise', 'merchant', 'consumer'] },
  { mspId: 'Org2MSP', name: 'Regulator', roles: ['regulator', 'auditor', 'court'] },
];

export const DEMO_USERS: NewIdentity[] = [
  { mspId: 'Org1MSP', name: 'bank1', roles: ['bank'] },
  { mspId: 'Org1MSP', name: 'oracle1', roles: ['oracle'] },
  { mspId: 'Org1MSP', name: 'ent1', roles: ['enterprise'] },
  { mspId: 'Org1MSP', name: 'ent2', roles: ['enterprise'] },
  { mspId: 'Org1MSP', name: 'merchant1', roles: ['merchant'] },
  { mspId: 'Org1MSP', name: 'consumer1', roles: ['consumer'] },
  // Org2 last: registering the first regulator seals genesis.
  { mspId: 'Org2MSP', name: 'regulator1', roles: ['regulator'] },
  { mspId: 'Org2MSP', name: 'auditor1', roles: ['auditor'] },
  { mspId: 'Org2MSP', name: 'court1', roles: ['court'] },
];

export interface BootstrapResult {
  ran: boolean;
  files: Record<string, string>;
}

export async function bootstrap(
  ledger: LedgerClient,
  wallet: Wallet,
  dataDir: string,
  log: (msg: string) => void = () => {},
): Promise<BootstrapResult> {
  const marker = path.join(dataDir, 'bootstrap.json');
  if (fs.existsSync(marker)) return { ran: false, files: {} };
  const files: Record<string, string> = {};
  for (const org of ORGS) {
    const { identity, file } = await ensureIdentity(ledger, wallet, {
      mspId: org.mspId,
      name: 'admin',
      roles: [],
      admin: true,
    });
    files[identity.keyId] = file;
    await ledger.submit(identity, 'Identity:registerOrg', [org.mspId, org.name, JSON.stringify(org.roles)]);
  }
  for (const u of DEMO_USERS) {
    const { identity, file } = await createMember(ledger, wallet, u);
    files[identity.keyId] = file;
  }
  fs.writeFileSync(marker, JSON.stringify({ at: new Date().toISOString(), identities: Object.keys(files) }, null, 2));
  log(
    `bootstrap: created ${Object.keys(files).length} identities; key files:\n${Object.entries(files)
      .map(([k, f]) => `  ${k.padEnd(20)} ${f}`)
      .join('\n')}`,
  );
  return { ran: true, files };
}
