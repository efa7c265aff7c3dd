/** Making app identities: an SM2 key, ledger credentials, and (for members) the on-chain registration. */
import { generateKeyPair } from '../chaincode/lib/gm';
import type { Identity, LedgerClient } from './types';
import { Wallet, x509Id } from './wallet';

export interface NewIdentity {
  mspId: string;
  name: string;
  roles: string[];
  admin?: boolean;
}

/** Creates the key file and enrolls ledger credentials; returns the existing identity if there is one. */
export async function ensureIdentity(
  ledger: LedgerClient,
  wallet: Wallet,
  n: NewIdentity,
): Promise<{ identity: Identity; file: string; created: boolean }> {
  const keyId = `${n.mspId}:${n.name}`;
  const have = wallet.get(keyId);
  if (have) return { identity: have, file: wallet.fileOf(keyId), created: false };
  const sm2 = generateKeyPair();
  const creds = await ledger.enroll(n.mspId, n.name, !!n.admin, sm2);
  const identity: Identity = {
    keyId,
    mspId: n.mspId,
    name: n.name,
    roles: n.roles,
    admin: !!n.admin,
    sm2,
    ledger: creds,
  };
  return { identity, file: wallet.put(identity), created: true };
}

/**
 * Registers `member` on chain through its org's admin (Identity:registerMember). The member's
 * SM2 public key is registered too: it verifies the member's attestations and co-signatures.
 */
export async function registerMember(ledger: LedgerClient, admin: Identity, member: Identity): Promise<unknown> {
  const r = await ledger.submit(admin, 'Identity:registerMember', [
    x509Id(member.ledger.certPem),
    member.name,
    JSON.stringify(member.roles),
    member.sm2.publicKey,
  ]);
  return JSON.parse(r.result);
}

export const adminKeyId = (mspId: string) => `${mspId}:admin`;

/** The full `identity create` flow: key file, ledger credentials, registration by the org admin. */
export async function createMember(
  ledger: LedgerClient,
  wallet: Wallet,
  n: NewIdentity,
): Promise<{ identity: Identity; file: string; created: boolean }> {
  const admin = wallet.get(adminKeyId(n.mspId));
  if (!admin)
    throw new Error(
      `no admin identity ${adminKeyId(n.mspId)} in ${wallet.dir}; start the gateway once (bootstrap) or create the org admin first`,
    );
  const made = await ensureIdentity(ledger, wallet, n);
  try {
    await registerMember(ledger, admin, made.identity); // a replay of the same registration is a no-op on chain
  } catch (err) {
    if (made.created) wallet.remove(made.identity.keyId); // no key file for a member the chain refused
    throw err;
  }
  return made;
}
