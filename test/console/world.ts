/**
 * The world the console tests look at: the service assembled as gateway/main.ts does (embedded
 * ledger, demo bootstrap, the bank's oracles running), `lianjian demo`'s story through the REST
 * API, and a few more days of work the demo does not cover: a release waiting for approval, a
 * migrant-wage program with a paid and a missing month, a bill endorsement waiting for its
 * endorsee, a second merchant with a contract to sweep, and a reconciliation break.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { runDemo } from '../../bin/demo';
import { sm3 } from '../../chaincode/lib/gm';
import { buildApp } from '../../gateway/app';
import { ensureTls } from '../../gateway/tls';
import { bootstrap } from '../../gateway/bootstrap';
import { loadConfig } from '../../gateway/config';
import { LianjianClient } from '../../gateway/sdk';
import { Guards } from '../../ledger/guard';
import { EmbeddedLedger } from '../../ledger/embedded/index';
import { createLedger } from '../../ledger/index';
import type { LedgerClient } from '../../ledger/types';
import { Wallet } from '../../ledger/wallet';
import { OracleService } from '../../oracles/service';
import { until } from '../support/wait';
import { checkResponse } from '../support/contract';

export const REGULATOR = 'Org2MSP:regulator1';
export const AUDITOR = 'Org2MSP:auditor1';
export const BANK = 'Org1MSP:bank1';
export const ENT1 = 'Org1MSP:ent1';
export const ENT2 = 'Org1MSP:ent2';
export const MERCHANT = 'Org1MSP:merchant1';
export const CONSUMER = 'Org1MSP:consumer1';

/** What the extra story adds, by the names the tests look for. */
export const EXTRA = {
  pendingRequest: { id: 'demo-req-2', amount: '10000000' },
  wages: { program: 'demo-wages', paidMonth: '', missingMonth: '', amount: '860000' },
  endorsement: { from: '1', to: '5000000' },
  merchant2: { id: 'demo-m2', plan: 'demo-plan-art12', contract: 'demo-c2', price: '240000' },
  brokenDeposit: 'demo-dep-ent2',
} as const;

export interface World {
  base: string;
  /** The service's TLS certificate and the CA clients trust. */
  tls: { cert: string; ca: string };
  dir: string;
  ledger: LedgerClient;
  app: FastifyInstance;
  oracles: OracleService;
  /** The demo members' key files. */
  walletDir: string;
  as(keyId: string): LianjianClient;
  keyFile(keyId: string): string;
  wages: { paidMonth: string; missingMonth: string };
  close(): Promise<void>;
}

/** 'YYYY-MM' of the China month `back` months before now. */
function monthBefore(back: number): string {
  const d = new Date(Date.now() + 8 * 3600_000);
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - back);
  return d.toISOString().slice(0, 7);
}

/** Builds the service, runs the demo, adds the extra story. */
export async function startWorld(): Promise<World> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lj-console-'));
  const config = { ...loadConfig({ LIANJIAN_DATA: dir }), sseHeartbeatMs: 1000 };
  const ledger = await createLedger(config);
  const walletDir = path.join(dir, 'wallet');
  const serviceWallet = new Wallet(path.join(dir, 'service'));
  await bootstrap({ ledger, demoWallet: new Wallet(walletDir), serviceWallet });
  const guards = new Guards(config.guard);
  const oracles = await OracleService.open({ dataDir: dir, guards, oracle: serviceWallet.get('Org1MSP:oracle1') });
  oracles.start({ ledger, intervalMs: 24 * 3600_000 });
  // HTTPS with the certificate the first start makes; clients and the browser trust exactly it.
  const tls = ensureTls(config.tls);
  const app = await buildApp({ ledger, config, logger: false, oracles, guards, tls, checkResponse });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `https://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const wallet = new Wallet(walletDir);
  const trust = { ca: tls.ca! };
  const as = (keyId: string): LianjianClient =>
    new LianjianClient({ baseUrl: base, identity: wallet.get(keyId)!, tls: trust });
  await runDemo({ url: base, tls: trust, walletDir, log: () => undefined });
  const wages = { paidMonth: monthBefore(2), missingMonth: monthBefore(1) };
  await extraStory({ as, oracles, ledger, wages });
  return {
    base,
    tls: { cert: tls.cert, ca: tls.ca! },
    dir,
    ledger,
    app,
    oracles,
    walletDir,
    as,
    keyFile: (keyId) => fs.readFileSync(wallet.fileOf(keyId), 'utf8'),
    wages,
    close: async () => {
      await app.close();
      await oracles.stop();
      await ledger.close();
      guards.shutdown();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

type As = (keyId: string) => LianjianClient;

interface Story {
  as: As;
  oracles: OracleService;
  ledger: LedgerClient;
  wages: { paidMonth: string; missingMonth: string };
}

async function extraStory({ as, oracles, ledger, wages }: Story) {
  // A second release waits for its approvals (at the approval threshold it needs both approvers).
  await as(ENT1).post('/v1/supervision/programs/demo-licheng-garden/requests', {
    id: EXTRA.pendingRequest.id,
    line: 'construction',
    payee: 'demo-ent2-main',
    amount: EXTRA.pendingRequest.amount,
    purpose: '2#楼钢筋 rebar for building 2',
    rail: 'bank',
  });
  await wageProgram({ as, ledger, wages });
  // ent1 endorses part of what it holds on to ent2, who has not signed yet.
  await as(ENT1).post('/v1/bills/demo-bill-1/endorse', {
    from: EXTRA.endorsement.from,
    to: EXTRA.endorsement.to,
    endorsee: ENT2,
  });
  await secondMerchant(as);
  await reconBreak(as, oracles);
}

/** Opens a chain account with a mirrored book account and funds it through the books. */
async function fundedAccount(as: As, a: { id: string; kind: string; owner: string; amount?: string }) {
  const book = `core-${a.id}`;
  await as(BANK).post('/v1/accounts', { id: a.id, kind: a.kind, owner: a.owner, offChainRef: book });
  if (!a.amount) return;
  await as(BANK).post('/v1/books/accounts', { id: book, holder: a.id, chainAccount: a.id });
  await as(BANK).post('/v1/books/deposits', { ref: `dep-${a.id}`, account: book, amount: a.amount });
  await until(`the mirror carries ${a.id}`, async () => {
    const b = await as(BANK).get<{ total: string }>(`/v1/accounts/${a.id}/balance`);
    return b.total === a.amount;
  });
}

/**
 * A migrant-wage program active for three months: one month paid to a worker, the next checked and
 * missing (欠薪 alert). Months before a program began are never missing, so the embedded ledger's
 * clock is set back while the program is set up.
 */
async function wageProgram({ as, ledger, wages }: Pick<Story, 'as' | 'ledger' | 'wages'>) {
  if (!(ledger instanceof EmbeddedLedger)) throw new Error('the wage story sets the ledger clock back: embedded only');
  const clock = ledger.now;
  ledger.now = () => clock() - 95 * 86_400_000;
  const program = EXTRA.wages.program;
  await fundedAccount(as, { id: 'demo-wage', kind: 'wage', owner: ENT1, amount: '5000000' });
  await fundedAccount(as, { id: 'demo-wage-deposit', kind: 'deposit', owner: ENT1, amount: '2000000' });
  await fundedAccount(as, { id: 'demo-wage-payout', kind: 'payout', owner: BANK });
  await as(REGULATOR).post('/v1/supervision/programs', {
    id: program,
    scenario: 'migrant_wages',
    title: '荔城花园农民工工资专户 Licheng Garden migrant wages',
    party: ENT1,
    bank: 'Org1MSP',
    keyAmount: '0',
    contractValue: '100000000',
    depositBp: 200,
    policy: { approvers: [REGULATOR, BANK], required: 1 },
    limits: { wageGraceDays: 0 },
  });
  const P = `/v1/supervision/programs/${program}`;
  for (const [account, role] of [
    ['demo-wage', 'wage'],
    ['demo-wage-deposit', 'deposit'],
    ['demo-wage-payout', 'payout'],
  ])
    await as(BANK).post(`${P}/accounts`, { account, role });
  await as(REGULATOR).post(`${P}/activate`, {});
  ledger.now = clock;
  const sheet = await as(ENT1).post<{ id: string }>(`${P}/wage-sheets`, {
    id: `wages-${wages.paidMonth}`,
    month: wages.paidMonth,
    sheetHash: sm3(`signed wage sheet ${wages.paidMonth}`),
    rows: [{ worker: sm3('worker 350102199001011234'), account: 'demo-consumer1-wallet', amount: EXTRA.wages.amount }],
  });
  await as(REGULATOR).post(`${P}/requests/${sheet.id}/approve`, { comment: '工资表核对无误 wage sheet checked' });
  await until('the wage payout settles', async () => {
    const r = await as(ENT1).get<{ status: string }>(`${P}/requests/${sheet.id}`);
    return r.status === 'settled';
  });
  await as(REGULATOR).post(`${P}/wage-checks`, { month: wages.missingMonth });
}

/** merchant1 also runs an art school; consumer1 bought a course there (the regulator sweeps it in a test). */
async function secondMerchant(as: As) {
  const m = EXTRA.merchant2;
  await as(BANK).post('/v1/accounts', {
    id: 'demo-consumer1-escrow2',
    kind: 'escrow',
    owner: CONSUMER,
    offChainRef: 'demo-consumer1-escrow2',
  });
  await as(MERCHANT).post('/v1/prepaid/merchants', {
    id: m.id,
    name: '童画美术 Tonghua Art School',
    category: 'training',
    region: 'guangdong',
    account: 'demo-merchant1-shop',
  });
  await as(REGULATOR).post(`/v1/prepaid/merchants/${m.id}/review`, { decision: 'approve' });
  await as(MERCHANT).post('/v1/prepaid/plans', {
    id: m.plan,
    merchant: m.id,
    name: '12节美术课 12 art lessons',
    mode: 'per_use',
    unitPrice: '20000',
    units: 12,
    days: 90,
    coolingOffDays: 7,
  });
  await as(CONSUMER).post('/v1/prepaid/contracts', {
    id: m.contract,
    plan: m.plan,
    wallet: 'demo-consumer1-wallet',
    escrow: 'demo-consumer1-escrow2',
  });
}

/** A clean run, then the bank's core changes a posted amount: the next run finds an amount mismatch. */
async function reconBreak(as: As, oracles: OracleService) {
  await as(BANK).post('/v1/recon/runs', {});
  const posting = await oracles.books.posting(EXTRA.brokenDeposit);
  if (!posting) throw new Error(`no posting ${EXTRA.brokenDeposit} in the books`);
  await oracles.books.tamper(posting.movements[0].offTxId, { amount: '50001000' });
  await as(BANK).post('/v1/recon/runs', {});
}
