/** REST writes of supply-chain bills (gateway/routes/bills.ts): what each request runs. */
import { arg, Operation, operation, requestId } from '../core/operation';

/** A range action: POST /v1/bills/:pkg/<path> → Bills:<fn>(id, pkg, ...fields). */
export interface BillAction {
  path: string;
  fn: string;
  /** Body fields in chaincode argument order, after the request id and the package. */
  fields: string[];
  /** Also takes a set of ranges (`ranges`, or from/to) through `<fn>Ranges`: these fields follow the set. */
  ranged?: string[];
}

export const BILL_ACTIONS: BillAction[] = [
  { path: 'present-acceptance', fn: 'presentAcceptance', fields: [] },
  { path: 'present-receipt', fn: 'presentReceipt', fields: [] },
  { path: 'cancel', fn: 'cancel', fields: ['reason'] },
  { path: 'endorse', fn: 'endorse', fields: ['from', 'to', 'endorsee'], ranged: ['endorsee', 'nonTransferable'] },
  { path: 'pledge', fn: 'pledge', fields: ['from', 'to', 'bank'] },
  { path: 'discount', fn: 'discount', fields: ['from', 'to', 'bank', 'rateBp'], ranged: ['bank', 'rateBp'] },
  { path: 'guarantee', fn: 'guarantee', fields: ['from', 'to', 'guarantor'] },
  { path: 'sign', fn: 'sign', fields: ['from', 'op', 'account'] },
  { path: 'reject', fn: 'reject', fields: ['from', 'op', 'reason'] },
  { path: 'revoke', fn: 'revoke', fields: ['from', 'op'] },
  { path: 'release', fn: 'release', fields: ['from', 'to'] },
  { path: 'present-payment', fn: 'presentPayment', fields: ['from', 'to'], ranged: [] },
  { path: 'recourse', fn: 'recourse', fields: ['from', 'to', 'against'] },
  { path: 'freeze', fn: 'freeze', fields: ['from', 'to', 'order', 'reason'] },
  { path: 'unfreeze', fn: 'unfreeze', fields: ['from', 'reason'] },
];

/** The operation of a range action. */
export const billActionOperation = (action: BillAction): Operation =>
  operation({
    method: 'POST',
    path: `/v1/bills/:pkg/${action.path}`,
    fn: `Bills:${action.fn}`,
    args: (input) => [requestId(input), input.params.pkg, ...action.fields.map((f) => arg(input.body[f]))],
  });

/**
 * The operation of a range action over a set of ranges (`<fn>Ranges`): the body's `ranges`, or
 * its one from/to range, then the action's fields.
 */
export const billRangesOperation = (action: BillAction): Operation =>
  operation({
    method: 'POST',
    path: `/v1/bills/:pkg/${action.path}`,
    fn: `Bills:${action.fn}Ranges`,
    args: (input) => [
      requestId(input),
      input.params.pkg,
      JSON.stringify(input.body.ranges ?? [{ from: input.body.from, to: input.body.to }]),
      ...(action.ranged ?? []).map((f) => arg(input.body[f])),
    ],
  });

/** Whether a request for a ranged action names a set (or 不得转让) and so runs `<fn>Ranges`. */
export const usesRanges = (action: BillAction, body: Record<string, unknown>): boolean =>
  !!action.ranged && (body.ranges !== undefined || body.nonTransferable !== undefined);

export const billOperations = {
  register: operation({
    method: 'POST',
    path: '/v1/bills',
    fn: 'Bills:register',
    args: ({ body }) => [
      arg(body.pkg),
      arg(body.acceptor),
      arg(body.acceptorKind),
      arg(body.payee),
      arg(body.amount),
      arg(body.issueDate),
      arg(body.maturity),
      arg(body.nonTransferable ?? false),
      arg(body.splittable ?? true),
      arg(body.drawerAccount),
    ],
  }),
  presentDue: operation({
    method: 'POST',
    path: '/v1/bills/:pkg/present-due',
    fn: 'Bills:presentDue',
    args: ({ params }) => [params.pkg],
  }),
  ...Object.fromEntries(BILL_ACTIONS.map((action) => [action.fn, billActionOperation(action)])),
  ...Object.fromEntries(
    BILL_ACTIONS.filter((action) => action.ranged).map((action) => [`${action.fn}Ranges`, billRangesOperation(action)]),
  ),
};
