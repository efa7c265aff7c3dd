/**
 * Who may see and act on accounts, decided here for every contract (docs/access.md):
 * - the owner reads and moves its own account;
 * - a bank (or its oracle) reads only the accounts its org keeps (`account.bank`);
 * - regulators and auditors read every account by mandate (监管/审计), and move none;
 * - a court reads an account it holds under a freeze order.
 * Whoever may not read an account gets the same answer as for an id that does not exist.
 */
import { forbidden, LedgerError, notFound } from '../lib/errors';
import { requireId } from '../lib/validate';
import { Account, readAccount } from './account';
import type { LianjianContext, Member, Role } from './context';

/** Roles that read what they supervise across every org, by mandate (written down in docs/access.md). */
export const MANDATE_ROLES: readonly Role[] = ['regulator', 'auditor'];

/** Whether `m` reads by mandate (regulator, auditor). */
export const hasMandate = (m: Member): boolean => MANDATE_ROLES.some((r) => m.roles.includes(r));

/** Whether `m` is a bank or oracle of the org that keeps the account. */
export const isAccountBank = (m: Member, a: Account): boolean =>
  m.mspId === a.bank && (m.roles.includes('bank') || m.roles.includes('oracle'));

/** Whether `m` may read account `a`. */
export function canReadAccount(m: Member, a: Account): boolean {
  return (
    m.handle === a.owner ||
    isAccountBank(m, a) ||
    hasMandate(m) ||
    (m.roles.includes('court') && (a.freezes ?? []).some((f) => f.by === m.handle))
  );
}

/** "No such account": the one answer for missing and unreadable ids alike. */
export const accountNotFound = (id: string, field: string): LedgerError =>
  notFound(field, `no account ${id}`, 'ACCOUNT_NOT_FOUND');

/**
 * The account if `me` may read it.
 * @throws LedgerError 404 ACCOUNT_NOT_FOUND when it does not exist or `me` may not read it
 */
export async function accountFor(ctx: LianjianContext, me: Member, id: unknown, field = 'account'): Promise<Account> {
  const a = await readAccount(ctx, requireId(id, field), field);
  if (!canReadAccount(me, a)) throw accountNotFound(a.id, field);
  return a;
}

/**
 * An account `me` owns (to pay from it, or to name it as its own).
 * @throws LedgerError 404 ACCOUNT_NOT_FOUND (not readable), 403 NOT_ACCOUNT_OWNER (readable, someone else's)
 */
export async function ownedAccount(ctx: LianjianContext, me: Member, id: unknown, field = 'account'): Promise<Account> {
  const a = await accountFor(ctx, me, id, field);
  if (a.owner !== me.handle) throw forbidden(`${me.handle} does not own account ${a.id}`, 'NOT_ACCOUNT_OWNER', field);
  return a;
}

/**
 * An account kept by the bank `me` works for (to close it, declare its tier, bind a card).
 * @throws LedgerError 404 ACCOUNT_NOT_FOUND (not readable), 403 NOT_ACCOUNT_BANK (readable by mandate)
 */
export async function keptAccount(ctx: LianjianContext, me: Member, id: unknown, field = 'account'): Promise<Account> {
  const a = await accountFor(ctx, me, id, field);
  if (!(me.roles.includes('bank') && me.mspId === a.bank))
    throw forbidden(`account ${a.id} is kept by another bank`, 'NOT_ACCOUNT_BANK', field);
  return a;
}
