/** Prepaid records as stored on chain, and their keys. Amounts are fen strings. */
import { key } from '../core/state';
import type { Category } from './policy';
import type { ReleaseMode } from './rules';

export type MerchantStatus = 'pending' | 'approved' | 'rejected' | 'frozen';

export interface Merchant {
  id: string;
  member: string; // handle of the merchant member
  name: string;
  category: Category;
  region: string;
  account: string; // settlement account receiving releases
  status: MerchantStatus;
  appliedTx: string;
  reviewedBy?: string;
  reason?: string;
}

/** A plan's terms; a contract keeps its own copy, fixed at purchase. */
export interface Terms {
  category: Category;
  mode: ReleaseMode;
  unitPrice: string;
  units?: number;
  days?: number;
  price: string;
  coolingOffDays: number;
  nonRefundableBp: number;
}

export interface Plan extends Terms {
  id: string;
  merchant: string;
  name: string;
  status: 'active' | 'withdrawn';
  createdTx: string;
}

export type ContractStatus = 'active' | 'completed' | 'refunded';

export interface PrepaidContractRecord extends Terms {
  id: string;
  plan: string;
  merchant: string;
  consumer: string; // member handle
  wallet: string;
  escrow: string; // consumer-owned escrow account locked to this contract
  purchasedAt: string;
  coolingOffUntil: string; // exclusive
  usedUnits: number;
  progressBp: number;
  released: string;
  refunded: string;
  fee: string; // non-refundable part kept by the merchant
  status: ContractStatus;
  txId: string;
  closedTx?: string;
  closedBy?: string;
}

export interface Card {
  id: string;
  account: string; // a 'wallet' account receiving mirrored top-ups
  owner: string;
  publicKey: string;
  registeredBy: string;
}

export interface CardPaymentRecord {
  card: string;
  counter: number;
  payee: string;
  amount: string;
  time: string;
  hash: string; // sm3 of the signed message and signature: tells a re-sync from a double spend
  status: 'accepted' | 'rejected';
  code?: string;
  detail?: string;
  syncedBy: string;
  txId: string;
}

export const ppKeys = {
  merchant: (id: string): string => key('pp-merchant', id),
  plan: (id: string): string => key('pp-plan', id),
  contract: (id: string): string => key('pp-contract', id),
  /** Contracts of a merchant, the refund sweep's cursor runs over these. */
  byMerchant: (merchant: string, contract: string): string => key('pp-mctr', merchant, contract),
  /** Open contracts of one consumer with one merchant (the cross-contract cap). */
  open: (consumer: string, merchant: string, contract: string): string => key('pp-open', consumer, merchant, contract),
  use: (contract: string, seq: number): string => key('pp-use', contract, String(seq)),
  progress: (attestation: string): string => key('pp-progress', attestation),
  sweep: (merchant: string): string => key('pp-sweep', merchant),
  card: (id: string): string => key('pp-card', id),
  cardPay: (card: string, counter: number): string => key('pp-cardpay', card, String(counter).padStart(12, '0')),
  cardReject: (card: string, hash: string): string => key('pp-cardrej', card, hash),
};
