// 对账 Reconciliation: books vs chain. Runs over time, breaks by class with amounts, the cases
// with a drill-down to the account and the two rows that disagree, resolving a case (banks), and
// the day's SM3 root re-hashed here and checked against the root anchored on chain.
import { ApiError, get, post, sm3 } from '../api.js';
import { bars, calendar, lines } from '../charts.js';
import {
  badge,
  bi,
  card,
  dialog,
  empty,
  errorBox,
  figure,
  h,
  loading,
  put,
  select,
  short,
  table,
  when,
} from '../dom.js';
import { BREAK_CLASS, label, RESOLUTION, STATUS, text } from '../labels.js';
import { cny } from '../money.js';
import { accountHolder } from '../names.js';
import { hasRole, go } from '../session.js';

const CLASSES = Object.keys(BREAK_CLASS);

export async function viewRecon(root, params, view) {
  const runs = await get('/v1/recon/runs', { limit: '60' }, view.signal);
  const cases = await get('/v1/recon/cases', undefined, view.signal);
  const run = runs.find((r) => r.runId === params.get('run')) ?? runs[0];
  const head = card(bi('最近一次对账', 'Last run'), runNow(view));
  if (!run) {
    put(root, head, card(null, empty('尚未对账。', 'No reconciliation has run yet.')));
    return;
  }
  const overTime = h('div', {});
  const byDay = h('div', {});
  const byClass = h('div', {});
  const check = h('div', { id: 'root-check' });
  const detail = h('div', { id: 'case-detail' });
  put(head, h('div', { class: 'figures', id: 'run-figures', 'data-run': run.runId }, runFigures(run)));
  put(
    root,
    head,
    h(
      'div',
      { class: 'two-col' },
      card(bi('对账走势', 'Runs over time'), overTime),
      card(bi('每日差错', 'Breaks by day'), byDay),
    ),
    card(
      [...bi('差错分类', 'Breaks by class'), ' ', h('span', { class: 'muted small' }, when(run.time))],
      byClass,
      classTable(run),
    ),
    card(
      bi('上链根核验', 'Anchored root'),
      h(
        'p',
        { class: 'small' },
        bi('本次对账报告的 SM3 根', 'SM3 root of this run’s report'),
        ': ',
        h('code', { id: 'run-root', title: run.root }, short(run.root, 24)),
      ),
      h(
        'button',
        { class: 'btn primary', id: 'check-root', onclick: () => void checkRoot(check, run) },
        bi('一键核验：重算报告根并与链上锚定比对', 'Check: re-hash the report and compare with the chain'),
      ),
      check,
    ),
    card(bi('差错案件', 'Cases'), casesTable(cases, detail), detail),
  );
  const ordered = [...runs].reverse();
  await lines(overTime, {
    x: ordered.map((r) => when(r.time)),
    series: [
      { name: '相符 Matched', data: ordered.map((r) => r.matched), color: '#2e9b57' },
      { name: '差错 Breaks', data: ordered.map((r) => r.breaksTotal), color: '#d64545' },
      { name: '在途 In flight', data: ordered.map((r) => r.inFlight), color: '#e0a23a' },
    ],
  }).then((chart) => chart.on('click', (p) => go('recon', { run: ordered[p.dataIndex].runId })));
  const perDay = new Map();
  for (const r of runs) perDay.set(r.day, Math.max(perDay.get(r.day) ?? 0, r.breaksTotal));
  await calendar(byDay, { data: [...perDay], name: '差错 Breaks', max: Math.max(1, ...perDay.values()) });
  const shown = CLASSES.filter((c) => run.breaks[c] > 0);
  if (shown.length)
    await bars(byClass, {
      categories: shown.map((c) => text(BREAK_CLASS, c)),
      series: [
        { name: '涉及金额 Amount at stake', fen: shown.map((c) => run.breakAmounts?.[c] ?? '0'), color: '#d64545' },
      ],
    });
  else
    byClass.replaceChildren(h('p', { class: 'muted' }, bi('本次对账账实相符。', 'Books and chain agree in this run.')));
  const open = params.get('case');
  if (open) await showCase(detail, open, view);
}

function runNow(view) {
  if (!hasRole('bank')) return null;
  return h(
    'button',
    {
      class: 'btn secondary',
      id: 'recon-run',
      onclick: async (e) => {
        e.target.disabled = true;
        try {
          await post('/v1/recon/runs');
          view.refresh();
        } catch (err) {
          e.target.after(errorBox(err));
          e.target.disabled = false;
        }
      },
    },
    bi('立即对账', 'Run now'),
  );
}

function runFigures(run) {
  return [
    figure(bi('时间', 'Time'), when(run.time)),
    figure(bi('账户', 'Accounts'), String(run.accounts)),
    figure(bi('相符', 'Matched'), String(run.matched), { id: 'fig-matched' }),
    figure(bi('在途', 'In flight'), String(run.inFlight)),
    figure(bi('差错', 'Breaks'), String(run.breaksTotal), { id: 'fig-breaks' }),
    figure(
      bi('结论', 'Result'),
      badge(run.breaksTotal ? '有差错 Breaks' : '账实相符 Clean', run.breaksTotal ? 'frozen' : 'active'),
    ),
  ];
}

function classTable(run) {
  const rows = CLASSES.map((c) => ({ c, n: run.breaks[c] ?? 0, fen: run.breakAmounts?.[c] ?? '0' }));
  return table(
    rows,
    [
      { label: bi('类别', 'Class'), value: (r) => label(BREAK_CLASS, r.c).join(' '), key: 'class' },
      { label: bi('笔数', 'Count'), value: (r) => String(r.n), num: true, key: 'count' },
      { label: bi('涉及金额', 'Amount at stake'), value: (r) => cny(r.fen), num: true, key: 'amount' },
    ],
    { attrs: (r) => ({ 'data-class': r.c }), cls: 'data classes' },
  );
}

function casesTable(cases, detail) {
  if (!cases.length) return empty('没有差错案件。', 'No cases.');
  const sorted = [...cases].sort((a, b) =>
    a.status === b.status ? (a.opened < b.opened ? 1 : -1) : a.status === 'open' ? -1 : 1,
  );
  return table(
    sorted,
    [
      { label: bi('类别', 'Class'), value: (c) => label(BREAK_CLASS, c.class).join(' '), key: 'class' },
      { label: bi('账户', 'Account'), value: (c) => c.account, key: 'account' },
      { label: bi('账面', 'Books'), value: (c) => (c.book ? cny(c.book) : '—'), num: true, key: 'book' },
      { label: bi('链上', 'Chain'), value: (c) => (c.chain ? cny(c.chain) : '—'), num: true, key: 'chain' },
      {
        label: bi('状态', 'Status'),
        value: (c) => badge(text(STATUS, c.status), c.status === 'open' ? 'frozen' : 'active'),
        key: 'status',
      },
      { label: bi('发现于', 'Opened'), value: (c) => when(c.opened), key: 'opened' },
    ],
    {
      attrs: (c) => ({
        class: 'case-row',
        'data-case': c.id,
        onclick: () => void showCase(detail, c.id, { alive: () => true }),
      }),
    },
  );
}

/** A case's two sides: the books' line and the chain's movement, with the account they are on. */
async function showCase(el, id, view) {
  el.replaceChildren(loading());
  try {
    const d = await get(`/v1/recon/cases/${encodeURIComponent(id)}`);
    const onChain = d.chainAccount
      ? await get(`/v1/accounts/${encodeURIComponent(d.chainAccount)}`).catch(() => undefined)
      : undefined;
    const chainHolder = onChain ? (await accountHolder(onChain)).name : undefined;
    if (!view.alive()) return;
    const c = d.case;
    const book = d.bookRows[0];
    const chain = d.chainRows[0];
    const side = (title, row, amount, extra) =>
      h(
        'div',
        { class: 'side-card' },
        h('h3', {}, title),
        row
          ? h(
              'dl',
              { class: 'facts' },
              h('dt', {}, bi('金额', 'Amount')),
              h('dd', { class: 'amount' }, cny(amount)),
              h('dt', {}, bi('时间', 'Time')),
              h('dd', {}, when(row.time)),
              extra,
            )
          : h('p', { class: 'muted' }, bi('这一侧没有记录', 'Nothing on this side')),
      );
    const bookAmount = book ? (book.direction === 'debit' ? `-${book.amount}` : book.amount) : c.book;
    el.replaceChildren(
      h(
        'div',
        { class: 'case', 'data-case': c.id },
        h(
          'h3',
          {},
          label(BREAK_CLASS, c.class).join(' '),
          ' ',
          badge(text(STATUS, c.status), c.status === 'open' ? 'frozen' : 'active'),
        ),
        h(
          'p',
          {},
          bi('账户', 'Account'),
          ': ',
          h('strong', { id: 'case-holder' }, d.bookAccount?.holder ?? c.account),
          ` · ${c.account}`,
          d.chainAccount
            ? [
                ' ↔ ',
                bi('链上', 'on chain'),
                ' ',
                h('strong', { id: 'case-chain-holder' }, chainHolder ?? d.chainAccount),
                ` · ${d.chainAccount}`,
              ]
            : null,
          c.offTxId ? [' · ', bi('流水号', 'Ref'), ` ${c.offTxId}`] : null,
        ),
        h(
          'div',
          { class: 'two-col sides' },
          side(
            bi('银行账面', 'Bank books'),
            book ?? (c.book ? { time: c.opened } : undefined),
            bookAmount ?? '0',
            book ? [h('dt', {}, bi('对方', 'Counterparty')), h('dd', {}, book.counterparty || '—')] : null,
          ),
          side(
            bi('链上记录', 'On chain'),
            chain ?? (c.chain ? { time: c.opened } : undefined),
            chain?.amount ?? c.chain ?? '0',
            chain
              ? [h('dt', {}, bi('区块交易', 'Transaction')), h('dd', { class: 'mono small' }, short(chain.txId, 16))]
              : null,
          ),
        ),
        c.book && c.chain
          ? h(
              'p',
              { class: 'lead', id: 'case-diff' },
              bi('相差', 'Difference'),
              ': ',
              cny(String(absDiff(c.book, c.chain))),
            )
          : null,
        c.resolution
          ? h(
              'p',
              {},
              bi('处理', 'Resolution'),
              `: ${label(RESOLUTION, c.resolution.type).join(' ')} · ${c.resolution.note} · ${when(c.resolution.at)}`,
            )
          : null,
        c.status === 'open' && hasRole('bank')
          ? h(
              'button',
              { class: 'btn primary', id: 'resolve-case', onclick: () => resolve(c) },
              bi('处理并结案', 'Resolve'),
            )
          : null,
      ),
    );
  } catch (e) {
    el.replaceChildren(errorBox(e));
  }
}

const absDiff = (a, b) => {
  const d = BigInt(a) - BigInt(b);
  return d < 0n ? -d : d;
};

function resolve(c) {
  const kind = select(
    { name: 'resolution', id: 'resolution' },
    Object.keys(RESOLUTION).map((k) => [k, label(RESOLUTION, k).join(' ')]),
  );
  const note = h('textarea', { name: 'note', id: 'resolution-note', rows: 3, required: true });
  dialog({
    title: bi('处理差错案件', 'Resolve a case'),
    intro: `${label(BREAK_CLASS, c.class).join(' ')} · ${c.account}`,
    fields: [
      [bi('处理方式', 'Resolution'), kind],
      [bi('说明', 'Note'), note],
    ],
    run: () =>
      post(`/v1/recon/cases/${encodeURIComponent(c.id)}/resolve`, { resolution: kind.value, note: note.value.trim() }),
    onDone: () => go('recon', { case: c.id, t: Date.now() }),
  });
}

/** Re-hashes the report here (h = SM3(h | line)) and finds its root among the day's anchors on chain. */
async function checkRoot(el, run) {
  el.replaceChildren(loading());
  try {
    const report = await get(`/v1/recon/runs/${encodeURIComponent(run.runId)}/report`);
    let root = sm3(`lianjian-recon|${report.runId}`);
    for (const line of report.lines) root = sm3(`${root}|${line}`);
    const anchors = await get('/v1/recon/anchors', { day: run.day });
    const anchor = anchors.find((a) => a.root === root);
    const tx = anchor ? await get(`/v1/transactions/${encodeURIComponent(anchor.txId)}`) : undefined;
    const ok = root === run.root && !!anchor && tx?.status === 'VALID';
    el.replaceChildren(
      h(
        'div',
        { class: `alert ${ok ? 'ok' : 'error'}`, 'data-verified': ok ? 'yes' : 'no' },
        h(
          'strong',
          {},
          ok
            ? '✓ 报告未被改动，根已上链 The report is unchanged and its root is on chain'
            : '✗ 核验未通过 The check failed',
        ),
        h(
          'ul',
          {},
          h(
            'li',
            {},
            bi('本浏览器重算的根', 'Root re-hashed here'),
            `: ${short(root, 24)} (${report.lines.length} 行 lines) ${root === run.root ? '✓' : '✗'}`,
          ),
          h(
            'li',
            {},
            bi('链上锚定', 'Anchored on chain'),
            ': ',
            anchor ? `✓ ${when(anchor.time)} · ${anchor.by}` : '✗ 未找到 not found',
          ),
          tx
            ? h(
                'li',
                {},
                bi('锚定交易', 'Anchor transaction'),
                `: #${tx.blockNumber} · ${label(STATUS, tx.status).join(' ')}`,
              )
            : null,
        ),
      ),
    );
  } catch (e) {
    el.replaceChildren(
      e instanceof ApiError && e.code === 'REPORT_TOO_LARGE'
        ? h(
            'div',
            { class: 'alert info' },
            bi(
              '报告太大，请用命令行核验。',
              'The report is too large to re-hash here; check it from the command line.',
            ),
          )
        : errorBox(e),
    );
  }
}
