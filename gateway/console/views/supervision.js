// 资金监管 Supervision: the programs a member may read → one program: milestones as a progress
// line, budget lines, payment requests with their approval timeline, payout instructions and
// their rail status, wage months, alerts; and the actions the member's role may take, signed here.
import { get, post, sm3 } from '../api.js';
import { bars, milestoneLine, monthGrid } from '../charts.js';
import { badge, bi, card, dialog, empty, figure, h, input, put, select, table, when } from '../dom.js';
import { ALERT, INSTRUCTION_KIND, label, RAIL, SCENARIO, STATUS, text, WAGE_MONTH } from '../labels.js';
import { cny, parseYuan } from '../money.js';
import { learnHolders, holderOf, namesOf, orgName } from '../names.js';
import { hasRole, href, go, myHandle } from '../session.js';

const P = (id) => `/v1/supervision/programs/${encodeURIComponent(id)}`;
const tone = (status) =>
  ({
    active: 'active',
    settled: 'active',
    paid: 'active',
    frozen: 'frozen',
    rejected: 'frozen',
    failed: 'frozen',
    suspended: 'frozen',
  })[status] ?? '';

export async function viewSupervision(root, params, view) {
  const id = params.get('program');
  if (id) return programPage(root, id, view);
  const programs = await get('/v1/supervision/programs', undefined, view.signal);
  const names = await namesOf(programs.flatMap((p) => [p.party, p.regulator]));
  if (!programs.length) return put(root, card(null, empty('没有您可查看的监管项目。', 'No program you may read.')));
  const chartEl = h('div', {});
  put(
    root,
    card(
      bi('监管项目', 'Programs'),
      table(
        programs,
        [
          {
            label: bi('项目', 'Program'),
            value: (p) => h('a', { href: href('supervision', { program: p.id }), class: 'program-link' }, p.title),
            key: 'title',
          },
          { label: bi('场景', 'Scenario'), value: (p) => text(SCENARIO, p.scenario), key: 'scenario' },
          { label: bi('状态', 'Status'), value: (p) => badge(text(STATUS, p.status), tone(p.status)), key: 'status' },
          { label: bi('被监管方', 'Supervised party'), value: (p) => names[p.party], key: 'party' },
          { label: bi('监管机构', 'Regulator'), value: (p) => names[p.regulator], key: 'regulator' },
          { label: bi('入账', 'Deposited'), value: (p) => cny(p.deposited), num: true, key: 'deposited' },
          { label: bi('已拨付', 'Released'), value: (p) => cny(p.released), num: true, key: 'released' },
          { label: bi('监管余额', 'Held'), value: (p) => cny(p.held), num: true, key: 'held' },
          {
            label: bi('节点', 'Milestones'),
            value: (p) => (p.milestones ? `${p.attested}/${p.milestones}` : '—'),
            key: 'milestones',
          },
          {
            label: bi('待审批', 'Waiting'),
            value: (p) => (p.waiting ? badge(String(p.waiting), 'warn') : '0'),
            key: 'waiting',
          },
          {
            label: bi('预警', 'Alerts'),
            value: (p) => (p.alerts ? badge(String(p.alerts), 'frozen') : '0'),
            key: 'alerts',
          },
        ],
        { attrs: (p) => ({ 'data-program': p.id }) },
      ),
      chartEl,
    ),
  );
  await bars(chartEl, {
    categories: programs.map((p) => p.title),
    series: [
      { name: '已拨付 Released', fen: programs.map((p) => p.released), color: '#0f9d8a', stack: 'm' },
      { name: '监管余额 Held', fen: programs.map((p) => p.held), color: '#c4cad6', stack: 'm' },
    ],
  });
}

async function programPage(root, id, view) {
  const [program, report, requests, instructions, alerts, holders, wages] = await Promise.all([
    get(P(id), undefined, view.signal),
    get(`${P(id)}/report`, undefined, view.signal),
    get(`${P(id)}/requests`, undefined, view.signal),
    get(`${P(id)}/instructions`, undefined, view.signal),
    get(`${P(id)}/alerts`, undefined, view.signal),
    get(`${P(id)}/holders`, undefined, view.signal),
    get(`${P(id)}/wage-months`, undefined, view.signal),
  ]);
  learnHolders(holders.holders);
  const linePayees = new Map(holders.lines.map((l) => [l.id, l.payees]));
  const names = await namesOf([
    program.party,
    program.regulator,
    ...program.policy.approvers,
    ...requests.flatMap((r) => [r.requestedBy, ...r.approvals.map((a) => a.approver)]),
  ]);
  const acct = (a) => holderOf(a)?.name ?? a;
  const ctx = { program, report, requests, instructions, names, acct, linePayees, view };
  const milestonesEl = h('div', {});
  const linesEl = h('div', {});
  const wagesEl = h('div', {});
  put(
    root,
    h('p', {}, h('a', { href: href('supervision') }, '← ', bi('全部项目', 'All programs'))),
    card(
      [program.title, ' ', badge(text(STATUS, program.status), tone(program.status), { id: 'program-status' })],
      h(
        'p',
        { class: 'muted' },
        `${text(SCENARIO, program.scenario)} · `,
        bi('被监管方', 'Party'),
        ` ${names[program.party]} · `,
        bi('监管机构', 'Regulator'),
        ` ${names[program.regulator]} · `,
        bi('托管银行', 'Custodian bank'),
        ` ${await orgName(program.bank)}`,
      ),
      h(
        'div',
        { class: 'figures', id: 'program-figures' },
        figure(bi('重点监管额度', 'Key amount'), cny(report.keyAmount)),
        figure(bi('入账', 'Deposited'), cny(report.deposited), { 'data-fig': 'deposited' }),
        figure(bi('已拨付', 'Released'), cny(report.released), { 'data-fig': 'released' }),
        figure(bi('拨付中', 'In payout'), cny(report.pending)),
        figure(bi('可拨付', 'Releasable now'), cny(report.available), { 'data-fig': 'available' }),
        figure(bi('留存', 'Retained'), cny(report.retained)),
      ),
      actionsBar(ctx),
    ),
    program.milestones.length
      ? card(bi('节点进度', 'Milestones'), milestonesEl, milestoneTable(program, report))
      : null,
    report.lines.length ? card(bi('预算科目', 'Budget lines'), linesEl, linesTable(report, ctx)) : null,
    card(bi('监管账户', 'Program accounts'), accountsTable(program, acct)),
    card(bi('用款申请与审批', 'Payment requests and approvals'), requestsList(ctx)),
    card(bi('拨付指令', 'Payout instructions'), instructionsTable(instructions, acct)),
    wages.months.length ? card(bi('工资发放月历', 'Wage months'), wagesEl) : null,
    card(bi('预警', 'Alerts'), alertsTable(alerts)),
  );
  if (program.milestones.length)
    await milestoneLine(milestonesEl, {
      keyAmount: report.keyAmount,
      released: report.released,
      pending: report.pending,
      available: report.available,
      retained: report.retained,
      milestones: program.milestones.map((m) => ({ ...m, attested: program.attested.includes(m.id) })),
    });
  if (report.lines.length)
    await bars(linesEl, {
      categories: report.lines.map((l) => l.category),
      series: [
        { name: '预算 Cap', fen: report.lines.map((l) => l.cap), color: '#c4cad6' },
        { name: '已用 Used', fen: report.lines.map((l) => l.used), color: '#0f9d8a' },
      ],
    });
  if (wages.months.length) await wageCalendar(wagesEl, wages.months);
}

function milestoneTable(program, report) {
  return table(
    program.milestones,
    [
      { label: bi('节点', 'Milestone'), value: (m) => m.name, key: 'name' },
      {
        label: bi('累计拨付上限', 'Cumulative cap'),
        value: (m) => `${m.capBp / 100}% · ${cny(String((BigInt(report.keyAmount) * BigInt(m.capBp)) / 10000n))}`,
        num: true,
        key: 'cap',
      },
      {
        label: bi('状态', 'State'),
        value: (m) => (program.attested.includes(m.id) ? badge('已确认 Attested', 'active') : badge('未到达 Not yet')),
        key: 'state',
      },
    ],
    { attrs: (m) => ({ 'data-milestone': m.id }) },
  );
}

function linesTable(report, ctx) {
  return table(
    report.lines,
    [
      { label: bi('科目', 'Line'), value: (l) => l.category, key: 'category' },
      { label: bi('预算', 'Cap'), value: (l) => cny(l.cap), num: true, key: 'cap' },
      { label: bi('已用', 'Used'), value: (l) => cny(l.used), num: true, key: 'used' },
      { label: bi('余额', 'Remaining'), value: (l) => cny(l.remaining), num: true, key: 'remaining' },
      {
        label: bi('收款人（定向）', 'Payees (whitelist)'),
        value: (l) => (ctx.linePayees.get(l.id) ?? []).map(ctx.acct).join('、') || '—',
        key: 'payees',
      },
    ],
    { attrs: (l) => ({ 'data-line': l.id }) },
  );
}

/** Each request with its timeline: asked → each approval → instructed → settled. */
function requestsList({ program, requests, names, acct }) {
  if (!requests.length) return empty('暂无用款申请。', 'No payment requests yet.');
  const sorted = [...requests].sort((a, b) => (a.requestedAt < b.requestedAt ? 1 : -1));
  return h(
    'div',
    { class: 'requests' },
    sorted.map((r) =>
      h(
        'article',
        { class: 'request', 'data-request': r.id },
        h(
          'div',
          { class: 'request-head' },
          h('strong', {}, r.purpose),
          ' ',
          h('span', { class: 'amount' }, cny(r.amount)),
          ' → ',
          r.kind === 'wages' ? bi(`${r.rows?.length ?? 0} 名工人`, `${r.rows?.length ?? 0} worker(s)`) : acct(r.payee),
          ' ',
          badge(text(STATUS, r.status), tone(r.status), { 'data-status': r.status }),
        ),
        h(
          'ol',
          { class: 'timeline' },
          h(
            'li',
            { class: 'done' },
            `${when(r.requestedAt)} · ${names[r.requestedBy] ?? r.requestedBy} `,
            bi('提交申请', 'asked'),
          ),
          r.approvals.map((a) =>
            h(
              'li',
              { class: a.decision === 'approve' ? 'done' : 'bad', 'data-approver': a.approver },
              `${when(a.time)} · ${names[a.approver]} `,
              a.decision === 'approve' ? bi('同意', 'approved') : bi('驳回', 'rejected'),
              a.comment ? ` — ${a.comment}` : '',
            ),
          ),
          r.status === 'pending_approval'
            ? h(
                'li',
                { class: 'waiting' },
                bi(
                  `等待审批（已 ${r.approvals.length}/${r.required}）`,
                  `waiting for approval (${r.approvals.length} of ${r.required})`,
                ),
              )
            : null,
          r.reasons.length ? h('li', { class: 'bad' }, r.reasons.map((x) => text(ALERT, x.code)).join('、')) : null,
          ['instructed', 'settled', 'partial', 'failed'].includes(r.status)
            ? h(
                'li',
                { class: 'done' },
                bi(`已下达 ${r.instructions.length} 笔拨付指令`, `${r.instructions.length} payout instruction(s)`),
              )
            : null,
          r.status === 'settled'
            ? h('li', { class: 'done' }, bi('资金已到账', 'paid out'), ` ${cny(r.settledAmount)}`)
            : null,
        ),
        approveButtons(program, r),
      ),
    ),
  );
}

function approveButtons(program, r) {
  const mine = myHandle();
  if (
    r.status !== 'pending_approval' ||
    !program.policy.approvers.includes(mine) ||
    r.approvals.some((a) => a.approver === mine)
  )
    return null;
  const decide = (decision) => {
    const comment = input({
      name: 'comment',
      id: 'decision-comment',
      required: decision === 'reject',
      value: decision === 'approve' ? '同意 approved' : '',
    });
    dialog({
      title: decision === 'approve' ? bi('同意用款', 'Approve the payment') : bi('驳回用款', 'Reject the payment'),
      intro: `${r.purpose} · ${cny(r.amount)}`,
      fields: [[bi('意见', 'Comment'), comment]],
      run: () =>
        post(`${P(program.id)}/requests/${encodeURIComponent(r.id)}/${decision}`, { comment: comment.value.trim() }),
      onDone: () => go('supervision', { program: program.id, t: Date.now() }),
    });
  };
  return h(
    'div',
    { class: 'request-actions' },
    h(
      'button',
      { class: 'btn primary small', 'data-action': 'approve', onclick: () => decide('approve') },
      bi('同意', 'Approve'),
    ),
    h(
      'button',
      { class: 'btn ghost small', 'data-action': 'reject', onclick: () => decide('reject') },
      bi('驳回', 'Reject'),
    ),
  );
}

const ACCOUNT_ROLE = {
  supervised: '监管户 Supervised',
  payout: '待付户 Payout pending',
  wage: '工资专户 Wages',
  deposit: '保证金户 Wage deposit',
};

/** The program's own accounts, each a way into its fund flow. */
function accountsTable(program, acct) {
  const rows = Object.entries(program.accounts).flatMap(([role, ids]) => ids.map((id) => ({ role, id })));
  if (!rows.length) return empty('尚未绑定账户。', 'No accounts attached yet.');
  return table(
    rows,
    [
      { label: bi('用途', 'Role'), value: (r) => ACCOUNT_ROLE[r.role] ?? r.role, key: 'role' },
      { label: bi('户名', 'Holder'), value: (r) => acct(r.id), key: 'holder' },
      { label: bi('账号', 'Account'), value: (r) => r.id, key: 'account' },
      {
        label: bi('资金穿透', 'Fund flow'),
        value: (r) => h('a', { href: href('flow', { account: r.id }), class: 'trace-link' }, '穿透 Trace →'),
        key: 'trace',
      },
    ],
    { attrs: (r) => ({ 'data-program-account': r.id }) },
  );
}

function instructionsTable(instructions, acct) {
  if (!instructions.length) return empty('暂无拨付指令。', 'No payout instructions yet.');
  return table(
    instructions,
    [
      { label: bi('类型', 'Kind'), value: (i) => text(INSTRUCTION_KIND, i.kind), key: 'kind' },
      { label: bi('收款人', 'Payee'), value: (i) => acct(i.payee), key: 'payee' },
      { label: bi('金额', 'Amount'), value: (i) => cny(i.amount), num: true, key: 'amount' },
      { label: bi('通道', 'Rail'), value: (i) => text(RAIL, i.rail), key: 'rail' },
      {
        label: bi('通道状态', 'Rail status'),
        value: (i) => badge(text(STATUS, i.status), tone(i.status)),
        key: 'status',
      },
      { label: bi('通道流水', 'Rail reference'), value: (i) => i.railRef ?? i.reason ?? '—', key: 'ref' },
    ],
    { attrs: (i) => ({ 'data-instruction': i.id }) },
  );
}

function alertsTable(alerts) {
  if (!alerts.length) return empty('没有预警。', 'No alerts.');
  return table(
    [...alerts].reverse(),
    [
      { label: bi('时间', 'Time'), value: (a) => when(a.time), key: 'time' },
      { label: bi('预警', 'Alert'), value: (a) => h('strong', {}, text(ALERT, a.alert)), key: 'alert' },
      { label: bi('说明', 'Detail'), value: (a) => a.detail, key: 'detail' },
    ],
    { attrs: (a) => ({ 'data-alert': a.alert }) },
  );
}

const WAGE_PIECES = [
  { code: 'paid', color: '#2e9b57' },
  { code: 'pending', color: '#2e7bd6' },
  { code: 'missing', color: '#d64545' },
  { code: 'unpaid', color: '#e0a23a' },
  { code: 'not_due', color: '#dfe3ea' },
].map((p) => ({ ...p, label: text(WAGE_MONTH, p.code), short: label(WAGE_MONTH, p.code)[0] }));

async function wageCalendar(el, months) {
  const list = h(
    'ul',
    { class: 'wage-months' },
    months.map((m) =>
      h(
        'li',
        { 'data-month': m.month, 'data-status': m.status },
        `${m.month} · ${text(WAGE_MONTH, m.status)}${m.amount ? ` · ${cny(m.amount)}` : ''}`,
      ),
    ),
  );
  const chartEl = h('div', {});
  el.replaceChildren(chartEl, list);
  await monthGrid(chartEl, {
    months: months.map((m) => ({ ...m, note: m.amount ? cny(m.amount) : '' })),
    pieces: WAGE_PIECES,
  });
}

/** The actions this member may take on the program, each signed in the browser. */
function actionsBar({ program, report, linePayees }) {
  const buttons = [];
  const reload = () => go('supervision', { program: program.id, t: Date.now() });
  if (hasRole('regulator') && myHandle() === program.regulator) {
    const next = program.milestones.find((m) => !program.attested.includes(m.id));
    if (next)
      buttons.push(
        h(
          'button',
          { class: 'btn secondary', 'data-action': 'attest', onclick: () => attest(program, next, reload) },
          bi(`确认节点：${next.name}`, 'Attest the next milestone'),
        ),
      );
    const freezing = program.status !== 'frozen';
    buttons.push(
      h(
        'button',
        {
          class: `btn ${freezing ? 'danger' : 'secondary'}`,
          'data-action': freezing ? 'freeze' : 'unfreeze',
          onclick: () => freeze(program, freezing, reload),
        },
        freezing ? bi('冻结项目', 'Freeze') : bi('解冻项目', 'Unfreeze'),
      ),
    );
  }
  if (myHandle() === program.party && report.lines.length)
    buttons.push(
      h(
        'button',
        {
          class: 'btn primary',
          'data-action': 'request',
          onclick: () => requestPayment(program, report, linePayees, reload),
        },
        bi('用款申请', 'Request a payment'),
      ),
    );
  return buttons.length ? h('div', { class: 'actions' }, buttons) : null;
}

function attest(program, milestone, done) {
  const evidence = h('textarea', {
    id: 'evidence',
    rows: 3,
    required: true,
    placeholder: '例：预售许可证 莆房预许字(2024)第001号',
  });
  dialog({
    title: bi(`确认节点：${milestone.name}`, 'Attest a milestone'),
    intro: bi('证明材料的 SM3 摘要将写入链上。', 'The SM3 digest of the evidence goes on chain.'),
    fields: [[bi('证明材料', 'Evidence'), evidence]],
    run: () =>
      post(`${P(program.id)}/milestones/${encodeURIComponent(milestone.id)}/attest`, {
        evidenceHash: sm3(evidence.value.trim()),
      }),
    onDone: done,
  });
}

function freeze(program, freezing, done) {
  const reason = input({ id: 'reason', required: true });
  dialog({
    title: freezing ? bi('冻结项目', 'Freeze the program') : bi('解冻项目', 'Unfreeze the program'),
    intro: program.title,
    fields: [[bi('原因', 'Reason'), reason]],
    run: () => post(`${P(program.id)}/${freezing ? 'freeze' : 'unfreeze'}`, { reason: reason.value.trim() }),
    onDone: done,
  });
}

function requestPayment(program, report, linePayees, done) {
  const line = select(
    { id: 'line' },
    report.lines.map((l) => [l.id, `${l.category} · 余额 Remaining ${cny(l.remaining)}`]),
  );
  const payee = select({ id: 'payee' }, []);
  const options = () =>
    payee.replaceChildren(
      ...(linePayees.get(line.value) ?? []).map((a) => h('option', { value: a }, holderOf(a)?.name ?? a)),
    );
  options();
  line.addEventListener('change', options);
  const amount = input({ id: 'amount', required: true, inputmode: 'decimal', placeholder: '0.00' });
  const purpose = input({ id: 'purpose', required: true });
  dialog({
    title: bi('用款申请', 'Request a payment'),
    intro: program.title,
    fields: [
      [bi('预算科目', 'Budget line'), line],
      [bi('收款人', 'Payee'), payee],
      [bi('金额（元）', 'Amount (yuan)'), amount],
      [bi('用途', 'Purpose'), purpose],
    ],
    run: () =>
      post(`${P(program.id)}/requests`, {
        line: line.value,
        payee: payee.value,
        amount: parseYuan(amount.value),
        purpose: purpose.value.trim(),
        rail: 'bank',
      }),
    onDone: done,
  });
}
