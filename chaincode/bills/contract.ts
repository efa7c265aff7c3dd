/**
 * Bills (供应链票据): packages of 0.01-yuan sub-tickets, after the Shanghai Commercial Paper
 * Exchange new-generation bill system. Writes take the caller's request id first (idempotency
 * key; registration is keyed by the package number). Ranges are [from, to] sub-ticket numbers.
 */
import { Transaction } from 'fabric-contract-api';
import { LianjianContext, LianjianContract, ROLES } from '../core/context';
import * as answer from './answer';
import { freeze, release, request, unfreeze } from './circulate';
import { cancel, present, register } from './issue';
import { today } from './ops';
import { parseTicket } from './ranges';
import { packagesOf } from './lists';
import { inbox, holdings, liable, lineage, packageMap, readablePackage } from './queries';
import { presentDue, presentPayment, requestRecourse } from './settle';
import { findHolding, loadPackage, once } from './store';

const j = (v: unknown) => JSON.stringify(v);

export class BillsContract extends LianjianContract {
  constructor() {
    super('Bills');
  }

  /** 出票登记 by the drawer (enterprise). Flags are 'true' or 'false'; dates YYYY-MM-DD; amount in fen. */
  @Transaction()
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
  async presentAcceptance(ctx: LianjianContext, id: string, pkg: string): Promise<string> {
    const me = await ctx.requireRole('enterprise');
    return once(ctx, me, id, ['presentAcceptance', pkg], () => present(ctx, me, pkg, 'accept'));
  }

  /** 提示收票: the drawer presents the accepted package to the payee. */
  @Transaction()
  async presentReceipt(ctx: LianjianContext, id: string, pkg: string): Promise<string> {
    const me = await ctx.requireRole('enterprise');
    return once(ctx, me, id, ['presentReceipt', pkg], () => present(ctx, me, pkg, 'receive'));
  }

  /** 撤票: the drawer withdraws a package before the payee signs. */
  @Transaction()
  async cancel(ctx: LianjianContext, id: string, pkg: string, reason: string): Promise<string> {
    const me = await ctx.requireRole('enterprise');
    return once(ctx, me, id, ['cancel', pkg, reason], () => cancel(ctx, me, pkg, reason));
  }

  /** 背书: the holder endorses [from, to] to an enterprise, who then signs. */
  @Transaction()
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
      request(ctx, me, 'endorse', pkg, from, to, endorsee),
    );
  }

  /** 质押: the holder pledges [from, to] to a bank, who then signs. */
  @Transaction()
  async pledge(ctx: LianjianContext, id: string, pkg: string, from: string, to: string, bank: string): Promise<string> {
    const me = await ctx.requireRole('enterprise', 'bank');
    return once(ctx, me, id, ['pledge', pkg, from, to, bank], () => request(ctx, me, 'pledge', pkg, from, to, bank));
  }

  /** 贴现: the holder (enterprise) offers [from, to] to a bank at rateBp a year; the bank signs and pays. */
  @Transaction()
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
      request(ctx, me, 'discount', pkg, from, to, bank, rateBp),
    );
  }

  /** 保证: the holder asks a guarantor (enterprise or bank) to guarantee its liability on [from, to]. */
  @Transaction()
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
      request(ctx, me, 'guarantee', pkg, from, to, guarantor),
    );
  }

  /** Signs the request waiting on the range starting at `from`; `op` names it; `account` receives or pays. */
  @Transaction()
  async sign(
    ctx: LianjianContext,
    id: string,
    pkg: string,
    from: string,
    op: string,
    account: string,
  ): Promise<string> {
    const me = await ctx.requireRole('enterprise', 'bank');
    return once(ctx, me, id, ['sign', pkg, from, op, account], () => answer.sign(ctx, me, pkg, from, op, account));
  }

  /** Refuses it (拒绝承兑, 驳回, 拒付 → dishonored, ...). */
  @Transaction()
  async reject(
    ctx: LianjianContext,
    id: string,
    pkg: string,
    from: string,
    op: string,
    reason: string,
  ): Promise<string> {
    const me = await ctx.requireRole('enterprise', 'bank');
    return once(ctx, me, id, ['reject', pkg, from, op, reason], () => answer.reject(ctx, me, pkg, from, op, reason));
  }

  /** The requester withdraws its unanswered request. */
  @Transaction()
  async revoke(ctx: LianjianContext, id: string, pkg: string, from: string, op: string): Promise<string> {
    const me = await ctx.requireRole('enterprise', 'bank');
    return once(ctx, me, id, ['revoke', pkg, from, op], () => answer.revoke(ctx, me, pkg, from, op));
  }

  /** 解质押 by the pledgee. */
  @Transaction()
  async release(ctx: LianjianContext, id: string, pkg: string, from: string, to: string): Promise<string> {
    const me = await ctx.requireRole('bank');
    return once(ctx, me, id, ['release', pkg, from, to], () => release(ctx, me, pkg, from, to));
  }

  /** 提示付款 by the holder (or the pledgee of a pledged range), on or after maturity. */
  @Transaction()
  async presentPayment(ctx: LianjianContext, id: string, pkg: string, from: string, to: string): Promise<string> {
    const me = await ctx.requireRole('enterprise', 'bank');
    return once(ctx, me, id, ['presentPayment', pkg, from, to], () =>
      presentPayment(ctx, me, pkg, from, to, today(ctx)),
    );
  }

  /** 自动提示付款: anyone, on or after maturity; also marks unanswered presentments dishonored. */
  @Transaction()
  async presentDue(ctx: LianjianContext, pkg: string): Promise<string> {
    const me = await ctx.requireRole(...ROLES);
    return j(await presentDue(ctx, me, pkg, today(ctx)));
  }

  /** 追索: the creditor of a dishonored range claims its face from a liable party (`against`). */
  @Transaction()
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
      requestRecourse(ctx, me, pkg, from, to, against, today(ctx)),
    );
  }

  /** 冻结 by a court or regulator. */
  @Transaction()
  async freeze(
    ctx: LianjianContext,
    id: string,
    pkg: string,
    from: string,
    to: string,
    reason: string,
  ): Promise<string> {
    const me = await ctx.requireRole('court', 'regulator');
    return once(ctx, me, id, ['freeze', pkg, from, to, reason], () => freeze(ctx, me, pkg, from, to, reason));
  }

  /** 解冻 of the frozen range starting at `from`. */
  @Transaction()
  async unfreeze(ctx: LianjianContext, id: string, pkg: string, from: string, reason: string): Promise<string> {
    const me = await ctx.requireRole('court', 'regulator');
    return once(ctx, me, id, ['unfreeze', pkg, from, reason], () => unfreeze(ctx, me, pkg, from, reason));
  }

  @Transaction(false)
  async getPackage(ctx: LianjianContext, pkg: string): Promise<string> {
    return j(await readablePackage(ctx, await ctx.requireRole(...ROLES), pkg));
  }

  @Transaction(false)
  async packageMap(ctx: LianjianContext, pkg: string): Promise<string> {
    return j(await packageMap(ctx, await ctx.requireRole(...ROLES), pkg));
  }

  /**
   * A member's live holdings (own; any for regulator, auditor, court), optionally of one package:
   * `limit` ranges a page ('' = 100, at most 1000); the first page (bookmark '') has the totals.
   */
  @Transaction(false)
  async holdings(ctx: LianjianContext, holder: string, pkg: string, bookmark: string, limit: string): Promise<string> {
    return j(await holdings(ctx, await ctx.requireRole(...ROLES), holder, pkg, bookmark, limit));
  }

  /** Every action that carried sub-ticket `ticket`. */
  @Transaction(false)
  async lineage(ctx: LianjianContext, pkg: string, ticket: string): Promise<string> {
    return j(await lineage(ctx, await ctx.requireRole(...ROLES), pkg, ticket));
  }

  @Transaction(false)
  async inbox(ctx: LianjianContext, member: string): Promise<string> {
    return j(await inbox(ctx, await ctx.requireRole(...ROLES), member));
  }

  /** Who the range holding sub-ticket `ticket` may claim recourse against. */
  @Transaction(false)
  async liable(ctx: LianjianContext, pkg: string, ticket: string): Promise<string> {
    const me = await ctx.requireRole(...ROLES);
    const p = await loadPackage(ctx, pkg);
    return j(
      await liable(ctx, me, pkg, await findHolding(ctx, p.pkg, parseTicket(ticket, 'ticket', Number(p.amount)))),
    );
  }

  /** The packages the caller may read (its own; every one for regulators, auditors, courts), with totals. */
  @Transaction(false)
  async listPackages(ctx: LianjianContext): Promise<string> {
    return j(await packagesOf(ctx, await ctx.requireRole(...ROLES)));
  }
}
