/** Fund supervision (资金监管) requests and answers: gateway/routes/supervision.ts over chaincode/supervision. */
import { Type } from '@sinclair/typebox';
import { PRESETS } from '../../chaincode/supervision/presets';
import { ACCOUNT_ROLES, PROGRAM_STATUSES, RAILS, SCENARIOS } from '../../chaincode/supervision/types';
import { amount, handle, id, int, mspId, named, record, ref, str, text, literals } from './common';

const hash32 = Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SM3 hash, lowercase hex' });
const month = Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$' });
const bp = Type.Integer({ minimum: 0, maximum: 10000 });
const wageRows = Type.Array(record({ worker: hash32, account: id, amount }), { minItems: 1, maxItems: 500 });
const reason = record({ reason: text(512) });

// ---- requests
export const ProgramRequest = named('ProgramRequest', {
  id: Type.Optional(id),
  scenario: literals(SCENARIOS),
  title: text(256),
  party: handle,
  bank: mspId,
  keyAmount: amount,
  policy: record({
    approvers: Type.Array(handle, { minItems: 1, maxItems: 10 }),
    required: Type.Integer({ minimum: 1 }),
    requiredAbove: Type.Optional(Type.Integer({ minimum: 1 })),
  }),
  limits: Type.Optional(
    record({
      perPayment: Type.Optional(amount),
      perDay: Type.Optional(amount),
      personalPerPayment: Type.Optional(amount),
      approvalThreshold: Type.Optional(amount),
      wageGraceDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 60 })),
    }),
  ),
  preset: Type.Optional(literals(PRESETS)),
  floors: Type.Optional(Type.Integer({ minimum: 1, maximum: 300 })),
  milestones: Type.Optional(Type.Array(record({ id, name: text(128), capBp: bp }), { maxItems: 20 })),
  retentionBp: Type.Optional(bp),
  contractValue: Type.Optional(amount),
  depositBp: Type.Optional(Type.Integer({ minimum: 100, maximum: 300 })),
});
export const AttachAccountRequest = named('AttachAccountRequest', { account: id, role: literals(ACCOUNT_ROLES) });
export const BudgetLineRequest = named('BudgetLineRequest', {
  line: id,
  category: text(128),
  cap: amount,
  payees: Type.Array(id, { maxItems: 200 }),
});
export const AttestMilestoneRequest = named('AttestMilestoneRequest', { evidenceHash: Type.Optional(hash32) });
export const ProgramActionRequest = named('ProgramActionRequest', reason.properties);
export const ForceRefundRequest = named('ForceRefundRequest', {
  id: Type.Optional(id),
  reason: text(512),
  refunds: Type.Array(record({ account: id, amount }), { minItems: 1, maxItems: 500 }),
});
export const CloseProgramRequest = named('CloseProgramRequest', { reportHash: hash32 });
export const PaymentRequestRequest = named('PaymentRequestRequest', {
  id: Type.Optional(id),
  line: id,
  payee: id,
  amount,
  purpose: text(256),
  rail: Type.Optional(literals(RAILS)),
});
export const ApproveRequest = named('ApproveRequest', { comment: Type.Optional(Type.String({ maxLength: 512 })) });
export const RejectRequest = named('RejectRequest', { comment: text(512) });
export const ClearHoldRequest = named('ClearHoldRequest', {
  decision: literals(['release', 'reject']),
  comment: text(512),
});
export const ResolveOffChainDebitRequest = named('ResolveOffChainDebitRequest', { note: text(2000) });
export const WageSheetRequest = named('WageSheetRequest', {
  id: Type.Optional(id),
  month,
  sheetHash: hash32,
  rows: wageRows,
});
export const CheckWagesRequest = named('CheckWagesRequest', { month });
export const ArrearsRequest = named('ArrearsRequest', { id: Type.Optional(id), rows: wageRows });
export const ReleaseWageDepositRequest = named('ReleaseWageDepositRequest', { toAccount: id });
export const ConfirmPayoutRequest = named('ConfirmPayoutRequest', { railRef: text(128) });
export const FailPayoutRequest = named('FailPayoutRequest', reason.properties);

// ---- answers
const INSTRUCTION_KINDS = ['release', 'wages', 'refund', 'arrears', 'deposit'] as const;
const fenBy = (description: string) => Type.Record(str, amount, { description });
export const Program = named('Program', {
  id: str,
  scenario: literals(SCENARIOS),
  title: str,
  party: str,
  bank: str,
  keyAmount: amount,
  policy: record({ approvers: Type.Array(str), required: int, requiredAbove: Type.Optional(int) }),
  limits: record({
    perPayment: Type.Optional(amount),
    perDay: Type.Optional(amount),
    personalPerPayment: Type.Optional(amount),
    approvalThreshold: Type.Optional(amount),
    wageGraceDays: Type.Optional(int),
  }),
  milestones: Type.Array(record({ id: str, name: str, capBp: int })),
  retentionBp: int,
  contractValue: Type.Optional(amount),
  depositBp: Type.Optional(int),
  regulator: str,
  regulatorOrg: str,
  status: literals(PROGRAM_STATUSES),
  statusBefore: Type.Optional(literals(PROGRAM_STATUSES)),
  accounts: Type.Record(str, Type.Array(str), { description: 'account ids by role' }),
  attested: Type.Array(str),
  pending: fenBy('instructed, not yet final, by instruction kind'),
  settled: fenBy('settled by instruction kind'),
  releasedByLine: fenBy('by budget line'),
  releasedByMilestone: fenBy("by the milestone in force ('' = none)"),
  alertSeq: int,
  actionSeq: int,
  reportHash: Type.Optional(str),
  activatedAt: Type.Optional(str),
  createdTx: str,
  createdAt: str,
});
export const ProgramSummary = named('ProgramSummary', {
  id: str,
  title: str,
  scenario: str,
  status: str,
  party: str,
  bank: str,
  regulator: str,
  keyAmount: amount,
  deposited: amount,
  held: amount,
  available: amount,
  released: amount,
  pending: amount,
  refunded: amount,
  alerts: int,
  milestones: int,
  attested: int,
  waiting: Type.Integer({ description: 'requests waiting for approvals' }),
  createdAt: str,
});
export const ProgramSummaryList = Type.Array(ref(ProgramSummary), { $id: 'ProgramSummaryList' });
export const BudgetLine = named('BudgetLine', {
  program: str,
  id: str,
  category: str,
  cap: amount,
  payees: Type.Array(str),
  used: amount,
});
const wageRow = record({ worker: str, account: str, amount });
export const PaymentRequest = named('PaymentRequest', {
  program: str,
  id: str,
  kind: literals(['release', 'wages']),
  line: str,
  payee: str,
  amount,
  purpose: str,
  rail: literals(RAILS),
  requestedBy: str,
  requestedAt: str,
  required: int,
  approvals: Type.Array(
    record({ approver: str, decision: literals(['approve', 'reject']), comment: str, time: str, txId: str }),
  ),
  status: literals(['held', 'pending_approval', 'rejected', 'instructed', 'settled', 'failed', 'partial']),
  reasons: Type.Array(record({ code: str, detail: str, field: Type.Optional(str) })),
  instructions: Type.Array(str),
  month: Type.Optional(str),
  sheetHash: Type.Optional(str),
  rows: Type.Optional(Type.Array(wageRow)),
  flags: Type.Optional(Type.Array(record({ row: int, account: str, detail: str }))),
  hold: Type.Optional(record({ decision: literals(['release', 'reject']), by: str, comment: str, time: str })),
  stage: Type.Optional(str),
  day: Type.Optional(str),
  settledAmount: amount,
  failedAmount: amount,
  txId: str,
});
export const PaymentRequestList = Type.Array(ref(PaymentRequest), { $id: 'PaymentRequestList' });
export const Instruction = named('Instruction', {
  id: str,
  program: str,
  kind: literals(INSTRUCTION_KINDS),
  ref: str,
  account: str,
  source: str,
  payee: str,
  payeeRef: str,
  amount,
  rail: literals(RAILS),
  status: literals(['instructed', 'settled', 'failed']),
  railRef: Type.Optional(str),
  reason: Type.Optional(str),
  instructedTx: str,
  finalTx: Type.Optional(str),
});
export const InstructionList = Type.Array(ref(Instruction), { $id: 'InstructionList' });
export const Alert = named('Alert', {
  program: str,
  seq: int,
  alert: str,
  request: Type.Optional(str),
  detail: str,
  time: str,
  txId: str,
});
export const AlertList = Type.Array(ref(Alert), { $id: 'AlertList' });
export const OffChainDebit = named('OffChainDebit', {
  program: str,
  account: str,
  offTxId: str,
  amount,
  alert: int,
  status: literals(['open', 'resolved']),
  note: Type.Optional(str),
  resolvedBy: Type.Optional(str),
  time: str,
  txId: str,
});
export const OffChainDebitList = Type.Array(ref(OffChainDebit), { $id: 'OffChainDebitList' });
export const Refund = named('Refund', {
  id: str,
  program: str,
  reason: str,
  rows: Type.Array(record({ account: str, amount })),
  total: amount,
  instructions: Type.Array(str),
  txId: str,
});
export const Arrears = named('Arrears', { id: str, rows: Type.Array(wageRow), instructions: Type.Array(str) });
export const WageCheck = named('WageCheck', {
  program: str,
  month: str,
  status: literals(['paid', 'not_due', 'before_program', 'missing']),
  alert: Type.Optional(int),
});
export const ProgramReport = named('ProgramReport', {
  program: str,
  status: str,
  scenario: str,
  keyAmount: amount,
  deposited: amount,
  held: amount,
  available: amount,
  retained: amount,
  pending: amount,
  released: amount,
  refunded: amount,
  byKind: fenBy('settled by instruction kind'),
  releasedByLine: fenBy('by budget line'),
  releasedByMilestone: fenBy('by milestone'),
  milestone: Type.Union([record({ attested: Type.Array(str), capBp: int, cap: amount }), Type.Null()]),
  lines: Type.Array(record({ id: str, category: str, cap: amount, used: amount, remaining: amount })),
  wage: Type.Optional(record({ held: amount, depositRequired: Type.Optional(amount), depositHeld: amount })),
  alerts: int,
  accounts: Type.Array(record({ id: str, role: str, holderName: str, holderOrg: str, balance: amount })),
  offChain: record({ open: int, amount, entries: Type.Array(ref(OffChainDebit)) }),
});
export const RegulatorReport = named('RegulatorReport', { regulator: str, programs: Type.Array(ref(ProgramReport)) });
export const ProgramHolders = named('ProgramHolders', {
  holders: Type.Record(str, record({ account: str, name: str, org: str, orgName: Type.Optional(str), kind: str }), {
    description: 'holders (户名, org) by account id',
  }),
  lines: Type.Array(record({ id: str, category: str, payees: Type.Array(str) })),
});
export const WageMonths = named('WageMonths', {
  program: str,
  months: Type.Array(
    record({
      month: str,
      status: literals(['paid', 'pending', 'missing', 'unpaid', 'not_due']),
      amount: Type.Optional(amount),
      request: Type.Optional(str),
      alert: Type.Optional(int),
    }),
  ),
});
