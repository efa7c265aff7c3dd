/**
 * The bookkeeping rules both backends share: validation, idempotency on the posting ref, and
 * turning a posting into journal movements. Backends only add atomicity and storage.
 */
import { conflict, LedgerError, rejected } from '../../chaincode/lib/errors';
import { fen, parseFen } from '../../chaincode/lib/money';
import { requireId, requireInt, requireText } from '../../chaincode/lib/validate';
import type { BookAccount, Movement, OpenAccount, Posting, PostingKind } from './types';

/** A validated posting request, before it has movements. */
export interface PostingRequest {
  ref: string;
  kind: PostingKind;
  from?: string;
  to?: string;
  amount: bigint;
  counterparty: string;
  origin?: 'chain';
}

/**
 * The books' one clearing account for chain-originated movements against chain accounts these
 * books do not mirror (oracles/chain-moves.ts). Never mirrored; a chain-originated posting may
 * overdraw it (it nets what the chain moved in and out of the bank's mirrored accounts).
 */
export const CLEARING_ACCOUNT = 'chain-clearing';

// offTxIds derive from the ref; keep room for the ':dr'/':cr' suffix inside the 64-char id rule.
const MAX_REF = 60;

export function checkRef(ref: unknown): string {
  const r = requireId(ref, 'ref');
  if (r.length > MAX_REF) throw new LedgerError('INVALID_ID', `ref must be at most ${MAX_REF} characters`, 'ref');
  return r;
}

export function requestOf(
  kind: PostingKind,
  r: {
    ref: string;
    account?: string;
    from?: string;
    to?: string;
    amount: string | bigint;
    counterparty?: string;
    origin?: string;
  },
): PostingRequest {
  const ref = checkRef(r.ref);
  if (r.origin !== undefined && !(r.origin === 'chain' && (kind === 'withdrawal' || kind === 'transfer')))
    throw new LedgerError(
      'INVALID_ARGUMENT',
      "origin may only be 'chain', on a withdrawal (an executed payout) or a transfer (a chain movement)",
      'origin',
    );
  const origin = r.origin === 'chain' ? { origin: 'chain' as const } : {};
  const amount = parseFen(r.amount, 'amount');
  const counterparty = requireText(r.counterparty ?? '', 'counterparty', 128, true);
  if (kind === 'deposit')
    return { ref, kind, to: requireId(r.account, 'account'), amount, counterparty: counterparty || 'cash' };
  if (kind === 'withdrawal')
    return {
      ref,
      kind,
      from: requireId(r.account, 'account'),
      amount,
      counterparty: counterparty || 'cash',
      ...origin,
    };
  const from = requireId(r.from, 'from');
  const to = requireId(r.to, 'to');
  if (from === to) throw rejected('from and to are the same account', 'SAME_ACCOUNT', 'to');
  return { ref, kind, from, to, amount, counterparty: '', ...origin };
}

/** A replay with the same values returns the first posting; other values are a conflict. */
export function replayOf(prev: Posting, req: PostingRequest): Posting {
  const same =
    prev.kind === req.kind &&
    prev.from === req.from &&
    prev.to === req.to &&
    prev.amount === fen(req.amount) &&
    prev.counterparty === req.counterparty &&
    prev.origin === req.origin;
  if (!same) throw conflict(`posting ${req.ref} exists with other values`, 'IDEMPOTENCY_CONFLICT', 'ref');
  return prev;
}

export const accountsOf = (req: PostingRequest): string[] => [req.from, req.to].filter((x): x is string => !!x);

/**
 * Checks funds and builds the posting. `accounts` are the current rows (locked by the caller);
 * their balances are updated in place. `nextSeq` hands out journal sequence numbers.
 */
/** The accounts a posting debits and credits, checked: they exist, and the debited one holds enough. */
function sides(req: PostingRequest, accounts: Map<string, BookAccount>): { src?: BookAccount; dst?: BookAccount } {
  const get = (id: string, field: string): BookAccount => {
    const a = accounts.get(id);
    if (!a) throw new LedgerError('ACCOUNT_NOT_FOUND', `no account ${id} in the books`, field, 404);
    return a;
  };
  const src = req.from ? get(req.from, req.kind === 'transfer' ? 'from' : 'account') : undefined;
  const dst = req.to ? get(req.to, req.kind === 'transfer' ? 'to' : 'account') : undefined;
  const mayOverdraw = req.origin === 'chain' && src?.id === CLEARING_ACCOUNT && !src.chainAccount;
  if (src && BigInt(src.balance) < req.amount && !mayOverdraw)
    throw rejected(`account ${src.id} holds ${src.balance} fen, ${req.amount} needed`, 'INSUFFICIENT_FUNDS', 'amount');
  return { src, dst };
}

export function post(
  req: PostingRequest,
  accounts: Map<string, BookAccount>,
  nextSeq: () => bigint,
  time: string,
): Posting {
  const { src, dst } = sides(req, accounts);
  const movements: Movement[] = [];
  const line = (a: BookAccount, direction: Movement['direction'], offTxId: string, counterparty: string): void => {
    a.balance = fen(BigInt(a.balance) + (direction === 'credit' ? req.amount : -req.amount));
    movements.push({
      seq: nextSeq().toString(),
      account: a.id,
      direction,
      amount: fen(req.amount),
      counterparty,
      time,
      ref: req.ref,
      offTxId,
      ...(a.chainAccount ? { chainAccount: a.chainAccount, color: a.color ?? '' } : {}),
      ...(req.origin ? { origin: req.origin } : {}),
    });
  };
  if (req.kind === 'transfer') {
    line(src!, 'debit', `${req.ref}:dr`, dst!.id);
    line(dst!, 'credit', `${req.ref}:cr`, src!.id);
  } else if (src) line(src, 'debit', req.ref, req.counterparty);
  else line(dst!, 'credit', req.ref, req.counterparty);
  return {
    ref: req.ref,
    kind: req.kind,
    ...(req.from ? { from: req.from } : {}),
    ...(req.to ? { to: req.to } : {}),
    amount: fen(req.amount),
    counterparty: req.counterparty,
    time,
    ...(req.origin ? { origin: req.origin } : {}),
    movements,
  };
}

export function checkOpen(a: OpenAccount, now: string): BookAccount {
  const acct: BookAccount = {
    id: requireId(a.id, 'id'),
    system: a.system ?? 'bank',
    holder: requireText(a.holder, 'holder', 128),
    balance: '0',
    opened: now,
  };
  if (acct.system !== 'bank' && acct.system !== 'ecny')
    throw new LedgerError('INVALID_ARGUMENT', "system must be 'bank' or 'ecny'", 'system');
  if (a.chainAccount) acct.chainAccount = requireId(a.chainAccount, 'chainAccount');
  if (a.color) acct.color = requireId(a.color, 'color');
  if (a.tier !== undefined) acct.tier = requireInt(a.tier, 'tier', 1, 4);
  return acct;
}

/**
 * One book account per chain account: the mirror carries a book account's movements to its
 * chain account, so a second book account on the same chain account would move money the first
 * one holds (and the books and the chain would drift apart).
 * @throws LedgerError 409 CHAIN_ACCOUNT_MAPPED when `mappedBy` is another book account
 */
export function checkChainAccountFree(next: BookAccount, mappedBy: string | undefined): void {
  if (!next.chainAccount || mappedBy === undefined || mappedBy === next.id) return;
  throw conflict(
    `chain account ${next.chainAccount} is already mirrored by book account ${mappedBy}`,
    'CHAIN_ACCOUNT_MAPPED',
    'chainAccount',
  );
}

/** Opening is idempotent on id: same holder/system/mirror = the existing account. */
export function reopen(prev: BookAccount, next: BookAccount): BookAccount {
  if (
    prev.system === next.system &&
    prev.holder === next.holder &&
    (prev.chainAccount ?? '') === (next.chainAccount ?? '') &&
    (prev.color ?? '') === (next.color ?? '') &&
    prev.tier === next.tier
  )
    return prev;
  throw conflict(`account ${next.id} already exists with other values`, 'ACCOUNT_EXISTS', 'id');
}

/** Lines the mirror carries to the chain: on a mirrored account and originated in the books. */
export const mirrored = (m: Movement): boolean => !!m.chainAccount && m.origin !== 'chain';

/** Journal lines compare as (account, offTxId): the order reconciliation merges in. */
export const byAccountTx = (a: Movement, b: Movement): number =>
  a.account < b.account ? -1 : a.account > b.account ? 1 : a.offTxId < b.offTxId ? -1 : a.offTxId > b.offTxId ? 1 : 0;
