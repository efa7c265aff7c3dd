/**
 * e-CNY wallet tiers (一类 to 四类) and the limits they put on every movement into or out of a
 * wallet account: per payment and per China day on the way out, the balance cap on the way in.
 * The money core applies them on every path (moveLots, mirrored deposits and withdrawals):
 * a payment someone decides (Money:transfer, a prepaid purchase, a card payment, a bill payment)
 * is refused when it breaks a limit; a movement that must land (a mirror of the bank's books, a
 * prepaid refund or release, a supervision payout) goes through and raises an Alert naming the
 * wallet, so the bank moves the excess to a higher tier or a bank account.
 */
import { rejected } from '../lib/errors';
import { fen } from '../lib/money';
import { chinaDay } from '../lib/china-time';
import type { Account } from './account';
import type { LianjianContext, Member } from './context';
import { getJson, key, putJson } from './state';

export type WalletTier = 1 | 2 | 3 | 4;

export interface TierLimits {
  /** undefined: no limit. All fen. */
  balance?: bigint;
  perPayment?: bigint;
  daily?: bigint;
}

/**
 * As in the pilots: tier 1 strong real-name (no limits), tier 2 remote real-name with a bank
 * account (500k/50k/100k yuan), tier 3 (20k/5k/10k), tier 4 anonymous, phone number only
 * (10k/2k/5k). Hardware wallets are usually tier 4.
 */
export const WALLET_TIERS: Record<WalletTier, TierLimits> = {
  1: {},
  2: { balance: 50_000_000n, perPayment: 5_000_000n, daily: 10_000_000n },
  3: { balance: 2_000_000n, perPayment: 500_000n, daily: 1_000_000n },
  4: { balance: 1_000_000n, perPayment: 200_000n, daily: 500_000n },
};

/** A wallet whose bank has not declared its tier is treated as the most restricted one. */
export const DEFAULT_TIER: WalletTier = 4;

export interface TierRecord {
  account: string;
  tier: WalletTier;
  setBy: string;
}

/** Whether movements on an account follow the wallet rules. */
export const isWallet = (a: Account): boolean => a.kind === 'wallet';

const tierKey = (account: string): string => key('wtier', account);
/** Outgoing fen of one wallet on one China day (`YYYYMMDD`). */
const dayKey = (account: string, atMs: number): string => key('wday', account, chinaDay(atMs).replace(/-/g, ''));

/** e-CNY tier limits on one outgoing payment; returns the rule broken, or undefined. */
export function tierViolation(
  limits: TierLimits,
  amount: bigint,
  spentToday: bigint,
): { code: string; detail: string } | undefined {
  if (limits.perPayment !== undefined && amount > limits.perPayment) {
    return {
      code: 'WALLET_PAYMENT_LIMIT',
      detail: `payment ${amount} fen exceeds the wallet tier's per-payment limit ${limits.perPayment}`,
    };
  }
  if (limits.daily !== undefined && spentToday + amount > limits.daily) {
    return {
      code: 'WALLET_DAILY_LIMIT',
      detail: `payments today would reach ${spentToday + amount} fen, over the tier's daily limit ${limits.daily}`,
    };
  }
  return undefined;
}

/** Whether a credit would lift a wallet over its tier's balance cap. */
export const overBalanceCap = (limits: TierLimits, balanceAfter: bigint): boolean =>
  limits.balance !== undefined && balanceAfter > limits.balance;

export async function tierLimits(ctx: LianjianContext, account: string): Promise<TierLimits> {
  const t = await getJson<TierRecord>(ctx, tierKey(account));
  return WALLET_TIERS[t?.tier ?? DEFAULT_TIER];
}

/** A limit a movement breaks: which rule, on which wallet (`side`). */
export interface WalletProblem {
  code: string;
  detail: string;
  account: string;
  side: 'from' | 'to';
}

/** What a movement of `amount` out of `from` and into `to` breaks (either may be a non-wallet or absent). */
export async function walletProblem(
  ctx: LianjianContext,
  m: { from?: Account; to?: Account; amount: bigint; atMs: number },
): Promise<WalletProblem | undefined> {
  if (m.from && isWallet(m.from)) {
    const spent = await getJson<{ amount: string }>(ctx, dayKey(m.from.id, m.atMs));
    const v = tierViolation(await tierLimits(ctx, m.from.id), m.amount, BigInt(spent?.amount ?? '0'));
    if (v) return { ...v, account: m.from.id, side: 'from' };
  }
  if (m.to && isWallet(m.to)) {
    const limits = await tierLimits(ctx, m.to.id);
    const after = BigInt(m.to.balance) + m.amount;
    if (overBalanceCap(limits, after))
      return {
        code: 'WALLET_OVER_BALANCE_CAP',
        detail: `wallet ${m.to.id} would hold ${after} fen, over its tier's balance cap ${limits.balance}`,
        account: m.to.id,
        side: 'to',
      };
  }
  return undefined;
}

/** Adds an outgoing movement to the wallet's spending of that China day. */
async function charge(ctx: LianjianContext, from: Account, amount: bigint, atMs: number): Promise<void> {
  if (!isWallet(from)) return;
  const k = dayKey(from.id, atMs);
  const spent = await getJson<{ amount: string }>(ctx, k);
  await putJson(ctx, k, { amount: fen(BigInt(spent?.amount ?? '0') + amount) });
}

export type WalletMode = 'enforce' | 'alert';

/**
 * Applies the wallet rules to a movement before it happens: 'enforce' refuses it (422, the field
 * of the side at fault), 'alert' lets it through with an Alert event; then counts it toward the
 * sending wallet's day.
 * @throws LedgerError 422 WALLET_PAYMENT_LIMIT, WALLET_DAILY_LIMIT, WALLET_OVER_BALANCE_CAP (enforce)
 */
export async function applyWalletRules(
  ctx: LianjianContext,
  m: { from?: Account; to?: Account; amount: bigint; atMs: number; mode: WalletMode; fields: [string, string] },
): Promise<void> {
  const broken = await walletProblem(ctx, m);
  if (broken && m.mode === 'enforce')
    throw rejected(broken.detail, broken.code, broken.side === 'from' ? m.fields[0] : m.fields[1]);
  if (broken) ctx.emit({ type: 'Alert', alert: broken.code, accounts: [broken.account], detail: broken.detail });
  if (m.from) await charge(ctx, m.from, m.amount, m.atMs);
}

/**
 * The wallet's bank declares its tier (1-4). Setting the same tier again changes nothing.
 * @throws LedgerError 422 WALLET_REQUIRED
 */
export async function setWalletTier(
  ctx: LianjianContext,
  bank: Member,
  acct: Account,
  tier: WalletTier,
): Promise<TierRecord> {
  if (!isWallet(acct)) throw rejected(`account ${acct.id} is not a wallet`, 'WALLET_REQUIRED', 'account');
  const prev = await getJson<TierRecord>(ctx, tierKey(acct.id));
  if (prev?.tier === tier) return prev;
  const rec: TierRecord = { account: acct.id, tier, setBy: bank.handle };
  await putJson(ctx, tierKey(acct.id), rec);
  ctx.emit({ type: 'WalletTierSet', accounts: [acct.id], tier });
  return rec;
}
