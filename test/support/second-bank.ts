/**
 * A second bank's org beside the demo orgs, registered by the regulator as issue 14 tried it:
 * Org3MSP with bank2, oracle2, ent4 and consumer3 (their keys in the test clients' wallet). It
 * must never read or move the first bank's customers' money or data.
 */
import { ensureMemberKey, registerMember } from '../../ledger/identities';
import { signCall } from '../../ledger/intents';
import type { LedgerClient } from '../../ledger/types';
import type { Wallet } from '../../ledger/wallet';

export const ORG3 = 'Org3MSP';
export const ORG3_MEMBERS = [
  { name: 'bank2', roles: ['bank'] },
  { name: 'oracle2', roles: ['oracle'] },
  { name: 'ent4', roles: ['enterprise'] },
  { name: 'consumer3', roles: ['consumer'] },
] as const;

/** Registers Org3MSP (by the regulator, after genesis) with its admin, then its members; a replay changes nothing. */
export async function addSecondBank(ledger: LedgerClient, wallet: Wallet): Promise<void> {
  const regulator = wallet.get('Org2MSP:regulator1');
  if (!regulator) throw new Error('the demo regulator must exist before the second bank');
  const admin = ensureMemberKey(wallet, { mspId: ORG3, name: 'admin', roles: [], admin: true }).key;
  await ledger.submit(
    signCall(regulator, {
      fn: 'Identity:registerOrg',
      args: [
        ORG3,
        'Second Bank',
        JSON.stringify(['bank', 'oracle', 'enterprise', 'merchant', 'consumer']),
        'admin',
        admin.sm2.publicKey,
      ],
      idempotencyKey: `register-org:${ORG3}`,
    }),
  );
  for (const m of ORG3_MEMBERS) {
    const member = { mspId: ORG3, name: m.name, roles: [...m.roles] };
    const { key } = ensureMemberKey(wallet, member);
    await registerMember(ledger, { admin, member, publicKey: key.sm2.publicKey });
  }
}
