/** The bank's off-chain books and reconciliation: gateway/routes/oracles.ts and recon.ts over oracles/. */
import { Type } from '@sinclair/typebox';
import { RESOLUTIONS } from '../../oracles/recon/cases';
import { amount, id, int, named, record, ref, str, text } from './common';
import { HistoryEntry } from './core';

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const opt = Type.Optional;
const bookRef = Type.String({ ...id, maxLength: 60 });

// ---- requests
export const BookAccountRequest = named('BookAccountRequest', {
  id,
  holder: text(128),
  system: opt(literals(['bank', 'ecny'])),
  chainAccount: opt(id),
  color: opt(id),
  tier: opt(Type.Integer({ minimum: 1, maximum: 4 })),
});
export const BookPostingRequest = named('BookPostingRequest', {
  ref: bookRef,
  account: id,
  amount,
  counterparty: opt(text(128)),
});
export const BookTransferRequest = named('BookTransferRequest', { ref: bookRef, from: id, to: id, amount });
export const CaseResolution = named('CaseResolution', { resolution: literals(RESOLUTIONS), note: text(2000) });

// ---- answers
export const BookAccount = named('BookAccount', {
  id: str,
  system: literals(['bank', 'ecny']),
  holder: str,
  balance: amount,
  chainAccount: opt(str),
  color: opt(str),
  tier: opt(int),
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
  chainAccount: opt(str),
  color: opt(str),
  origin: opt(Type.Literal('chain')),
});
export const Posting = named('Posting', {
  ref: str,
  kind: literals(['deposit', 'withdrawal', 'transfer']),
  from: opt(str),
  to: opt(str),
  amount,
  counterparty: str,
  time: str,
  origin: opt(Type.Literal('chain')),
  movements: Type.Array(ref(Movement)),
});
export const ReconCase = named('ReconCase', {
  id: str,
  class: str,
  account: str,
  offTxId: opt(str),
  book: opt(str),
  chain: opt(str),
  detail: opt(str),
  program: opt(str),
  status: literals(['open', 'resolved']),
  opened: str,
  firstRun: str,
  lastRun: str,
  alerts: int,
  resolution: opt(record({ type: literals(RESOLUTIONS), note: str, by: str, at: str })),
  log: Type.Array(record({ at: str, what: str, by: opt(str), note: opt(str) })),
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
  breakAmounts: opt(Type.Record(str, amount, { description: 'fen at stake per break class' })),
  root: str,
  anchorTxId: opt(str),
  anchorError: opt(str),
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
  bookAccount: opt(ref(BookAccount)),
  bookRows: Type.Array(ref(Movement)),
  chainAccount: opt(str),
  chainRows: Type.Array(ref(HistoryEntry)),
});
export const Anchor = named('Anchor', { org: str, day: str, root: str, by: str, txId: str, time: str });
export const AnchorList = Type.Array(ref(Anchor), { $id: 'AnchorList' });
