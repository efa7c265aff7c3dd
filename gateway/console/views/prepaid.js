// 预付资金 Prepaid: merchants and their plans, the contracts a member may read with what their
// escrow holds, what was delivered and what a refund returns now, the cooling-off countdown; a
// regulator freezes a failing merchant and refunds all its consumers (the sweep), signed here.
import { get, post } from '../api.js';
import { bars } from '../charts.js';
import { badge, bi, card, dialog, empty, h, input, put, stat, stats, table } from '../dom.js';
import { PREPAID_CATEGORY, REGION, RELEASE_MODE, STATUS, text } from '../labels.js';
import { cny, sumFen } from '../money.js';
import { namesOf } from '../names.js';
import { go, hasRole, myHandle } from '../session.js';

const tone = (s) =>
  ({
    approved: 'active',
    active: 'active',
    completed: 'active',
    frozen: 'frozen',
    rejected: 'frozen',
    refunded: 'warn',
  })[s] ?? '';

/** '还剩 3 天 4 小时 3 d 4 h left' or '已过冷静期 Cooling-off over'. */
export function coolingOff(until, now = Date.now()) {
  const ms = Date.parse(until) - now;
  if (ms <= 0) return '已过冷静期 Cooling-off over';
  const days = Math.floor(ms / 86_400_000);
  const hours = Math.floor((ms % 86_400_000) / 3_600_000);
  return `还剩 ${days} 天 ${hours} 小时 · ${days} d ${hours} h left`;
}

export async function viewPrepaid(root, params, view) {
  const merchants = await get('/v1/prepaid/merchants', undefined, view.signal);
  const figures = h('div', {});
  const contractsBox = h('div', {});
  /** Contracts and their totals, read again after a sweep so the person sees the refunds land. */
  const loadContracts = async () => {
    const contracts = hasRole('regulator', 'auditor', 'merchant', 'consumer')
      ? await get('/v1/prepaid/contracts', undefined, view.signal)
      : [];
    const names = await namesOf(contracts.map((c) => c.consumer));
    const chartEl = h('div', {});
    figures.replaceChildren(
      stats(
        stat(bi('托管中', 'In escrow'), cny(sumFen(contracts.map((c) => c.escrowBalance))), 'escrow-total'),
        stat(bi('已交付', 'Delivered'), cny(sumFen(contracts.map((c) => c.released))), 'delivered-total'),
        stat(
          bi('生效合同', 'Active contracts'),
          String(contracts.filter((c) => c.status === 'active').length),
          'active-count',
        ),
      ),
    );
    contractsBox.replaceChildren(
      ...(contracts.length
        ? [chartEl, contractsTable(contracts, names)]
        : [empty('暂无预付合同。', 'No prepaid contracts.')]),
    );
    if (contracts.length && view.alive())
      await bars(chartEl, {
        categories: contracts.map((c) => `${c.merchantName} · ${c.planName}`),
        series: [
          { name: '已交付 Delivered', fen: contracts.map((c) => c.released), color: '#0f9d8a', stack: 'c' },
          { name: '可退 Refundable now', fen: contracts.map((c) => c.refundNow.refund), color: '#2e7bd6', stack: 'c' },
          { name: '不可退 Kept', fen: contracts.map((c) => c.refundNow.fee), color: '#c4cad6', stack: 'c' },
        ],
      });
  };
  put(
    root,
    figures,
    card(bi('商户与预付方案', 'Merchants and plans'), merchantsTable(merchants, loadContracts)),
    card(bi('预付合同', 'Prepaid contracts'), contractsBox),
  );
  await loadContracts();
  void params;
}

function merchantsTable(merchants, afterSweep) {
  if (!merchants.length) return empty('暂无商户。', 'No merchants.');
  return h(
    'div',
    { class: 'merchants' },
    merchants.map((m) =>
      h(
        'article',
        { class: 'merchant', 'data-merchant': m.id },
        h(
          'div',
          { class: 'request-head' },
          h('strong', {}, m.name),
          ' ',
          h('span', { class: 'muted small' }, `${text(PREPAID_CATEGORY, m.category)} · ${text(REGION, m.region)}`),
          ' ',
          badge(text(STATUS, m.status), tone(m.status), { 'data-status': m.status }),
        ),
        m.plans.length
          ? table(
              m.plans,
              [
                { label: bi('方案', 'Plan'), value: (p) => p.name, key: 'plan' },
                { label: bi('核销方式', 'Delivery'), value: (p) => text(RELEASE_MODE, p.mode), key: 'mode' },
                { label: bi('价格', 'Price'), value: (p) => cny(p.price), num: true, key: 'price' },
                {
                  label: bi('次数/天数', 'Units / days'),
                  value: (p) => `${p.units ?? '—'} / ${p.days ?? '—'}`,
                  key: 'units',
                },
                { label: bi('冷静期', 'Cooling-off'), value: (p) => `${p.coolingOffDays} 天 days`, key: 'cooling' },
                {
                  label: bi('状态', 'Status'),
                  value: (p) => badge(text(STATUS, p.status), tone(p.status)),
                  key: 'status',
                },
              ],
              { cls: 'mini', attrs: (p) => ({ 'data-plan': p.id }) },
            )
          : h('p', { class: 'muted small' }, bi('暂无方案', 'No plans')),
        regulatorActions(m, afterSweep),
      ),
    ),
  );
}

function contractsTable(contracts, names) {
  return table(
    contracts,
    [
      { label: bi('商户', 'Merchant'), value: (c) => c.merchantName, key: 'merchant' },
      { label: bi('方案', 'Plan'), value: (c) => c.planName, key: 'plan' },
      { label: bi('消费者', 'Consumer'), value: (c) => names[c.consumer], key: 'consumer' },
      { label: bi('价款', 'Price'), value: (c) => cny(c.price), num: true, key: 'price' },
      { label: bi('托管余额', 'Escrow balance'), value: (c) => cny(c.escrowBalance), num: true, key: 'escrow' },
      { label: bi('已交付', 'Delivered'), value: (c) => cny(c.released), num: true, key: 'delivered' },
      { label: bi('现在可退', 'Refundable now'), value: (c) => cny(c.refundNow.refund), num: true, key: 'refundable' },
      {
        label: bi('冷静期', 'Cooling-off'),
        value: (c) => (c.status === 'active' ? coolingOff(c.coolingOffUntil) : '—'),
        key: 'cooling',
      },
      { label: bi('状态', 'Status'), value: (c) => badge(text(STATUS, c.status), tone(c.status)), key: 'status' },
      { label: bi('操作', 'Action'), value: (c) => consumerActions(c), key: 'action' },
    ],
    { attrs: (c) => ({ 'data-contract': c.id, 'data-status': c.status }) },
  );
}

/** The consumer takes back what a refund returns now (in full inside cooling-off). */
function consumerActions(c) {
  if (c.status !== 'active' || c.consumer !== myHandle()) return '';
  const refund = () =>
    dialog({
      title: bi('申请退款', 'Ask for a refund'),
      intro: `${c.merchantName} · ${c.planName} · 退回 returns ${cny(c.refundNow.refund)}`,
      run: () => post(`/v1/prepaid/contracts/${encodeURIComponent(c.id)}/refund`),
      onDone: () => go('prepaid', { t: Date.now() }),
    });
  return h('button', { class: 'btn ghost small', 'data-action': 'refund', onclick: refund }, bi('退款', 'Refund'));
}

/** A regulator freezes a failing merchant, then refunds every consumer in batches until done. */
function regulatorActions(m, afterSweep) {
  if (!hasRole('regulator')) return null;
  const reload = () => go('prepaid', { t: Date.now() });
  if (m.status === 'approved') {
    const reason = input({ id: 'freeze-reason', required: true });
    return h(
      'div',
      { class: 'actions' },
      h(
        'button',
        {
          class: 'btn danger small',
          'data-action': 'freeze',
          onclick: () =>
            dialog({
              title: bi('冻结商户', 'Freeze the merchant'),
              intro: bi(
                `${m.name}：冻结后不能再售卡，也不能再拨付。`,
                'No more sales and no more releases once frozen.',
              ),
              fields: [[bi('原因', 'Reason'), reason]],
              run: () =>
                post(`/v1/prepaid/merchants/${encodeURIComponent(m.id)}/freeze`, { reason: reason.value.trim() }),
              onDone: reload,
            }),
        },
        bi('冻结商户', 'Freeze'),
      ),
    );
  }
  if (m.status !== 'frozen') return null;
  const progress = h('div', { class: 'sweep-progress' });
  const sweep = async (button) => {
    button.disabled = true;
    let s;
    do {
      s = await post(`/v1/prepaid/merchants/${encodeURIComponent(m.id)}/refund-all`, { limit: 50 });
      progress.replaceChildren(
        h(
          'span',
          { 'data-done': s.done ? 'yes' : 'no' },
          bi(
            `已处理 ${s.visited} 份合同，退款 ${s.refunded} 份，共 ${cny(s.amount)}`,
            `${s.visited} contracts visited, ${s.refunded} refunded, ${cny(s.amount)} in all`,
          ),
          s.done ? ' ✓' : ' …',
        ),
      );
    } while (!s.done);
    await afterSweep();
  };
  return h(
    'div',
    { class: 'actions' },
    h(
      'button',
      {
        class: 'btn primary small',
        'data-action': 'sweep',
        onclick: (e) => void sweep(e.currentTarget).catch((err) => progress.replaceChildren(String(err.message))),
      },
      bi('批量退款', 'Refund every consumer'),
    ),
    progress,
  );
}
