/** The rail simulators: bank transfer, e-CNY wallet (tier limits), hardware-wallet top-up. */
import { yuan } from '../../chaincode/lib/money';
import { Faults, SimulatedRail } from './sim';
import { railRejected, RailAdapter, RailName, RailPayment } from './types';

export * from './types';
export { Faults, SimulatedRail } from './sim';

/** Interbank transfer into the payee's account at its bank (any amount; unknown accounts refused when listed). */
export class BankTransferRail extends SimulatedRail {
  readonly name = 'bank' as const;
  readonly balances = new Map<string, bigint>();
  constructor(
    faults: Faults = {},
    readonly knownAccounts?: Set<string>,
  ) {
    super(faults);
  }
  protected execute(p: RailPayment): void {
    if (this.knownAccounts && !this.knownAccounts.has(p.payeeRef))
      throw railRejected('PAYEE_ACCOUNT_UNKNOWN', `no account ${p.payeeRef} at the payee bank`);
    this.balances.set(p.payeeRef, (this.balances.get(p.payeeRef) ?? 0n) + BigInt(p.amount));
  }
}

/**
 * e-CNY wallet tiers (PBOC 1–4: from strongest KYC to anonymous), in fen: balance cap and daily
 * incoming limit. Tier 1 has none.
 */
export const ECNY_TIERS: Record<number, { balance: bigint; daily: bigint } | undefined> = {
  1: undefined,
  2: { balance: 50_000_000n, daily: 10_000_000n },
  3: { balance: 2_000_000n, daily: 1_000_000n },
  4: { balance: 1_000_000n, daily: 500_000n },
};

export class EcnyWalletRail extends SimulatedRail {
  readonly name = 'ecny' as const;
  readonly wallets = new Map<string, { tier: number; balance: bigint; day: string; today: bigint }>();
  openWallet(id: string, tier: number, balance = 0n): void {
    this.wallets.set(id, { tier, balance, day: '', today: 0n });
  }
  protected execute(p: RailPayment): void {
    const w = this.wallets.get(p.payeeRef);
    if (!w) throw railRejected('WALLET_NOT_FOUND', `no e-CNY wallet ${p.payeeRef}`);
    const amount = BigInt(p.amount);
    const day = new Date().toISOString().slice(0, 10);
    if (w.day !== day) Object.assign(w, { day, today: 0n });
    const lim = ECNY_TIERS[w.tier];
    if (lim && w.balance + amount > lim.balance)
      throw railRejected(
        'WALLET_TIER_LIMIT',
        `tier ${w.tier} wallet ${p.payeeRef} may hold at most ${yuan(lim.balance)} yuan`,
      );
    if (lim && w.today + amount > lim.daily)
      throw railRejected(
        'WALLET_TIER_LIMIT',
        `tier ${w.tier} wallet ${p.payeeRef} may receive at most ${yuan(lim.daily)} yuan a day`,
      );
    w.balance += amount;
    w.today += amount;
  }
}

/** Top-up of a hardware wallet (card): held as pending until the card next taps a terminal. */
export class HardwareWalletRail extends SimulatedRail {
  readonly name = 'hw_wallet' as const;
  readonly cards = new Map<string, { balance: bigint; pending: bigint; cap: bigint }>();
  registerCard(id: string, cap = 1_000_00n): void {
    this.cards.set(id, { balance: 0n, pending: 0n, cap });
  }
  protected execute(p: RailPayment): void {
    const c = this.cards.get(p.payeeRef);
    if (!c) throw railRejected('CARD_NOT_FOUND', `no hardware wallet ${p.payeeRef}`);
    if (c.balance + c.pending + BigInt(p.amount) > c.cap)
      throw railRejected('CARD_LIMIT', `hardware wallet ${p.payeeRef} may hold at most ${yuan(c.cap)} yuan`);
    c.pending += BigInt(p.amount);
  }
  tap(id: string): void {
    const c = this.cards.get(id)!;
    c.balance += c.pending;
    c.pending = 0n;
  }
}

export const railOf = (rails: Partial<Record<RailName, RailAdapter>>, name: string): RailAdapter | undefined =>
  rails[(name === 'hwallet' ? 'hw_wallet' : name) as RailName];
