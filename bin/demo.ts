/**
 * `lianjian demo [--url U] [--wallet DIR] [--ca FILE]`: seed a small, realistic story into a running `npm start`
 * through the REST API only, each step signed by the demo role that would do it. Every step has a
 * fixed business id and Idempotency-Key and is skipped when its result is already on the ledger,
 * so a second run changes nothing. Steps whose routes the gateway does not serve are skipped.
 */
import path from 'node:path';
import { sm3 } from '../chaincode/lib/gm';
import { ApiError, ClientTls, LianjianClient } from '../gateway/sdk';
import { Wallet } from '../ledger/wallet';
import { CONNECTION_FLAGS, CONNECTION_USAGE, connectionOf, onlyFlags } from './connect';
import { flag, parseFlags } from './flags';

export interface DemoOptions {
  url: string;
  /** The service's CA (and a client certificate when it requires one). */
  tls?: ClientTls;
  /** The demo clients' key folder (the first `npm start` writes it; LIANJIAN_WALLET). */
  walletDir: string;
  /** How long to wait for the mirror / payout oracles (ms). */
  waitMs?: number;
  log?: (line: string) => void;
}

export interface DemoResult {
  /** Steps that wrote something (0 on a re-run). */
  changed: number;
  skipped: string[];
}

const BANK = 'Org1MSP:bank1';
const ORACLE = 'Org1MSP:oracle1';
const ENT1 = 'Org1MSP:ent1';
const ENT2 = 'Org1MSP:ent2';
const MERCHANT = 'Org1MSP:merchant1';
const CONSUMER = 'Org1MSP:consumer1';
const REGULATOR = 'Org2MSP:regulator1';

/** Chain accounts: id, kind, owner, off-chain ref (the book account that mirrors it). */
export const DEMO_ACCOUNTS = [
  {
    id: 'demo-ent1-main',
    kind: 'settlement',
    owner: ENT1,
    book: 'core-demo-ent1',
    holder: '闽建地产 Minjian Property (ent1)',
    system: 'bank',
  },
  {
    id: 'demo-ent2-main',
    kind: 'settlement',
    owner: ENT2,
    book: 'core-demo-ent2',
    holder: '兴化建材 Xinghua Building Supplies (ent2)',
    system: 'bank',
  },
  {
    id: 'demo-merchant1-shop',
    kind: 'settlement',
    owner: MERCHANT,
    book: 'core-demo-merchant1',
    holder: '悦动健身 Yuedong Fitness (merchant1)',
    system: 'bank',
  },
  {
    id: 'demo-consumer1-wallet',
    kind: 'wallet',
    owner: CONSUMER,
    book: 'ecny-demo-consumer1',
    holder: '林女士 Ms Lin (consumer1)',
    system: 'ecny',
  },
  { id: 'demo-consumer1-escrow', kind: 'escrow', owner: CONSUMER, book: '', holder: '', system: '' },
  {
    id: 'demo-presale',
    kind: 'supervised',
    owner: ENT1,
    book: 'core-demo-presale',
    holder: '荔城花园预售监管户 Licheng Garden pre-sale (ent1)',
    system: 'bank',
  },
  { id: 'demo-presale-payout', kind: 'payout', owner: BANK, book: '', holder: '', system: '' },
] as const;

/** Deposits posted in the bank's books (fen), mirrored on chain by the oracle. */
export const DEMO_DEPOSITS = [
  {
    ref: 'demo-dep-ent1',
    account: 'demo-ent1-main',
    amount: '200000000',
    counterparty: '闽建地产 capital injection 注资',
  },
  {
    ref: 'demo-dep-ent2',
    account: 'demo-ent2-main',
    amount: '50000000',
    counterparty: '兴化建材 sales receipts 销售回款',
  },
  {
    ref: 'demo-dep-consumer1',
    account: 'demo-consumer1-wallet',
    amount: '2000000',
    counterparty: '林女士 e-CNY top-up 充值',
  },
  {
    ref: 'demo-dep-presale',
    account: 'demo-presale',
    amount: '300000000',
    counterparty: "购房人首付款 homebuyers' down payments",
  },
] as const;

export const DEMO_TRANSFERS = [
  {
    id: 'demo-tx-1',
    who: ENT1,
    from: 'demo-ent1-main',
    to: 'demo-ent2-main',
    amount: '12000000',
    purpose: '钢材货款 steel for Licheng Garden',
  },
  {
    id: 'demo-tx-2',
    who: ENT2,
    from: 'demo-ent2-main',
    to: 'demo-merchant1-shop',
    amount: '345678',
    purpose: '员工健身福利 staff fitness benefit',
  },
  {
    id: 'demo-tx-3',
    who: ENT2,
    from: 'demo-ent2-main',
    to: 'demo-ent1-main',
    amount: '1500000',
    purpose: '退还投标保证金 bid bond returned',
  },
] as const;

export const DEMO_PROGRAM = 'demo-licheng-garden';
export const DEMO_RELEASE = {
  id: 'demo-req-1',
  line: 'construction',
  payee: 'demo-ent2-main',
  amount: '80000000',
} as const;
export const DEMO_BILL = { pkg: 'demo-bill-1', amount: '50000000', endorsed: '20000000' } as const;
export const DEMO_PREPAID = {
  merchant: 'demo-m1',
  plan: 'demo-plan-fit20',
  contract: 'demo-c1',
  price: '300000',
} as const;
/** The account to trace in the console: its money comes from three deposits and a supervised release. */
export const TRACE_ACCOUNT = 'demo-ent2-main';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const notFound = (e: unknown) => e instanceof ApiError && (e.status === 404 || /NOT_FOUND$/.test(e.code));
/** yuan label from fen, with string math only. */
const yuan = (fen: string) =>
  `¥${(BigInt(fen) / 100n).toLocaleString('en-US')}.${String(BigInt(fen) % 100n).padStart(2, '0')}`;
/** Today and today + months, as China calendar days. */
function chinaDay(monthsAhead = 0): string {
  const d = new Date(Date.now() + 8 * 3600_000);
  d.setUTCMonth(d.getUTCMonth() + monthsAhead);
  return d.toISOString().slice(0, 10);
}

export class DemoError extends Error {}

export async function runDemo(o: DemoOptions): Promise<DemoResult> {
  const log = o.log ?? ((l: string) => console.log(l));
  const waitMs = o.waitMs ?? 30_000;
  const base = o.url.replace(/\/+$/, '');
  let changed = 0;
  const skipped: string[] = [];

  // ---- reachability, wallet, routes
  let spec: { paths?: Record<string, Record<string, unknown>> };
  try {
    const anonymous = new LianjianClient({ baseUrl: base, tls: o.tls });
    const health = await anonymous.raw('GET', '/healthz', undefined, { signal: AbortSignal.timeout(5000) });
    if (health.status !== 200) throw new Error(`GET /healthz answered ${health.status}`);
    spec = (await anonymous.get('/openapi.json', { signal: AbortSignal.timeout(5000) })) as typeof spec;
    anonymous.close();
  } catch (e) {
    const message = (e as Error).message;
    const hint = /certificate/i.test(message)
      ? "Pass the service's CA with --ca (it is <LIANJIAN_DATA>/tls/ca.crt where the service runs)."
      : 'Start it with `npm start` (or pass --url).';
    throw new DemoError(`cannot reach Lianjian at ${base} (${message}). ${hint}`);
  }
  const wallet = new Wallet(o.walletDir);
  const as = (keyId: string) => {
    const identity = wallet.get(keyId);
    if (!identity)
      throw new DemoError(
        `no key file for ${keyId} at ${wallet.fileOf(keyId)}: pass --wallet <the LIANJIAN_WALLET of the running service> (its first start writes the demo clients' keys there)`,
      );
    return new LianjianClient({ baseUrl: base, identity, tls: o.tls });
  };
  const clients = Object.fromEntries([BANK, ENT1, ENT2, MERCHANT, CONSUMER, REGULATOR].map((k) => [k, as(k)]));
  const c = (k: string) => clients[k];
  try {
    await c(BANK).get('/v1/me');
  } catch (e) {
    throw new DemoError(
      `the service at ${base} does not accept the key files in ${wallet.dir} (${(e as Error).message}): is --wallet the service's LIANJIAN_WALLET?`,
    );
  }
  const paths = spec.paths ?? {};
  // Concrete paths (or `:param` templates) matched against the spec's `{param}` templates.
  const templates = Object.keys(paths).map((t) => ({
    t,
    re: new RegExp(`^${t.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }));
  const has = (method: string, p: string) => {
    const concrete = p.replace(/:(\w+)/g, 'x');
    return templates.some(({ t, re }) => re.test(concrete) && !!paths[t][method.toLowerCase()]);
  };
  const needs = (step: string, routes: Array<[string, string]>) => {
    const missing = routes.filter(([m, p]) => !has(m, p));
    if (missing.length) {
      skipped.push(step);
      log(`- ${step}: skipped (the gateway does not serve ${missing.map(([m, p]) => `${m} ${p}`).join(', ')})`);
      return false;
    }
    return true;
  };
  /** A GET that answers undefined on 404. */
  const find = async <T = any>(who: string, p: string): Promise<T | undefined> => {
    try {
      return await c(who).get<T>(p);
    } catch (e) {
      if (notFound(e)) return undefined;
      throw e;
    }
  };
  const post = async <T = any>(who: string, p: string, body: unknown, key: string): Promise<T> => {
    changed++;
    return c(who).post<T>(p, body, { idempotencyKey: key });
  };
  const step = (label: string, did: number) => log(`✓ ${label}${did ? '' : ' (already there)'}`);

  // ---- 1. accounts
  if (
    !needs('accounts', [
      ['POST', '/v1/accounts'],
      ['GET', '/v1/accounts/:id'],
    ])
  )
    throw new DemoError('the gateway serves no accounts routes');
  let did = 0;
  for (const a of DEMO_ACCOUNTS) {
    if (await find(BANK, `/v1/accounts/${a.id}`)) continue;
    await post(
      BANK,
      '/v1/accounts',
      { id: a.id, kind: a.kind, owner: a.owner, offChainRef: a.book || `demo-${a.id}` },
      `demo-open-${a.id}`,
    );
    did++;
  }
  step(
    `bank1 opened ${DEMO_ACCOUNTS.length} accounts for ent1, ent2, merchant1, consumer1 and the pre-sale housing account demo-presale`,
    did,
  );

  // ---- 2. deposits through the bank's books; the bank's oracle mirrors them on chain
  did = 0;
  for (const a of DEMO_ACCOUNTS) {
    if (!a.book || (await find(BANK, `/v1/books/accounts/${a.book}`))) continue;
    await post(
      BANK,
      '/v1/books/accounts',
      {
        id: a.book,
        holder: a.holder,
        system: a.system,
        chainAccount: a.id,
        ...(a.system === 'ecny' ? { tier: 2 } : {}),
      },
      `demo-book-${a.book}`,
    );
    did++;
  }
  for (const d of DEMO_DEPOSITS) {
    if (await mirrored(d.account, d.ref)) continue;
    const book = DEMO_ACCOUNTS.find((a) => a.id === d.account)!.book;
    await post(
      BANK,
      '/v1/books/deposits',
      { ref: d.ref, account: book, amount: d.amount, counterparty: d.counterparty },
      `demo-${d.ref}`,
    );
    did++;
  }
  if (did) {
    log(`  waiting for the oracle to mirror ${DEMO_DEPOSITS.length} deposits on chain...`);
    const until = Date.now() + waitMs;
    for (const d of DEMO_DEPOSITS) {
      while (!(await mirrored(d.account, d.ref))) {
        if (Date.now() > until) {
          throw new DemoError(
            `deposit ${d.ref} (${yuan(d.amount)} into ${d.account}) was posted in the bank's books but not mirrored on chain within ${waitMs / 1000}s: is the oracle running (ORACLES not 'off', ORACLE_IDENTITY=${ORACLE})? Run the demo again once it is.`,
          );
        }
        await sleep(100);
      }
    }
  }
  step(
    `deposits posted in the bank's books and mirrored on chain: ${DEMO_DEPOSITS.map((d) => `${d.account} ${yuan(d.amount)}`).join(', ')}`,
    did,
  );

  /** Has the chain a deposit with this offTxId on the account (its history, as the bank reads it)? */
  async function mirrored(account: string, offTxId: string): Promise<boolean> {
    const h = await c(BANK).get<any>(`/v1/accounts/${account}/history`, { query: { limit: '500' } });
    const items: any[] = Array.isArray(h) ? h : (h.items ?? h.movements ?? []);
    return items.some((m) => m.kind === 'deposit' && m.ref === offTxId);
  }

  // ---- 3. transfers between enterprises (depth for the fund-flow picture)
  if (
    needs('transfers', [
      ['POST', '/v1/transfers'],
      ['GET', '/v1/transfers/:id'],
    ])
  ) {
    did = 0;
    for (const t of DEMO_TRANSFERS) {
      if (await find(t.who, `/v1/transfers/${t.id}`)) continue;
      await post(
        t.who,
        '/v1/transfers',
        { id: t.id, from: t.from, to: t.to, amount: t.amount, purpose: t.purpose },
        `demo-${t.id}`,
      );
      did++;
    }
    step(
      `${DEMO_TRANSFERS.length} transfers: ${DEMO_TRANSFERS.map((t) => `${t.from}→${t.to} ${yuan(t.amount)}`).join(', ')}`,
      did,
    );
  }

  // ---- 4. fund supervision: pre-sale housing, Putian preset, one budget line, one approved release
  const P = `/v1/supervision/programs/${DEMO_PROGRAM}`;
  if (
    needs('supervision', [
      ['POST', '/v1/supervision/programs'],
      ['GET', P],
      ['POST', `${P}/accounts`],
      ['POST', `${P}/lines`],
      ['POST', `${P}/activate`],
      ['POST', `${P}/requests`],
      ['GET', `${P}/requests/demo`],
      ['POST', `${P}/requests/demo/approve`],
    ])
  ) {
    did = 0;
    let program = await find(REGULATOR, P);
    if (!program) {
      const presetOk = JSON.stringify(paths['/v1/supervision/programs']?.post ?? {}).includes('putian2022');
      await post(
        REGULATOR,
        '/v1/supervision/programs',
        {
          id: DEMO_PROGRAM,
          scenario: 'presale_housing',
          title: '荔城花园 Licheng Garden pre-sale funds (Putian)',
          party: ENT1,
          bank: 'Org1MSP',
          keyAmount: '300000000',
          policy: { approvers: [REGULATOR, BANK], required: 1, requiredAbove: 2 },
          limits: { perPayment: '100000000', perDay: '150000000', approvalThreshold: '10000000' },
          ...(presetOk
            ? { preset: 'putian2022' }
            : {
                milestones: [
                  { id: 'permit', name: '取得预售许可', capBp: 3000 },
                  { id: 'completion_filing', name: '竣工验收备案', capBp: 10000 },
                ],
                retentionBp: 500,
              }),
        },
        `demo-${DEMO_PROGRAM}`,
      );
      did++;
      program = await c(REGULATOR).get(P);
    }
    const json = JSON.stringify(program);
    for (const [account, role] of [
      ['demo-presale', 'supervised'],
      ['demo-presale-payout', 'payout'],
    ]) {
      if (json.includes(`"${account}"`)) continue;
      await post(BANK, `${P}/accounts`, { account, role }, `demo-attach-${account}`);
      did++;
    }
    if (!json.includes(`"${DEMO_RELEASE.line}"`)) {
      await post(
        REGULATOR,
        `${P}/lines`,
        {
          line: DEMO_RELEASE.line,
          category: '建安工程 construction and materials',
          cap: '150000000',
          payees: [DEMO_RELEASE.payee],
        },
        `demo-line-${DEMO_RELEASE.line}`,
      );
      did++;
    }
    if (program.status !== 'active' && (await c(REGULATOR).get<any>(P)).status !== 'active') {
      await post(REGULATOR, `${P}/activate`, {}, `demo-activate-${DEMO_PROGRAM}`);
      did++;
    }
    const permitAttested = (p: any) => Array.isArray(p.attested) && p.attested.includes('permit');
    if (has('POST', `${P}/milestones/permit/attest`) && !permitAttested(await c(REGULATOR).get<any>(P))) {
      await post(
        REGULATOR,
        `${P}/milestones/permit/attest`,
        { evidenceHash: sm3('莆田市住建局 预售许可证 莆房预许字(2024)第001号') },
        `demo-attest-permit`,
      );
      did++;
    }
    step(
      `supervision program ${DEMO_PROGRAM} (presale_housing, Putian preset) with budget line '${DEMO_RELEASE.line}', permit milestone attested`,
      did,
    );

    did = 0;
    const R = `${P}/requests/${DEMO_RELEASE.id}`;
    let req = await find(ENT1, R);
    if (!req) {
      req = await post(
        ENT1,
        `${P}/requests`,
        {
          id: DEMO_RELEASE.id,
          line: DEMO_RELEASE.line,
          payee: DEMO_RELEASE.payee,
          amount: DEMO_RELEASE.amount,
          purpose: '1#楼主体结构钢材 steel for building 1',
          rail: 'bank',
        },
        `demo-${DEMO_RELEASE.id}`,
      );
      did++;
    }
    for (const who of [REGULATOR, BANK]) {
      if (req.status !== 'pending_approval') break;
      if ((req.approvals ?? []).some((a: any) => a.approver === who)) continue;
      req = await post(who, `${R}/approve`, { comment: '同意 approved' }, `demo-approve-${DEMO_RELEASE.id}-${who}`);
      did++;
    }
    if (req.status === 'rejected')
      throw new DemoError(`release ${DEMO_RELEASE.id} was rejected by the rules: ${JSON.stringify(req.reasons)}`);
    // The bank's payout executor (inside `npm start`) pays and confirms; wait for it.
    const until = Date.now() + waitMs;
    while (req.status !== 'settled' && Date.now() < until) {
      await sleep(200);
      req = await c(ENT1).get(R);
    }
    if (req.status !== 'settled')
      log(
        `  note: release ${DEMO_RELEASE.id} is '${req.status}': the payout executor has not confirmed it yet (is the oracle running?)`,
      );
    step(
      `release ${DEMO_RELEASE.id}: ${yuan(DEMO_RELEASE.amount)} to ${DEMO_RELEASE.payee}, approved by regulator1 and bank1, ${req.status}`,
      did,
    );
  }

  // ---- 5. a bill issued by ent1 to ent2, partly endorsed on
  const B = `/v1/bills/${DEMO_BILL.pkg}`;
  if (
    needs('bills', [
      ['POST', '/v1/bills'],
      ['GET', B],
      ['GET', `${B}/ranges`],
      ['POST', `${B}/present-acceptance`],
      ['POST', `${B}/sign`],
      ['POST', `${B}/present-receipt`],
      ['POST', `${B}/endorse`],
    ])
  ) {
    did = 0;
    if (!(await find(ENT1, B))) {
      await post(
        ENT1,
        '/v1/bills',
        {
          pkg: DEMO_BILL.pkg,
          acceptor: ENT1,
          acceptorKind: 'enterprise',
          payee: ENT2,
          amount: DEMO_BILL.amount,
          issueDate: chinaDay(),
          maturity: chinaDay(6),
          drawerAccount: 'demo-ent1-main',
        },
        `demo-bill-register`,
      );
      did++;
    }
    const act = async (who: string, action: string, body: any) => {
      await post(who, `${B}/${action}`, body, `demo-bill-${action}-${body.op ?? ''}-${who}`);
      did++;
    };
    // Steps in order; each is attempted only while the range map shows it has not happened yet.
    const holders = (r: any): Array<{ start: number; end: number; holder: string; state?: string }> =>
      r.ranges ?? r.items ?? [];
    let map = await c(ENT1).get<any>(`${B}/ranges`);
    const ent2Holds = () => holders(map).some((x) => x.holder === ENT2);
    const ent1HoldsEndorsed = () =>
      holders(map).some(
        (x) => x.holder === ENT1 && Number(x.start) === 1 && Number(x.end) === Number(DEMO_BILL.endorsed),
      );
    if (!ent2Holds() && !ent1HoldsEndorsed()) {
      await act(ENT1, 'present-acceptance', {});
      await act(ENT1, 'sign', { from: '1', op: 'accept', account: 'demo-ent1-main' });
      await act(ENT1, 'present-receipt', {});
      await act(ENT2, 'sign', { from: '1', op: 'receive', account: 'demo-ent2-main' });
      map = await c(ENT1).get<any>(`${B}/ranges`);
    }
    if (!ent1HoldsEndorsed()) {
      const inbox = await c(ENT1).get<any>('/v1/bills/inbox');
      const pending = (inbox.items ?? []).some((i: any) => i.pkg === DEMO_BILL.pkg && i.op === 'endorse');
      if (!pending) await act(ENT2, 'endorse', { from: '1', to: DEMO_BILL.endorsed, endorsee: ENT1 });
      await act(ENT1, 'sign', { from: '1', op: 'endorse', account: 'demo-ent1-main' });
      map = await c(ENT1).get<any>(`${B}/ranges`);
    }
    step(
      `bill ${DEMO_BILL.pkg}: ${yuan(DEMO_BILL.amount)} issued by ent1, accepted, received by ent2; ent2 endorsed ${yuan(DEMO_BILL.endorsed)} of it on (to ent1, 回头背书)`,
      did,
    );
  }

  // ---- 6. a prepaid plan by merchant1, bought by consumer1
  if (
    needs('prepaid', [
      ['POST', '/v1/prepaid/merchants'],
      ['GET', '/v1/prepaid/merchants/:id'],
      ['POST', '/v1/prepaid/merchants/:id/review'],
      ['POST', '/v1/prepaid/plans'],
      ['GET', '/v1/prepaid/plans/:id'],
      ['POST', '/v1/prepaid/contracts'],
      ['GET', '/v1/prepaid/contracts/:id'],
    ])
  ) {
    did = 0;
    const { merchant, plan, contract } = DEMO_PREPAID;
    let m = await find(MERCHANT, `/v1/prepaid/merchants/${merchant}`);
    if (!m) {
      m = await post(
        MERCHANT,
        '/v1/prepaid/merchants',
        {
          id: merchant,
          name: '悦动健身 Yuedong Fitness',
          category: 'fitness',
          region: 'guangdong',
          account: 'demo-merchant1-shop',
        },
        `demo-merchant-${merchant}`,
      );
      did++;
    }
    if (m.status !== 'approved') {
      await post(
        REGULATOR,
        `/v1/prepaid/merchants/${merchant}/review`,
        { decision: 'approve' },
        `demo-review-${merchant}`,
      );
      did++;
    }
    if (!(await find(MERCHANT, `/v1/prepaid/plans/${plan}`))) {
      await post(
        MERCHANT,
        '/v1/prepaid/plans',
        {
          id: plan,
          merchant,
          name: '20次私教课 20 personal-training sessions',
          mode: 'per_use',
          unitPrice: '15000',
          units: 20,
          days: 180,
          coolingOffDays: 7,
        },
        `demo-plan-${plan}`,
      );
      did++;
    }
    if (!(await find(CONSUMER, `/v1/prepaid/contracts/${contract}`))) {
      if (has('POST', '/v1/prepaid/wallets/:account/tier')) {
        await post(BANK, '/v1/prepaid/wallets/demo-consumer1-wallet/tier', { tier: 2 }, 'demo-tier-consumer1');
        did++;
      }
      await post(
        CONSUMER,
        '/v1/prepaid/contracts',
        { id: contract, plan, wallet: 'demo-consumer1-wallet', escrow: 'demo-consumer1-escrow' },
        `demo-contract-${contract}`,
      );
      did++;
    }
    step(
      `prepaid: merchant1's plan ${plan} (20 sessions × ¥150.00) approved and bought by consumer1 (contract ${contract}, ${yuan(DEMO_PREPAID.price)} locked in escrow)`,
      did,
    );
  }

  // ---- where to look
  const file = (k: string) => {
    const rel = path.relative(process.cwd(), wallet.fileOf(k));
    return rel.startsWith('..') ? wallet.fileOf(k) : rel;
  };
  log('');
  log(`Done: ${changed ? `${changed} writes` : 'nothing to change (already seeded)'}.`);
  log(`Open ${base}/console/ and sign in with ${file(ENT2)} (ent2), then:`);
  log(
    `  账户 Accounts → ${TRACE_ACCOUNT} → 资金穿透 Fund flow: its money traced back to ent1's, ent2's and the pre-sale deposits`,
  );
  log(
    `  sign in with ${file(REGULATOR)} (regulator1) to trace a deposit forward (e.g. Org1MSP / demo-dep-presale) and read program ${DEMO_PROGRAM}`,
  );
  return { changed, skipped };
}

const USAGE = `usage: lianjian demo ${CONNECTION_USAGE} [--wallet ./wallet]`;

export async function demoCommand(args: string[]): Promise<number> {
  let options: DemoOptions;
  try {
    const flags = parseFlags(args, ['help']);
    if (flags.help) {
      console.error(USAGE);
      return 0;
    }
    onlyFlags(flags, [...CONNECTION_FLAGS, 'wallet']);
    const { url, tls } = connectionOf(flags);
    options = { url, tls, walletDir: path.resolve(flag(flags, 'wallet', process.env.LIANJIAN_WALLET || './wallet')!) };
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  try {
    await runDemo(options);
    return 0;
  } catch (e) {
    console.error(
      e instanceof DemoError ? `lianjian demo: ${e.message}` : `lianjian demo failed: ${(e as Error).message}`,
    );
    return 1;
  }
}
