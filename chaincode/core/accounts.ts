/**
 * Account lifecycle: a bank opens an account for a registered member (for a member of another
 * org only with that member's consent), courts and regulators freeze it under recorded orders,
 * the owner consents or declines, the bank closes it at zero balance.
 */
import { conflict, forbidden, rejected } from '../lib/errors';
import { requireId, requireOneOf, requireText } from '../lib/validate';
import { Account, ACCOUNT_KINDS, accountKey, AccountStatus, readAccount, saveAccount } from './account';
import { accountFor, keptAccount } from './access';
import type { LianjianContext, Member } from './context';
import { findFreeze, newFreeze, orderOf, requireLifter } from './freeze';
import { memberByHandle } from './identity';
import { delKey, getJson, key, putJson } from './state';

export interface OpenRequest {
  id: string;
  kind: string;
  owner: string;
  offChainRef: string;
  holderName: string; // '' = the owner's member name
}

/** A member's standing consent that a bank of `bank` (MSP id) opens its accounts without asking each time. */
const consentKey = (owner: string, bank: string): string => key('bankconsent', owner, bank);

/**
 * A bank opens an account for a registered member. For a member of another org the account
 * stays `pending` until the owner consents (or has authorised the bank beforehand). Replaying
 * the same opening returns the account.
 * @throws LedgerError 409 ACCOUNT_EXISTS when the id is taken with other values
 */
export async function openAccount(ctx: LianjianContext, bank: Member, r: OpenRequest): Promise<Account> {
  requireId(r.id, 'id');
  const kind = requireOneOf(r.kind, ACCOUNT_KINDS, 'kind');
  const owner = await memberByHandle(ctx, requireText(r.owner, 'owner', 130), 'owner');
  requireText(r.offChainRef, 'offChainRef', 128);
  const holderName = r.holderName ? requireText(r.holderName, 'holderName', 128) : owner.name;
  const prev = await getJson<Account>(ctx, accountKey(r.id));
  if (prev) {
    const same =
      prev.kind === kind &&
      prev.owner === owner.handle &&
      prev.bank === bank.mspId &&
      prev.offChainRef === r.offChainRef &&
      prev.holderName === holderName;
    if (same) return prev;
    throw conflict(`account ${r.id} already exists`, 'ACCOUNT_EXISTS', 'id');
  }
  const consented = owner.mspId === bank.mspId || !!(await getJson(ctx, consentKey(owner.handle, bank.mspId)));
  const acct: Account = {
    id: r.id,
    kind,
    owner: owner.handle,
    holderName,
    holderOrg: owner.mspId,
    bank: bank.mspId,
    offChainRef: r.offChainRef,
    status: consented ? 'active' : 'pending',
    balance: '0',
    lotSeq: 0,
    histSeq: 0,
    openedTx: ctx.stub.getTxID(),
  };
  await saveAccount(ctx, acct);
  await putJson(ctx, key('owner', owner.handle, acct.id), { id: acct.id });
  ctx.emit({
    type: 'AccountOpened',
    accounts: [acct.id],
    kind,
    owner: owner.handle,
    holderName,
    bank: bank.mspId,
    status: acct.status,
  });
  return acct;
}

/**
 * The owner answers a bank of another org: 'accept' activates the pending account, 'decline'
 * closes it. Repeating the answer changes nothing.
 * @throws LedgerError 422 ACCOUNT_NOT_PENDING when it was already answered otherwise
 */
export async function answerAccount(ctx: LianjianContext, me: Member, id: string, decision: string): Promise<Account> {
  const d = requireOneOf(decision, ['accept', 'decline'] as const, 'decision');
  const acct = await accountFor(ctx, me, id, 'id');
  if (acct.owner !== me.handle)
    throw forbidden(`only the owner answers for account ${acct.id}`, 'NOT_ACCOUNT_OWNER', 'id');
  const target: AccountStatus = d === 'accept' ? 'active' : 'closed';
  if (acct.status === target) return acct;
  if (acct.status !== 'pending')
    throw rejected(`account ${acct.id} is ${acct.status}, not waiting for consent`, 'ACCOUNT_NOT_PENDING', 'id');
  acct.status = target;
  await saveAccount(ctx, acct);
  ctx.emit({ type: d === 'accept' ? 'AccountConsented' : 'AccountDeclined', accounts: [acct.id], owner: me.handle });
  return acct;
}

/** A member authorises (or stops authorising) the banks of `bank` to open its accounts without asking. */
export async function authorizeBank(
  ctx: LianjianContext,
  me: Member,
  bank: string,
  allow: string,
): Promise<{ owner: string; bank: string; allowed: boolean }> {
  requireId(bank, 'bank');
  const allowed = requireOneOf(allow, ['true', 'false'] as const, 'allow') === 'true';
  const k = consentKey(me.handle, bank);
  const had = !!(await getJson(ctx, k));
  if (had !== allowed) {
    if (allowed) await putJson(ctx, k, { owner: me.handle, bank, txId: ctx.stub.getTxID() });
    else await delKey(ctx, k);
    ctx.emit({ type: allowed ? 'BankAuthorized' : 'BankDeauthorized', accounts: [], owner: me.handle, bank });
  }
  return { owner: me.handle, bank, allowed };
}

/**
 * A court or regulator freezes an account under `order` (stops every on-chain debit and
 * credit). The same order again changes nothing; several orders may hold one account.
 * @throws LedgerError 422 ACCOUNT_CLOSED / ACCOUNT_PENDING, 409 IDEMPOTENCY_CONFLICT (order taken by another)
 */
export async function freezeAccount(
  ctx: LianjianContext,
  me: Member,
  id: string,
  order: string,
  reason: string,
): Promise<Account> {
  const f = newFreeze(ctx, me, order, reason);
  const acct = await readAccount(ctx, requireId(id, 'id'), 'id');
  const freezes = acct.freezes ?? [];
  const prev = freezes.find((x) => x.order === f.order);
  if (prev) {
    if (prev.by === me.handle) return acct;
    throw conflict(`order ${f.order} is already recorded by another authority`, 'IDEMPOTENCY_CONFLICT', 'order');
  }
  if (acct.status === 'closed' || acct.status === 'pending')
    throw rejected(`account ${acct.id} is ${acct.status}`, `ACCOUNT_${acct.status.toUpperCase()}`, 'id');
  acct.freezes = [...freezes, f];
  acct.status = 'frozen';
  await saveAccount(ctx, acct);
  ctx.emit({ type: 'AccountFrozen', accounts: [acct.id], by: me.handle, order: f.order, reason: f.reason });
  return acct;
}

/**
 * The authority that imposed `order` lifts it; the account is active again once no order holds it.
 * @throws LedgerError 403 NOT_FREEZE_AUTHORITY, 422 FREEZE_NOT_FOUND
 */
export async function unfreezeAccount(
  ctx: LianjianContext,
  me: Member,
  id: string,
  order: string,
  reason: string,
): Promise<Account> {
  requireText(reason, 'reason', 512);
  const named = orderOf(me, order);
  const acct = await readAccount(ctx, requireId(id, 'id'), 'id');
  const freezes = acct.freezes ?? [];
  if (!freezes.some((x) => x.order === named) && (acct.lifted ?? []).includes(named)) return acct;
  const f = findFreeze(freezes, named);
  requireLifter(me, f, 'order');
  acct.freezes = freezes.filter((x) => x !== f);
  acct.lifted = [...(acct.lifted ?? []), f.order].slice(-20);
  if (acct.freezes.length === 0) {
    delete acct.freezes;
    if (acct.status === 'frozen') acct.status = 'active';
  }
  await saveAccount(ctx, acct);
  ctx.emit({ type: 'AccountUnfrozen', accounts: [acct.id], by: me.handle, order: f.order, reason });
  return acct;
}

/**
 * The account's bank closes it, only at zero balance.
 * @throws LedgerError 422 ACCOUNT_FROZEN / BALANCE_NOT_ZERO
 */
export async function closeAccount(ctx: LianjianContext, bank: Member, id: string): Promise<Account> {
  const acct = await keptAccount(ctx, bank, id, 'id');
  if (acct.status === 'closed') return acct;
  if (acct.status === 'frozen') throw rejected(`account ${acct.id} is frozen`, 'ACCOUNT_FROZEN', 'id');
  if (acct.balance !== '0')
    throw rejected(`account ${acct.id} still holds ${acct.balance} fen`, 'BALANCE_NOT_ZERO', 'id');
  acct.status = 'closed';
  await saveAccount(ctx, acct);
  ctx.emit({ type: 'AccountClosed', accounts: [acct.id] });
  return acct;
}
