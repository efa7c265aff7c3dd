// 资金穿透 Fund flow: where the money in an account came from (backward) and where a deposit
// went (forward), as Sankey pictures whose nodes are named by holder (户名) and org. Clicking a
// deposit traces it forward; clicking an account's node traces that account back.
import { ApiError, get } from '../api.js';
import { sankey } from '../charts.js';
import { bi, card, empty, errorBox, h, loading, put, select, table } from '../dom.js';
import { cny } from '../money.js';
import { holderOf, learnTraceNames, orgName, zhPart } from '../names.js';
import { go, hasRole } from '../session.js';
import { colorText } from './accounts.js';

const KIND_COLOR = {
  deposit: '#2e9b57',
  withdrawal: '#d64545',
  lot: '#5b6cf0',
  account: '#0f9d8a',
  held: '#0f9d8a',
  cycle: '#b08a1e',
  depth: '#9aa3b2',
};
const accountOfLot = (lot) => (lot.includes('/') ? lot.slice(0, lot.indexOf('/')) : lot);

/** A node as people read it: {kind, name (户名 or what it is), sub (org), detail, account?}. */
export async function nodeInfo(id) {
  const [head, bank, ...rest] = id.split(':');
  if (head === 'deposit' || head === 'withdrawal') {
    const org = await orgName(bank);
    const name = head === 'deposit' ? '存入 Deposit' : '支取 Withdrawal';
    return {
      kind: head,
      name,
      sub: zhPart(org),
      detail: `${org} · 银行流水 Bank ref ${rest.join(':')}`,
      bank,
      offTxId: rest.join(':'),
    };
  }
  if (head === 'end')
    return { kind: bank, name: bank === 'cycle' ? '循环 Circled back' : '深度上限 Depth limit', sub: '', detail: '' };
  const account = head === 'account' || head === 'held' ? id.slice(head.length + 1) : accountOfLot(id);
  const who = holderOf(account);
  const full = who?.name ?? account;
  const name = zhPart(full);
  const org = who ? (who.orgName ?? who.org) : '';
  const detail = `${full} · ${org} · ${account}`;
  if (head === 'account') return { kind: 'account', name, sub: '本账户 This account', detail, account };
  if (head === 'held') return { kind: 'held', name, sub: '持有 Holds it', detail, account };
  return {
    kind: 'lot',
    name,
    sub: zhPart(org),
    detail: `${detail} · ${colorText(id.slice(id.indexOf('/') + 1))}`,
    account,
  };
}

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

/** Nodes with what flows through them, links summed per pair (fen as bigint). */
async function graph(flows) {
  const links = new Map();
  for (const f of flows) {
    const amount = BigInt(f.amount);
    for (let i = 1; i < f.nodes.length; i++) {
      const k = `${f.nodes[i - 1]}\u0000${f.nodes[i]}`;
      links.set(k, (links.get(k) ?? 0n) + amount);
    }
  }
  // A node's amount: what enters it (sources: what leaves).
  const into = new Map();
  const out = new Map();
  for (const [k, v] of links) {
    const [s, t] = k.split('\u0000');
    out.set(s, (out.get(s) ?? 0n) + v);
    into.set(t, (into.get(t) ?? 0n) + v);
  }
  const ids = [...new Set(flows.flatMap((f) => f.nodes))];
  const infos = await Promise.all(ids.map(nodeInfo));
  const nodes = ids.map((id, i) => ({ id, ...infos[i], fen: String(into.get(id) ?? out.get(id) ?? 0n) }));
  return {
    nodes,
    links: [...links].map(([k, v]) => {
      const [source, target] = k.split('\u0000');
      return { source, target, fen: String(v) };
    }),
  };
}

const END = {
  deposit: '存入 Deposit',
  withdrawal: '支取 Withdrawal',
  held: '持有 Held',
  cycle: '循环 Circled',
  depth: '深度上限 Depth limit',
};

async function pathsTable(flows) {
  const label = (n) => `${n.name}（${n.sub}）`;
  const named = await Promise.all(
    flows.map(async (f) => ({ ...f, names: (await Promise.all(f.nodes.map(nodeInfo))).map(label) })),
  );
  return table(
    named,
    [
      { label: bi('路径', 'Path'), value: (f) => f.names.join(' → '), key: 'path' },
      { label: bi('终点', 'End'), value: (f) => END[f.end] ?? f.end, key: 'end' },
      { label: bi('金额', 'Amount'), value: (f) => cny(f.amount), num: true, key: 'amount' },
    ],
    { cls: 'data paths' },
  );
}

function legend() {
  const items = [
    ['deposit', '存入 Deposit'],
    ['lot', '账户资金 Money in an account'],
    ['account', '本账户 This account'],
    ['withdrawal', '支取 Withdrawal'],
  ];
  return h(
    'div',
    { class: 'legend-row' },
    items.map(([k, t]) => h('span', { class: 'lg' }, h('i', { class: `sw kind-${k}` }), t)),
  );
}

export async function viewFlow(root, params, view) {
  const mine = await get('/v1/accounts', undefined, view.signal).catch(() => []);
  const account = params.get('account') ?? mine[0]?.id ?? '';
  const depth = params.get('depth') ?? '32';
  const back = h('div', { id: 'backward-result' });
  const fwd = h('div', { id: 'forward-result' });
  const choices = [...new Set([account, ...mine.map((a) => a.id)].filter(Boolean))];
  const accountPick = select(
    { id: 'flow-account', onchange: (e) => go('flow', { account: e.target.value, depth }) },
    choices.map((id) => [id, id]),
  );
  const depthPick = select(
    {
      id: 'flow-depth',
      onchange: (e) =>
        go('flow', { account, depth: e.target.value, bank: params.get('bank'), offTxId: params.get('offTxId') }),
    },
    ['8', '16', '32', '64'].map((d) => [d, `${d} 层 levels`]),
  );
  put(
    root,
    card(
      bi('向上穿透 · 资金从哪里来', 'Backward: where the money came from'),
      h(
        'div',
        { class: 'inline' },
        h('label', { class: 'inline-label' }, bi('账户', 'Account'), ' ', accountPick),
        h('label', { class: 'inline-label' }, bi('穿透深度', 'Depth'), ' ', depthPick),
      ),
      back,
    ),
    card(bi('向下穿透 · 一笔存入去了哪里', 'Forward: where a deposit went'), fwd),
  );
  accountPick.value = account;
  depthPick.value = depth;
  const onNode = (node) => {
    if (node.kind === 'deposit') go('flow', { account, depth, bank: nodeBank(node), offTxId: nodeTx(node) });
    else if (node.kind !== 'cycle' && node.kind !== 'depth') {
      const acct = node.kind === 'lot' ? accountOfLot(node.name) : node.name.replace(/^(account|held):/, '');
      if (acct !== account) go('flow', { account: acct, depth });
    }
  };
  if (account) await traceBack(back, { account, depth, onNode, view });
  else
    back.replaceChildren(
      empty('请从账户或监管项目选择要穿透的账户。', 'Pick an account to trace from Accounts or a supervision program.'),
    );
  if (params.get('bank') && params.get('offTxId'))
    await traceForward(fwd, { bank: params.get('bank'), offTxId: params.get('offTxId'), depth, onNode, view });
  else
    fwd.replaceChildren(
      h(
        'p',
        { class: 'muted' },
        bi('点击上图中的存入节点，向下穿透这笔资金。', 'Click a deposit in the picture above to follow it forward.'),
      ),
    );
}

// ECharts hands back the data item: its `name` is the node id.
const nodeBank = (node) => node.name.split(':')[1];
const nodeTx = (node) => node.name.split(':').slice(2).join(':');

async function traceBack(el, { account, depth, onNode, view }) {
  el.replaceChildren(loading());
  try {
    const t = await get(`/v1/trace/backward/${encodeURIComponent(account)}`, { maxDepth: depth }, view.signal);
    await learnTraceNames(t.names);
    const flows = backwardFlows(t);
    const sources = new Set(flows.map((f) => f.nodes[0])).size;
    const chartEl = h('div', { class: 'sankey-box' });
    const who = holderOf(account);
    el.replaceChildren(
      h(
        'p',
        { class: 'lead' },
        h('strong', { class: 'trace-total' }, cny(t.amount)),
        ` · ${who?.name ?? account} · `,
        bi(`来自 ${sources} 个来源`, `from ${sources} source${sources === 1 ? '' : 's'}`),
      ),
      flows.length ? chartEl : empty('余额为零，没有资金流。', 'The account holds nothing: no flow to draw.'),
      flows.length ? legend() : null,
      flows.length ? await pathsTable(flows) : null,
    );
    if (flows.length && view.alive())
      await sankey(chartEl, { ...(await graph(flows)), onClick: onNode, colorOf: (n) => KIND_COLOR[n.kind] });
  } catch (e) {
    el.replaceChildren(errorBox(e));
  }
}

async function traceForward(el, { bank, offTxId, depth, onNode, view }) {
  el.replaceChildren(loading());
  if (!hasRole('regulator', 'auditor', 'bank')) {
    el.replaceChildren(
      h(
        'div',
        { class: 'alert info' },
        bi('向下穿透由监管机构、审计和银行使用。', 'Forward tracing is for regulators, auditors and banks.'),
      ),
    );
    return;
  }
  try {
    const t = await get(
      `/v1/trace/forward/${encodeURIComponent(bank)}/${encodeURIComponent(offTxId)}`,
      { maxDepth: depth },
      view.signal,
    );
    await learnTraceNames(t.names);
    const flows = forwardFlows(t);
    const places = new Set(flows.map((f) => f.nodes[f.nodes.length - 1])).size;
    const chartEl = h('div', { class: 'sankey-box' });
    el.replaceChildren(
      h(
        'p',
        { class: 'lead' },
        h('strong', { class: 'trace-total' }, cny(t.amount)),
        ` · ${(await nodeInfo(t.deposit)).name} → ${holderOf(t.account)?.name ?? t.account} · `,
        bi(`去向 ${places} 处`, `went to ${places} place${places === 1 ? '' : 's'}`),
      ),
      chartEl,
      legend(),
      await pathsTable(flows),
    );
    if (view.alive())
      await sankey(chartEl, { ...(await graph(flows)), onClick: onNode, colorOf: (n) => KIND_COLOR[n.kind] });
  } catch (e) {
    el.replaceChildren(
      e instanceof ApiError && e.status === 403
        ? h('div', { class: 'alert info' }, bi('您无权向下穿透这笔资金。', 'You may not trace this deposit forward.'))
        : errorBox(e),
    );
  }
}
