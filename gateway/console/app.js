// The Lianjian console: sign in with a wallet key file, then read accounts, fund flows (资金穿透),
// the ledger and its live events, and the business views whose routes the gateway serves.
import { api, ApiError, get, getPublic, loadIdentity, parseKeyFile, saveIdentity, signOut, stream } from './api.js';
import { bars, reconBars, sankey, strip } from './charts.js';
import { cny, sumFen, toFen, yuan } from './money.js';

// ---------------------------------------------------------------------------------------------
// DOM helpers (text only: nothing from the server is ever parsed as HTML)

function h(tag, attrs = {}, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const k of kids.flat(Infinity))
    if (k !== undefined && k !== null && k !== false)
      el.append(k instanceof Node ? k : document.createTextNode(String(k)));
  return el;
}
const $ = (sel, root = document) => root.querySelector(sel);
/** root.append without the 'null' text nodes of absent parts. */
const put = (el, ...kids) =>
  el.append(...kids.flat(Infinity).filter((k) => k !== undefined && k !== null && k !== false));
const short = (x, n = 10) => (x && x.length > n + 2 ? `${x.slice(0, n)}…` : (x ?? ''));
const when = (iso) => (iso ? new Date(iso).toLocaleString('zh-CN', { hour12: false }) : '—');
const errorBox = (err) =>
  h(
    'div',
    { class: 'alert error', role: 'alert' },
    h('strong', {}, err instanceof ApiError ? err.code : 'Error'),
    ' ',
    err instanceof ApiError ? err.message.replace(/^[A-Z_]+: /, '') : String(err?.message ?? err),
  );
const loading = () => h('div', { class: 'muted loading' }, 'Loading 加载中…');
const card = (title, ...kids) => h('section', { class: 'card' }, title ? h('h2', {}, title) : null, ...kids);
const bi = (zh, en) => [h('span', { class: 'zh' }, zh), ' ', h('span', { class: 'en' }, en)];

const WATCHERS = ['regulator', 'auditor', 'bank', 'oracle'];
const state = { me: undefined, accounts: undefined, openapi: undefined, cleanup: [] };

// ---------------------------------------------------------------------------------------------
// Sign-in

function renderSignIn(message) {
  const root = $('#app');
  root.replaceChildren();
  const err = h('div', { class: 'signin-error', role: 'alert' }, message ?? '');
  const area = h('textarea', {
    id: 'keyfile',
    rows: 7,
    spellcheck: 'false',
    placeholder: '{"keyId": "Org1MSP:ent1", "sm2": {"privateKey": "…", "publicKey": "04…"}, …}',
  });
  const file = h('input', {
    type: 'file',
    id: 'keyfile-input',
    accept: '.json,application/json',
    onchange: async () => {
      const f = file.files?.[0];
      if (f) area.value = await f.text();
    },
  });
  const submit = async (ev) => {
    ev.preventDefault();
    err.textContent = '';
    try {
      const id = parseKeyFile(area.value.trim());
      saveIdentity(id);
      state.me = await get('/v1/me'); // the gateway checks the signature: a wrong key fails here
      area.value = '';
      location.hash = '#/accounts';
      renderShell();
    } catch (e) {
      signOut();
      err.textContent =
        e instanceof ApiError ? `${e.code}: ${e.message.replace(/^[A-Z_]+: /, '')}` : String(e.message ?? e);
    }
  };
  put(
    root,
    h(
      'div',
      { class: 'signin' },
      h(
        'div',
        { class: 'signin-card' },
        h(
          'div',
          { class: 'brand big' },
          h('span', { class: 'logo' }, '链'),
          h(
            'div',
            {},
            h('div', { class: 'brand-name' }, '链监 Lianjian'),
            h('div', { class: 'brand-sub' }, '监管资金区块链 · Regulated money ledger'),
          ),
        ),
        h('h1', {}, bi('登录', 'Sign in')),
        h(
          'p',
          { class: 'muted' },
          'Choose your identity key file — the wallet JSON at ',
          h('code', {}, '$LIANJIAN_WALLET/<mspId>/<name>.json (./wallet for the demo)'),
          ' that ',
          h('code', {}, 'npm start'),
          ' printed — or paste its content.',
        ),
        h(
          'form',
          { onsubmit: submit },
          h('label', { class: 'file' }, file, h('span', { class: 'btn secondary' }, '选择密钥文件 Choose key file')),
          h('label', { for: 'keyfile', class: 'field-label' }, '或粘贴 Or paste the key file'),
          area,
          err,
          h('button', { type: 'submit', id: 'signin', class: 'btn primary wide' }, '登录 Sign in'),
        ),
        h(
          'p',
          { class: 'fine' },
          '🔒 The private key stays in this browser tab (sessionStorage) and signs each request with SM2/SM3; it is never sent to the gateway.',
        ),
      ),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Shell and routing

const NAV = [
  { path: 'accounts', zh: '账户', en: 'Accounts', view: viewAccounts },
  { path: 'flow', zh: '资金穿透', en: 'Fund flow', view: viewFlow },
  { path: 'ledger', zh: '账本', en: 'Ledger', view: viewLedger },
  { path: 'recon', zh: '对账', en: 'Reconciliation', view: viewRecon },
  { path: 'supervision', zh: '资金监管', en: 'Supervision', view: (m) => viewDomain(m, DOMAINS.supervision) },
  { path: 'bills', zh: '票据', en: 'Bills', view: (m) => viewDomain(m, DOMAINS.bills) },
  { path: 'prepaid', zh: '预付资金', en: 'Prepaid', view: (m) => viewDomain(m, DOMAINS.prepaid) },
];

function route() {
  const [p, q] = location.hash.replace(/^#\/?/, '').split('?');
  return { name: p || 'accounts', params: new URLSearchParams(q ?? '') };
}

function renderShell() {
  const id = loadIdentity();
  const roles = state.me?.roles ?? id.roles ?? [];
  const root = $('#app');
  root.replaceChildren(
    h(
      'div',
      { class: 'shell' },
      h(
        'aside',
        { class: 'side' },
        h(
          'div',
          { class: 'brand' },
          h('span', { class: 'logo' }, '链'),
          h(
            'div',
            {},
            h('div', { class: 'brand-name' }, '链监 Lianjian'),
            h('div', { class: 'brand-sub' }, 'Console 控制台'),
          ),
        ),
        h(
          'nav',
          {},
          NAV.map((n) =>
            h(
              'a',
              { href: `#/${n.path}`, 'data-nav': n.path },
              h('span', { class: 'zh' }, n.zh),
              h('span', { class: 'en' }, n.en),
            ),
          ),
        ),
        h('div', { class: 'side-foot' }, h('a', { href: '/docs', target: '_blank', rel: 'noopener' }, 'API docs ↗')),
      ),
      h(
        'div',
        { class: 'main' },
        h(
          'header',
          { class: 'top' },
          h('h1', { id: 'page-title' }),
          h(
            'div',
            { class: 'who' },
            h('div', { class: 'who-id' }, h('span', { class: 'dot' }), h('span', { id: 'who-key' }, id.keyId)),
            h(
              'div',
              { class: 'roles' },
              roles.map((r) => h('span', { class: 'chip' }, r)),
            ),
            h(
              'button',
              {
                class: 'btn ghost',
                id: 'signout',
                onclick: () => {
                  signOut();
                  state.me = undefined;
                  state.accounts = undefined;
                  location.hash = '';
                  renderSignIn();
                },
              },
              '退出 Sign out',
            ),
          ),
        ),
        h('main', { id: 'view' }),
      ),
    ),
  );
  show();
}

async function show() {
  if (!loadIdentity()) return renderSignIn();
  for (const f of state.cleanup.splice(0)) f();
  const r = route();
  const nav = NAV.find((n) => n.path === r.name) ?? NAV[0];
  for (const a of document.querySelectorAll('[data-nav]')) a.classList.toggle('active', a.dataset.nav === nav.path);
  const title = $('#page-title');
  if (!title) return;
  title.replaceChildren(h('span', { class: 'zh' }, nav.zh), ' ', h('span', { class: 'en' }, nav.en));
  const main = $('#view');
  main.replaceChildren(loading());
  const mount = h('div', { class: 'view', 'data-view': nav.path });
  try {
    await nav.view(mount, r.params);
    main.replaceChildren(mount);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      signOut();
      return renderSignIn(`${e.code}: session ended — sign in again`);
    }
    main.replaceChildren(errorBox(e));
  }
}

const roles = () => state.me?.roles ?? loadIdentity()?.roles ?? [];
const isWatcher = () => roles().some((r) => WATCHERS.includes(r));

async function myAccounts(refresh = false) {
  if (!state.accounts || refresh) state.accounts = await get('/v1/accounts').catch(() => []);
  return state.accounts;
}

// ---------------------------------------------------------------------------------------------
// (1) Accounts

async function viewAccounts(root, params) {
  const owner = params.get('owner') ?? '';
  const accounts = owner ? await get('/v1/accounts', { owner }) : await myAccounts(true);
  const balances = await Promise.all(
    accounts.map((a) => get(`/v1/accounts/${encodeURIComponent(a.id)}/balance`).catch(() => undefined)),
  );
  const total = sumFen(accounts.map((a) => a.balance ?? '0'));
  const ownerForm = ['regulator', 'auditor', 'bank'].some((r) => roles().includes(r))
    ? h(
        'form',
        {
          class: 'inline',
          onsubmit: (e) => {
            e.preventDefault();
            location.hash = `#/accounts?owner=${encodeURIComponent(e.target.owner.value.trim())}`;
          },
        },
        h('input', { name: 'owner', placeholder: 'Owner 户主 e.g. Org1MSP:ent1', value: owner }),
        h('button', { class: 'btn secondary' }, '查询 Look up'),
      )
    : null;
  put(
    root,
    h(
      'div',
      { class: 'stats' },
      stat(bi('账户数', 'Accounts'), String(accounts.length), 'count-accounts'),
      stat(bi('合计余额', 'Total balance'), cny(total), 'total-balance'),
      stat(bi('户主', 'Owner'), owner || loadIdentity().keyId),
    ),
    ownerForm ? card(null, ownerForm) : null,
    accounts.length === 0
      ? card(
          null,
          h('p', { class: 'muted empty' }, 'No accounts yet. 暂无账户 — a bank opens accounts (POST /v1/accounts).'),
        )
      : h(
          'div',
          { class: 'acct-grid' },
          accounts.map((a, i) => accountCard(a, balances[i])),
        ),
  );
}

function stat(label, value, id) {
  return h(
    'div',
    { class: 'stat' },
    h('div', { class: 'stat-label' }, label),
    h('div', { class: 'stat-value', id }, value),
  );
}

const PALETTE = ['#5b6cf0', '#0f9d8a', '#e07a2f', '#8e5bd6', '#2e7bd6', '#d64545', '#2e9b57', '#b08a1e'];

function accountCard(a, bal) {
  const colors = bal?.byColor ?? [];
  const total = toFen(a.balance ?? '0');
  const seg = colors.map((c, i) =>
    h('span', { class: 'seg', 'data-color': c.color, title: `${c.color} ¥${yuan(c.amount)}` }),
  );
  const barEl = h('div', { class: 'colorbar' }, seg);
  // widths set through CSSOM (style attributes are blocked by the page's CSP)
  colors.forEach((c, i) => {
    const el = seg[i];
    el.style.flexGrow = total > 0n ? String(Number((toFen(c.amount) * 10000n) / total)) : '0';
    el.style.background = PALETTE[i % PALETTE.length];
  });
  return h(
    'article',
    { class: 'acct', 'data-account': a.id },
    h(
      'div',
      { class: 'acct-head' },
      h(
        'div',
        {},
        h('div', { class: 'acct-id' }, a.id),
        h('div', { class: 'muted small' }, `${a.kind} · ${a.bank} · ${a.owner}`),
      ),
      h(
        'span',
        { class: `badge ${a.status}` },
        a.status === 'active' ? '正常 active' : a.status === 'frozen' ? '冻结 frozen' : a.status,
      ),
    ),
    h(
      'div',
      { class: 'balance' },
      h('span', { class: 'cur' }, '¥'),
      h('span', { class: 'amount' }, yuan(a.balance ?? '0')),
    ),
    a.program ? h('div', { class: 'small' }, '资金监管 program ', h('code', {}, a.program)) : null,
    colors.length ? barEl : null,
    colors.length === 0
      ? h('p', { class: 'muted small' }, 'Empty · 无余额')
      : h(
          'table',
          { class: 'mini' },
          h('thead', {}, h('tr', {}, h('th', {}, '资金来源色 Color'), h('th', { class: 'num' }, '金额 Amount (¥)'))),
          h(
            'tbody',
            {},
            colors.map((c, i) =>
              h(
                'tr',
                { 'data-color': c.color },
                h('td', {}, h('i', { class: `sw sw${i % PALETTE.length}` }), c.color),
                h('td', { class: 'num' }, yuan(c.amount)),
              ),
            ),
          ),
        ),
    h(
      'div',
      { class: 'acct-actions' },
      h('a', { class: 'btn secondary small', href: `#/flow?account=${encodeURIComponent(a.id)}` }, '资金穿透 Trace →'),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// (2) Fund flow 资金穿透

function nodeInfo(id) {
  if (id.startsWith('deposit:')) {
    const [, bank, ...t] = id.split(':');
    return { kind: 'deposit', label: '存入 Deposit', sub: `${bank} · ${t.join(':')}` };
  }
  if (id.startsWith('withdrawal:')) {
    const [, bank, ...t] = id.split(':');
    return { kind: 'withdrawal', label: '支取 Withdrawal', sub: `${bank} · ${t.join(':')}` };
  }
  if (id.startsWith('account:')) return { kind: 'account', label: id.slice(8), sub: '账户 Account' };
  if (id.startsWith('held:')) return { kind: 'held', label: id.slice(5), sub: '持有 Held' };
  if (id.startsWith('end:cycle:')) return { kind: 'cycle', label: '循环 Cycle', sub: 'money circled back' };
  if (id.startsWith('end:depth:')) return { kind: 'depth', label: '深度上限 Depth limit', sub: 'raise maxDepth' };
  const i = id.indexOf('/');
  return {
    kind: 'lot',
    label: i < 0 ? id : id.slice(0, i),
    sub: `批次 lot · ${short(i < 0 ? '' : id.slice(i + 1), 24)}`,
  };
}

const accountOfLot = (lot) => (lot.includes('/') ? lot.slice(0, lot.indexOf('/')) : lot);

/** Backward paths [lot, parent…, source] → left-to-right flows source → lots → account. */
export function backwardFlows(trace) {
  return trace.paths.map((p) => {
    const nodes = [...p.nodes].reverse();
    if (p.end === 'cycle' || p.end === 'depth') nodes.unshift(`end:${p.end}:${nodes[0]}`);
    return { nodes: [...nodes, `account:${trace.account}`], amount: p.amount, end: p.end };
  });
}

/** Forward paths [deposit, lot…, sink] → flows ending at a withdrawal or the holding account. */
export function forwardFlows(trace) {
  return trace.paths.map((p) => {
    const nodes = [...p.nodes];
    const lastNode = nodes[nodes.length - 1];
    if (p.end === 'held') nodes.push(`held:${accountOfLot(lastNode)}`);
    else if (p.end === 'cycle' || p.end === 'depth') nodes.push(`end:${p.end}:${lastNode}`);
    return { nodes, amount: p.amount, end: p.end };
  });
}

function pathsTable(flows) {
  return h(
    'table',
    { class: 'data paths' },
    h(
      'thead',
      {},
      h('tr', {}, h('th', {}, '路径 Path'), h('th', {}, '终点 End'), h('th', { class: 'num' }, '金额 Amount (¥)')),
    ),
    h(
      'tbody',
      {},
      flows.map((f) =>
        h(
          'tr',
          {},
          h(
            'td',
            { class: 'path' },
            f.nodes.map((n, i) => [
              i ? h('span', { class: 'arrow' }, ' → ') : null,
              h('span', { class: `pn kind-${nodeInfo(n).kind}` }, n.replace(/^(account|held):/, '')),
            ]),
          ),
          h('td', {}, h('span', { class: `badge end-${f.end}` }, f.end)),
          h('td', { class: 'num' }, yuan(f.amount)),
        ),
      ),
    ),
  );
}

async function viewFlow(root, params) {
  const accounts = await myAccounts();
  const account = params.get('account') ?? accounts[0]?.id ?? '';
  const back = h('div', { id: 'backward-result' });
  const fwd = h('div', { id: 'forward-result' });
  const acctInput = h('input', {
    name: 'account',
    id: 'flow-account',
    list: 'my-accounts',
    value: account,
    placeholder: 'Account 账户 id',
    required: true,
  });
  const depth = h('input', {
    name: 'maxDepth',
    type: 'number',
    min: 1,
    max: 256,
    value: 32,
    class: 'narrow',
    title: 'maxDepth',
  });
  const bankIn = h('input', {
    name: 'bank',
    id: 'fwd-bank',
    value: params.get('bank') ?? 'Org1MSP',
    placeholder: 'Bank 银行 MSP',
    class: 'narrow2',
    required: true,
  });
  const offIn = h('input', {
    name: 'offTxId',
    id: 'fwd-offtx',
    value: params.get('offTxId') ?? '',
    placeholder: 'Off-chain tx id 银行流水号',
    required: true,
  });

  const runBack = async () => {
    back.replaceChildren(loading());
    try {
      const t = await get(`/v1/trace/backward/${encodeURIComponent(acctInput.value.trim())}`, {
        maxDepth: depth.value,
      });
      const flows = backwardFlows(t);
      const sources = new Set(flows.map((f) => f.nodes[0]));
      const svg = sankey(flows, nodeInfo, { align: 'right' });
      svg.addEventListener('click', (ev) => {
        const g = ev.target.closest?.('.sk-node[data-kind="deposit"]');
        if (!g) return;
        const [, bank, ...tx] = g.dataset.id.split(':');
        bankIn.value = bank;
        offIn.value = tx.join(':');
        void runFwd();
      });
      back.replaceChildren(
        h(
          'p',
          { class: 'lead' },
          h('strong', {}, cny(t.amount)),
          ` in ${t.account} came from ${sources.size} source${sources.size === 1 ? '' : 's'} · 资金来源 `,
          h('span', { class: 'muted' }, '(click a deposit to trace it forward · 点击存入节点向下穿透)'),
        ),
        flows.length
          ? h('div', { class: 'chart-wrap' }, svg)
          : h('p', { class: 'muted empty' }, 'The account holds nothing: no flow to draw. 余额为零。'),
        flows.length ? legend() : null,
        flows.length ? pathsTable(flows) : null,
      );
    } catch (e) {
      back.replaceChildren(errorBox(e));
    }
  };
  const runFwd = async () => {
    fwd.replaceChildren(loading());
    try {
      const t = await get(
        `/v1/trace/forward/${encodeURIComponent(bankIn.value.trim())}/${encodeURIComponent(offIn.value.trim())}`,
        { maxDepth: depth.value },
      );
      const flows = forwardFlows(t);
      fwd.replaceChildren(
        h(
          'p',
          { class: 'lead' },
          h('strong', {}, cny(t.amount)),
          ` deposited into ${t.account} (${t.deposit}) went to ${new Set(flows.map((f) => f.nodes[f.nodes.length - 1])).size} place(s) · 资金去向`,
        ),
        h('div', { class: 'chart-wrap' }, sankey(flows, nodeInfo, { align: 'left' })),
        legend(),
        pathsTable(flows),
      );
    } catch (e) {
      fwd.replaceChildren(
        e instanceof ApiError && e.status === 403
          ? h(
              'div',
              { class: 'alert info' },
              '向下穿透 Forward tracing is for regulators, auditors and banks. ',
              h('span', { class: 'muted' }, e.message.replace(/^[A-Z_]+: /, '')),
            )
          : errorBox(e),
      );
    }
  };

  put(
    root,
    h(
      'datalist',
      { id: 'my-accounts' },
      accounts.map((a) => h('option', { value: a.id })),
    ),
    card(
      bi('向上穿透 · 资金从哪里来', 'Backward: where the money came from'),
      h(
        'form',
        {
          class: 'inline',
          id: 'backward-form',
          onsubmit: (e) => {
            e.preventDefault();
            void runBack();
          },
        },
        acctInput,
        h('label', { class: 'inline-label' }, 'maxDepth', depth),
        h('button', { class: 'btn primary' }, '穿透 Trace'),
      ),
      back,
    ),
    card(
      bi('向下穿透 · 一笔存入去了哪里', 'Forward: where a deposit went'),
      h(
        'form',
        {
          class: 'inline',
          id: 'forward-form',
          onsubmit: (e) => {
            e.preventDefault();
            void runFwd();
          },
        },
        bankIn,
        offIn,
        h('button', { class: 'btn primary' }, '穿透 Trace'),
      ),
      fwd,
    ),
  );
  if (account) await runBack();
  if (offIn.value) await runFwd();
}

function legend() {
  const items = [
    ['deposit', '存入 deposit'],
    ['lot', '批次 lot'],
    ['account', '账户 account'],
    ['withdrawal', '支取 withdrawal'],
    ['held', '持有 held'],
  ];
  return h(
    'div',
    { class: 'legend-row' },
    items.map(([k, t]) => h('span', { class: 'lg' }, h('i', { class: `sw kind-${k}` }), t)),
  );
}

// ---------------------------------------------------------------------------------------------
// (3) Ledger: height, latest blocks, live events

async function viewLedger(root) {
  const heightEl = h('div', { class: 'stat-value', id: 'height' }, '…');
  const latestEl = h('div', { class: 'stat-value mono', id: 'latest-hash' }, '…');
  const txCountEl = h('div', { class: 'stat-value', id: 'tx-count' }, '…');
  const blocksBody = h('tbody', {});
  const refresh = async () => {
    const { height, items } = await get('/v1/blocks', { limit: '12' });
    heightEl.textContent = String(height);
    latestEl.textContent = short(items[items.length - 1]?.hash ?? '', 16);
    txCountEl.textContent = String(items.reduce((n, b) => n + b.txs.length, 0));
    blocksBody.replaceChildren(...[...items].reverse().map(blockRows).flat());
  };
  await refresh();
  let timer;
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void refresh().catch(() => {}), 250);
  };

  const accounts = isWatcher() ? [] : await myAccounts();
  const filter = h(
    'select',
    { id: 'event-account' },
    isWatcher() ? h('option', { value: '' }, '全部 All accounts') : null,
    accounts.map((a) => h('option', { value: a.id }, a.id)),
  );
  const list = h('ol', { class: 'events', id: 'events' });
  const status = h('span', { class: 'live off', id: 'live-status' }, '○ stopped');
  let ac;
  const start = async () => {
    ac?.abort();
    ac = new AbortController();
    const signal = ac.signal;
    list.replaceChildren();
    const acct = filter.value;
    if (!acct && !isWatcher()) {
      status.className = 'live off';
      status.textContent = 'no account to watch · 无账户';
      return;
    }
    const { height } = await get('/v1/height');
    status.className = 'live on';
    status.textContent = '● 实时 live';
    try {
      for await (const m of stream(
        '/v1/events',
        { account: acct || undefined, fromBlock: String(Math.max(0, height - 8)) },
        signal,
      )) {
        const ev = JSON.parse(m.data);
        list.prepend(eventRow(m.id, ev));
        while (list.children.length > 50) list.lastChild.remove();
        soon();
      }
    } catch (e) {
      if (!signal.aborted) {
        status.className = 'live err';
        status.textContent = `✕ ${e.code ?? 'error'}`;
        list.prepend(h('li', {}, errorBox(e)));
      }
    }
    if (signal.aborted) {
      status.className = 'live off';
      status.textContent = '○ stopped';
    }
  };
  filter.addEventListener('change', () => void start());
  state.cleanup.push(() => {
    ac?.abort();
    clearTimeout(timer);
  });

  put(
    root,
    h(
      'div',
      { class: 'stats' },
      h('div', { class: 'stat' }, h('div', { class: 'stat-label' }, bi('区块高度', 'Height')), heightEl),
      h(
        'div',
        { class: 'stat' },
        h('div', { class: 'stat-label' }, bi('最新区块哈希', 'Latest block hash (SM3)')),
        latestEl,
      ),
      h('div', { class: 'stat' }, h('div', { class: 'stat-label' }, bi('近期交易', 'Transactions in view')), txCountEl),
    ),
    h(
      'div',
      { class: 'two-col' },
      card(
        bi('最新区块', 'Latest blocks'),
        h(
          'table',
          { class: 'data blocks' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, '#'),
              h('th', {}, '时间 Time'),
              h('th', { class: 'num' }, '交易 Txs'),
              h('th', {}, '哈希 Hash'),
            ),
          ),
          blocksBody,
        ),
      ),
      card(
        bi('实时事件', 'Live events'),
        h('div', { class: 'inline' }, h('label', { class: 'inline-label' }, '账户 Account', filter), status),
        list,
      ),
    ),
  );
  void start();
}

function blockRows(b) {
  const txRow = h(
    'tr',
    { class: 'txs', hidden: true },
    h(
      'td',
      { colspan: 4 },
      b.txs.length === 0
        ? h('span', { class: 'muted' }, '(no transactions)')
        : h(
            'table',
            { class: 'mini' },
            h(
              'tbody',
              {},
              b.txs.map((t) =>
                h(
                  'tr',
                  { 'data-tx': t.txId },
                  h('td', {}, `${t.txIndex}`),
                  h('td', {}, h('code', {}, t.fn)),
                  h('td', {}, t.creator?.mspId ?? ''),
                  h('td', {}, h('span', { class: `badge ${t.status === 'VALID' ? 'active' : 'frozen'}` }, t.status)),
                  h('td', { class: 'mono small' }, short(t.txId, 12)),
                ),
              ),
            ),
          ),
    ),
  );
  const row = h(
    'tr',
    {
      class: 'block',
      'data-block': b.number,
      onclick: () => {
        txRow.hidden = !txRow.hidden;
        row.classList.toggle('open', !txRow.hidden);
      },
    },
    h('td', {}, h('strong', {}, b.number)),
    h('td', {}, when(b.time)),
    h('td', { class: 'num' }, b.txs.length),
    h('td', { class: 'mono small', title: b.hash }, short(b.hash, 16)),
  );
  return [row, txRow];
}

function eventRow(id, env) {
  const types = env.events.map((e) => e.type);
  const amount = env.events.find((e) => typeof e.amount === 'string' && /^[0-9]+$/.test(e.amount))?.amount;
  const accts = [...new Set(env.events.flatMap((e) => e.accounts ?? []))];
  return h(
    'li',
    { class: 'event', 'data-id': id, 'data-type': types.join(' '), 'data-tx': env.txId },
    h(
      'div',
      { class: 'ev-head' },
      types.map((t) => h('span', { class: 'chip ev' }, t)),
      amount ? h('span', { class: 'ev-amount' }, cny(amount)) : null,
    ),
    h('div', { class: 'muted small' }, `block ${id} · ${when(env.time)} · ${accts.join(', ')}`),
  );
}

// ---------------------------------------------------------------------------------------------
// Routes other engineers serve: found in /openapi.json, so the console follows what exists.

async function openapi(refresh = false) {
  if (!state.openapi || refresh) state.openapi = await getPublic('/openapi.json');
  return state.openapi;
}

/** GET operations whose path matches `re`: [{path, summary, params}] */
async function getRoutes(re) {
  const spec = await openapi(true);
  return Object.entries(spec.paths ?? {})
    .filter(([p, ops]) => re.test(p) && ops.get)
    .map(([p, ops]) => ({
      path: p,
      summary: ops.get.summary ?? '',
      params: [...p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]),
      query: (ops.get.parameters ?? []).filter((x) => x.in === 'query').map((x) => x.name),
    }))
    .sort((a, b) => a.params.length - b.params.length || a.path.localeCompare(b.path));
}

const AMOUNT_KEY =
  /amount|balance|total|cap$|used|released|remaining|available|refund|pending|face|fen|paid|net|deposit|held|retain|withdraw|price|value/i;

function cell(k, v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string' && AMOUNT_KEY.test(k) && /^-?[0-9]+$/.test(v)) return h('span', { class: 'num' }, yuan(v));
  if (typeof v === 'object') return h('code', { class: 'small' }, short(JSON.stringify(v), 60));
  return String(v);
}

function table(rows) {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))].slice(0, 9);
  return h(
    'table',
    { class: 'data' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        keys.map((k) => h('th', {}, k)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((r) =>
        h(
          'tr',
          {},
          keys.map((k) => h('td', {}, cell(k, r[k]))),
        ),
      ),
    ),
  );
}

/** A list as a table; reconciliation cases (class + status) with the open ones first. */
function listOf(rows) {
  if (rows.every((r) => r.class && r.status)) {
    const open = rows.filter((r) => r.status === 'open');
    const classes = [...new Set(rows.map((r) => r.class))].sort();
    const count = (cls, st) =>
      BigInt(rows.filter((r) => r.class === cls && (st === 'open') === (r.status === 'open')).length);
    return [
      h(
        'div',
        { class: 'chart-wrap' },
        bars(
          classes.map((c) => ({ label: c, values: { open: count(c, 'open'), resolved: count(c, 'resolved') } })),
          [
            { key: 'open', name: '未结 Open', color: '#d64545' },
            { key: 'resolved', name: '已结 Resolved', color: '#9aa3b2' },
          ],
          { title: '差错按类别 Breaks by class' },
        ),
      ),
      h(
        'p',
        { class: 'lead' },
        h('strong', {}, `${open.length} open`),
        ` · ${rows.length - open.length} resolved · 未结差错 open cases`,
      ),
      open.length ? table(open) : null,
      rows.length > open.length
        ? h('details', {}, h('summary', {}, 'Resolved 已结'), table(rows.filter((r) => r.status !== 'open')))
        : null,
    ];
  }
  return [table(rows)];
}

/** Pictures for the shapes the domains return; a table or JSON for the rest. */
function renderResult(data) {
  const out = [];
  if (data && typeof data === 'object' && !Array.isArray(data)) {
    // program report(s): released by budget line 资金监管
    for (const rep of [data, ...(Array.isArray(data.programs) ? data.programs : [])]) {
      const pic = programPicture(rep);
      if (pic) out.push(pic);
    }
    // bill package range map 票据
    if (Array.isArray(data.ranges) && data.package?.amount) {
      out.push(
        h(
          'div',
          { class: 'chart-wrap' },
          strip(data.ranges, data.package.amount, {
            title: `票据包 Bill package ${data.package.pkg ?? ''} · ¥${yuan(data.package.amount)}`,
          }),
        ),
      );
    }
    const recon = reconRows(data);
    if (recon.length) {
      out.push(
        h(
          'div',
          { class: 'chart-wrap' },
          bars(
            recon,
            [
              { key: 'matched', name: '相符 Matched', color: '#2e9b57' },
              { key: 'breaks', name: '差错 Breaks', color: '#d64545' },
            ],
            { title: '对账结果 Matched vs breaks by class' },
          ),
        ),
      );
    }
    for (const [k, v] of Object.entries(data)) {
      if (Array.isArray(v) && v.length && v.every((x) => x && typeof x === 'object'))
        out.push(h('h3', {}, k), ...listOf(v));
    }
  } else if (Array.isArray(data) && data.length && data.every((x) => x && typeof x === 'object')) {
    out.push(...listOf(data));
  } else if (Array.isArray(data)) {
    out.push(h('p', { class: 'muted empty' }, 'Nothing yet. 暂无记录。'));
  }
  out.push(h('details', {}, h('summary', {}, 'JSON'), h('pre', {}, JSON.stringify(data, null, 2))));
  return out.filter(Boolean);
}

/** A program report's budget lines: cap vs released per line, plus its money summary. */
function programPicture(rep) {
  if (!rep || !Array.isArray(rep.lines) || !rep.lines.every((l) => l.id && l.cap !== undefined)) return undefined;
  const byLine = rep.releasedByLine ?? {};
  const figures = ['keyAmount', 'deposited', 'held', 'available', 'released', 'pending', 'refunded'].filter(
    (k) => typeof rep[k] === 'string',
  );
  return h(
    'div',
    { class: 'program', 'data-program': rep.program ?? '' },
    rep.program
      ? h(
          'h3',
          {},
          `资金监管项目 Program ${rep.program}`,
          rep.status ? h('span', { class: 'badge' }, rep.status) : null,
        )
      : null,
    figures.length
      ? h(
          'div',
          { class: 'figures' },
          figures.map((k) =>
            h(
              'div',
              { class: 'figure' },
              h('div', { class: 'stat-label' }, k),
              h('div', { class: 'fig-value' }, cny(rep[k])),
            ),
          ),
        )
      : null,
    rep.lines.length
      ? h(
          'div',
          { class: 'chart-wrap' },
          bars(
            rep.lines.map((l) => ({
              label: `${l.id} · ${l.category ?? ''}`,
              values: { cap: l.cap, released: byLine[l.id] ?? l.used ?? '0' },
            })),
            [
              { key: 'cap', name: '预算 Cap', color: '#c4cad6', fen: true },
              { key: 'released', name: '已拨付 Released', color: '#0f9d8a', fen: true },
            ],
            { title: '按预算科目拨付 Released by budget line' },
          ),
        )
      : h('p', { class: 'muted' }, 'No budget lines. 无预算科目。'),
  );
}

/** Matched/break counts per class from a reconciliation report, whatever way it nests them. */
function reconRows(d) {
  const n = (x) => (typeof x === 'number' || (typeof x === 'string' && /^[0-9]+$/.test(x)) ? BigInt(x) : undefined);
  if (Array.isArray(d.classes) && d.classes.every((c) => c.class))
    return d.classes.map((c) => ({
      label: c.class,
      values: { matched: n(c.matched) ?? 0n, breaks: n(c.breaks) ?? 0n },
    }));
  const src = d.byClass ?? d.classes;
  if (src && typeof src === 'object' && !Array.isArray(src)) {
    return Object.entries(src).map(([k, v]) => ({
      label: k,
      values:
        typeof v === 'object'
          ? { matched: n(v.matched) ?? 0n, breaks: n(v.breaks) ?? 0n }
          : { matched: 0n, breaks: n(v) ?? 0n },
    }));
  }
  const isRecord = (x) => x && typeof x === 'object' && !Array.isArray(x);
  const breaks = [d.breaks, d.stats?.breaks].find(isRecord);
  if (breaks && Object.values(breaks).every((v) => n(v) !== undefined)) {
    const matched = n(d.stats?.matched ?? d.matched);
    return [
      ...(matched !== undefined ? [{ label: 'matched 相符', values: { matched, breaks: 0n } }] : []),
      ...Object.entries(breaks).map(([k, v]) => ({ label: k, values: { matched: 0n, breaks: n(v) ?? 0n } })),
    ];
  }
  return [];
}

function endpointCard(r, preset = {}) {
  const out = h('div', { class: 'result' });
  const inputs = [
    ...r.params.map((p) => h('input', { name: p, placeholder: p, required: true, 'data-param': p })),
    ...r.query.map((q) =>
      h('input', { name: q, placeholder: `${q} (optional)`, 'data-query': q, class: 'narrow2', value: preset[q] }),
    ),
  ];
  const run = async () => {
    out.replaceChildren(loading());
    try {
      let p = r.path;
      for (const i of inputs.filter((x) => x.dataset.param))
        p = p.replace(`{${i.dataset.param}}`, encodeURIComponent(i.value.trim()));
      const query = Object.fromEntries(
        inputs.filter((x) => x.dataset.query && x.value.trim()).map((x) => [x.dataset.query, x.value.trim()]),
      );
      out.replaceChildren(...renderResult(await get(p, query)));
    } catch (e) {
      out.replaceChildren(errorBox(e));
    }
  };
  const el = h(
    'section',
    { class: 'card endpoint', 'data-path': r.path },
    h('h3', {}, h('code', {}, `GET ${r.path}`), r.summary ? h('span', { class: 'muted' }, ` — ${r.summary}`) : null),
    h(
      'form',
      {
        class: 'inline',
        onsubmit: (e) => {
          e.preventDefault();
          void run();
        },
      },
      inputs,
      h('button', { class: 'btn secondary' }, '查询 Load'),
    ),
    out,
  );
  if (!r.params.length) void run(); // lists without parameters load at once
  return el;
}

function notAvailable(zh, en, what) {
  return h(
    'section',
    { class: 'card unavailable', 'data-unavailable': en },
    h('div', { class: 'na-icon' }, '⌁'),
    h('h2', {}, bi(`${zh}暂不可用`, `${en} not available`)),
    h(
      'p',
      { class: 'muted' },
      `This gateway serves no ${what} routes yet. The view appears here as soon as they are deployed. 网关尚未提供该接口。`,
    ),
  );
}

const DOMAINS = {
  supervision: {
    zh: '资金监管',
    en: 'Supervision',
    re: /^\/v1\/(supervision|programs)\b/,
    what: 'fund-supervision (资金监管)',
  },
  bills: { zh: '票据', en: 'Bills', re: /^\/v1\/bills\b/, what: 'supply-chain bill (票据)' },
  prepaid: { zh: '预付资金', en: 'Prepaid', re: /^\/v1\/prepaid\b/, what: 'prepaid (预付资金)' },
};

async function viewDomain(root, d) {
  const routes = await getRoutes(d.re);
  if (!routes.length) return put(root, notAvailable(d.zh, d.en, d.what));
  put(
    root,
    h('p', { class: 'muted' }, `Read-only · 只读. ${routes.length} route(s) from the gateway's OpenAPI.`),
    ...routes.map(endpointCard),
  );
}

// (4) Reconciliation 对账

async function viewRecon(root) {
  const routes = await getRoutes(/^\/v1\/(oracles|recon|reconciliation)\b|recon/i);
  if (!routes.length) return put(root, notAvailable('对账', 'Reconciliation', 'reconciliation (对账)'));
  const summary = h('section', { class: 'card recon-summary' }, loading());
  put(
    root,
    h(
      'p',
      { class: 'muted' },
      'Books vs chain · 账实核对: the last run, matched vs breaks by class, then the open cases.',
    ),
    routes.some((r) => r.path === '/v1/recon/runs/latest') ? summary : null,
    ...routes.filter((r) => /cases/.test(r.path)).map((r) => endpointCard(r, { status: 'open' })),
  );
  await loadRunSummary(summary);
}

/** The last run as figures and one bar per outcome; banks may start a run from here. */
async function loadRunSummary(el) {
  const runNow = roles().includes('bank')
    ? h(
        'button',
        {
          class: 'btn secondary',
          id: 'recon-run',
          onclick: async (e) => {
            e.target.disabled = true;
            try {
              await api('POST', '/v1/recon/runs');
            } catch (err) {
              el.append(errorBox(err));
              return;
            }
            el.replaceChildren(loading());
            await loadRunSummary(el);
          },
        },
        '立即对账 Run now',
      )
    : null;
  let run;
  try {
    run = await get('/v1/recon/runs/latest');
  } catch (e) {
    const none = e instanceof ApiError && e.code === 'RECON_NO_RUN';
    return el.replaceChildren(
      h('h2', {}, bi('最近一次对账', 'Last run')),
      none ? h('p', { class: 'muted empty' }, 'No reconciliation has run yet. 尚未对账。') : errorBox(e),
      runNow ?? '',
    );
  }
  const fig = (label, value) =>
    h('div', { class: 'figure' }, h('div', { class: 'stat-label' }, label), h('div', { class: 'fig-value' }, value));
  el.replaceChildren(
    h(
      'h2',
      {},
      bi('最近一次对账', 'Last run'),
      ' ',
      h(
        'span',
        { class: run.breaksTotal ? 'badge frozen' : 'badge active' },
        run.breaksTotal ? `${run.breaksTotal} breaks 差错` : 'clean 账实相符',
      ),
    ),
    h(
      'div',
      { class: 'figures' },
      fig('time 时间', when(run.time)),
      fig('accounts 账户', run.accounts),
      fig('matched 相符', run.matched),
      fig('in flight 在途', run.inFlight),
      fig('breaks 差错', run.breaksTotal),
    ),
    h('div', { class: 'chart-wrap' }, reconBars(run, { title: '对账结果 Matched vs breaks by class' })),
    h(
      'p',
      { class: 'small muted' },
      'root ',
      h('code', { title: run.root }, short(run.root, 16)),
      ' · anchor ',
      run.anchorTxId
        ? h('code', { title: run.anchorTxId }, short(run.anchorTxId, 16))
        : `not anchored (${run.anchorError ?? '—'})`,
      ` · ${run.runId}`,
    ),
    runNow ?? '',
  );
}

// ---------------------------------------------------------------------------------------------

window.addEventListener('hashchange', () => void show());
async function boot() {
  if (!globalThis.SmCryptoV2) {
    $('#app').replaceChildren(
      h('div', { class: 'alert error' }, 'SM crypto library failed to load (/console/vendor/sm-crypto.js).'),
    );
    return;
  }
  const id = loadIdentity();
  if (!id) return renderSignIn();
  try {
    state.me = await get('/v1/me');
  } catch (e) {
    signOut();
    return renderSignIn(e instanceof ApiError ? `${e.code}: sign in again` : String(e));
  }
  renderShell();
}
void boot();
