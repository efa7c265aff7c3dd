/**
 * Lists for people: merchants and their plans (a marketplace for consumers, the whole register
 * for regulators), and contracts with what their escrow holds, what was delivered, what a
 * refund would return now and when cooling-off ends. Contracts are read by the one rule in
 * access.ts.
 */
import { hasMandate } from '../core/access';
import type { LianjianContext, Member } from '../core/context';
import { readAccount } from '../core/lots';
import { listJson, range } from '../core/state';
import { fen } from '../lib/money';
import { canReadContract, canReadMerchant } from './access';
import { isFullRefund } from './escrow';
import { refundSplit } from './rules';
import type { Merchant, Plan, PrepaidContractRecord } from './types';

const supervises = (me: Member): boolean => hasMandate(me);

/**
 * Merchants the caller may list, each with its plans (withdrawn plans only for the merchant and supervisors).
 * @throws LedgerError from state reads only
 */
export async function listMerchants(ctx: LianjianContext, me: Member): Promise<Array<Merchant & { plans: Plan[] }>> {
  const merchants = (await listJson<Merchant>(ctx, range('pp-merchant'))).filter((m) => canReadMerchant(me, m));
  const plans = await listJson<Plan>(ctx, range('pp-plan'));
  return merchants.map((m) => ({
    ...m,
    plans: plans.filter(
      (p) => p.merchant === m.id && (p.status === 'active' || supervises(me) || m.member === me.handle),
    ),
  }));
}

export interface ContractView extends PrepaidContractRecord {
  merchantName: string;
  merchantStatus: string;
  planName: string;
  /** What the escrow account holds now (fen). */
  escrowBalance: string;
  /** A refund asked for now: full or not, what returns to the wallet and the non-refundable part. */
  refundNow: { full: boolean; refund: string; fee: string };
}

/**
 * The contracts the caller may read: its own as a consumer, its merchants' as a merchant, all
 * for regulators and auditors; optionally of one merchant.
 * @throws LedgerError from state reads only
 */
export async function listContracts(ctx: LianjianContext, me: Member, merchant: string): Promise<ContractView[]> {
  const merchants = new Map((await listJson<Merchant>(ctx, range('pp-merchant'))).map((m) => [m.id, m]));
  const plans = new Map((await listJson<Plan>(ctx, range('pp-plan'))).map((p) => [p.id, p]));
  const now = ctx.time().getTime();
  const out: ContractView[] = [];
  for (const record of await listJson<PrepaidContractRecord>(ctx, range('pp-contract'))) {
    if (merchant && record.merchant !== merchant) continue;
    const c = record;
    const m = merchants.get(c.merchant);
    if (!m || !(await canReadContract(ctx, me, c, m))) continue;
    const active = c.status === 'active';
    const full = isFullRefund(c, m?.status === 'frozen', now);
    const split = refundSplit(BigInt(c.price) - BigInt(c.released), c.nonRefundableBp, full);
    out.push({
      ...c,
      merchantName: m?.name ?? c.merchant,
      merchantStatus: m?.status ?? '',
      planName: plans.get(c.plan)?.name ?? c.plan,
      escrowBalance: (await readAccount(ctx, c.escrow)).balance,
      refundNow: active
        ? { full, refund: fen(split.refund), fee: fen(split.fee) }
        : { full: false, refund: '0', fee: '0' },
    });
  }
  return out;
}
