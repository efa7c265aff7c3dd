/**
 * A small embedded chain for the oracle tests: the regulator and bank orgs, a bank, its oracle
 * (SM2 key registered on chain), a regulator/auditor. Used until test/support/harness.ts exists.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedLedger } from '../../ledger/embedded/index';
import { newMemberKey, registerMember } from '../../ledger/identities';
import { signCall } from '../../ledger/intents';
import type { MemberKey } from '../../ledger/types';

export interface TestChain {
  ledger: EmbeddedLedger;
  dir: string;
  ids: Record<'bankAdmin' | 'regAdmin' | 'bank' | 'oracle' | 'regulator' | 'auditor' | 'alice', MemberKey>;
}

const ORGS = [
  { mspId: 'Org2MSP', name: 'Regulator', roles: ['regulator', 'auditor', 'court'], admin: 'admin2' },
  {
    mspId: 'Org1MSP',
    name: 'Custodian bank',
    roles: ['bank', 'oracle', 'enterprise', 'merchant', 'consumer'],
    admin: 'admin1',
  },
];

/** Opens (or reopens, when `dir` holds a chain and `ids` are given) an embedded chain. */
export async function openTestChain(
  dir = mkdtempSync(join(tmpdir(), 'lj-oracle-chain-')),
  ids?: TestChain['ids'],
): Promise<TestChain> {
  const ledger = await EmbeddedLedger.open(dir, {
    blockTimeoutMs: 5,
    syncWrites: false,
    verifierThreads: Number(process.env.LJ_VERIFIER_THREADS ?? 0),
  });
  if (ids) return { ledger, dir, ids };
  const admins: Record<string, MemberKey> = {};
  for (const org of ORGS) {
    admins[org.mspId] = newMemberKey({ mspId: org.mspId, name: org.admin, roles: [], admin: true });
    await ledger.submit({
      fn: 'Identity:registerOrg',
      args: [org.mspId, org.name, JSON.stringify(org.roles), org.admin, admins[org.mspId].sm2.publicKey],
      org: org.mspId,
      asOrgAdmin: true,
    });
  }
  const member = async (mspId: string, name: string, roles: string[]): Promise<MemberKey> => {
    const key = newMemberKey({ mspId, name, roles });
    await registerMember(ledger, {
      admin: admins[mspId],
      member: { mspId, name, roles },
      publicKey: key.sm2.publicKey,
    });
    return key;
  };
  const made = {
    regAdmin: admins.Org2MSP,
    bankAdmin: admins.Org1MSP,
    bank: await member('Org1MSP', 'bank1', ['bank']),
    oracle: await member('Org1MSP', 'oracle1', ['oracle']),
    alice: await member('Org1MSP', 'alice', ['consumer', 'enterprise']),
    regulator: await member('Org2MSP', 'reg1', ['regulator']),
    auditor: await member('Org2MSP', 'audit1', ['auditor']),
  };
  return { ledger, dir, ids: made };
}

/** The bank opens chain accounts owned by alice (ids as given). */
export async function openChainAccounts(c: TestChain, ids: string[]): Promise<void> {
  for (const id of ids)
    await c.ledger.submit(
      signCall(c.ids.bank, { fn: 'Money:openAccount', args: [id, 'general', c.ids.alice.keyId, `core:${id}`, ''] }),
    );
}
