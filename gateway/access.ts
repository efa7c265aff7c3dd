/**
 * Who may see and do what, for what the gateway serves itself: the bank's books and
 * reconciliation, the event stream, and the ledger views (blocks, transactions). One decision per
 * resource, here; what lives on chain is decided again by the chaincode. The mandate is written
 * down in docs/access.md. Refusals never depend on whether an id exists.
 */
import type { FastifyRequest } from 'fastify';
import type { Member, Role } from '../chaincode/core/context';
import type { Account } from '../chaincode/core/lots';
import { LedgerError } from '../ledger/errors';
import type { BlockView, LedgerEvent, TxView } from '../ledger/types';
import { caller, evaluate, requireRole } from './plugin';

/** Regulators and auditors: by their supervisory mandate, every event, block and transaction. */
const MANDATED: Role[] = ['regulator', 'auditor'];

export const hasMandate = (m: Member): boolean => m.roles.some((r) => MANDATED.includes(r));

// ---- the bank's books and reconciliation

/**
 * The caller operates the bank that keeps these books (role bank, of the books' org).
 * @throws LedgerError 403 ROLE_REQUIRED (not a bank), 403 NOT_BOOKS_BANK (another bank), the same
 *   whatever the request names
 */
export function requireBooksBank(req: FastifyRequest, booksBank: string | undefined): Member {
  const me = requireRole(req, 'bank');
  if (me.mspId !== booksBank) throw notBooksBank(me, booksBank);
  return me;
}

/**
 * Reconciliation results: the books' bank, and regulators and auditors by mandate.
 * @throws LedgerError 403 ROLE_REQUIRED, 403 NOT_BOOKS_BANK
 */
export function requireReconReader(req: FastifyRequest, booksBank: string | undefined): Member {
  const me = requireRole(req, 'bank', ...MANDATED);
  if (!hasMandate(me) && me.mspId !== booksBank) throw notBooksBank(me, booksBank);
  return me;
}

const notBooksBank = (me: Member, booksBank: string | undefined): LedgerError =>
  new LedgerError(
    'NOT_BOOKS_BANK',
    `these books are kept by ${booksBank ?? 'no bank'}; ${me.handle} is not one of its operators`,
    undefined,
    403,
  );

/**
 * A chain account the books' bank keeps, read as the caller (a book account may mirror only that).
 * @throws LedgerError 422 CHAIN_ACCOUNT_NOT_KEPT when it does not exist or another bank keeps it
 */
export async function requireKeptChainAccount(
  req: FastifyRequest,
  chainAccount: string,
  booksBank: string | undefined,
): Promise<void> {
  const account = await evaluate<Account>(req, 'Money:getAccount', [chainAccount]).catch((err: unknown) => {
    if (err instanceof LedgerError && (err.status === 403 || err.status === 404)) return undefined;
    throw err;
  });
  if (account?.bank === booksBank) return;
  throw new LedgerError(
    'CHAIN_ACCOUNT_NOT_KEPT',
    `chainAccount ${chainAccount} is not an account ${booksBank ?? 'this bank'} keeps on chain`,
    'chainAccount',
    422,
  );
}

// ---- ledger views

/** A transaction is the caller's when its signed intent is the caller's; all are the mandated's. */
export const seesTransaction = (m: Member, tx: TxView): boolean => hasMandate(m) || tx.signer === m.handle;

/** The answer for a transaction the caller may not see, the same as for one that does not exist. */
export const noTransaction = (txId: string): LedgerError =>
  new LedgerError('TX_NOT_FOUND', `no transaction ${txId}`, 'txId', 404);

/** A block as the caller may see it: whole by mandate, else the header and the caller's own transactions. */
export function blockFor(m: Member, block: BlockView): BlockView & { redacted?: true } {
  if (hasMandate(m)) return block;
  return { ...block, txs: block.txs.filter((t) => seesTransaction(m, t)), redacted: true };
}

// ---- events

/** Which bank keeps each account: fixed at opening, learned from AccountOpened events and reads. */
export class AccountBanks {
  private readonly banks = new Map<string, string>();

  constructor(private readonly max = 200_000) {}

  get(account: string): string | undefined {
    return this.banks.get(account);
  }

  set(account: string, bank: string): void {
    if (this.banks.size >= this.max) this.banks.delete(this.banks.keys().next().value as string);
    this.banks.set(account, bank);
  }

  /** Learns the banks an envelope's AccountOpened events name. */
  learn(ev: LedgerEvent): void {
    for (const e of ev.envelope.events)
      if (e.type === 'AccountOpened' && typeof e.bank === 'string' && e.accounts?.length === 1)
        this.set(e.accounts[0], e.bank);
  }
}

/** What one stream shows of each committed envelope (undefined: nothing of it). */
export type EventView = (ev: LedgerEvent) => Promise<LedgerEvent | undefined>;

const ORG_WATCHERS: Role[] = ['bank', 'oracle'];

/**
 * The view of GET /v1/events for the caller:
 * - regulators and auditors: every event;
 * - banks and oracles: the events naming an account their org keeps, and their own org's
 *   registry events;
 * - everyone else: must filter by an account they may read (checked on chain), and sees the
 *   events naming it.
 * @throws LedgerError 403 ROLE_REQUIRED without ?account; 404 ACCOUNT_NOT_FOUND for an account the
 *   caller may not read, as for one that does not exist
 */
export async function eventView(
  req: FastifyRequest,
  account: string | undefined,
  banks: AccountBanks,
): Promise<EventView> {
  const me = caller(req);
  const learn = (ev: LedgerEvent): LedgerEvent => {
    banks.learn(ev);
    return ev;
  };
  if (hasMandate(me)) return (ev) => Promise.resolve(learn(ev));
  if (me.roles.some((r) => ORG_WATCHERS.includes(r))) return orgView(req, me, banks);
  if (!account)
    throw new LedgerError(
      'ROLE_REQUIRED',
      'the whole event stream is for regulators, auditors, banks and oracles; filter by ?account',
      'account',
      403,
    );
  await evaluate(req, 'Money:getAccount', [account]).catch((err: unknown) => {
    // Someone else's account answers as a missing one: the stream tells nobody what exists.
    if (err instanceof LedgerError && (err.status === 403 || err.status === 404))
      throw new LedgerError('ACCOUNT_NOT_FOUND', `no account ${account}`, 'account', 404);
    throw err;
  });
  return (ev) => Promise.resolve(onlyNaming(learn(ev), account));
}

/** A non-watcher sees only the domain events that name its account (others in the same transaction may be other members'). */
export function onlyNaming(ev: LedgerEvent, account: string): LedgerEvent | undefined {
  const events = ev.envelope.events.filter((e) => e.accounts?.includes(account));
  return events.length ? { ...ev, envelope: { ...ev.envelope, events } } : undefined;
}

/** The org a registry event belongs to (OrgRegistered, MemberRegistered/Revoked, ReportAnchored). */
function orgOf(e: LedgerEvent['envelope']['events'][number]): string | undefined {
  if (typeof e.mspId === 'string' && e.type === 'OrgRegistered') return e.mspId;
  if (typeof e.handle === 'string' && (e.type === 'MemberRegistered' || e.type === 'MemberRevoked'))
    return e.handle.split(':')[0];
  if (typeof e.org === 'string' && e.type === 'ReportAnchored') return e.org;
  return undefined;
}

function orgView(req: FastifyRequest, me: Member, banks: AccountBanks): EventView {
  const foreign = new Set<string>(); // accounts this caller may not read: another org's
  const bankOf = async (account: string): Promise<string | undefined> => {
    const known = banks.get(account);
    if (known || foreign.has(account)) return known;
    const read = await evaluate<Account>(req, 'Money:getAccount', [account]).catch(() => undefined);
    if (read?.bank) banks.set(account, read.bank);
    else foreign.add(account);
    return read?.bank;
  };
  return async (ev) => {
    banks.learn(ev);
    const kept: LedgerEvent['envelope']['events'] = [];
    for (const e of ev.envelope.events) {
      if (orgOf(e) === me.mspId) kept.push(e);
      else
        for (const account of e.accounts ?? [])
          if ((await bankOf(account)) === me.mspId) {
            kept.push(e);
            break;
          }
    }
    return kept.length ? { ...ev, envelope: { ...ev.envelope, events: kept } } : undefined;
  };
}
