/**
 * Reconciliation as people read it (the books' bank operators, auditors, regulators; gateway/access.ts): the runs over time,
 * one case with the two rows that disagree (the books' journal line and the chain's movement),
 * one run's report lines to re-hash in the browser, and the roots anchored on chain for a day.
 * The chain side is read with the caller's own signed request, so the chaincode decides.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { notFound } from '../../chaincode/lib/errors';
import { bookSide, listRuns, reportLines, RUN_ID_RE } from '../../oracles/recon/history';
import type { Static } from '@sinclair/typebox';
import { evaluate, S } from '../plugin';
import { requireReconReader } from '../access';

const T = ['recon'];
/** Report lines a browser re-hashes; larger runs are checked with `lianjian reconcile`. */
const MAX_REPORT_LINES = 50_000;
/** History pages a case drill-down reads on chain before it gives up looking for the movement. */
const MAX_HISTORY_PAGES = 20;
const day = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'YYYY-MM-DD (China day)' });
type HistoryItem = Static<typeof S.core.HistoryEntry>;

/** The chain's movements of `account` carrying `offTxId`, read as the caller. */
async function chainRows(req: FastifyRequest, account: string, offTxId: string): Promise<HistoryItem[]> {
  const rows: HistoryItem[] = [];
  let after = '0';
  for (let page = 0; page < MAX_HISTORY_PAGES; page++) {
    const h = await evaluate<{ items: HistoryItem[]; nextAfterSeq?: number }>(req, 'Money:history', [
      account,
      after,
      '500',
    ]);
    rows.push(...h.items.filter((item) => item.ref === offTxId || String(item.ref ?? '').startsWith(`${offTxId}:`)));
    if (!h.nextAfterSeq) break;
    after = String(h.nextAfterSeq);
  }
  return rows;
}

export default function reconRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const oracles = app.oracles;

  app.get(
    '/v1/recon/runs',
    {
      schema: {
        tags: T,
        summary:
          'Whole-ledger reconciliation runs, newest first: counts and fen at stake per break class, root, anchor',
        querystring: S.record({ limit: Type.Optional(Type.String({ pattern: '^([1-9][0-9]{0,2})$' })) }),
        response: S.responses(S.ref(S.books.ReconSummaryList)),
      },
    },
    async (req) => {
      requireReconReader(req, oracles.bank);
      return listRuns(oracles.books, Number(req.query.limit ?? '60'));
    },
  );

  app.get(
    '/v1/recon/runs/:runId/report',
    {
      schema: {
        tags: T,
        summary: "One run's report lines, exactly as hashed into its SM3 root (h = SM3(h | line))",
        params: S.record({ runId: Type.String({ pattern: RUN_ID_RE.source }) }),
        response: S.responses(S.ref(S.books.ReconReport)),
      },
    },
    async (req) => {
      requireReconReader(req, oracles.bank);
      return reportLines(oracles.books, req.params.runId, MAX_REPORT_LINES);
    },
  );

  app.get(
    '/v1/recon/cases/:id',
    {
      schema: {
        tags: T,
        summary: "A case with its two sides: the books' account and journal lines, the chain's movements",
        params: S.params('id'),
        response: S.responses(S.ref(S.books.ReconCaseDetail)),
      },
    },
    async (req) => {
      requireReconReader(req, oracles.bank);
      const found = await oracles.cases.get(req.params.id);
      if (!found) throw notFound('id', `no reconciliation case ${req.params.id}`, 'CASE_NOT_FOUND');
      const books = await bookSide(oracles.books, found);
      const chainAccount = books.account?.chainAccount;
      return {
        case: found,
        ...(books.account ? { bookAccount: books.account } : {}),
        bookRows: books.rows,
        ...(chainAccount ? { chainAccount } : {}),
        chainRows: chainAccount && found.offTxId ? await chainRows(req, chainAccount, found.offTxId) : [],
      };
    },
  );

  app.get(
    '/v1/recon/anchors',
    {
      schema: {
        tags: T,
        summary: "Report roots anchored on chain for a day (Audit:listAnchors); org defaults to this service's bank",
        querystring: S.record({ day, org: Type.Optional(S.mspId) }),
        response: S.responses(S.ref(S.books.AnchorList)),
      },
    },
    async (req) => {
      const org = req.query.org ?? oracles.bank ?? req.member!.mspId;
      requireReconReader(req, org); // a bank reads its own org's anchors; regulators and auditors any
      return evaluate(req, 'Audit:listAnchors', [org, req.query.day]);
    },
  );
  return Promise.resolve();
}
