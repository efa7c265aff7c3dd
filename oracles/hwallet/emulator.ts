/**
 * A hardware wallet (硬钱包) emulator: an SM2 key that never leaves the device, a monotonic
 * counter and an offline balance. It signs offline payments the way the chain checks them
 * (chaincode/prepaid/messages.ts) and can co-sign consumption records for prepaid lessons.
 * `clone()` copies key, counter and balance: what an attacker with a cloned card has, used to
 * test double-spend detection.
 */
import { generateKeyPair, KeyPair, publicKeyFromPrivate, sign } from '../../chaincode/lib/gm';
import { LedgerError } from '../../chaincode/lib/errors';
import { fen, parseFen } from '../../chaincode/lib/money';
import { CardPayment, cardPaymentMessage, useMessage } from '../../chaincode/prepaid/messages';

export interface DeviceState {
  card: string;
  privateKey: string;
  counter: number;
  balance: string; // fen, the device's own view
}

export class HardwareWalletEmulator {
  private readonly key: KeyPair;
  private counterValue: number;
  private balanceFen: bigint;

  constructor(
    readonly card: string,
    state?: Partial<Omit<DeviceState, 'card'>>,
  ) {
    this.key = state?.privateKey
      ? { privateKey: state.privateKey, publicKey: publicKeyFromPrivate(state.privateKey) }
      : generateKeyPair();
    this.counterValue = state?.counter ?? 0;
    this.balanceFen = BigInt(state?.balance ?? '0');
  }

  get publicKey(): string {
    return this.key.publicKey;
  }

  /** The last counter value used; the next payment signs counter + 1. */
  get counter(): number {
    return this.counterValue;
  }

  get balance(): string {
    return fen(this.balanceFen);
  }

  /** Loads the device after a top-up the chain has mirrored (the bridge calls this). */
  topUp(amount: string): void {
    this.balanceFen += parseFen(amount, 'amount');
  }

  /** Signs one offline payment; the device itself refuses to go below zero. */
  pay(payee: string, amount: string, time: Date | string = new Date()): CardPayment {
    const value = parseFen(amount, 'amount');
    if (value > this.balanceFen)
      throw new LedgerError(
        'INSUFFICIENT_CARD_BALANCE',
        `card ${this.card} holds ${this.balanceFen} fen offline`,
        'amount',
        422,
      );
    this.counterValue += 1;
    this.balanceFen -= value;
    const unsigned = {
      card: this.card,
      payee,
      amount: fen(value),
      counter: this.counterValue,
      time: typeof time === 'string' ? time : time.toISOString(),
    };
    return { ...unsigned, signature: sign(this.key.privateKey, cardPaymentMessage(unsigned), this.key.publicKey) };
  }

  /** Co-signs a prepaid consumption record (核销) with the card key. */
  signUse(contract: string, seq: number, units: number, time: string): string {
    return sign(this.key.privateKey, useMessage(contract, seq, units, time), this.key.publicKey);
  }

  /** A byte-for-byte copy of the device, as a cloned card would be. */
  clone(): HardwareWalletEmulator {
    return new HardwareWalletEmulator(this.card, this.export());
  }

  export(): DeviceState {
    return {
      card: this.card,
      privateKey: this.key.privateKey,
      counter: this.counterValue,
      balance: fen(this.balanceFen),
    };
  }
}
