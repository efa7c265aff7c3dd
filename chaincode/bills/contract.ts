/**
 * Bills (供应链票据): packages of 0.01-yuan sub-tickets, after the Shanghai Commercial Paper
 * Exchange new-generation bill system. Writes take the caller's request id first (idempotency
 * key; registration is keyed by the package number). Ranges are [from, to] sub-ticket numbers.
 */
import { Returns, Transaction } from 'fabric-contract-api';
import '../core/models';
import './models';
import { LianjianContext, LianjianContract, ROLES } from '../core/context';
import * as answer from './answer';
import { freeze, release, request, unfreeze } from './circulate';
import { cancel, present, register } from './issue';
import { today } from './ops';
import { parseTicket } from './ranges';
import { packagesOf } from './lists';
import { inbox, holdings, liable, lineage, packageMap } from './queries';
import { presentDue, presentPayment, requestRecourse } from './settle';
import { packageFor } from './access';
import { findHolding, once } from './store';
import { requireOneOf } from '../lib/validate';

const j = (v: unknown): string => JSON.stringify(v);

export class BillsContract extends LianjianContract {
  constructor() {
    super('Bills');
  }

  /** 出票登记 by the drawer (enterprise). Flags are 'true' or 'false'; dates YYYY-MM-DD; amount in fen. */
  @Transaction()
  @Returns('BillPackageRecord')
  async register(
    ctx: LianjianContext,
    pkg: string,
    acceptor: string,
    acceptorKind: string,
    payee: string,
    amount: string,
    issueDate: string,
    maturity: string,
    nonTransferable: string,
    splittable: string,
    drawerAccount: string,
  ): Promise<string> {
    const me = await ctx.requireRole('enterprise');
    return j(
      await register(ctx, me, {
        pkg,
        acceptor,
        acceptorKind,
        payee,
        amount,
        issueDate,
        maturity,
        nonTransferable,
        splittable,
        drawerAccount,
      }),
    );
  }

  /** 提示承兑: the drawer presents the package to the acceptor. */
  @Transaction()
  @Returns('BillRangeResult')
  async presentAcceptance(ctx: LianjianContext, id: string, pkg: string): Promise<string> {
    const me = await ctx.requireRole('enterprise');
    return once(ctx, me, id, ['presentAcceptance', pkg], () => present(ctx, me, pkg, 'accept'));
  }

  /** 提示收票: the drawer presents the accepted package to the payee. */
  @Transaction()
  @Returns('BillRangeResult')
  async presentReceipt(ctx: LianjianContext, id: string, pkg: string): Promise<string> {
    const me = await ctx.requireRole('enterprise');
    return once(ctx, me, id, ['presentReceipt', pkg], () => present(ctx, me, pkg, 'receive'));
  }

  /** 撤票: the drawer withdraws a package before the payee signs. */
  @Transaction()
  @Returns('BillRangeResult')
  async cancel(ctx: LianjianContext, id: string, pkg: string, reason: string): Promise<string> {
    const me = await ctx.requireRole('enterprise');
    return once(ctx, me, id, ['cancel', pkg, reason], () => cancel(ctx, me, pkg, reason));
  }

  /** 背书: the holder endorses [from, to] to an enterprise, who then signs. */
  @Transaction()
  @Returns('BillRangeResult')
  async endorse(
    ctx: LianjianContext,
    id: string,
    pkg: string,
    from: string,
    to: string,
    endorsee: string,
  ): Promise<string> {
    const me = await ctx.requireRole('enterprise', 'bank');
    return once(ctx, me, id, ['endorse', pkg, from, to, endorsee], () =>
      request(ctx, me, { op: 'endorse', requestId: id, pkg, ranges: { from, to }, counterparty: endorsee }),
    );
  }

  /**
   * 背书 of a set of ranges (JSON `[{"from","to"}]`, adjacent or not) in one request; with
   * nonTransferable 'true' the endorser writes 不得转让 on its endorsement (票据法 第三十四条).
   */
  @Transaction()
  @Returns('BillRangeResult')
  async endorseRanges(
    ctx: LianjianContext,
    id: string,
    pkg: string,
    rangesJson: string,
    endorsee: string,
    nonTransferable: string,
  ): Promise<string> {
    const me = await ctx.requireRole('enterprise', 'bank');
    const noFurther =
      requireOneOf(nonTransferable || 'false', ['true', 'false'] as const, 'nonTransferable') === 'true';
    return once(ctx, me, id, ['endorseRanges', pkg, rangesJson, endorsee, noFurther], () =>
      request(ctx, me, {
        op: 'endorse',
        requestId: id,
        pkg,
        ranges: { ranges: rangesJson },
        counterparty: endorsee,
        noFurther,
      }),
    );
  }

  /** 质押: the holder pledges [from, to] to a bank, who then signs. */
  @Transaction()
  @Returns('BillRangeResult')
  async pledge(ctx: LianjianContext, id: string, pkg: string, from: string, to: string, bank: string): Promise<string> {
    const me = await ctx.requireRole('enterprise', 'bank');
    return once(ctx, me, id, ['pledge', pkg, from, to, bank], () =>
      request(ctx, me, { op: 'pledge', requestId: id, pkg, ranges: { from, to }, counterparty: bank }),
    );
  }

  /** 贴现: the holder (enterprise) offers [from, to] to a bank at rateBp a year; the bank signs and pays. */
  @Transaction()
  @Returns('BillRangeResult')
  async discount(
    ctx: LianjianContext,
    id: string,
    pkg: string,
    from: string,
    to: string,
    bank: string,
    rateBp: string,
  ): Promise<string> {
    const me = await ctx.requireRole('enterprise');
    return once(ctx, me, id, ['discount', pkg, from, to, bank, rateBp], () =>
      request(ctx, me, { op: 'discount', requestId: id, pkg, ranges: { from, to }, counterparty: bank, rateBp }),
    );
  }

  /** 贴现 of a set of ranges in one request: one interest on their total face, one answer from the bank. */
  @Transaction()
  @Returns('BillRangeResult')
  async discountRanges(
    ctx: LianjianContext,
    id: string,
    pkg: string,
    rangesJson: string,
    bank: string,
    rateBp: string,
  ): Promise<string> {
    const me = await ctx.requireRole('enterprise');
    return once(ctx, me, id, ['discountRanges', pkg, rangesJson, bank, rateBp], () =>
      request(ctx, me, {
        op: 'discount',
        requestId: id,
        pkg,
        ranges: { ranges: rangesJson },
        counterparty: bank,
        rateBp,
      }),
    );
  }

  /** 保证: the holder asks a guarantor (enterprise or bank) to guarantee its liability on [from, to]. */
  @Transaction()
  @Returns('BillRangeResult')
  async guarantee(
    ctx: LianjianContext,
    id: string,
    pkg: string,
    from: string,
    to: string,
    guarantor: string,
  ): Promise<string> {
    const me = await ctx.requireRole('enterprise', 'bank');
    return once(ctx, me, id, ['guarantee', pkg, from, to, guarantor], () =>
      request(ctx, me, { op: 'guarantee', requestId: id, pkg, ranges: { from, to }, counterparty: guarantor }),
    );
  }

  /** Signs the request waiting on the range starting at `from` (and the other ranges of its request). */
  @Transaction()
  @Returns('BillRangeResult')
  async sign(
    ctx: LianjianContext,
    id: string,
    pkg: string,
    from: string,
    op: string,
    account: string,
  ): Promise<string> {
    const me = await ctx.requireRole('enterprise', 'bank');
    return once(ctx, me, id, ['sign', pkg, from, op, account], () => answer.sign(ctx, me, { pkg, from, op, account }));
  }

  /** Refuses it (拒绝承兑, 驳回, 拒付 → dishonored, ...). */
  @Transaction()
  @Returns('BillRangeResult')
  async reject(
    ctx: LianjianContext,
    id: string,
    pkg: string,
    from: string,
    op: string,
    reason: string,
  ): Promise<string> {
    const me = await ctx.requireRole('enterprise', 'bank');
    return once(ctx, me, id, ['reject', pkg, from, op, reason], () =>
      answer.reject(ctx, me, { pkg, from, op, reason }),
    );
  }

  /** The requester withdraws its unanswered request. */
  @Transaction()
  @Returns('BillRangeResult')
  async revoke(ctx: LianjianContext, id: string, pkg: string, from: string, op: string): Promise<string> {
    const me = await ctx.requireRole('enterprise', 'bank');
    return once(ctx, me, id, ['revoke', pkg, from, op], () => answer.revoke(ctx, me, { pkg, from, op }));
  }

  /** 解质押 by the pledgee. */
  @Transaction()
  @Returns('BillRangeResult')
  async release(ctx: LianjianContext, id: string, pkg: string, from: string, to: string): Promise<string> {
    const me = await ctx.requireRole('bank');
    return once(ctx, me, id, ['release', pkg, from, to], () => release(ctx, me, pkg, { from, to }));
  }

  /** 提示付款 by the holder (or the pledgee of a pledged range), on or after maturity. */
  @Transaction()
  @Returns('BillRangeResult')
  async presentPayment(ctx: LianjianContext, id: string, pkg: string, from: string, to: string): Promise<string> {
    const me = await ctx.requireRole('enterprise', 'bank');
    return once(ctx, me, id, ['presentPayment', pkg, from, to], () =>
      presentPayment(ctx, me, { requestId: id, pkg, ranges: { from, to }, day: today(ctx) }),
    );
  }

  /** 提示付款 of a set of ranges in one request; the acceptor pays or refuses them as one. */
  @Transaction()
  @Returns('BillRangeResult')
  async presentPaymentRanges(ctx: LianjianContext, id: string, pkg: string, rangesJson: string): Promise<string> {
    const me = await ctx.requireRole('enterprise', 'bank');
    return once(ctx, me, id, ['presentPaymentRanges', pkg, rangesJson], () =>
      presentPayment(ctx, me, { requestId: id, pkg, ranges: { ranges: rangesJson }, day: today(ctx) }),
    );
  }

  /** 自动提示付款: a party or supervisor, on or after maturity; also marks unanswered presentments dishonored. */
  @Transaction()
  @Returns('PresentDueResultView')
  async presentDue(ctx: LianjianContext, pkg: string): Promise<string> {
    const me = await ctx.requireRole(...ROLES);
    return j(await presentDue(ctx, me, pkg, today(ctx)));
  }

  /** 追索: the creditor of a dishonored range claims its face from a liable party (`against`). */
  @Transaction()
  @Returns('BillRangeResult')
  async recourse(
    ctx: LianjianContext,
    id: string,
    pkg: string,
    from: string,
    to: string,
    against: string,
  ): Promise<string> {
    const me = await ctx.requireRole('enterprise', 'bank');
    return once(ctx, me, id, ['recourse', pkg, from, to, against], () =>
      requestRecourse(ctx, me, { pkg, from, to, against, day: today(ctx) }),
    );
  }

  /** 冻结 by a court (under its order: `order` is the 裁定书 number) or a regulator ('' = its own decision). */
  @Transaction()
  @Returns('BillRangeResult')
  async freeze(
    ctx: LianjianContext,
    id: string,
    pkg: string,
    from: string,
    to: string,
    order: string,
    reason: string,
  ): Promise<string> {
    const me = await ctx.requireRole('court', 'regulator');
    return once(ctx, me, id, ['freeze', pkg, from, to, order, reason], () =>
      freeze(ctx, me, { pkg, from, to, order, reason }),
    );
  }

  /** 解冻 of the frozen range starting at `from`, by the authority that froze it. */
  @Transaction()
  @Returns('BillRangeResult')
  async unfreeze(ctx: LianjianContext, id: string, pkg: string, from: string, reason: string): Promise<string> {
    const me = await ctx.requireRole('court', 'regulator');
    return once(ctx, me, id, ['unfreeze', pkg, from, reason], () => unfreeze(ctx, me, pkg, from, reason));
  }

  @Transaction(false)
  @Returns('BillPackageRecord')
  async getPackage(ctx: LianjianContext, pkg: string): Promise<string> {
    return j(await packageFor(ctx, await ctx.requireRole(...ROLES), pkg));
  }

  @Transaction(false)
  @Returns('BillPackageMapView')
  async packageMap(ctx: LianjianContext, pkg: string): Promise<string> {
    return j(await packageMap(ctx, await ctx.requireRole(...ROLES), pkg));
  }

  /**
   * A member's live holdings (own; any for regulator, auditor, court), optionally of one package:
   * `limit` ranges a page ('' = 100, at most 1000); the first page (bookmark '') has the totals.
   */
  @Transaction(false)
  @Returns('BillHoldingsView')
  async holdings(ctx: LianjianContext, holder: string, pkg: string, bookmark: string, limit: string): Promise<string> {
    return j(await holdings(ctx, await ctx.requireRole(...ROLES), { holder, pkg, bookmark, limit }));
  }

  /** Every action that carried sub-ticket `ticket`. */
  @Transaction(false)
  @Returns('BillLineageView')
  async lineage(ctx: LianjianContext, pkg: string, ticket: string): Promise<string> {
    return j(await lineage(ctx, await ctx.requireRole(...ROLES), pkg, ticket));
  }

  @Transaction(false)
  @Returns('BillInboxView')
  async inbox(ctx: LianjianContext, member: string): Promise<string> {
    return j(await inbox(ctx, await ctx.requireRole(...ROLES), member));
  }

  /** Who the range holding sub-ticket `ticket` may claim recourse against. */
  @Transaction(false)
  @Returns('BillLiableView')
  async liable(ctx: LianjianContext, pkg: string, ticket: string): Promise<string> {
    const me = await ctx.requireRole(...ROLES);
    const p = await packageFor(ctx, me, pkg);
    return j(
      await liable(ctx, me, pkg, await findHolding(ctx, p.pkg, parseTicket(ticket, 'ticket', Number(p.amount)))),
    );
  }

  /** The packages the caller may read (its own; every one for regulators, auditors, courts), with totals. */
  @Transaction(false)
  @Returns('BillPackageSummaryView[]')
  async listPackages(ctx: LianjianContext): Promise<string> {
    return j(await packagesOf(ctx, await ctx.requireRole(...ROLES)));
  }
}
