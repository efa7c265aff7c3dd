/**
 * Who may see and act on a bill package, decided here for every transaction (docs/access.md):
 * its parties (drawer, acceptor, payee, and everyone a request named since: endorsees, banks,
 * guarantors, recourse debtors) and the supervising roles (regulators and auditors by mandate,
 * courts, who freeze bill ranges). Anyone else is told the package does not exist, alike for
 * missing and unreadable numbers, and so learns nothing of its drawer, maturity or amounts.
 */
import type { LianjianContext, Member, Role } from '../core/context';
import { notFound } from '../lib/errors';
import { requireId } from '../lib/validate';
import type { BillPackage } from './model';
import { isParty, loadPackage } from './store';

export const SUPERVISORS: readonly Role[] = ['regulator', 'auditor', 'court'];

/** Whether `m` reads every package by mandate (regulator, auditor) or office (court). */
export const supervises = (m: Member): boolean => SUPERVISORS.some((r) => m.roles.includes(r));

/** Whether `me` may read package `p`: a party to it, or supervising. */
export async function canReadPackage(ctx: LianjianContext, me: Member, p: BillPackage): Promise<boolean> {
  return supervises(me) || isParty(ctx, p.pkg, me.handle);
}

/**
 * The package if `me` is a party to it or supervises.
 * @throws LedgerError 404 BILL_NOT_FOUND alike for missing and unreadable packages
 */
export async function packageFor(ctx: LianjianContext, me: Member, pkg: string, field = 'pkg'): Promise<BillPackage> {
  const p = await loadPackage(ctx, requireId(pkg, field)).catch(() => undefined);
  if (!p || !(await canReadPackage(ctx, me, p))) throw notFound(field, `no bill package ${pkg}`, 'BILL_NOT_FOUND');
  return p;
}
