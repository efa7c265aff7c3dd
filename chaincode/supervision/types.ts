/** Supervision records as stored on chain (money as fen digit strings, shares as basis points). */

export const SCENARIOS = [
  'presale_housing',
  'migrant_wages',
  'prepaid_education',
  'infrastructure',
  'rental',
  'generic',
] as const;
export type Scenario = (typeof SCENARIOS)[number];
export const PROGRAM_STATUSES = ['draft', 'active', 'suspended', 'frozen', 'closed'] as const;
export type ProgramStatus = (typeof PROGRAM_STATUSES)[number];
export const ACCOUNT_ROLES = ['supervised', 'payout', 'wage', 'deposit'] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];
export const RAILS = ['bank', 'ecny', 'hw_wallet'] as const;
export type Rail = (typeof RAILS)[number];

export interface Milestone {
  id: string;
  name: string;
  capBp: number; // cumulative release cap once attested
}

export interface ApprovalPolicy {
  approvers: string[]; // member handles
  required: number; // m of n
  requiredAbove?: number; // approvals needed at or above limits.approvalThreshold (default all)
}

export interface Limits {
  perPayment?: string;
  perDay?: string; // China calendar day (UTC+8)
  personalPerPayment?: string; // 公转私: one payment to a personal account
  approvalThreshold?: string; // amounts at or above it need requiredAbove approvals
  wageGraceDays?: number; // days after a month ends before its missing payout is an alert
}

/** What a regulator submits to create a program. */
export interface ProgramSpec {
  scenario: Scenario;
  title: string;
  party: string; // supervised party, member handle
  bank: string; // custodian bank, MSP id
  keyAmount: string; // 重点监管额度
  policy: ApprovalPolicy;
  limits: Limits;
  milestones: Milestone[]; // empty: no milestone caps
  retentionBp: number; // kept until the final milestone
  contractValue?: string; // migrant wages: for the wage deposit
  depositBp?: number; // wage deposit share, 100..300
}

export interface Program extends ProgramSpec {
  id: string;
  regulator: string; // creator's handle
  regulatorOrg: string;
  status: ProgramStatus;
  statusBefore?: ProgramStatus; // restored by unfreeze/resume
  accounts: Partial<Record<AccountRole, string[]>>;
  attested: string[]; // milestone ids, in order
  // Running totals (fen) by instruction kind: instructed and not yet final, and settled.
  pending: Partial<Record<InstructionKind, string>>;
  settled: Partial<Record<InstructionKind, string>>;
  releasedByLine: Record<string, string>;
  releasedByMilestone: Record<string, string>; // stage in force when the funds moved ('' = none)
  alertSeq: number;
  actionSeq: number;
  reportHash?: string;
  activatedAt?: string; // wages are due from the month the program became active
  createdTx: string;
  createdAt: string;
}

export interface BudgetLine {
  program: string;
  id: string;
  category: string;
  cap: string;
  payees: string[]; // account ids (定向)
  used: string; // settled + pending releases
}

/** held: a wage sheet with a flagged row waits for the program's regulator (clearHold) before approvals. */
export type RequestStatus = 'held' | 'pending_approval' | 'rejected' | 'instructed' | 'settled' | 'failed' | 'partial';

export interface Approval {
  approver: string;
  decision: 'approve' | 'reject';
  comment: string;
  time: string;
  txId: string;
}

export interface WageRow {
  worker: string; // SM3 hash of the worker id
  account: string;
  amount: string;
}

export interface PaymentRequest {
  program: string;
  id: string;
  kind: 'release' | 'wages';
  line: string;
  payee: string;
  amount: string;
  purpose: string;
  rail: Rail;
  requestedBy: string;
  requestedAt: string;
  required: number;
  approvals: Approval[];
  status: RequestStatus;
  reasons: Array<{ code: string; detail: string; field?: string }>;
  instructions: string[];
  month?: string;
  sheetHash?: string;
  rows?: WageRow[];
  /** Wage rows whose payee is not an individual worker's account (the sheet is held for the regulator). */
  flags?: Array<{ row: number; account: string; detail: string }>;
  hold?: { decision: 'release' | 'reject'; by: string; comment: string; time: string };
  stage?: string; // milestone in force when executed
  day?: string; // China day the funds moved
  settledAmount: string;
  failedAmount: string;
  txId: string;
}

/** release/wages count toward milestone caps; refund, arrears (from the wage deposit) and deposit do not. */
export type InstructionKind = 'release' | 'wages' | 'refund' | 'arrears' | 'deposit';

export interface Instruction {
  id: string;
  program: string;
  kind: InstructionKind;
  ref: string; // request, refund, arrears id ('' for the deposit release)
  account: string; // payout-pending account
  source: string; // account the funds came from (and return to on failure)
  payee: string;
  payeeRef: string;
  amount: string;
  rail: Rail;
  status: 'instructed' | 'settled' | 'failed';
  railRef?: string;
  reason?: string;
  instructedTx: string;
  finalTx?: string;
}

export interface Alert {
  program: string;
  seq: number;
  alert: string;
  request?: string;
  detail: string;
  time: string;
  txId: string;
}
