/**
 * Reconciliation cases: each real break becomes a case in the bank operators' inbox and raises
 * an alert on every run while it is open. Resolving it (with a note and a resolution type) stops
 * the alerts; the case and its log are kept for audit. Stored in the books' meta store.
 */
import { EventEmitter } from 'node:events';
import { LedgerError } from '../../chaincode/lib/errors';
import { sm3 } from '../../chaincode/lib/gm';
import { requireOneOf, requireText } from '../../chaincode/lib/validate';
import type { Books } from '../books/types';
import type { BreakClass, ReconRow } from './merge';

export const RESOLUTIONS = ['corrected_off_chain', 'compensating_mirror', 'accepted'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export interface ReconCase {
  id: string;
  class: BreakClass;
  account: string;
  offTxId?: string;
  book?: string;
  chain?: string;
  /** What disagreed, for people (the row's detail when the case opened). */
  detail?: string;
  /** unapproved_debit: the supervision program whose money moved. */
  program?: string;
  status: 'open' | 'resolved';
  opened: string;
  firstRun: string;
  lastRun: string;
  alerts: number;
  resolution?: { type: Resolution; note: string; by: string; at: string };
  log: Array<{ at: string; what: string; by?: string; note?: string }>;
}

/** A break is the same case while its class, place and amounts stay the same. */
export const caseIdOf = (r: ReconRow): string =>
  'RC' + sm3([r.class, r.account, r.offTxId ?? '', r.side ?? '', r.book ?? '', r.chain ?? ''].join('|')).slice(0, 24);

export class CaseBook extends EventEmitter {
  constructor(private readonly books: Books) {
    super();
  }

  get(id: string): Promise<ReconCase | undefined> {
    return this.books.getMeta<ReconCase>(`case/${id}`);
  }

  /** Records a break seen by run `runId`; alerts unless its case is resolved. */
  async observe(row: ReconRow, runId: string): Promise<ReconCase> {
    const id = caseIdOf(row);
    const now = new Date().toISOString();
    let c = await this.get(id);
    if (!c) {
      c = {
        id,
        class: row.class,
        account: row.account,
        ...(row.offTxId ? { offTxId: row.offTxId } : {}),
        ...(row.book ? { book: row.book } : {}),
        ...(row.chain ? { chain: row.chain } : {}),
        ...(row.detail ? { detail: row.detail } : {}),
        ...(row.program ? { program: row.program } : {}),
        status: 'open',
        opened: now,
        firstRun: runId,
        lastRun: runId,
        alerts: 0,
        log: [{ at: now, what: `opened by run ${runId}` }],
      };
    }
    c.lastRun = runId;
    if (c.status === 'open') {
      c.alerts++;
      this.emit('alert', {
        type: 'Alert',
        alert: 'RECON_BREAK',
        caseId: id,
        class: c.class,
        account: c.account,
        offTxId: c.offTxId,
        book: c.book,
        chain: c.chain,
        detail: c.detail,
      });
    }
    await this.books.putMeta(`case/${id}`, c);
    return c;
  }

  async resolve(id: string, r: { resolution: string; note: string; by: string }): Promise<ReconCase> {
    const c = await this.get(id);
    if (!c) throw new LedgerError('CASE_NOT_FOUND', `no reconciliation case ${id}`, 'id', 404);
    const type = requireOneOf(r.resolution, RESOLUTIONS, 'resolution');
    const note = requireText(r.note, 'note', 2000);
    const by = requireText(r.by, 'by', 130);
    if (c.status === 'resolved') {
      if (c.resolution?.type === type && c.resolution.note === note) return c;
      throw new LedgerError('CASE_RESOLVED', `case ${id} was already resolved`, 'id', 409);
    }
    const at = new Date().toISOString();
    c.status = 'resolved';
    c.resolution = { type, note, by, at };
    c.log.push({ at, what: `resolved: ${type}`, by, note });
    await this.books.putMeta(`case/${id}`, c);
    return c;
  }

  /** The operators' inbox (open cases) or every case. */
  async list(status?: ReconCase['status']): Promise<ReconCase[]> {
    const out: ReconCase[] = [];
    for await (const { value } of this.books.listMeta<ReconCase>('case/'))
      if (!status || value.status === status) out.push(value);
    return out;
  }
}
