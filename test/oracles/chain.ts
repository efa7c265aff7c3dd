/**
 * A small embedded chain for the oracle tests: the regulator and bank orgs, a bank, its oracle
 * (SM2 key registered on chain), a regulator/auditor. Used until test/support/harness.ts exists.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair } from '../../chaincode/lib/gm';
import { EmbeddedLedger } from '../../ledger/embedded/index';
import type { Identity } from '../../ledger/types';
import { x509Id } from '../../ledger/wallet';

export interface TestChain {
  ledger: EmbeddedLedger;
  dir: string;
  ids: Record<'bankAdmin' | 'regAdmin' | 'bank' | 'oracle' | 'regulator' | 'auditor' | 'alice', Identity>;
}

async function identity(
  ledger: EmbeddedLedger,
  mspId: string,
  name: string,
  roles: string[],
  admin = false,
): Promise<Identity> {
  const sm2 = generateKeyPair();
  return {
    keyId: `${mspId}:${name}`,
    mspId,
    name,
    roles,
    admin,
    sm2,
    ledger: await ledger.enroll(mspId, name, admin, sm2),
  };
}

async function register(ledger: EmbeddedLedger, admin: Identity, m: Identity): Promise<void> {
  await ledger.submit(admin, 'Identity:registerMember', [
    x509Id(m.ledger.certPem),
    m.name,
    JSON.stringify(m.roles),
    m.sm2.publicKey,
  ]);
}

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
  if (ids) {
    for (const id of Object.values(ids)) await ledger.enroll(id.mspId, id.name, id.admin, id.sm2); // trusts the orgs' CAs again
    return { ledger, dir, ids };
  }
  const regAdmin = await identity(ledger, 'Org2MSP', 'admin2', [], true);
  const bankAdmin = await identity(ledger, 'Org1MSP', 'admin1', [], true);
  await ledger.submit(regAdmin, 'Identity:registerOrg', [
    'Org2MSP',
    'Regulator',
    JSON.stringify(['regulator', 'auditor', 'court']),
  ]);
  await ledger.submit(bankAdmin, 'Identity:registerOrg', [
    'Org1MSP',
    'Custodian bank',
    JSON.stringify(['bank', 'oracle', 'enterprise', 'merchant', 'consumer']),
  ]);
  const made = {
    regAdmin,
    bankAdmin,
    bank: await identity(ledger, 'Org1MSP', 'bank1', ['bank']),
    oracle: await identity(ledger, 'Org1MSP', 'oracle1', ['oracle']),
    alice: await identity(ledger, 'Org1MSP', 'alice', ['consumer', 'enterprise']),
    regulator: await identity(ledger, 'Org2MSP', 'reg1', ['regulator']),
    auditor: await identity(ledger, 'Org2MSP', 'audit1', ['auditor']),
  };
  for (const k of ['bank', 'oracle', 'alice'] as const) await register(ledger, bankAdmin, made[k]);
  for (const k of ['regulator', 'auditor'] as const) await register(ledger, regAdmin, made[k]);
  return { ledger, dir, ids: made };
}

/** The bank opens chain accounts owned by alice (ids as given). */
export async function openChainAccounts(c: TestChain, ids: string[]): Promise<void> {
  for (const id of ids)
    await c.ledger.submit(c.ids.bank, 'Money:openAccount', [id, 'general', c.ids.alice.keyId, `core:${id}`]);
}
