/** Who may read a prepaid contract: its consumer, the merchant's member, regulators and auditors. */
import type { LianjianContext, Member } from '../core/context';
import { forbidden } from '../lib/errors';
import { requireId } from '../lib/validate';
import { loadContract, loadMerchant } from './store';
import type { PrepaidContractRecord } from './types';

/**
 * The contract `id` when `me` may read it.
 * @throws LedgerError 404 CONTRACT_NOT_FOUND, 403 NOT_CONTRACT_PARTY
 */
export async function readableContract(ctx: LianjianContext, me: Member, id: string): Promise<PrepaidContractRecord> {
  const c = await loadContract(ctx, requireId(id, 'contract'));
  const m = await loadMerchant(ctx, c.merchant);
  const ok =
    me.handle === c.consumer ||
    me.handle === m.member ||
    me.roles.includes('regulator') ||
    me.roles.includes('auditor');
  if (!ok) throw forbidden(`${me.handle} may not read contract ${id}`, 'NOT_CONTRACT_PARTY', 'contract');
  return c;
}
