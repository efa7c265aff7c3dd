/**
 * The exact texts consumers and hardware wallets sign (SM2, user id 1234567812345678).
 * Shared by the chain, the device emulator and POS software, so all three agree byte for byte.
 */

/** Times inside signed records: UTC ISO only, so every endorser parses them alike. */
export const ISO_TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

/** A consumption record (核销): the consumer confirms `units` lessons numbered from `seq`. */
export const useMessage = (contract: string, seq: number, units: number, time: string): string =>
  ['lianjian-prepaid-use', contract, String(seq), String(units), time].join('|');

/** An offline hardware-wallet payment; `counter` is the card's monotonic counter. */
export interface CardPayment {
  card: string;
  payee: string; // account id of the merchant
  amount: string; // fen
  counter: number;
  time: string; // ISO, the device's clock
  signature: string; // DER hex
}

export const cardPaymentMessage = (p: Omit<CardPayment, 'signature'>): string =>
  ['lianjian-hwallet-pay', p.card, p.payee, p.amount, String(p.counter), p.time].join('|');
