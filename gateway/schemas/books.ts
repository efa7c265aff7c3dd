/** The bank's off-chain books and reconciliation: gateway/routes/oracles.ts and recon.ts over oracles/. */
import { Type } from '@sinclair/typebox';
import { RESOLUTIONS } from '../../oracles/recon/cases';
import { amount, id, int, named, record, ref, str, text, literals } from './common';
import { HistoryEntry } from './core';

const bookRef = Type.String({ ...id, maxLength: 60 });

// ---- requests
export const BookAccountRequest = named('BookAccountRequest', {
  id,
  holder: text(128),
  system: Type.Optional(literals(['bank', 'ecny'])),
  chainAccount: Type.Optional(id),
  color: Type.Optional(id),
  tier: Type.Optional(Type.Integer({ minimum: 1, maximum: 4 })),
});
export const BookPostingRequest = named('BookPostingRequest', {
  ref: bookRef,
  account: id,
  amount,
  counterparty: Type.Optional(text(128)),
});
export const BookTransferRequest = named('BookTransferRequest', { ref: bookRef, from: id, to: id, amount });
export const CaseResolution = named('CaseResolution', { resolution: literals(RESOLUTIONS), note: text(2000) });

// ---- answers
export const BookAccount = named('BookAccount', {
  id: str,
  system: literals(['bank', 'ecny']),
  holder: str,
  balance: amount,
  chainAccount: Type.Optional(str),
  color: Type.Optional(str),
  tier: Type.Optional(int),
  opened: str,
});
export const Movement = named('Movement', {
  seq: Type.String({ description: 'commit order, a digit string' }),
  account: str,
  direction: literals(['credit', 'debit']),
  amount,
  counterparty: str,
  time: str,
  ref: str,
  offTxId: str,
  chainAccount: Type.Optional(str),
  color: Type.Optional(str),
  origin: Type.Optional(Type.Literal('chain')),
});
export const Posting = named('Posting', {
  ref: str,
  kind: literals(['deposit', 'withdrawal', 'transfer']),
  from: Type.Optional(str),
  to: Type.Optional(str),
  amount,
  counterparty: str,
  time: str,
  origin: Type.Optional(Type.Literal('chain')),
  movements: Type.Array(ref(Movement)),
});
export const ReconCase = named('ReconCase', {
  id: str,
  class: str,
  account: str,
  offTxId: Type.Optional(str),
  book: Type.Optional(str),
  chain: Type.Optional(str),
  detail: Type.Optional(str),
  program: Type.Optional(str),
  status: literals(['open', 'resolved']),
  opened: str,
  firstRun: str,
  lastRun: str,
  alerts: int,
  resolution: Type.Optional(record({ type: literals(RESOLUTIONS), note: str, by: str, at: str })),
  log: Type.Array(record({ at: str, what: str, by: Type.Optional(str), note: Type.Optional(str) })),
});
export const ReconCaseList = Type.Array(ref(ReconCase), { $id: 'ReconCaseList' });
export const ReconSummary = named('ReconSummary', {
  runId: str,
  time: str,
  day: str,
  accounts: int,
  matched: int,
  inFlight: int,
  breaks: Type.Record(str, int, { description: 'count per break class' }),
  breaksTotal: int,
  breakAmounts: Type.Optional(Type.Record(str, amount, { description: 'fen at stake per break class' })),
  root: str,
  anchorTxId: Type.Optional(str),
  anchorError: Type.Optional(str),
});
export const ReconSummaryList = Type.Array(ref(ReconSummary), { $id: 'ReconSummaryList' });
export const ReconReport = named('ReconReport', {
  runId: str,
  day: str,
  root: str,
  lines: Type.Array(str, { description: 'exactly as hashed into the root: h = SM3(h | line)' }),
});
export const ReconCaseDetail = named('ReconCaseDetail', {
  case: ref(ReconCase),
  bookAccount: Type.Optional(ref(BookAccount)),
  bookRows: Type.Array(ref(Movement)),
  chainAccount: Type.Optional(str),
  chainRows: Type.Array(ref(HistoryEntry)),
});
export const Anchor = named('Anchor', { org: str, day: str, root: str, by: str, txId: str, time: str });
export const AnchorList = Type.Array(ref(Anchor), { $id: 'AnchorList' });
