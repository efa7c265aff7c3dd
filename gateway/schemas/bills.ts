/** Supply-chain bill requests and answers: gateway/routes/bills.ts over chaincode/bills. */
import { Type } from '@sinclair/typebox';
import type { TObject, TSchema } from '@sinclair/typebox';
import { BILL_ACTIONS } from '../../chaincode/bills/operations';
import type { BillAction } from '../../chaincode/bills/operations';
import { amount, handle, id, int, named, record, ref, str, text, literals } from './common';

const ticket = Type.String({
  pattern: '^[1-9][0-9]{0,15}$',
  description: 'sub-ticket number (1 = the first 0.01 yuan)',
});
const date = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'YYYY-MM-DD (China calendar day)' });
const PENDING_OPS = ['accept', 'receive', 'endorse', 'pledge', 'discount', 'guarantee', 'pay', 'recourse'] as const;
const RANGE_STATES = [
  'draft',
  'accepted',
  'held',
  'pledged',
  'dishonored',
  'paid',
  'settled',
  'cancelled',
  'refused',
] as const;

export const BillRegistration = named('BillRegistration', {
  pkg: id,
  acceptor: handle,
  acceptorKind: literals(['enterprise', 'bank']),
  payee: handle,
  amount,
  issueDate: date,
  maturity: date,
  nonTransferable: Type.Optional(Type.Boolean()),
  splittable: Type.Optional(Type.Boolean()),
  drawerAccount: id,
});

/** What each body field of a range action may hold. */
const FIELDS: Record<string, TSchema> = {
  from: ticket,
  to: ticket,
  endorsee: handle,
  bank: handle,
  guarantor: handle,
  against: handle,
  rateBp: Type.String({ pattern: '^[1-9][0-9]{0,4}$', description: 'annual discount rate in basis points' }),
  op: literals(PENDING_OPS),
  account: Type.String({ pattern: '^([A-Za-z0-9][A-Za-z0-9._:-]{0,63})?$' }),
  reason: text(512),
  order: Type.String({
    pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$',
    description: "the court's order (裁定书) number",
  }),
  ranges: Type.Array(record({ from: ticket, to: ticket }), {
    minItems: 1,
    maxItems: 100,
    description: 'several ranges in one request (instead of from/to)',
  }),
  nonTransferable: Type.Boolean({ description: '不得转让 written by this endorser on its endorsement' }),
};

const pascal = (path: string): string =>
  path
    .split('-')
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');

/** Fields a range action may leave out (the others it names are required). */
const OPTIONAL: Record<string, string[]> = { sign: ['account'], freeze: ['order'] };

/**
 * The named body of a range action: `id` (defaults to the Idempotency-Key), its fields, and for a
 * ranged action `ranges` as the alternative to from/to.
 */
function billActionRequest(action: BillAction): TObject {
  const optional = OPTIONAL[action.path] ?? [];
  const extra = action.ranged ? ['ranges', ...action.ranged.filter((f) => !action.fields.includes(f))] : [];
  const required = new Set(
    action.fields.filter((f) => !optional.includes(f) && !(action.ranged && (f === 'from' || f === 'to'))),
  );
  const properties = Object.fromEntries(
    [...action.fields, ...extra].map((f) => [f, required.has(f) ? FIELDS[f] : Type.Optional(FIELDS[f])]),
  );
  return named(`Bill${pascal(action.path)}Request`, { id: Type.Optional(id), ...properties });
}

/** The request body of each range action, by its path (POST /v1/bills/:pkg/<path>). */
export const BILL_ACTION_REQUESTS: Record<string, TObject> = Object.fromEntries(
  BILL_ACTIONS.map((action) => [action.path, billActionRequest(action)]),
);

const packageFields = {
  pkg: str,
  drawer: str,
  drawerAccount: str,
  acceptor: str,
  acceptorKind: literals(['enterprise', 'bank']),
  acceptorAccount: Type.Optional(str),
  payee: str,
  amount,
  issueDate: str,
  maturity: str,
  nonTransferable: Type.Boolean(),
  splittable: Type.Boolean(),
  status: literals(['registered', 'accepted', 'issued', 'refused', 'cancelled']),
  registeredTx: str,
};
export const BillPackage = named('BillPackage', packageFields);
export const BillPackageSummary = named('BillPackageSummary', {
  ...packageFields,
  byState: Type.Record(str, amount, { description: 'face by range state' }),
  mine: amount,
  waitingForMe: int,
});
export const BillPackageList = Type.Array(ref(BillPackageSummary), { $id: 'BillPackageList' });

const pendingFields = {
  op: literals(PENDING_OPS),
  to: str,
  by: str,
  since: str,
  rateBp: Type.Optional(int),
  deadline: Type.Optional(str),
  payTo: Type.Optional(str),
  payToAccount: Type.Optional(str),
  group: Type.Optional(str),
  noFurther: Type.Optional(Type.Boolean()),
};
export const BillPending = named('BillPending', pendingFields);
const frozen = record({ by: str, order: str, reason: str, since: str });
const rangeViewFields = {
  pkg: str,
  from: int,
  to: int,
  holder: str,
  state: literals(RANGE_STATES),
  pending: Type.Optional(ref(BillPending)),
};
export const BillRangeView = named('BillRangeView', rangeViewFields);
export const BillActionResult = named(
  'BillActionResult',
  {
    ...rangeViewFields,
    frozen: Type.Optional(frozen),
    ranges: Type.Optional(Type.Array(ref(BillRangeView), { description: 'every range the request covered' })),
    interest: Type.Optional(amount),
    proceeds: Type.Optional(amount),
    days: Type.Optional(int),
  },
  { description: 'the range acted on (the first one when a request covered several)' },
);
export const PresentDueResult = named('PresentDueResult', { pkg: str, day: str, presented: int, dishonored: int });

export const BillRange = named('BillRange', {
  pkg: str,
  start: int,
  end: int,
  holder: str,
  account: str,
  state: literals(RANGE_STATES),
  priors: Type.Array(str),
  guarantors: Type.Array(record({ guarantor: str, forWhom: str })),
  pledgee: Type.Optional(str),
  pledgeeAccount: Type.Optional(str),
  pending: Type.Optional(ref(BillPending)),
  frozen: Type.Optional(frozen),
  restrictions: Type.Optional(Type.Array(record({ endorser: str, endorsee: str }))),
  dishonor: Type.Optional(record({ reason: str, date: str })),
  seq: Type.Optional(int),
});
export const BillPackageMap = named('BillPackageMap', {
  package: ref(BillPackage),
  ranges: Type.Array(ref(BillRange)),
  byState: Type.Record(str, amount),
  coverProblem: Type.Union([str, Type.Null()], { description: 'null when the ranges cover [1, N] exactly once' }),
});
export const BillHoldings = named('BillHoldings', {
  holder: str,
  count: Type.Optional(int),
  total: Type.Optional(amount),
  byPackage: Type.Optional(Type.Record(str, amount)),
  byState: Type.Optional(Type.Record(str, amount)),
  ranges: Type.Array(
    record({
      pkg: str,
      start: int,
      end: int,
      state: literals(RANGE_STATES),
      waiting: Type.Optional(literals(PENDING_OPS)),
      frozen: Type.Optional(Type.Boolean()),
    }),
  ),
  bookmark: Type.String({ description: "pass back for the next page; '' after the last" }),
});
export const BillInbox = named('BillInbox', {
  member: str,
  count: int,
  items: Type.Array(record({ ...pendingFields, pkg: str, start: int, end: int, face: amount })),
});
export const BillEvent = named(
  'BillEvent',
  { type: str, pkg: str, start: int, end: int, by: str, to: Type.Optional(str), txId: str, time: str },
  { additionalProperties: true, description: "one action on the range; each action's own facts as further fields" },
);
export const BillLineage = named('BillLineage', {
  pkg: str,
  ticket: int,
  holders: Type.Array(str),
  events: Type.Array(ref(BillEvent)),
});
export const BillLiable = named('BillLiable', {
  pkg: str,
  from: int,
  to: int,
  state: literals(RANGE_STATES),
  liable: Type.Array(str),
});
