/**
 * Prepaid (预付资金): e-CNY prepaid contracts and hardware wallets. Thin transaction layer:
 * roles and argument shapes here, rules in merchants/escrow/delivery/cards, arithmetic in rules.
 */
import { Returns, Transaction } from 'fabric-contract-api';
import '../core/models';
import './models';
import { notFound, rejected } from '../lib/errors';
import { fen } from '../lib/money';
import { requireId, requireInt, requireText } from '../lib/validate';
import { canReadAccount, keptAccount } from '../core/access';
import { LianjianContext, LianjianContract, ROLES } from '../core/context';
import { Account, readAccount } from '../core/lots';
import { listJson, range } from '../core/state';
import { setWalletTier, WalletTier } from '../core/wallets';
import { cardPaymentFor, contractFor, merchantFor } from './access';
import { parseBatch, registerCard, syncOne, SyncResult } from './cards';
import { attestProgress, claimAccrued, consume, settleAccrued } from './delivery';
import { isFullRefund, purchase, refund } from './escrow';
import { applyMerchant, createPlan, freezeMerchant, reviewMerchant, withdrawPlan } from './merchants';
import { refundSplit } from './rules';
import { listContracts, listMerchants } from './queries';
import { loadPlan } from './store';
import { resolveSkipped, sweepMerchant } from './sweep';

const json = (v: unknown): string => JSON.stringify(v);

export class PrepaidContract extends LianjianContract {
  constructor() {
    super('Prepaid');
  }

  @Transaction()
  @Returns('MerchantRecord')
  async applyMerchant(
    ctx: LianjianContext,
    id: string,
    name: string,
    category: string,
    region: string,
    account: string,
  ): Promise<string> {
    return json(await applyMerchant(ctx, await ctx.requireRole('merchant'), { id, name, category, region, account }));
  }

  @Transaction()
  @Returns('MerchantRecord')
  async reviewMerchant(ctx: LianjianContext, id: string, decision: string, reason: string): Promise<string> {
    return json(await reviewMerchant(ctx, await ctx.requireRole('regulator'), id, decision, reason));
  }

  @Transaction()
  @Returns('MerchantRecord')
  async freezeMerchant(ctx: LianjianContext, id: string, reason: string): Promise<string> {
    return json(await freezeMerchant(ctx, await ctx.requireRole('regulator'), id, reason));
  }

  /** planJson: {id, merchant, name, mode, unitPrice, units?, days?, coolingOffDays, nonRefundableBp?}. */
  @Transaction()
  @Returns('PlanRecord')
  async createPlan(ctx: LianjianContext, planJson: string): Promise<string> {
    return json(await createPlan(ctx, await ctx.requireRole('merchant'), planJson));
  }

  @Transaction()
  @Returns('PlanRecord')
  async withdrawPlan(ctx: LianjianContext, id: string): Promise<string> {
    return json(await withdrawPlan(ctx, await ctx.requireRole('merchant'), id));
  }

  /** The wallet's bank declares its e-CNY tier (1-4); undeclared wallets count as tier 4 (Money:setWalletTier). */
  @Transaction()
  @Returns('TierRecordView')
  async setWalletTier(ctx: LianjianContext, account: string, tier: string): Promise<string> {
    const bank = await ctx.requireRole('bank');
    const t = requireInt(tier, 'tier', 1, 4) as WalletTier;
    return json(await setWalletTier(ctx, bank, await keptAccount(ctx, bank, account), t));
  }

  /** The card's bank binds a hardware wallet's SM2 key to a wallet account. */
  @Transaction()
  @Returns('CardRecord')
  async registerCard(ctx: LianjianContext, card: string, account: string, publicKey: string): Promise<string> {
    return json(await registerCard(ctx, await ctx.requireRole('bank'), card, account, publicKey));
  }

  /** The consumer buys a plan: the price moves from the wallet into the escrow, locked to contract `id`. */
  @Transaction()
  @Returns('PrepaidContractModel')
  async purchase(ctx: LianjianContext, id: string, plan: string, wallet: string, escrow: string): Promise<string> {
    const me = await ctx.requireRole('consumer');
    return json(
      await purchase(ctx, me, {
        id: requireId(id, 'id'),
        plan: requireId(plan, 'plan'),
        wallet: requireId(wallet, 'wallet'),
        escrow: requireId(escrow, 'escrow'),
      }),
    );
  }

  /** 核销: the merchant submits a consumption record co-signed by the consumer (signer '' = member key, else a card id). */
  @Transaction()
  @Returns('PrepaidContractModel')
  async consume(
    ctx: LianjianContext,
    contract: string,
    seq: string,
    units: string,
    time: string,
    signer: string,
    signature: string,
  ): Promise<string> {
    return json(
      await consume(ctx, await ctx.requireRole('merchant'), { contract, seq, units, time, signer, signature }),
    );
  }

  @Transaction()
  @Returns('PrepaidContractModel')
  async attestProgress(
    ctx: LianjianContext,
    contract: string,
    attestation: string,
    progressBp: string,
  ): Promise<string> {
    return json(
      await attestProgress(ctx, await ctx.requireRole('regulator', 'oracle'), contract, attestation, progressBp),
    );
  }

  @Transaction()
  @Returns('PrepaidContractModel')
  async claimAccrued(ctx: LianjianContext, contract: string): Promise<string> {
    return json(await claimAccrued(ctx, await ctx.requireRole('merchant'), contract));
  }

  /** The consumer takes back the unreleased balance; a repeated refund returns the first result. */
  @Transaction()
  @Returns('PrepaidContractModel')
  async refund(ctx: LianjianContext, contract: string): Promise<string> {
    const me = await ctx.requireRole('consumer');
    const { c, m } = await contractFor(ctx, me, contract);
    if (c.consumer !== me.handle)
      throw rejected(`only the consumer of contract ${c.id} refunds it`, 'NOT_CONTRACT_CONSUMER', 'contract');
    if (c.status === 'refunded') return json(c);
    if (c.status === 'completed') throw rejected(`contract ${contract} is fully used`, 'CONTRACT_CLOSED', 'contract');
    const now = ctx.time().getTime();
    const full = isFullRefund(c, m.status === 'frozen', now);
    // A day-based plan first pays the merchant what accrued; the rest (less any fee) comes back.
    if (!full && c.mode === 'time_linear') await settleAccrued(ctx, c, now, me.handle);
    await refund(ctx, c, full, me.handle);
    return json(c);
  }

  /** The regulator refunds every consumer of a frozen merchant, `limit` contracts per call; call until done. */
  @Transaction()
  @Returns('SweepRecord')
  async refundMerchant(ctx: LianjianContext, merchant: string, limit: string): Promise<string> {
    return json(await sweepMerchant(ctx, await ctx.requireRole('regulator'), merchant, limit));
  }

  /** The regulator records why a contract the sweep could not refund is settled otherwise; the sweep stops retrying it. */
  @Transaction()
  @Returns('SweepRecord')
  async resolveSkipped(ctx: LianjianContext, merchant: string, contract: string, note: string): Promise<string> {
    return json(await resolveSkipped(ctx, await ctx.requireRole('regulator'), merchant, contract, note));
  }

  /** A POS uploads offline card payments: {"payments":[{card,payee,amount,counter,time,signature}]}. */
  @Transaction()
  @Returns('CardPaymentsResultView')
  async syncCardPayments(ctx: LianjianContext, batchJson: string): Promise<string> {
    const me = await ctx.requireRole('merchant');
    const results: SyncResult[] = [];
    for (const p of parseBatch(batchJson)) results.push(await syncOne(ctx, me, p));
    return json({ accepted: results.filter((r) => r.status === 'accepted' && !r.duplicate).length, results });
  }

  @Transaction(false)
  @Returns('MerchantRecord')
  async getMerchant(ctx: LianjianContext, id: string): Promise<string> {
    return json(await merchantFor(ctx, await ctx.requireRole(...ROLES), id, 'id'));
  }

  @Transaction(false)
  @Returns('PlanRecord')
  async getPlan(ctx: LianjianContext, id: string): Promise<string> {
    const me = await ctx.requireRole(...ROLES);
    const plan = await loadPlan(ctx, requireId(id, 'id'));
    await merchantFor(ctx, me, plan.merchant, 'id').catch(() => {
      throw notFound('id', `no plan ${id}`, 'PLAN_NOT_FOUND');
    });
    return json(plan);
  }

  @Transaction(false)
  @Returns('PrepaidContractModel')
  async getContract(ctx: LianjianContext, id: string): Promise<string> {
    return json((await contractFor(ctx, await ctx.requireRole(...ROLES), id)).c);
  }

  /** What a refund would return right now (before any time_linear accrual is settled). */
  @Transaction(false)
  @Returns('RefundQuoteView')
  async refundQuote(ctx: LianjianContext, id: string): Promise<string> {
    const { c, m } = await contractFor(ctx, await ctx.requireRole(...ROLES), id);
    const full = isFullRefund(c, m.status === 'frozen', ctx.time().getTime());
    const split = refundSplit(BigInt(c.price) - BigInt(c.released), c.nonRefundableBp, full);
    return json({ contract: c.id, status: c.status, full, refund: fen(split.refund), fee: fen(split.fee) });
  }

  /** A consumer's money the caller may see: available in wallets, locked in prepaid escrows (定向留存), per contract. */
  @Transaction(false)
  @Returns('PrepaidHoldingsView')
  async holdings(ctx: LianjianContext, consumer: string): Promise<string> {
    const me = await ctx.requireRole('consumer', 'regulator', 'auditor', 'bank');
    const who = requireText(consumer || me.handle, 'consumer', 130);
    const ids = await listJson<{ id: string }>(ctx, range('owner', who));
    const accts = (await Promise.all(ids.map((r) => readAccount(ctx, r.id)))).filter((a) => canReadAccount(me, a));
    const locked = (a: Account): boolean => a.kind === 'escrow' && !!a.program?.startsWith('prepaid:');
    const sum = (xs: Account[]): string => fen(xs.reduce((s, a) => s + BigInt(a.balance), 0n));
    return json({
      consumer: who,
      available: sum(accts.filter((a) => a.kind === 'wallet')),
      locked: sum(accts.filter(locked)),
      accounts: accts.map((a) => ({
        id: a.id,
        kind: a.kind,
        holderName: a.holderName,
        balance: a.balance,
        status: a.status,
        ...(locked(a) ? { lockedTo: a.program!.slice('prepaid:'.length) } : {}),
      })),
    });
  }

  @Transaction(false)
  @Returns('CardPaymentModel')
  async getCardPayment(ctx: LianjianContext, card: string, counter: string): Promise<string> {
    return json(await cardPaymentFor(ctx, await ctx.requireRole(...ROLES), card, counter));
  }

  /** Merchants the caller may list, each with its plans (queries.ts). */
  @Transaction(false)
  @Returns('MerchantWithPlansView[]')
  async listMerchants(ctx: LianjianContext): Promise<string> {
    const me = await ctx.requireRole('regulator', 'auditor', 'merchant', 'consumer', 'bank');
    return json(await listMerchants(ctx, me));
  }

  /** Contracts the caller may read ('' = of every merchant), with escrow balance and refund now. */
  @Transaction(false)
  @Returns('PrepaidContractView[]')
  async listContracts(ctx: LianjianContext, merchant: string): Promise<string> {
    const me = await ctx.requireRole('regulator', 'auditor', 'merchant', 'consumer');
    return json(await listContracts(ctx, me, merchant ? requireId(merchant, 'merchant') : ''));
  }
}
