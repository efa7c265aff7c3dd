/** Money, trace, identity and ledger views (chaincode/core): what the routes in gateway/routes/core.ts answer. */
import { Type } from '@sinclair/typebox';
import { ACCOUNT_KINDS } from '../../chaincode/core/lots';
import { ROLES } from '../../chaincode/core/member';
import { amount, handle, id, int, named, record, ref, signedAmount, str, text, literals } from './common';

// ---- requests
export const OpenAccountRequest = named('OpenAccountRequest', {
  id,
  kind: literals(ACCOUNT_KINDS),
  owner: handle,
  offChainRef: text(128),
  holderName: Type.Optional(text(128)),
});
export const AccountConsentRequest = named('AccountConsentRequest', { decision: literals(['accept', 'decline']) });
export const AccountFreezeRequest = named('AccountFreezeRequest', {
  reason: text(512),
  order: Type.Optional(Type.String({ ...id, description: "the court's order (裁定书) number" })),
});
export const TransferRequest = named('TransferRequest', {
  id: Type.Optional(id),
  from: id,
  to: id,
  amount,
  purpose: text(256),
  ref: Type.Optional(Type.String({ maxLength: 128 })),
});
export const MirrorDepositRequest = named('MirrorDepositRequest', {
  account: id,
  amount,
  offTxId: id,
  color: Type.Optional(id),
  attestation: Type.String({ pattern: '^([0-9a-f]{2})+$', maxLength: 4096 }),
});
export const MirrorWithdrawalRequest = named('MirrorWithdrawalRequest', {
  account: id,
  amount,
  offTxId: id,
  attestation: Type.String({ pattern: '^([0-9a-f]{2})+$', maxLength: 4096 }),
});

// ---- accounts
export const Freeze = named('Freeze', {
  order: str,
  by: str,
  authority: literals(['court', 'regulator']),
  reason: str,
  since: str,
  txId: str,
});
export const Account = named('Account', {
  id: str,
  kind: literals(ACCOUNT_KINDS),
  owner: str,
  holderName: str,
  holderOrg: str,
  bank: str,
  offChainRef: str,
  status: literals(['pending', 'active', 'frozen', 'closed']),
  freezes: Type.Optional(Type.Array(ref(Freeze))),
  lifted: Type.Optional(Type.Array(str)),
  balance: amount,
  lotSeq: int,
  histSeq: int,
  openedTx: str,
  program: Type.Optional(str),
});
export const AccountList = Type.Array(ref(Account), { $id: 'AccountList' });
export const Balance = named('Balance', {
  account: str,
  holderName: str,
  holderOrg: str,
  status: str,
  total: amount,
  byColor: Type.Array(record({ color: str, amount, lot: str })),
});
export const HistoryEntry = named('HistoryEntry', {
  seq: int,
  txId: str,
  time: str,
  kind: str,
  amount: signedAmount,
  balance: amount,
  counterparty: Type.Optional(str),
  ref: Type.Optional(str),
  color: Type.Optional(str),
});
export const HistoryPage = named('HistoryPage', {
  items: Type.Array(ref(HistoryEntry)),
  nextAfterSeq: Type.Optional(int),
});

// ---- money moves
export const Leg = named('Leg', { color: str, from: str, to: str, amount });
export const Transfer = named('Transfer', {
  id: str,
  from: str,
  to: str,
  amount,
  purpose: str,
  ref: str,
  legs: Type.Array(ref(Leg)),
  txId: str,
  time: str,
  by: str,
});
export const OffChainFlag = named('OffChainFlag', {
  program: str,
  alert: int,
  amount,
  offTxId: str,
});
export const Mirror = named('Mirror', {
  kind: literals(['deposit', 'withdrawal']),
  bank: str,
  account: str,
  offTxId: str,
  amount,
  color: str,
  txId: str,
  legs: Type.Array(ref(Leg)),
  flagged: Type.Optional(ref(OffChainFlag)),
});
export const Totals = named('Totals', {
  accounts: int,
  balances: amount,
  deposits: amount,
  withdrawals: amount,
  conserved: Type.Boolean(),
});

// ---- trace
const TracePath = record({
  nodes: Type.Array(str),
  end: literals(['deposit', 'withdrawal', 'held', 'untraced']),
  amount,
});
const HolderNames = Type.Record(str, record({ holderName: str, holderOrg: str }), {
  description: "holders' names by account id",
});
export const BackwardTrace = named('BackwardTrace', {
  account: str,
  holderName: str,
  holderOrg: str,
  amount,
  bySource: Type.Array(record({ deposit: str, amount })),
  paths: Type.Array(TracePath),
  names: HolderNames,
});
export const ForwardTrace = named('ForwardTrace', {
  deposit: str,
  account: str,
  amount,
  complete: Type.Boolean(),
  byHolder: Type.Array(record({ account: str, lot: str, amount })),
  withdrawals: Type.Array(record({ sink: str, amount })),
  paths: Type.Array(TracePath),
  names: HolderNames,
});

// ---- identity
export const Member = named('Member', {
  handle: str,
  mspId: str,
  name: str,
  roles: Type.Array(literals(ROLES)),
  publicKey: str,
  admin: Type.Boolean(),
  status: literals(['active', 'revoked']),
  validUntil: Type.Optional(str),
  displayName: Type.Optional(str),
  registeredTx: str,
  revokedTx: Type.Optional(str),
  revokedReason: Type.Optional(str),
});
export const MemberList = Type.Array(ref(Member), { $id: 'MemberList' });
export const Org = named('Org', { mspId: str, name: str, roles: Type.Array(literals(ROLES)) });
export const OrgList = Type.Array(ref(Org), { $id: 'OrgList' });

// ---- ledger views
export const Height = named('Height', { height: int });
export const Transaction = named('Transaction', {
  txId: str,
  blockNumber: int,
  txIndex: int,
  status: Type.String({ description: 'VALID or why it was invalidated' }),
  fn: str,
  creator: record({ mspId: str, id: Type.Optional(str) }),
  signer: Type.Optional(str),
  time: Type.Optional(str),
});
export const Block = named('Block', {
  number: int,
  hash: str,
  previousHash: str,
  dataHash: str,
  time: Type.Optional(str),
  txs: Type.Array(ref(Transaction)),
  redacted: Type.Optional(Type.Boolean({ description: "only the caller's own transactions are listed" })),
});
export const BlockPage = named('BlockPage', { height: int, items: Type.Array(ref(Block)) });
const SignedRequestFields = {
  signer: str,
  signature: str,
  idempotencyKey: str,
  timestamp: str,
  nonce: str,
};
export const Intent = Type.Union(
  [
    record({
      kind: Type.Literal('http'),
      ...SignedRequestFields,
      method: str,
      path: str,
      query: str,
      contentType: str,
      bodyHash: str,
      contentHash: str,
      body: str,
    }),
    record({ kind: Type.Literal('call'), ...SignedRequestFields, fn: str, args: Type.Array(str) }),
  ],
  { $id: 'Intent', description: "the member's signed request (docs/identity.md)" },
);
export const TransactionIntent = named('TransactionIntent', {
  ...Transaction.properties,
  intent: ref(Intent),
  publicKey: Type.String({ description: "the signer's SM2 public key ('' when no longer registered)" }),
});
