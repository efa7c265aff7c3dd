/** Prepaid (预付资金) requests and answers: gateway/routes/prepaid.ts over chaincode/prepaid. */
import { Type } from '@sinclair/typebox';
import { REGIONS } from '../../chaincode/prepaid/merchants';
import { CATEGORIES, MAX_BATCH } from '../../chaincode/prepaid/policy';
import { RELEASE_MODES } from '../../chaincode/prepaid/rules';
import { amount, hex, id, int, named, record, ref, str, text, literals } from './common';

const range = (minimum: number, maximum: number) => Type.Integer({ minimum, maximum });

// ---- requests
export const MerchantApplication = named('MerchantApplication', {
  id,
  name: text(128),
  category: literals(CATEGORIES),
  region: literals(REGIONS),
  account: id,
});
export const MerchantReview = named('MerchantReview', {
  decision: literals(['approve', 'reject']),
  reason: Type.Optional(Type.String({ maxLength: 512 })),
});
export const MerchantFreeze = named('MerchantFreeze', { reason: text(512) });
export const RefundSweepRequest = named('RefundSweepRequest', { limit: Type.Optional(range(1, MAX_BATCH)) });
export const SweepResolution = named('SweepResolution', { contract: id, note: text(1000) });
export const PlanRequest = named('PlanRequest', {
  id,
  merchant: id,
  name: text(128),
  mode: literals(RELEASE_MODES),
  unitPrice: amount,
  units: Type.Optional(range(1, 100000)),
  days: Type.Optional(range(1, 3660)),
  coolingOffDays: range(0, 365),
  nonRefundableBp: Type.Optional(range(0, 10000)),
});
export const WalletTierRequest = named('WalletTierRequest', { tier: range(1, 4) });
export const CardRequest = named('CardRequest', { card: id, account: id, publicKey: hex });
export const CardPaymentsSync = named('CardPaymentsSync', {
  payments: Type.Array(
    record({
      card: id,
      payee: id,
      amount,
      counter: range(1, Number.MAX_SAFE_INTEGER),
      time: text(40),
      signature: hex,
    }),
    { minItems: 1, maxItems: MAX_BATCH },
  ),
});
export const PurchaseRequest = named('PurchaseRequest', { id: Type.Optional(id), plan: id, wallet: id, escrow: id });
export const UseRequest = named('UseRequest', {
  seq: range(1, 1000000),
  units: Type.Optional(range(1, 1000)),
  time: text(40),
  signer: Type.Optional(id),
  signature: hex,
});
export const ProgressRequest = named('ProgressRequest', { attestation: id, progressBp: range(0, 10000) });

// ---- answers
const merchantFields = {
  id: str,
  member: str,
  name: str,
  category: literals(CATEGORIES),
  region: str,
  account: str,
  status: literals(['pending', 'approved', 'rejected', 'frozen']),
  appliedTx: str,
  reviewedBy: Type.Optional(str),
  reason: Type.Optional(str),
};
export const Merchant = named('Merchant', merchantFields);
const terms = {
  category: literals(CATEGORIES),
  mode: literals(RELEASE_MODES),
  unitPrice: amount,
  units: Type.Optional(int),
  days: Type.Optional(int),
  price: amount,
  coolingOffDays: int,
  nonRefundableBp: int,
};
export const Plan = named('Plan', {
  id: str,
  merchant: str,
  name: str,
  ...terms,
  status: literals(['active', 'withdrawn']),
  createdTx: str,
});
export const MerchantWithPlans = named('MerchantWithPlans', { ...merchantFields, plans: Type.Array(ref(Plan)) });
export const MerchantList = Type.Array(ref(MerchantWithPlans), { $id: 'MerchantList' });
const contractFields = {
  id: str,
  plan: str,
  merchant: str,
  consumer: str,
  wallet: str,
  escrow: str,
  ...terms,
  purchasedAt: str,
  coolingOffUntil: str,
  usedUnits: int,
  progressBp: int,
  released: amount,
  refunded: amount,
  fee: amount,
  status: literals(['active', 'completed', 'refunded']),
  txId: str,
  closedTx: Type.Optional(str),
  closedBy: Type.Optional(str),
};
export const PrepaidContract = named('PrepaidContract', contractFields);
export const PrepaidContractView = named('PrepaidContractView', {
  ...contractFields,
  merchantName: str,
  merchantStatus: str,
  planName: str,
  escrowBalance: amount,
  refundNow: record({ full: Type.Boolean(), refund: amount, fee: amount }),
});
export const PrepaidContractList = Type.Array(ref(PrepaidContractView), { $id: 'PrepaidContractList' });
export const RefundQuote = named('RefundQuote', {
  contract: str,
  status: str,
  full: Type.Boolean(),
  refund: amount,
  fee: amount,
});
export const Sweep = named('Sweep', {
  merchant: str,
  after: str,
  visited: int,
  refunded: int,
  amount,
  skipped: Type.Array(str),
  resolved: Type.Array(record({ contract: str, note: str, by: str, txId: str })),
  done: Type.Boolean(),
  batches: int,
});
export const WalletTier = named('WalletTier', { account: str, tier: int, setBy: str });
export const Card = named('Card', { id: str, account: str, owner: str, publicKey: str, registeredBy: str });
export const CardPaymentsResult = named('CardPaymentsResult', {
  accepted: int,
  results: Type.Array(
    record({
      card: str,
      counter: int,
      status: literals(['accepted', 'rejected']),
      code: Type.Optional(str),
      duplicate: Type.Optional(Type.Boolean()),
    }),
  ),
});
export const CardPaymentRecord = named('CardPaymentRecord', {
  card: str,
  counter: int,
  payee: str,
  amount,
  time: str,
  hash: str,
  status: literals(['accepted', 'rejected']),
  code: Type.Optional(str),
  detail: Type.Optional(str),
  syncedBy: str,
  txId: str,
});
export const PrepaidHoldings = named('PrepaidHoldings', {
  consumer: str,
  available: amount,
  locked: amount,
  accounts: Type.Array(
    record({ id: str, kind: str, holderName: str, balance: amount, status: str, lockedTo: Type.Optional(str) }),
  ),
});
