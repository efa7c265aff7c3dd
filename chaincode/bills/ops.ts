/** Helpers every bill operation shares: dates, accounts, money legs, recording. */
import type { LianjianContext, Member, Role } from '../core/context';
import { ownedAccount } from '../core/access';
import { memberByHandle } from '../core/identity';
import { Account, moveLots, readAccount, requireUsable } from '../core/lots';
import { forbidden, rejected } from '../lib/errors';
import { fen } from '../lib/money';
import { requireText } from '../lib/validate';
import { billColor, BillPackage, BillRange, PendingOp } from './model';
import { faceOf } from './ranges';
import { chinaDay } from '../lib/china-time';
import { addParty, logEvent } from './store';

export const today = (ctx: LianjianContext): string => chinaDay(ctx.time());

/** A member named by handle who must hold one of `roles`. */
export async function partyWithRole(
  ctx: LianjianContext,
  handle: unknown,
  field: string,
  ...roles: Role[]
): Promise<Member> {
  const m = await memberByHandle(ctx, requireText(handle, field, 130), field);
  if (!roles.some((r) => m.roles.includes(r)))
    throw rejected(`${field} ${m.handle} must have the role ${roles.join(' or ')}`, 'PARTY_ROLE_REQUIRED', field);
  return m;
}

/** An account the caller owns and may use in `direction` (supervised accounts pay only by release). */
export async function ownAccount(
  ctx: LianjianContext,
  me: Member,
  id: unknown,
  field: string,
  direction: 'debit' | 'credit',
): Promise<Account> {
  const a = await ownedAccount(ctx, me, id, field);
  requireUsable(a, field, direction);
  if (direction === 'debit' && a.program)
    throw forbidden(`account ${a.id} is supervised by program ${a.program}`, 'SUPERVISED_ACCOUNT', field);
  return a;
}

/** One bill money leg: the face of `range` (or `amount`) from an account the payer owns to `to`. */
export interface BillLeg {
  from: Account;
  to: string;
  range: BillRange;
  kind: string;
  amount?: bigint;
}

/** Pays a bill leg through the money core, recolored to the bill. */
export async function payLeg(ctx: LianjianContext, l: BillLeg): Promise<{ from: string; to: string; amount: string }> {
  const amount = l.amount ?? faceOf(l.range);
  const leg = { from: l.from.id, to: l.to, amount: fen(amount) };
  // One party on both sides (a bank discounting its own acceptance), or nothing left to pay: nothing moves.
  if (l.from.id === l.to || amount === 0n) return leg;
  const to = await readAccount(ctx, l.to, 'account');
  requireUsable(to, 'account', 'credit');
  const r = l.range;
  await moveLots(ctx, {
    from: l.from,
    to,
    amount,
    kind: l.kind,
    ref: `${r.pkg}:${r.start}-${r.end}`,
    recolor: billColor(r.pkg),
  });
  return leg;
}

export function requireBefore(pkg: BillPackage, day: string, what: string): void {
  if (day >= pkg.maturity)
    throw rejected(`${what} must happen before maturity ${pkg.maturity} (today is ${day})`, 'AFTER_MATURITY', 'pkg');
}

export function requireTransferable(pkg: BillPackage, what: string): void {
  if (pkg.nonTransferable)
    throw rejected(
      `package ${pkg.pkg} is marked 不得转让 (non-transferable); no ${what}`,
      'BILL_NOT_TRANSFERABLE',
      'pkg',
    );
}

export function requireNoPending(r: BillRange): void {
  if (r.pending)
    throw rejected(
      `[${r.start}, ${r.end}] of ${r.pkg} waits for ${r.pending.to} to answer a ${r.pending.op}`,
      'RANGE_BUSY',
      'from',
    );
}

export function requireState(r: BillRange, allowed: BillRange['state'][], what: string): void {
  if (!allowed.includes(r.state))
    throw rejected(`cannot ${what} [${r.start}, ${r.end}] of ${r.pkg}: it is ${r.state}`, 'RANGE_STATE', 'from');
}

/** Who collects on a range: the pledgee while pledged (质权人收款), else the holder. */
export const creditor = (r: BillRange): { who: string; account: string } =>
  r.pledgee ? { who: r.pledgee, account: r.pledgeeAccount! } : { who: r.holder, account: r.account };

/** Records an action: the package's event log (lineage), a domain event, the counterparty as a party. */
export async function record(
  ctx: LianjianContext,
  type: string,
  r: BillRange,
  by: string,
  extra: { to?: string; accounts?: string[]; op?: PendingOp; [k: string]: unknown } = {},
): Promise<void> {
  const { accounts, ...rest } = extra;
  await logEvent(ctx, r.seq ?? 0, { type, pkg: r.pkg, start: r.start, end: r.end, by, ...rest });
  ctx.emit({ type, accounts: accounts ?? [], pkg: r.pkg, start: r.start, end: r.end, by, ...rest });
  if (extra.to) await addParty(ctx, r.pkg, extra.to);
}

/** What every range operation returns of a range. */
export interface RangeView {
  pkg: string;
  from: number;
  to: number;
  holder: string;
  state: BillRange['state'];
  pending?: BillRange['pending'];
  [more: string]: unknown;
}

/** The result every range operation returns. */
export const view = (r: BillRange, more: Record<string, unknown> = {}): RangeView => ({
  pkg: r.pkg,
  from: r.start,
  to: r.end,
  holder: r.holder,
  state: r.state,
  pending: r.pending,
  ...more,
});
