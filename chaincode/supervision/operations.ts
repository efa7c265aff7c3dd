/** REST writes of fund supervision (gateway/routes/supervision.ts): what each request runs. */
import { arg, Operation, operation, requestId } from '../core/operation';

const program = '/v1/supervision/programs/:id';

/** The regulator changes a program's status with a reason. */
const statusOperation = (action: 'freeze' | 'unfreeze' | 'suspend' | 'resume'): Operation =>
  operation({
    method: 'POST',
    path: `${program}/${action}`,
    fn: `Supervision:${action}`,
    args: ({ params, body }) => [params.id, arg(body.reason)],
  });

export const supervisionOperations = {
  createProgram: operation({
    method: 'POST',
    path: '/v1/supervision/programs',
    fn: 'Supervision:createProgram',
    args: (input) => {
      const { id: _id, ...spec } = input.body;
      return [requestId(input), JSON.stringify({ limits: {}, ...spec })];
    },
  }),
  attachAccount: operation({
    method: 'POST',
    path: `${program}/accounts`,
    fn: 'Supervision:attachAccount',
    args: ({ params, body }) => [params.id, arg(body.account), arg(body.role)],
  }),
  setBudgetLine: operation({
    method: 'POST',
    path: `${program}/lines`,
    fn: 'Supervision:setBudgetLine',
    args: ({ params, body }) => [params.id, arg(body.line), arg(body.category), arg(body.cap), arg(body.payees)],
  }),
  activate: operation({
    method: 'POST',
    path: `${program}/activate`,
    fn: 'Supervision:activate',
    args: ({ params }) => [params.id],
  }),
  attestMilestone: operation({
    method: 'POST',
    path: `${program}/milestones/:milestone/attest`,
    fn: 'Supervision:attestMilestone',
    args: ({ params, body }) => [params.id, params.milestone, arg(body.evidenceHash)],
  }),
  freeze: statusOperation('freeze'),
  unfreeze: statusOperation('unfreeze'),
  suspend: statusOperation('suspend'),
  resume: statusOperation('resume'),
  forceRefund: operation({
    method: 'POST',
    path: `${program}/refunds`,
    fn: 'Supervision:forceRefund',
    args: (input) => [input.params.id, requestId(input), arg(input.body.refunds), arg(input.body.reason)],
  }),
  close: operation({
    method: 'POST',
    path: `${program}/close`,
    fn: 'Supervision:close',
    args: ({ params, body }) => [params.id, arg(body.reportHash)],
  }),
  requestPayment: operation({
    method: 'POST',
    path: `${program}/requests`,
    fn: 'Supervision:requestPayment',
    args: (input) => [
      input.params.id,
      requestId(input),
      arg(input.body.line),
      arg(input.body.payee),
      arg(input.body.amount),
      arg(input.body.purpose),
      arg(input.body.rail ?? 'bank'),
    ],
  }),
  approve: operation({
    method: 'POST',
    path: `${program}/requests/:request/approve`,
    fn: 'Supervision:approve',
    args: ({ params, body }) => [params.id, params.request, arg(body.comment)],
  }),
  reject: operation({
    method: 'POST',
    path: `${program}/requests/:request/reject`,
    fn: 'Supervision:reject',
    args: ({ params, body }) => [params.id, params.request, arg(body.comment)],
  }),
  clearHold: operation({
    method: 'POST',
    path: `${program}/requests/:request/hold`,
    fn: 'Supervision:clearHold',
    args: ({ params, body }) => [params.id, params.request, arg(body.decision), arg(body.comment)],
  }),
  resolveOffChainDebit: operation({
    method: 'POST',
    path: `${program}/off-chain-debits/:entry/resolve`,
    fn: 'Supervision:resolveOffChainDebit',
    args: ({ params, body }) => [params.id, params.entry, arg(body.note)],
  }),
  submitWageSheet: operation({
    method: 'POST',
    path: `${program}/wage-sheets`,
    fn: 'Supervision:submitWageSheet',
    args: (input) => [
      input.params.id,
      requestId(input),
      arg(input.body.month),
      arg(input.body.sheetHash),
      arg(input.body.rows),
    ],
  }),
  checkWages: operation({
    method: 'POST',
    path: `${program}/wage-checks`,
    fn: 'Supervision:checkWages',
    args: ({ params, body }) => [params.id, arg(body.month)],
  }),
  payArrears: operation({
    method: 'POST',
    path: `${program}/arrears`,
    fn: 'Supervision:payArrears',
    args: (input) => [input.params.id, requestId(input), arg(input.body.rows)],
  }),
  releaseWageDeposit: operation({
    method: 'POST',
    path: `${program}/wage-deposit/release`,
    fn: 'Supervision:releaseWageDeposit',
    args: ({ params, body }) => [params.id, arg(body.toAccount)],
  }),
  confirmPayout: operation({
    method: 'POST',
    path: '/v1/supervision/instructions/:id/confirm',
    fn: 'Supervision:confirmPayout',
    args: ({ params, body }) => [params.id, arg(body.railRef)],
  }),
  failPayout: operation({
    method: 'POST',
    path: '/v1/supervision/instructions/:id/fail',
    fn: 'Supervision:failPayout',
    args: ({ params, body }) => [params.id, arg(body.reason)],
  }),
};
