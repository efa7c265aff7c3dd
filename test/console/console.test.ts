/**
 * The web console in a real browser: Debian's Chromium (playwright-core) against the service as
 * `npm start` assembles it, after `lianjian demo`'s story and a few more days of work (world.ts).
 * Each role signs in with its own demo key file and does its daily work; the tests assert what a
 * person sees (names, amounts, states), one signed action per business, and write a screenshot
 * of every view to test/console/screenshots/ (not committed).
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { Browser, chromium, Page, Route } from 'playwright-core';
import { AUDITOR, BANK, CONSUMER, ENT1, ENT2, EXTRA, MERCHANT, REGULATOR, startWorld, World } from './world';
import { until } from '../support/wait';
import { spkiFingerprint } from '../../gateway/tls';
import { Transport } from '../../gateway/transport';

/** Runs `js` in the page (browser code is text here: this file compiles without the DOM lib). */
const inPage = <T>(page: Page, js: string): Promise<T> => page.evaluate<T>(js);
/** Texts of the elements matching `sel` (each cell joined by ' | ' for table rows). */
const textsOf = (page: Page, sel: string, cells = false): Promise<string[]> =>
  inPage<string[]>(
    page,
    `[...document.querySelectorAll(${JSON.stringify(sel)})].map((el) => ${
      cells ? "[...el.querySelectorAll('td')].map((td) => td.textContent).join(' | ')" : 'el.textContent'
    })`,
  );
/** Waits until `js` is true in the page (polled from here: the page's CSP forbids eval there). */
async function waitIn(page: Page, js: string): Promise<void> {
  for (const end = Date.now() + 15_000; !(await inPage<boolean>(page, js));) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${js}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
/** A data-* attribute of each element matching `sel`. */
const dataOf = (page: Page, sel: string, name: string): Promise<string[]> =>
  inPage<string[]>(page, `[...document.querySelectorAll(${JSON.stringify(sel)})].map((el) => el.dataset.${name})`);

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SHOTS = path.resolve(__dirname, '../../../test/console/screenshots');
const ROLES: Record<string, string> = {
  regulator: REGULATOR,
  auditor: AUDITOR,
  bank: BANK,
  ent1: ENT1,
  ent2: ENT2,
  merchant: MERCHANT,
  consumer: CONSUMER,
};

describe('console: task views per role in Chromium', function () {
  this.timeout(120_000);
  let world: World;
  let browser: Browser;
  const problems: string[] = [];
  const open: Page[] = [];

  before(async function () {
    if (!fs.existsSync(CHROMIUM))
      throw new Error(`Chromium not found at ${CHROMIUM}: run test/console/ensure-chromium.sh`);
    fs.mkdirSync(SHOTS, { recursive: true });
    world = await startWorld();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        ...['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
        `--ignore-certificate-errors-spki-list=${spkiFingerprint(world.tls.cert)}`, // trusts the service's key only
      ],
    });
  });
  after(async () => {
    await browser?.close();
    await world?.close();
  });
  afterEach(async () => {
    for (const p of open.splice(0)) await p.context().close();
  });

  /** A fresh tab signed in as `role` with its key file, on its home view. */
  async function signIn(role: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const page = await context.newPage();
    open.push(page);
    page.on('pageerror', (e) => problems.push(`${role} pageerror: ${e.message}`));
    // A request the browser delivered twice is refused as a replay and signed anew by the console
    // (gateway/console/api.js): that refusal is not a problem a person sees; any other 401 is.
    let replays = 0;
    page.on('response', (r) => {
      if (r.status() === 401 && /REPLAYED_NONCE/.test(r.headers()['www-authenticate'] ?? '')) replays++;
    });
    page.on('console', (m) => {
      if (m.type() !== 'error' || /status of 40[34]/.test(m.text())) return;
      if (/status of 401/.test(m.text()) && replays > 0) return void replays--;
      problems.push(`${role} console: ${m.text()}`);
    });
    await page.goto(`${world.base}/console/`);
    await page.fill('#keyfile', world.keyFile(ROLES[role]));
    await page.click('#signin');
    await page.waitForSelector('#who-name');
    await ready(page);
    return page;
  }

  /**
   * What the service answers a request the page made (a man in the middle then changes it). Sent
   * from here, trusting the service's CA only: Playwright's own route.fetch would not know it.
   */
  async function passThrough(
    route: Route,
  ): Promise<{ status: number; headers: Record<string, string>; json: unknown }> {
    const request = route.request();
    const transport = new Transport(true, { ca: world.tls.ca });
    try {
      const headers = Object.fromEntries(
        Object.entries(await request.allHeaders()).filter(([name]) => !name.startsWith(':')),
      );
      const res = await transport.send(new URL(request.url()), { method: request.method(), headers });
      const json = JSON.parse(await res.text()) as unknown;
      return { status: res.status, headers: Object.fromEntries(res.headers), json };
    } finally {
      transport.close();
    }
  }

  /** Waits until the current view has rendered with its data. */
  async function ready(page: Page, view?: string): Promise<void> {
    await page.waitForSelector(view ? `[data-view="${view}"][data-ready]` : '.view[data-ready]', { timeout: 30_000 });
  }
  /** Opens a view (a fresh render even when it is the one on screen). */
  async function visit(page: Page, hash: string, view: string): Promise<void> {
    const target = `${hash}${hash.includes('?') ? '&' : '?'}visit=${Date.now()}`;
    await inPage(
      page,
      `document.querySelector('.view')?.setAttribute('data-stale', ''); location.hash = ${JSON.stringify(target)}`,
    );
    await page.waitForSelector(`[data-view="${view}"][data-ready]:not([data-stale])`, { timeout: 30_000 });
  }
  const shot = async (page: Page, name: string): Promise<void> => {
    await inPage(page, 'window.scrollTo(0, 0)'); // sticky header and side bar where a person sees them
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  };
  const textOf = async (page: Page, sel: string) => ((await page.textContent(sel)) ?? '').replace(/\s+/g, ' ');

  it('serves the console, its SM crypto and chart libraries, and nothing outside its folder', async () => {
    const get = async (url: string): Promise<{ status: number; headers: Headers; text: string }> => {
      const transport = new Transport(true, { ca: world.tls.ca });
      const r = await transport.send(new URL(url), { method: 'GET', headers: {} });
      const out = { status: r.status, headers: r.headers, text: await r.text() };
      transport.close();
      return out;
    };
    const res = await get(`${world.base}/console/`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-security-policy')).to.include("script-src 'self'");
    expect((await get(`${world.base}/console/vendor/sm-crypto.js`)).status).to.equal(200);
    const charts = await get(`${world.base}/console/vendor/echarts.js`);
    expect(charts.status).to.equal(200);
    expect(charts.text).to.include('echarts');
    for (const bad of ['/console/..%2Fpackage.json', '/console/%2e%2e/%2e%2e/package.json', '/console/.hidden.js']) {
      const r = await get(`${world.base}${bad}`);
      expect(r.status, bad).to.not.equal(200);
    }
    // No run-time route discovery: the console calls what the API says exists.
    const dir = path.resolve(__dirname, '../../../gateway/console');
    const sources = fs
      .readdirSync(dir, { recursive: true })
      .filter((f) => String(f).endsWith('.js'))
      .map((f) => fs.readFileSync(path.join(dir, String(f)), 'utf8'))
      .join('\n');
    expect(sources).to.not.match(/getRoutes|notAvailable|openapi/);
  });

  it('refuses a key file whose private key is not the member’s, keeps the key in this tab only', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    open.push(page);
    await page.goto(`${world.base}/console/`);
    const ent1 = JSON.parse(world.keyFile(ENT1)) as { sm2: object };
    const ent2 = JSON.parse(world.keyFile(ENT2)) as { sm2: object };
    await page.fill('#keyfile', JSON.stringify({ ...ent1, sm2: ent2.sm2 }));
    await page.click('#signin');
    await page.waitForSelector('.signin-error [data-code="BAD_SIGNATURE"]');
    await page.fill('#keyfile', world.keyFile(ENT1));
    await page.click('#signin');
    await ready(page, 'accounts');
    expect(await textOf(page, '#who-name')).to.equal('闽建地产 Minjian Property');
    expect(await inPage(page, '({ session: sessionStorage.length, local: localStorage.length })')).to.deep.equal({
      session: 1,
      local: 0,
    });
    // ent1's accounts by holder (户名), with exact yuan
    const card = '[data-account="demo-ent1-main"]';
    expect(await textOf(page, `${card} .acct-holder`)).to.equal('闽建地产 Minjian Property');
    expect(await textOf(page, `${card} .balance`)).to.equal('¥1,895,000.00');
    expect(await page.locator('[data-account="demo-ent2-main"]').count()).to.equal(0);
    await shot(page, 'ent1-accounts');
  });

  it('every role sees each of its views without an API path or a field name, and no page error', async () => {
    for (const role of Object.keys(ROLES)) {
      const page = await signIn(role);
      const views = await dataOf(page, '[data-nav]', 'nav');
      expect(views.length, role).to.be.greaterThan(2);
      for (const view of views) {
        await page.click(`[data-nav="${view}"]`);
        await ready(page, view);
        await page.waitForTimeout(150); // charts finish drawing
        const seen = await inPage<string>(page, "document.querySelector('.main').innerText");
        expect(seen, `${role} ${view}`).to.not.include('/v1/');
        expect(seen.match(/\b[a-z]+[A-Z][A-Za-z]*\b/g) ?? [], `${role} ${view}: camelCase on screen`).to.deep.equal([]);
        expect(await page.locator('#view .alert.error').count(), `${role} ${view}: ${seen.slice(0, 300)}`).to.equal(0);
        await shot(page, `${role}-${view}`);
      }
    }
    expect(problems, problems.join('\n')).to.deep.equal([]);
  });

  it('drops a late render when the person has already moved on', async () => {
    const page = await signIn('regulator');
    // The reconciliation data arrives late; the person goes to accounts in the meantime.
    await page.route(/\/v1\/recon\/runs\?/, async (route) => {
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
    await page.click('[data-nav="recon"]');
    await page.click('[data-nav="accounts"]');
    await ready(page, 'accounts');
    await page.waitForTimeout(2500);
    expect(await page.locator('[data-view="recon"]').count()).to.equal(0);
    expect(await textOf(page, '#page-title')).to.equal('账户 Accounts');
    expect(await page.locator('[data-view="accounts"]').count()).to.equal(1);
  });

  it('supervision: a regulator goes from the program list to a program and approves a payment there', async () => {
    const page = await signIn('regulator');
    await ready(page, 'supervision');
    const row = '[data-program="demo-licheng-garden"]';
    expect(await textOf(page, `${row} [data-col="party"]`)).to.equal('闽建地产 Minjian Property');
    expect(await textOf(page, `${row} [data-col="released"]`)).to.equal('¥800,000.00');
    expect(await textOf(page, `${row} [data-col="milestones"]`)).to.equal('1/6');
    await page.click(`${row} .program-link`);
    await ready(page, 'supervision');
    await page.waitForSelector('[data-chart="milestones"] svg');
    const milestoneText = await textOf(page, '[data-chart="milestones"]');
    expect(milestoneText).to.include('✓ 取得预售许可 30%').and.include('○ 主体结构完成一半 50%');
    expect(await textOf(page, '[data-fig="available"] .fig-value')).to.equal('¥100,000.00');
    expect(await textOf(page, '[data-line="construction"] [data-col="payees"]')).to.equal(
      '兴化建材 Xinghua Building Supplies',
    );
    expect(await textOf(page, '[data-line="construction"] [data-col="used"]')).to.equal('¥800,000.00');
    const done = '[data-request="demo-req-1"]';
    expect((await textsOf(page, `${done} [data-approver]`)).map((x) => x.split(' · ')[1].split(' ')[0])).to.deep.equal([
      '住建局',
      '托管银行',
    ]);
    expect(await textOf(page, `${done} [data-status]`)).to.equal('已结算 Settled');
    expect(await textOf(page, '[data-instruction] [data-col="status"]')).to.equal('已结算 Settled');
    expect(await textOf(page, '[data-instruction] [data-col="rail"]')).to.equal('银行转账 Bank transfer');
    await shot(page, 'regulator-program');

    // The regulator's signed approval of the waiting request.
    const waiting = `[data-request="${EXTRA.pendingRequest.id}"]`;
    expect(await textOf(page, `${waiting} .timeline`)).to.include('等待审批（已 0/2）');
    await page.click(`${waiting} [data-action="approve"]`);
    await page.fill('#decision-comment', '同意拨付 2#楼钢筋');
    await page.click('[data-action="confirm"]');
    await page.waitForSelector(`${waiting} [data-approver="${REGULATOR}"]`);
    expect(await textOf(page, `${waiting} [data-approver="${REGULATOR}"]`)).to.include(
      '住建局 Housing Bureau 同意 approved — 同意拨付 2#楼钢筋',
    );
    expect(await textOf(page, `${waiting} .timeline`)).to.include('等待审批（已 1/2）');
    const onChain = await world
      .as(ENT1)
      .get<{ approvals: Array<{ approver: string }> }>(
        `/v1/supervision/programs/demo-licheng-garden/requests/${EXTRA.pendingRequest.id}`,
      );
    expect(onChain.approvals.map((a) => a.approver)).to.deep.equal([REGULATOR]);
  });

  it('supervision: the custodian bank gives the second approval and sees the payout settle', async () => {
    const page = await signIn('bank');
    await visit(page, '#/supervision?program=demo-licheng-garden', 'supervision');
    const waiting = `[data-request="${EXTRA.pendingRequest.id}"]`;
    await page.click(`${waiting} [data-action="approve"]`);
    await page.click('[data-action="confirm"]');
    await page.waitForSelector(`${waiting} [data-approver="${BANK}"]`);
    await until('the payout executor settles the release', async () => {
      const r = await world
        .as(BANK)
        .get<{ status: string }>(`/v1/supervision/programs/demo-licheng-garden/requests/${EXTRA.pendingRequest.id}`);
      return r.status === 'settled';
    });
    await visit(page, '#/supervision?program=demo-licheng-garden', 'supervision');
    expect(await textOf(page, `${waiting} [data-status]`)).to.equal('已结算 Settled');
    expect(await textOf(page, '[data-fig="released"] .fig-value')).to.equal('¥900,000.00');
    await shot(page, 'bank-program');
  });

  it('supervision: wage months as a calendar — paid, in arrears, not due — and the alert', async () => {
    const page = await signIn('ent1');
    await visit(page, `#/supervision?program=${EXTRA.wages.program}`, 'supervision');
    await page.waitForSelector('[data-chart="months"] svg');
    const status = (month: string) => page.getAttribute(`[data-month="${month}"]`, 'data-status');
    expect(await status(world.wages.paidMonth)).to.equal('paid');
    expect(await status(world.wages.missingMonth)).to.equal('missing');
    expect(await textOf(page, `[data-month="${world.wages.paidMonth}"]`)).to.include('已发放 Paid · ¥8,600.00');
    expect(await textOf(page, `[data-month="${world.wages.missingMonth}"]`)).to.include('欠薪 In arrears');
    expect(await textOf(page, '[data-chart="months"]'))
      .to.include('已发放')
      .and.include('欠薪');
    expect(await textOf(page, '[data-alert="WAGES_MISSING"]')).to.include('工资未按月发放');
    await shot(page, 'ent1-wages');
  });

  it('bills: ent2 signs the endorsement waiting in its inbox; the package bar shows who holds what', async () => {
    const page = await signIn('ent2');
    await visit(page, '#/bills', 'bills');
    expect(await textOf(page, '#holdings-total')).to.equal('¥300,000.00');
    const item = '[data-op="endorse"]';
    expect(await textOf(page, `${item} [data-col="from"]`)).to.equal('闽建地产 Minjian Property');
    expect(await textOf(page, `${item} [data-col="face"]`)).to.equal('¥50,000.00');
    await page.click(`${item} [data-action="sign"]`);
    await page.selectOption('#sign-account', 'demo-ent2-main');
    await page.click('[data-action="confirm"]');
    await waitIn(page, "document.querySelector('#holdings-total')?.textContent === '¥350,000.00'");
    expect(await page.locator(item).count()).to.equal(0);
    await page.click('[data-pkg="demo-bill-1"] .pkg-link');
    await ready(page, 'bills');
    await page.waitForSelector('[data-chart="ranges"] svg');
    const holders = await textsOf(page, '[data-range] [data-col="holder"]');
    const ranges = (await dataOf(page, '[data-range]', 'range')).map((r, i) => `${r} ${holders[i]}`);
    expect(ranges).to.deep.equal([
      '1-5000000 兴化建材 Xinghua Building Supplies',
      '5000001-20000000 闽建地产 Minjian Property',
      '20000001-50000000 兴化建材 Xinghua Building Supplies',
    ]);
    const bar = await textOf(page, '[data-chart="ranges"]');
    expect(bar).to.include('闽建地产 Minjian Property').and.include('¥150,000.00');
    // lineage of the first sub-ticket: issued to ent2, endorsed to ent1, endorsed back to ent2
    await page.click('[data-range="1-5000000"] .lineage-link');
    await page.waitForSelector('.timeline[data-ticket="1"]');
    const events = await dataOf(page, '.timeline[data-ticket="1"] [data-event]', 'event');
    expect(events.filter((e) => e.endsWith('Signed'))).to.deep.equal([
      'BillAcceptSigned',
      'BillReceiveSigned',
      'BillEndorseSigned',
      'BillEndorseSigned',
    ]);
    expect(await textOf(page, '.timeline[data-ticket="1"]')).to.include(
      '背书签收 Endorsement signed · 兴化建材 Xinghua Building Supplies',
    );
    await shot(page, 'ent2-bill-package');
  });

  it('prepaid: a consumer sees escrow and cooling-off; the regulator freezes a merchant and refunds everyone', async () => {
    const consumer = await signIn('consumer');
    const c1 = '[data-contract="demo-c1"]';
    expect(await textOf(consumer, `${c1} [data-col="escrow"]`)).to.equal('¥3,000.00');
    expect(await textOf(consumer, `${c1} [data-col="delivered"]`)).to.equal('¥0.00');
    expect(await textOf(consumer, `${c1} [data-col="refundable"]`)).to.equal('¥3,000.00');
    expect(await textOf(consumer, `${c1} [data-col="cooling"]`)).to.match(/^还剩 [67] 天 \d+ 小时/);
    expect(await textOf(consumer, '#escrow-total')).to.equal('¥5,400.00');

    const regulator = await signIn('regulator');
    await visit(regulator, '#/prepaid', 'prepaid');
    const m2 = `[data-merchant="${EXTRA.merchant2.id}"]`;
    await regulator.click(`${m2} [data-action="freeze"]`);
    await regulator.fill('#freeze-reason', '经营者失联 the operator cannot be reached');
    await regulator.click('[data-action="confirm"]');
    await regulator.waitForSelector(`${m2} [data-status="frozen"]`);
    await regulator.click(`${m2} [data-action="sweep"]`);
    await regulator.waitForSelector(`${m2} .sweep-progress [data-done="yes"]`);
    expect(await textOf(regulator, `${m2} .sweep-progress`)).to.include('退款 1 份，共 ¥2,400.00');
    await regulator.waitForSelector(`[data-contract="${EXTRA.merchant2.contract}"][data-status="refunded"]`);
    expect(await textOf(regulator, '#escrow-total')).to.equal('¥3,000.00');
    await shot(regulator, 'regulator-prepaid-sweep');

    await visit(consumer, '#/prepaid', 'prepaid');
    expect(await consumer.getAttribute(`[data-contract="${EXTRA.merchant2.contract}"]`, 'data-status')).to.equal(
      'refunded',
    );
    expect(await textOf(consumer, '#escrow-total')).to.equal('¥3,000.00');
  });

  it('reconciliation: a regulator reads the runs, drills into the break and checks the anchored root', async () => {
    const runs = await world.as(REGULATOR).get<Array<{ breaksTotal: number }>>('/v1/recon/runs');
    expect(runs.length, 'one run at start-up and the two the bank asked for').to.equal(3);
    const page = await signIn('regulator');
    await visit(page, '#/recon', 'recon');
    expect(await textOf(page, '#fig-breaks .fig-value')).to.equal('1');
    const cls = '[data-class="amount_mismatch"]';
    expect(await textOf(page, `${cls} [data-col="class"]`)).to.equal('金额不符 Amount mismatch');
    expect(await textOf(page, `${cls} [data-col="count"]`)).to.equal('1');
    expect(await textOf(page, `${cls} [data-col="amount"]`)).to.equal('¥10.00');
    expect(await textOf(page, '[data-chart="lines"]'))
      .to.include('相符 Matched')
      .and.include('差错 Breaks');
    await page.click('.case-row');
    await page.waitForSelector('#case-holder');
    expect(await textOf(page, '#case-holder')).to.include('兴化建材'); // the books' holder, as the bank's core has it
    expect(await textOf(page, '#case-chain-holder')).to.equal('兴化建材 Xinghua Building Supplies');
    const sides = await textsOf(page, '.side-card .amount');
    expect(sides).to.deep.equal(['¥500,010.00', '¥500,000.00']);
    expect(await textOf(page, '#case-diff')).to.include('¥10.00');
    expect(await page.locator('#resolve-case').count(), 'a regulator reads; the bank resolves').to.equal(0);
    await page.click('#check-root');
    await page.waitForSelector('#root-check [data-verified]');
    expect(await page.getAttribute('#root-check [data-verified]', 'data-verified')).to.equal('yes');
    await shot(page, 'regulator-recon-case');

    // A report changed after the fact no longer matches the root on chain.
    await page.route('**/report', async (route) => {
      const res = await passThrough(route);
      const body = res.json as { lines: string[] };
      body.lines[0] = body.lines[0].replace(/"matched":\d+/, '"matched":99');
      await route.fulfill({ status: res.status, headers: res.headers, json: body });
    });
    await page.click('#check-root');
    await page.waitForSelector('#root-check [data-verified="no"]');
  });

  it('reconciliation: the bank resolves the case with a signed note', async () => {
    const page = await signIn('bank');
    await visit(page, '#/recon', 'recon');
    await page.click('.case-row');
    await page.click('#resolve-case');
    await page.selectOption('#resolution', 'corrected_off_chain');
    await page.fill('#resolution-note', '核心系统录入错误，已冲正 keying error in the core, reversed');
    await page.click('[data-action="confirm"]');
    await page.waitForSelector('.case [data-col], .case .badge.active');
    await until('the case is resolved', async () => {
      const cases = await world.as(BANK).get<Array<{ status: string; resolution?: { by: string } }>>('/v1/recon/cases');
      return cases[0]?.status === 'resolved' && cases[0].resolution?.by === BANK;
    });
    await visit(page, '#/recon', 'recon');
    expect(await textOf(page, '.case-row [data-col="status"]')).to.equal('已结 Resolved');
  });

  it('ledger: an auditor reads who signed a transaction and verifies the signature in the browser', async () => {
    const page = await signIn('auditor');
    await ready(page, 'ledger');
    const row = page.locator('tr.tx-row', { hasText: '审批同意' }).first();
    await row.click();
    await page.waitForSelector('#verify-tx');
    expect(await textOf(page, '#tx-signer')).to.match(/托管银行 Custodian Bank|住建局 Housing Bureau/);
    expect(await textOf(page, '#tx-status')).to.equal('有效 Valid');
    await page.click('#verify-tx');
    await page.waitForSelector('#verify-result [data-verified]');
    expect(await page.getAttribute('#verify-result [data-verified]', 'data-verified')).to.equal('yes');
    expect(await textOf(page, '#verify-result'))
      .to.include('✓ 签名有效')
      .and.include('与签名一致');
    await shot(page, 'auditor-verify');

    // A body changed on the way is caught here, in the browser.
    await page.route('**/intent', async (route) => {
      const res = await passThrough(route);
      const body = res.json as { intent: { body: string } };
      body.intent.body = body.intent.body.replace('"comment":"', '"comment":"x');
      await route.fulfill({ status: res.status, headers: res.headers, json: body });
    });
    await page.click('#verify-tx');
    await page.waitForSelector('#verify-result [data-verified="no"]');
    expect(await textOf(page, '#verify-result')).to.include('与签名不一致');
  });

  it('fund flow: nodes named by holder and org, amounts on links, labels apart, click a deposit to trace it forward', async () => {
    const page = await signIn('regulator');
    // From the member list to ent2's account, then its fund flow: no id typed.
    await visit(page, '#/accounts', 'accounts');
    await page.selectOption('#owner-pick', ENT2);
    await page.click('[data-account="demo-ent2-main"] .acct-actions a');
    await ready(page, 'flow');
    await page.waitForSelector('#backward-result [data-chart="sankey"] svg');
    const chart = await inPage<{ nodes: string[]; links: string[] }>(
      page,
      `(() => {
        const option = echarts.getInstanceByDom(document.querySelector('#backward-result [data-chart="sankey"]')).getOption();
        return {
          nodes: option.series[0].data.map((d) => d.title + '|' + d.sub),
          links: option.series[0].links.map((l) => l.fen),
        };
      })()`,
    );
    expect(chart.nodes).to.include.members([
      '存入 Deposit|托管银行',
      '闽建地产|托管银行',
      '兴化建材|本账户 This account',
    ]);
    expect(chart.links).to.include('90000000'); // the two releases from the pre-sale account
    const svgText = await textOf(page, '#backward-result [data-chart="sankey"]');
    expect(svgText).to.include('闽建地产').and.include('¥900,000.00');
    // the demo's ¥1,401,543.22 plus the ¥100,000.00 release approved above
    expect(await textOf(page, '#backward-result .trace-total')).to.equal('¥1,501,543.22');
    // Visible labels do not overlap.
    const overlaps = await inPage<number>(
      page,
      `(() => {
        const boxes = [...document.querySelectorAll('#backward-result svg text')]
          .filter((t) => t.getAttribute('opacity') !== '0' && t.getBBox().width > 0)
          .map((t) => t.getBoundingClientRect());
        let n = 0;
        for (let i = 0; i < boxes.length; i++)
          for (let j = i + 1; j < boxes.length; j++) {
            const [a, b] = [boxes[i], boxes[j]];
            if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) n++;
          }
        return n;
      })()`,
    );
    expect(overlaps).to.equal(0);
    // The pre-sale deposit: click it in the picture to see where it went.
    const at = await inPage<{ x: number; y: number }>(
      page,
      `(() => {
        const el = document.querySelector('#backward-result [data-chart="sankey"]');
        const data = echarts.getInstanceByDom(el).getModel().getSeriesByIndex(0).getData();
        let index = -1;
        for (let i = 0; i < data.count(); i++) if (data.getName(i) === 'deposit:Org1MSP:demo-dep-presale') index = i;
        const layout = data.getItemLayout(index);
        const box = el.getBoundingClientRect();
        return { x: box.left + layout.x + layout.dx / 2, y: box.top + layout.y + layout.dy / 2 };
      })()`,
    );
    await page.mouse.click(at.x, at.y);
    await waitIn(page, "location.hash.includes('offTxId=demo-dep-presale')");
    await ready(page, 'flow');
    await page.waitForSelector('#forward-result [data-chart="sankey"] svg');
    expect(await textOf(page, '#forward-result .trace-total')).to.equal('¥3,000,000.00');
    const paths = await textsOf(page, '#forward-result table tbody tr', true);
    expect(paths).to.have.members([
      // each account named by its own 户名 (the supervised account's, the bank's payout account's)
      '存入 Deposit（托管银行） → 荔城花园预售监管户（托管银行） → 荔城花园预售监管户（持有 Holds it） | 持有 Held | ¥2,100,000.00',
      '存入 Deposit（托管银行） → 荔城花园预售监管户（托管银行） → 托管行监管待付户（托管银行） → 兴化建材（托管银行） → 兴化建材（持有 Holds it） | 持有 Held | ¥900,000.00',
    ]);
    await shot(page, 'regulator-flow');
    expect(problems, problems.join('\n')).to.deep.equal([]);
  });
});
