// 票据 Bills: what a member holds (totals by package and state), the packages it is party to, one
// package as a bar from sub-ticket 1 to N coloured by holder and patterned by state, a
// sub-ticket's lineage, and the inbox of requests to sign or refuse, signed here.
import { get, post } from '../api.js';
import { bars, PALETTE, rangeBar } from '../charts.js';
import { badge, bi, card, dialog, empty, figure, h, input, put, select, stat, stats, table, when } from '../dom.js';
import { BILL_EVENT, BILL_OP, label, STATUS, text } from '../labels.js';
import { cny } from '../money.js';
import { namesOf } from '../names.js';
import { hasRole, href, go } from '../session.js';

const B = (pkg) => `/v1/bills/${encodeURIComponent(pkg)}`;
const tone = (s) =>
  ({ held: 'active', issued: 'active', accepted: 'active', pledged: 'warn', dishonored: 'frozen', refused: 'frozen' })[
    s
  ] ?? '';

export async function viewBills(root, params, view) {
  const pkg = params.get('pkg');
  if (pkg) return packagePage(root, pkg, params, view);
  const supervisor = hasRole('regulator', 'auditor', 'court');
  const [holdings, packages, inbox] = await Promise.all([
    supervisor ? undefined : get('/v1/bills', undefined, view.signal),
    get('/v1/bills/packages', undefined, view.signal),
    supervisor ? undefined : get('/v1/bills/inbox', undefined, view.signal),
  ]);
  const names = await namesOf([
    ...packages.flatMap((p) => [p.drawer, p.acceptor, p.payee]),
    ...(inbox?.items ?? []).map((i) => i.by),
  ]);
  const byState = h('div', {});
  put(
    root,
    holdings
      ? stats(
          stat(bi('持有票据金额', 'Face held'), cny(holdings.total), 'holdings-total'),
          stat(bi('持有区间数', 'Ranges held'), String(holdings.count), 'holdings-count'),
          stat(bi('待签收', 'To sign'), String(inbox.count), 'inbox-count'),
        )
      : null,
    inbox ? card(bi('待办：待我签收', 'Inbox: waiting for my signature'), inboxTable(inbox.items, names, view)) : null,
    holdings && Object.keys(holdings.byState).length
      ? card(bi('持有票据按状态', 'What I hold by state'), byState)
      : null,
    card(bi('票据包', 'Bill packages'), packagesTable(packages, names)),
  );
  if (holdings && Object.keys(holdings.byState).length) {
    const states = Object.keys(holdings.byState);
    await bars(byState, {
      categories: states.map((s) => text(STATUS, s)),
      series: [{ name: '票面 Face', fen: states.map((s) => holdings.byState[s]), color: '#5b6cf0' }],
    });
  }
}

function packagesTable(packages, names) {
  if (!packages.length) return empty('没有您可查看的票据包。', 'No bill package you may read.');
  return table(
    packages,
    [
      {
        label: bi('票据包号', 'Package'),
        value: (p) => h('a', { href: href('bills', { pkg: p.pkg }), class: 'pkg-link' }, p.pkg),
        key: 'pkg',
      },
      { label: bi('出票人', 'Drawer'), value: (p) => names[p.drawer], key: 'drawer' },
      { label: bi('承兑人', 'Acceptor'), value: (p) => names[p.acceptor], key: 'acceptor' },
      { label: bi('收款人', 'Payee'), value: (p) => names[p.payee], key: 'payee' },
      { label: bi('票面金额', 'Face'), value: (p) => cny(p.amount), num: true, key: 'amount' },
      { label: bi('我持有', 'Mine'), value: (p) => cny(p.mine), num: true, key: 'mine' },
      { label: bi('到期日', 'Maturity'), value: (p) => p.maturity, key: 'maturity' },
      { label: bi('状态', 'Status'), value: (p) => badge(text(STATUS, p.status), tone(p.status)), key: 'status' },
    ],
    { attrs: (p) => ({ 'data-pkg': p.pkg }) },
  );
}

function inboxTable(items, names, view) {
  if (!items.length) return empty('没有待签收的请求。', 'Nothing waits for you.');
  return table(
    items,
    [
      { label: bi('请求', 'Request'), value: (i) => text(BILL_OP, i.op), key: 'op' },
      { label: bi('来自', 'From'), value: (i) => names[i.by] ?? i.by, key: 'from' },
      {
        label: bi('票据包', 'Package'),
        value: (i) => h('a', { href: href('bills', { pkg: i.pkg }) }, i.pkg),
        key: 'pkg',
      },
      { label: bi('子票区间', 'Sub-tickets'), value: (i) => `${i.start}–${i.end}`, key: 'range' },
      { label: bi('金额', 'Face'), value: (i) => cny(i.face), num: true, key: 'face' },
      { label: bi('日期', 'Since'), value: (i) => i.since, key: 'since' },
      { label: bi('操作', 'Action'), value: (i) => inboxActions(i, view), key: 'action' },
    ],
    { attrs: (i) => ({ 'data-inbox': `${i.pkg}:${i.start}`, 'data-op': i.op }) },
  );
}

/** Which of my accounts an answer needs: where money arrives (receive, endorse, pledge) or leaves (accept, discount, pay). */
const NEEDS_ACCOUNT = ['accept', 'receive', 'endorse', 'pledge', 'discount', 'pay', 'recourse'];

function inboxActions(item, view) {
  const reload = () => go('bills', { t: Date.now() });
  const sign = async () => {
    const mine = NEEDS_ACCOUNT.includes(item.op) ? await get('/v1/accounts', undefined, view.signal) : [];
    const account = select(
      { id: 'sign-account' },
      mine.filter((a) => a.status === 'active' && !a.program).map((a) => [a.id, `${a.id} · ${cny(a.balance)}`]),
    );
    dialog({
      title: bi(`签收：${label(BILL_OP, item.op)[0]}`, `Sign: ${label(BILL_OP, item.op)[1]}`),
      intro: `${item.pkg} · ${item.start}–${item.end} · ${cny(item.face)}`,
      fields: mine.length ? [[bi('我的账户', 'My account'), account]] : [],
      run: () =>
        post(`${B(item.pkg)}/sign`, {
          from: String(item.start),
          op: item.op,
          ...(mine.length ? { account: account.value } : {}),
        }),
      onDone: reload,
    });
  };
  const refuse = () => {
    const reason = input({ id: 'refuse-reason', required: true });
    dialog({
      title: bi(`拒绝：${label(BILL_OP, item.op)[0]}`, `Refuse: ${label(BILL_OP, item.op)[1]}`),
      intro: `${item.pkg} · ${item.start}–${item.end}`,
      fields: [[bi('原因', 'Reason'), reason]],
      run: () => post(`${B(item.pkg)}/reject`, { from: String(item.start), op: item.op, reason: reason.value.trim() }),
      onDone: reload,
    });
  };
  return h(
    'span',
    { class: 'row-actions' },
    h('button', { class: 'btn primary small', 'data-action': 'sign', onclick: () => void sign() }, bi('签收', 'Sign')),
    h('button', { class: 'btn ghost small', 'data-action': 'refuse', onclick: refuse }, bi('拒绝', 'Refuse')),
  );
}

async function packagePage(root, pkg, params, view) {
  const map = await get(`${B(pkg)}/ranges`, undefined, view.signal);
  const p = map.package;
  const holders = [...new Set(map.ranges.map((r) => r.holder))];
  const names = await namesOf([p.drawer, p.acceptor, p.payee, ...holders, ...map.ranges.map((r) => r.pending?.to)]);
  const color = (holder) => PALETTE[holders.indexOf(holder) % PALETTE.length];
  const barEl = h('div', { id: 'range-bar' });
  const lineage = h('div', { id: 'lineage' });
  put(
    root,
    h('p', {}, h('a', { href: href('bills') }, '← ', bi('全部票据', 'All bills'))),
    card(
      ['票据包 Bill package ', h('span', { id: 'pkg-id' }, p.pkg), ' ', badge(text(STATUS, p.status), tone(p.status))],
      h(
        'div',
        { class: 'figures' },
        figure(bi('票面金额', 'Face'), cny(p.amount)),
        figure(bi('出票人', 'Drawer'), names[p.drawer]),
        figure(bi('承兑人', 'Acceptor'), names[p.acceptor]),
        figure(bi('收款人', 'Payee'), names[p.payee]),
        figure(bi('出票日', 'Issued'), p.issueDate),
        figure(bi('到期日', 'Maturity'), p.maturity),
      ),
      h('h3', {}, bi(`子票 1–${p.amount}（每张 0.01 元）`, `Sub-tickets 1 to ${p.amount} (0.01 yuan each)`)),
      barEl,
      h(
        'div',
        { class: 'legend-row' },
        holders.map((x) => h('span', { class: 'lg' }, h('i', { class: 'sw', 'data-holder': x }), names[x])),
      ),
      table(
        map.ranges,
        [
          { label: bi('子票区间', 'Sub-tickets'), value: (r) => `${r.start}–${r.end}`, key: 'range' },
          { label: bi('持票人', 'Holder'), value: (r) => names[r.holder], key: 'holder' },
          { label: bi('状态', 'State'), value: (r) => badge(text(STATUS, r.state), tone(r.state)), key: 'state' },
          { label: bi('金额', 'Face'), value: (r) => cny(String(r.end - r.start + 1)), num: true, key: 'face' },
          {
            label: bi('待办', 'Waiting'),
            value: (r) => (r.pending ? `${text(BILL_OP, r.pending.op)} → ${names[r.pending.to]}` : '—'),
            key: 'pending',
          },
          {
            label: bi('流转', 'Lineage'),
            value: (r) =>
              h('a', { href: href('bills', { pkg, ticket: r.start }), class: 'lineage-link' }, bi('查看', 'Show')),
            key: 'lineage',
          },
        ],
        { attrs: (r) => ({ 'data-range': `${r.start}-${r.end}`, 'data-holder': r.holder, 'data-state': r.state }) },
      ),
    ),
    card(bi('子票流转', 'Sub-ticket lineage'), lineage),
  );
  for (const sw of root.querySelectorAll('.sw[data-holder]')) sw.style.background = color(sw.dataset.holder);
  await rangeBar(barEl, {
    total: p.amount,
    ranges: map.ranges.map((r) => ({ ...r, holderName: names[r.holder], stateLabel: text(STATUS, r.state) })),
    colorOfHolder: color,
    onClick: (r) => go('bills', { pkg, ticket: r.start }),
  });
  const ticket = params.get('ticket') ?? String(map.ranges[map.ranges.length - 1]?.start ?? 1);
  await showLineage(lineage, pkg, ticket, view);
}

async function showLineage(el, pkg, ticket, view) {
  const l = await get(`${B(pkg)}/lineage/${encodeURIComponent(ticket)}`, undefined, view.signal);
  const names = await namesOf(l.events.flatMap((e) => [e.by, e.to]));
  el.replaceChildren(
    h('p', { class: 'muted' }, bi(`子票 ${l.ticket} 的每一次流转`, `Every action that carried sub-ticket ${l.ticket}`)),
    h(
      'ol',
      { class: 'timeline', 'data-ticket': l.ticket },
      l.events.map((e) =>
        h(
          'li',
          { class: 'done', 'data-event': e.type },
          `${when(e.time)} · ${text(BILL_EVENT, e.type)} · ${names[e.by] ?? e.by}${e.to ? ` → ${names[e.to] ?? e.to}` : ''} · ${e.start}–${e.end}`,
        ),
      ),
    ),
  );
}
