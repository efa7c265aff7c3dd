// 账本 Ledger: the chain as an auditor reads it. Blocks and their transactions with the signer,
// what was done and the validation code; a transaction's signature re-verified in this browser
// from the intent record in its write set; live events; the last block anchored on the external
// EVM witness and its EVM transaction.
import { get, stream, verifyIntent } from '../api.js';
import { countBars } from '../charts.js';
import { badge, bi, card, errorBox, h, loading, put, select, short, stat, stats, table, when } from '../dom.js';
import { EVENT, FN, label, STATUS, text } from '../labels.js';
import { cny } from '../money.js';
import { namesOf } from '../names.js';
import { hasRole } from '../session.js';

const WATCHERS = ['regulator', 'auditor', 'bank', 'oracle'];

export async function viewLedger(root, params, view) {
  const [{ height, items }, witness] = await Promise.all([
    get('/v1/blocks', { limit: '15' }, view.signal),
    get('/v1/witness', {}, view.signal).catch(() => ({ enabled: false })),
  ]);
  const blocks = [...items].reverse();
  const signers = await namesOf(blocks.flatMap((b) => b.txs.map((t) => t.signer)));
  const chartEl = h('div', {});
  const detail = h('div', { id: 'tx-detail' });
  put(
    root,
    stats(
      stat(bi('区块高度', 'Height'), String(height), 'height'),
      stat(
        bi('最新区块哈希 (SM3)', 'Latest block hash (SM3)'),
        short(items[items.length - 1]?.hash ?? '', 16),
        'latest-hash',
      ),
      stat(bi('近期交易', 'Recent transactions'), String(items.reduce((n, b) => n + b.txs.length, 0)), 'tx-count'),
      witnessStat(witness),
    ),
    h(
      'div',
      { class: 'two-col' },
      card(bi('最新区块', 'Latest blocks'), chartEl, blocksTable(blocks, signers, detail)),
      h('div', {}, card(bi('交易详情', 'Transaction'), detail), liveEvents(view)),
    ),
  );
  detail.replaceChildren(
    h(
      'p',
      { class: 'muted' },
      bi(
        '点击一笔交易查看签名人并在浏览器中验证签名。',
        'Click a transaction to see who signed it and verify the signature here.',
      ),
    ),
  );
  await countBars(chartEl, {
    categories: blocks.map((b) => `#${b.number}`).reverse(),
    series: [{ name: '交易数 Transactions', data: blocks.map((b) => b.txs.length).reverse(), color: '#5b6cf0' }],
    height: 150,
  });
  const txParam = params.get('tx');
  if (txParam) await showTx(detail, txParam, view);
}

/** The last block anchored on the external EVM witness, with its EVM transaction (title: the full hash). */
function witnessStat(witness) {
  const label = bi('外部见证 (EVM)', 'External witness (EVM)');
  if (!witness.enabled) return stat(label, bi('未启用', 'off'), 'witness');
  const a = witness.lastAnchor;
  if (!a) return stat(label, bi('等待首次锚定', 'waiting for the first anchor'), 'witness');
  const value = h(
    'span',
    { title: `EVM chain ${witness.evmChainId ?? '?'} · tx ${a.evmTxHash ?? '?'} · ${a.blockHash}` },
    `#${a.height} · tx ${short(a.evmTxHash ?? '', 10)}`,
  );
  return stat(label, value, 'witness');
}

function blocksTable(blocks, signers, detail) {
  const rows = blocks.flatMap((b) =>
    b.txs.length ? b.txs.map((t, i) => ({ b, t, first: i === 0 })) : [{ b, t: undefined, first: true }],
  );
  return table(
    rows,
    [
      {
        label: bi('区块', 'Block'),
        value: (r) => (r.first ? h('strong', { title: r.b.hash }, `#${r.b.number}`) : ''),
        key: 'block',
      },
      { label: bi('时间', 'Time'), value: (r) => (r.t ? when(r.t.time) : when(r.b.time)), key: 'time' },
      {
        label: bi('签名人', 'Signer'),
        value: (r) => (r.t?.signer ? signers[r.t.signer] : r.t ? bi('机构凭证', 'Org credential') : '—'),
        key: 'signer',
      },
      {
        label: bi('操作', 'Function'),
        value: (r) => (r.t ? h('span', { title: r.t.fn }, text(FN, r.t.fn)) : bi('（空块）', '(empty)')),
        key: 'fn',
      },
      {
        label: bi('校验码', 'Validation'),
        value: (r) => (r.t ? badge(text(STATUS, r.t.status), r.t.status === 'VALID' ? 'active' : 'frozen') : ''),
        key: 'status',
      },
    ],
    {
      cls: 'data blocks',
      attrs: (r) => ({
        class: r.t ? 'tx-row' : 'block-row',
        'data-block': r.b.number,
        'data-tx': r.t?.txId,
        onclick: r.t ? () => void showTx(detail, r.t.txId, { alive: () => true }) : undefined,
      }),
    },
  );
}

/** One transaction, and the signature check. */
async function showTx(el, txId, view) {
  el.replaceChildren(loading());
  try {
    const tx = await get(`/v1/transactions/${encodeURIComponent(txId)}`);
    const names = await namesOf([tx.signer]);
    const check = h('div', { id: 'verify-result' });
    const canVerify = tx.signer && (hasRole('auditor', 'regulator') || names[tx.signer] !== undefined);
    if (!view.alive()) return;
    el.replaceChildren(
      h(
        'dl',
        { class: 'facts', 'data-tx': tx.txId },
        h('dt', {}, bi('操作', 'Function')),
        h('dd', { title: tx.fn }, text(FN, tx.fn)),
        h('dt', {}, bi('签名人', 'Signer')),
        h(
          'dd',
          { id: 'tx-signer' },
          tx.signer ? names[tx.signer] : bi('机构凭证（无成员签名）', 'Org credential (no member intent)'),
        ),
        h('dt', {}, bi('提交机构', 'Submitted by')),
        h('dd', {}, tx.creator?.mspId ?? '—'),
        h('dt', {}, bi('区块', 'Block')),
        h('dd', {}, `#${tx.blockNumber} · ${when(tx.time)}`),
        h('dt', {}, bi('校验码', 'Validation')),
        h('dd', { id: 'tx-status' }, label(STATUS, tx.status).join(' ')),
        h('dt', {}, bi('交易号', 'Transaction')),
        h('dd', { class: 'mono small' }, short(tx.txId, 24)),
      ),
      canVerify
        ? h(
            'button',
            { class: 'btn primary', id: 'verify-tx', onclick: () => void verify(check, tx.txId) },
            bi('验证签名', 'Verify the signature'),
          )
        : null,
      check,
    );
  } catch (e) {
    el.replaceChildren(errorBox(e));
  }
}

/** Re-verifies the member's SM2 signature over its recorded intent, here in the browser. */
async function verify(el, txId) {
  el.replaceChildren(loading());
  try {
    const rec = await get(`/v1/transactions/${encodeURIComponent(txId)}/intent`);
    const r = verifyIntent(rec.intent, rec.publicKey);
    const [signer] = Object.values(await namesOf([rec.intent.signer]));
    el.replaceChildren(
      h(
        'div',
        { class: `alert ${r.ok ? 'ok' : 'error'}`, 'data-verified': r.ok ? 'yes' : 'no' },
        h('strong', {}, r.ok ? '✓ 签名有效 Signature valid' : '✗ 签名无效 Signature does NOT verify'),
        h(
          'ul',
          {},
          h(
            'li',
            {},
            bi('签名人', 'Signer'),
            `: ${signer} · `,
            bi('公钥', 'public key'),
            ` ${short(rec.publicKey, 18)}`,
          ),
          h('li', {}, bi('签名时间', 'Signed at'), `: ${when(new Date(Number(rec.intent.timestamp)).toISOString())}`),
          h('li', {}, bi('请求摘要 (SM3)', 'Request digest (SM3)'), `: ${short(r.digest, 24)}`),
          rec.intent.kind === 'http'
            ? h(
                'li',
                {},
                bi('请求正文', 'Request body'),
                `: ${r.bodyOk ? '✓ 与签名一致 matches what was signed' : '✗ 与签名不一致 differs from what was signed'}`,
              )
            : h('li', {}, bi('服务身份直接调用', 'A direct call by a service identity')),
          h('li', {}, bi('校验地点', 'Checked'), ': ', bi('本浏览器 (SM2/SM3)', 'in this browser (SM2/SM3)')),
        ),
      ),
    );
  } catch (e) {
    el.replaceChildren(errorBox(e));
  }
}

function liveEvents(view) {
  const watcher = hasRole(...WATCHERS);
  const list = h('ol', { class: 'events', id: 'events' });
  const status = h('span', { class: 'live off', id: 'live-status' }, '○ 未连接 stopped');
  const filter = select({ id: 'event-account' }, watcher ? [['', '全部 All accounts']] : []);
  const ac = new AbortController();
  view.cleanup(() => ac.abort());
  const start = async () => {
    if (!watcher) {
      const mine = await get('/v1/accounts').catch(() => []);
      for (const a of mine) filter.append(h('option', { value: a.id }, a.id));
      if (!mine.length) {
        status.textContent = '无账户 no account to watch';
        return;
      }
    }
    const { height } = await get('/v1/height');
    status.className = 'live on';
    status.textContent = '● 实时 live';
    try {
      for await (const m of stream(
        '/v1/events',
        { account: filter.value || undefined, fromBlock: String(Math.max(0, height - 8)) },
        ac.signal,
      )) {
        const env = JSON.parse(m.data);
        list.prepend(eventRow(m.id, env));
        while (list.children.length > 40) list.lastChild.remove();
      }
    } catch (e) {
      if (!ac.signal.aborted) {
        status.className = 'live err';
        status.textContent = '✕';
        list.prepend(h('li', {}, errorBox(e)));
      }
    }
  };
  void start();
  return card(
    bi('实时事件', 'Live events'),
    h('div', { class: 'inline' }, h('label', { class: 'inline-label' }, bi('账户', 'Account'), ' ', filter), status),
    list,
  );
}

function eventRow(id, env) {
  const types = env.events.map((e) => e.type);
  const amount = env.events.find((e) => typeof e.amount === 'string' && /^[0-9]+$/.test(e.amount))?.amount;
  return h(
    'li',
    { class: 'event', 'data-id': id, 'data-type': types.join(' ') },
    h(
      'div',
      { class: 'ev-head' },
      types.map((t) => h('span', { class: 'chip ev' }, text(EVENT, t))),
      amount ? h('span', { class: 'ev-amount' }, cny(amount)) : null,
    ),
    h('div', { class: 'muted small' }, `区块 Block #${String(id).split('.')[0]} · ${when(env.time)}`),
  );
}
