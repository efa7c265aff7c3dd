/**
 * Bill records and their state keys. A package (票据包) is the sub-tickets [1, N]; each
 * holding is its own key `range~<pkg>~<start>`, so acting on one range touches O(1) keys.
 */
import { key } from '../core/state';
import { padTicket, Span } from './ranges';

export type AcceptorKind = 'enterprise' | 'bank';
export type PackageStatus = 'registered' | 'accepted' | 'issued' | 'refused' | 'cancelled';

export interface BillPackage {
  pkg: string;
  drawer: string; // member handles
  drawerAccount: string;
  acceptor: string;
  acceptorKind: AcceptorKind;
  acceptorAccount?: string; // named at acceptance; pays at maturity
  payee: string;
  amount: string; // fen = N sub-tickets
  issueDate: string;
  maturity: string;
  nonTransferable: boolean; // 不得转让
  splittable: boolean;
  status: PackageStatus;
  registeredTx: string;
}

/**
 * draft/accepted: before receipt, held by the drawer. held: circulating. pledged: held, rights
 * pledged to a bank. dishonored: payment refused or unanswered, open to recourse.
 * paid/settled/cancelled/refused: terminal.
 */
export type RangeState =
  'draft' | 'accepted' | 'held' | 'pledged' | 'dishonored' | 'paid' | 'settled' | 'cancelled' | 'refused';
export const TERMINAL: readonly RangeState[] = ['paid', 'settled', 'cancelled', 'refused'];

/** An action one party asked of another, waiting for that party's answer. */
export type PendingOp = 'accept' | 'receive' | 'endorse' | 'pledge' | 'discount' | 'guarantee' | 'pay' | 'recourse';

export interface Pending {
  op: PendingOp;
  to: string; // who must answer
  by: string; // who asked
  since: string; // China date of the request
  rateBp?: number; // discount
  deadline?: string; // pay: last day to answer
  payTo?: string; // pay/recourse: the creditor and its account
  payToAccount?: string;
  /** Set when one request covered several ranges: answering one range answers them all. */
  group?: string;
  /** endorse: the endorser writes 不得转让 on its own endorsement (票据法 第三十四条). */
  noFurther?: boolean;
}

/** An endorser that wrote 不得转让 on its endorsement answers only to its own endorsee. */
export interface Restriction {
  endorser: string;
  endorsee: string;
}

export interface Guarantee {
  guarantor: string;
  forWhom: string; // the party whose liability is guaranteed
}

export interface BillRange extends Span {
  pkg: string;
  holder: string;
  account: string; // the holder's settlement account
  state: RangeState;
  /** Parties liable to the holder, oldest first: the drawer, then each endorser (incl. a discounting holder). */
  priors: string[];
  guarantors: Guarantee[];
  pledgee?: string;
  pledgeeAccount?: string;
  pending?: Pending;
  frozen?: { by: string; order: string; reason: string; since: string };
  restrictions?: Restriction[];
  dishonor?: { reason: string; date: string };
  /** Bumped on every write; orders the event log along a ticket's lineage (ranges only split). */
  seq?: number;
}

/** The holdings index entry (`holding~<holder>~<pkg>~<start>`). */
export interface HoldingEntry extends Span {
  pkg: string;
  state: RangeState;
  waiting?: PendingOp; // a request on it waits for an answer
  frozen?: true;
}

/** Append-only bill event log: one entry per action, with the range it covered. */
export interface BillEvent extends Span {
  type: string;
  pkg: string;
  by: string;
  to?: string;
  txId: string;
  time: string;
  [k: string]: unknown;
}

export const pkgKey = (pkg: string): string => key('billpkg', pkg);
export const rangeKey = (pkg: string, start: number): string => key('range', pkg, padTicket(start));
/** End index: the holding containing ticket t is the first key at or after t (forward scans only on Fabric). */
export const endKey = (pkg: string, end: number): string => key('rangeend', pkg, padTicket(end));
export const holdingKey = (holder: string, pkg: string, start: number): string =>
  key('holding', holder, pkg, padTicket(start));
export const inboxKey = (to: string, pkg: string, start: number): string => key('billinbox', to, pkg, padTicket(start));
export const partyKey = (pkg: string, handle: string): string => key('billparty', pkg, handle);
export const requestKey = (caller: string, id: string): string => key('billreq', caller, id);
/** The ranges one request covered (`group` of their pending), so one answer reaches them all. */
export const groupKey = (pkg: string, group: string): string => key('billgrp', pkg, group);

/** Money minted into bills keeps this color, so a trace shows where bill money came from and went. */
export const billColor = (pkg: string): string => `bill:${pkg}`;
