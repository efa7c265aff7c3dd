/**
 * Issuance: 出票登记 → 提示承兑 → 承兑 → 提示收票 → 签收, or 撤票 before receipt. Until the
 * payee signs, the package is one range [1, N] held by the drawer.
 */
import type { LianjianContext, Member } from '../core/context';
import { getJson, putJson } from '../core/state';
import { conflict, invalid, rejected } from '../lib/errors';
import { fen, parseFen } from '../lib/money';
import { requireId, requireOneOf, requireText } from '../lib/validate';
import { AcceptorKind, BillPackage, BillRange, pkgKey, rangeKey } from './model';
import { ownAccount, partyWithRole, record, requireBefore, requireNoPending, today, view } from './ops';
import { ticketCount } from './ranges';
import { checkTerm, parseDate } from './rules';
import { packageFor } from './access';
import { addParty, putRange, requireLive } from './store';

const parseFlag = (v: unknown, field: string): boolean => requireOneOf(v, ['true', 'false'] as const, field) === 'true';

export interface Registration {
  pkg: string;
  acceptor: string;
  acceptorKind: string;
  payee: string;
  amount: string;
  issueDate: string;
  maturity: string;
  nonTransferable: string;
  splittable: string;
  drawerAccount: string;
}

/** 出票登记: the drawer (caller) registers a package; replaying the same registration is a no-op. */
export async function register(ctx: LianjianContext, me: Member, a: Registration): Promise<BillPackage> {
  const pkg = requireId(a.pkg, 'pkg');
  const kind: AcceptorKind = requireOneOf(a.acceptorKind, ['enterprise', 'bank'] as const, 'acceptorKind');
  const amount = parseFen(a.amount, 'amount');
  ticketCount(amount);
  const issueDate = parseDate(a.issueDate, 'issueDate');
  const maturity = parseDate(a.maturity, 'maturity');
  const rec: Omit<BillPackage, 'registeredTx' | 'status'> = {
    pkg,
    drawer: me.handle,
    drawerAccount: requireId(a.drawerAccount, 'drawerAccount'),
    acceptor: requireText(a.acceptor, 'acceptor', 130),
    acceptorKind: kind,
    payee: requireText(a.payee, 'payee', 130),
    amount: fen(amount),
    issueDate,
    maturity,
    nonTransferable: parseFlag(a.nonTransferable, 'nonTransferable'),
    splittable: parseFlag(a.splittable, 'splittable'),
  };
  const prev = await getJson<BillPackage>(ctx, pkgKey(pkg));
  if (prev) {
    const { registeredTx: _t, status: _s, acceptorAccount: _a, ...same } = prev;
    if (JSON.stringify(same) === JSON.stringify(rec)) return prev;
    throw conflict(`bill package ${pkg} is already registered with other values`, 'IDEMPOTENCY_CONFLICT', 'pkg');
  }
  checkTerm(issueDate, maturity, today(ctx));
  await partyWithRole(ctx, rec.acceptor, 'acceptor', kind);
  await partyWithRole(ctx, rec.payee, 'payee', 'enterprise');
  if (rec.payee === me.handle) throw invalid('payee', 'the payee must not be the drawer', 'PAYEE_IS_DRAWER');
  await ownAccount(ctx, me, rec.drawerAccount, 'drawerAccount', 'credit');
  const p: BillPackage = { ...rec, status: 'registered', registeredTx: ctx.stub.getTxID() };
  await putJson(ctx, pkgKey(pkg), p);
  const whole: BillRange = {
    pkg,
    start: 1,
    end: Number(amount),
    holder: me.handle,
    account: rec.drawerAccount,
    state: 'draft',
    priors: [],
    guarantors: [],
  };
  await putRange(ctx, whole);
  for (const h of [me.handle, rec.acceptor, rec.payee]) await addParty(ctx, pkg, h);
  await record(ctx, 'BillRegistered', whole, me.handle, { accounts: [rec.drawerAccount], amount: p.amount, maturity });
  return p;
}

/** The package's single pre-receipt range, held by the drawer (caller). */
async function drawerRange(
  ctx: LianjianContext,
  me: Member,
  pkgId: string,
): Promise<{ pkg: BillPackage; r: BillRange }> {
  const pkg = await packageFor(ctx, me, pkgId);
  if (pkg.drawer !== me.handle) throw rejected('only the drawer may do this', 'NOT_DRAWER', 'pkg');
  const r = (await getJson<BillRange>(ctx, rangeKey(pkg.pkg, 1)))!;
  requireLive(r, 'pkg');
  return { pkg, r };
}

/** 提示承兑 (op 'accept') or 提示收票 (op 'receive'): the drawer asks the acceptor or the payee to sign. */
export async function present(
  ctx: LianjianContext,
  me: Member,
  pkgId: string,
  op: 'accept' | 'receive',
): Promise<object> {
  const { pkg, r } = await drawerRange(ctx, me, pkgId);
  const day = today(ctx);
  requireBefore(pkg, day, op === 'accept' ? 'presentment for acceptance' : 'presentment for receipt');
  requireNoPending(r);
  const need = op === 'accept' ? 'draft' : 'accepted';
  if (r.state !== need)
    throw rejected(
      `package ${pkg.pkg} is ${r.state}; ${op === 'accept' ? 'acceptance' : 'receipt'} needs ${need}`,
      'RANGE_STATE',
      'pkg',
    );
  const to = op === 'accept' ? pkg.acceptor : pkg.payee;
  const next: BillRange = { ...r, pending: { op, to, by: me.handle, since: day } };
  await putRange(ctx, next, r);
  await record(ctx, op === 'accept' ? 'BillPresentedForAcceptance' : 'BillPresentedForReceipt', next, me.handle, {
    to,
  });
  return view(next);
}

/** 撤票: the drawer withdraws a package the payee has not signed for. */
export async function cancel(ctx: LianjianContext, me: Member, pkgId: string, reason: string): Promise<object> {
  requireText(reason, 'reason', 512);
  const { pkg, r } = await drawerRange(ctx, me, pkgId);
  if (r.state !== 'draft' && r.state !== 'accepted')
    throw rejected(
      `package ${pkg.pkg} is ${r.state}; only a package not yet received can be cancelled`,
      'RANGE_STATE',
      'pkg',
    );
  const next: BillRange = { ...r, state: 'cancelled', pending: undefined };
  await putRange(ctx, next, r);
  await putJson(ctx, pkgKey(pkg.pkg), { ...pkg, status: 'cancelled' });
  await record(ctx, 'BillCancelled', next, me.handle, { reason });
  return view(next);
}
