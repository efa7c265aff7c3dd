/**
 * Freezes (冻结) of accounts and bill ranges: imposed by a court or a regulator under a recorded
 * order, and lifted only by the authority that imposed it (a court's freeze by that court). One
 * rule for every frozen thing: who may impose, who may lift.
 */
import { forbidden, rejected } from '../lib/errors';
import { requireId, requireText } from '../lib/validate';
import type { Freeze } from './account';
import type { LianjianContext, Member } from './context';

/** Courts and regulators freeze; a court acts under its own order, a regulator under its decision. */
export function freezeAuthority(me: Member): Freeze['authority'] {
  if (me.roles.includes('court')) return 'court';
  if (me.roles.includes('regulator')) return 'regulator';
  throw forbidden(`${me.handle} may not freeze: a court or a regulator does`, 'ROLE_REQUIRED');
}

/** The order a regulator's own freeze is recorded under when it names none. */
export const regulatorOrder = (me: Member): string => `reg.${me.name}`;

/**
 * The order a freeze (or its lifting) names: a court names its order (裁定书 number); a
 * regulator may leave it '' for its own standing order.
 */
export const orderOf = (me: Member, order: string): string =>
  requireId(order || (freezeAuthority(me) === 'regulator' ? regulatorOrder(me) : ''), 'order');

/** A new freeze by `me`, validated. */
export function newFreeze(ctx: LianjianContext, me: Member, order: string, reason: string): Freeze {
  const authority = freezeAuthority(me);
  return {
    order: orderOf(me, order),
    by: me.handle,
    authority,
    reason: requireText(reason, 'reason', 512),
    since: ctx.time().toISOString(),
    txId: ctx.stub.getTxID(),
  };
}

/**
 * Only the authority that imposed a freeze lifts it.
 * @throws LedgerError 403 NOT_FREEZE_AUTHORITY
 */
export function requireLifter(me: Member, f: Pick<Freeze, 'by' | 'order'>, field: string): void {
  if (f.by !== me.handle)
    throw forbidden(
      `the freeze under order ${f.order} was imposed by ${f.by}; only that authority lifts it`,
      'NOT_FREEZE_AUTHORITY',
      field,
    );
}

/**
 * The order `order` among `freezes`.
 * @throws LedgerError 422 FREEZE_NOT_FOUND
 */
export function findFreeze(freezes: Freeze[], order: string, field = 'order'): Freeze {
  const f = freezes.find((x) => x.order === order);
  if (!f) throw rejected(`no freeze under order ${order}`, 'FREEZE_NOT_FOUND', field);
  return f;
}
