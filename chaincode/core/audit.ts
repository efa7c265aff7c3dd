/**
 * Audit anchors: the SM3 root of each reconciliation report is written on chain, so a report
 * shown later can be proven unchanged. A day may have several runs; each root is kept once.
 */
import { Returns, Transaction } from 'fabric-contract-api';
import './models';
import { invalid } from '../lib/errors';
import { requireHex } from '../lib/validate';
import { LianjianContext, LianjianContract } from './context';
import { getJson, key, listJson, putJson, range } from './state';

export interface Anchor {
  org: string;
  day: string;
  root: string;
  by: string;
  txId: string;
  time: string;
}

const DAY_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export class AuditContract extends LianjianContract {
  constructor() {
    super('Audit');
  }

  /** Anchors a report root for a business day (YYYY-MM-DD) of the caller's org. Replay is a no-op. */
  @Transaction()
  @Returns('AnchorRecord')
  async anchor(ctx: LianjianContext, day: string, root: string): Promise<string> {
    const me = await ctx.requireRole('oracle', 'bank', 'auditor');
    if (typeof day !== 'string' || !DAY_RE.test(day)) throw invalid('day', 'day must be YYYY-MM-DD');
    requireHex(root, 'root', 32);
    const k = key('anchor', me.mspId, day, root);
    const prev = await getJson<Anchor>(ctx, k);
    if (prev) return JSON.stringify(prev);
    const a: Anchor = {
      org: me.mspId,
      day,
      root,
      by: me.handle,
      txId: ctx.stub.getTxID(),
      time: ctx.time().toISOString(),
    };
    await putJson(ctx, k, a);
    ctx.emit({ type: 'ReportAnchored', accounts: [], org: me.mspId, day, root });
    return JSON.stringify(a);
  }

  /** The roots anchored by `org` for `day`. */
  @Transaction(false)
  @Returns('AnchorRecord[]')
  async listAnchors(ctx: LianjianContext, org: string, day: string): Promise<string> {
    await ctx.requireRole('oracle', 'bank', 'auditor', 'regulator');
    if (typeof day !== 'string' || !DAY_RE.test(day)) throw invalid('day', 'day must be YYYY-MM-DD');
    return JSON.stringify(await listJson<Anchor>(ctx, range('anchor', org, day)));
  }
}
