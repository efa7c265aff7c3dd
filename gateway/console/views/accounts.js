// 账户 Accounts: the caller's accounts (a regulator may pick any member), each with its holder
// (户名), balance, and the balance by source as a bar.
import { get } from '../api.js';
import { bars } from '../charts.js';
import { badge, bi, card, empty, h, put, select, stat, stats, table } from '../dom.js';
import { ACCOUNT_KIND, label, STATUS } from '../labels.js';
import { cny, sumFen } from '../money.js';
import { accountHolder, nameOf, orgNames } from '../names.js';
import { hasRole, href, go, myHandle } from '../session.js';

/** What a lot colour says about where money came from. */
export function colorText(color) {
  const [kind, ...rest] = String(color).split(':');
  const ref = rest.join(':');
  if (kind === 'dep') return `存入资金 Deposited · ${ref}`;
  if (kind === 'prog') return `监管拨付 Released under ${ref}`;
  if (kind === 'bill') return `票据款 Bill ${ref}`;
  if (kind === 'prepaid') return `预付资金 Prepaid ${ref}`;
  return String(color);
}

/** Members a regulator may look at: every member of every org (the registry lists them for regulators). */
async function memberChoices(signal) {
  const orgs = await orgNames();
  const lists = await Promise.all(
    [...orgs.keys()].map((mspId) =>
      get(`/v1/orgs/${encodeURIComponent(mspId)}/members`, undefined, signal).catch(() => []),
    ),
  );
  return lists
    .flat()
    .filter((m) => !m.admin && m.roles.some((r) => ['enterprise', 'merchant', 'consumer', 'bank'].includes(r)));
}

export async function viewAccounts(root, params, view) {
  const owner = params.get('owner') ?? myHandle();
  const accounts = await get('/v1/accounts', owner === myHandle() ? undefined : { owner }, view.signal);
  const balances = await Promise.all(
    accounts.map((a) =>
      get(`/v1/accounts/${encodeURIComponent(a.id)}/balance`, undefined, view.signal).catch(() => undefined),
    ),
  );
  const holders = await Promise.all(accounts.map(accountHolder));
  const ownerName = await nameOf(owner);
  const picker = hasRole('regulator') ? await memberChoices(view.signal) : [];
  put(
    root,
    stats(
      stat(bi('户名', 'Holder'), ownerName, 'owner-name'),
      stat(bi('账户数', 'Accounts'), String(accounts.length), 'count-accounts'),
      stat(bi('合计余额', 'Total balance'), cny(sumFen(accounts.map((a) => a.balance ?? '0'))), 'total-balance'),
    ),
    picker.length
      ? card(
          null,
          h(
            'label',
            { class: 'inline-label' },
            bi('查看成员账户', 'Look at a member’s accounts'),
            ' ',
            select({ id: 'owner-pick', onchange: (e) => go('accounts', { owner: e.target.value }) }, [
              [myHandle(), '— 我的账户 My accounts —'],
              ...picker.map((m) => [m.handle, m.displayName ?? m.name]),
            ]),
          ),
        )
      : null,
    accounts.length === 0
      ? card(null, empty('暂无账户：账户由开户银行开立。', 'No accounts yet: a bank opens them.'))
      : h(
          'div',
          { class: 'acct-grid' },
          accounts.map((a, i) => accountCard(a, balances[i], holders[i])),
        ),
  );
  const pick = root.querySelector('#owner-pick');
  if (pick) pick.value = owner;
  await Promise.all(
    accounts.map((a, i) => {
      const colors = balances[i]?.byColor ?? [];
      const el = root.querySelector(`[data-account="${CSS.escape(a.id)}"] .colors-chart`);
      return colors.length > 1 && el
        ? bars(el, {
            categories: colors.map((c) => colorText(c.color)),
            series: [{ name: '余额 Balance', fen: colors.map((c) => c.amount), color: '#5b6cf0' }],
          })
        : undefined;
    }),
  );
}

function accountCard(a, balance, holder) {
  const colors = balance?.byColor ?? [];
  const [kindZh, kindEn] = label(ACCOUNT_KIND, a.kind);
  const [stZh, stEn] = label(STATUS, a.status);
  return h(
    'article',
    { class: 'acct', 'data-account': a.id },
    h(
      'div',
      { class: 'acct-head' },
      h(
        'div',
        {},
        h('div', { class: 'acct-holder' }, holder.name),
        h(
          'div',
          { class: 'muted small' },
          `${kindZh} ${kindEn} · ${holder.orgName ?? holder.org} · `,
          h('span', { class: 'acct-id' }, a.id),
        ),
      ),
      badge(`${stZh} ${stEn}`, a.status),
    ),
    h('div', { class: 'balance' }, h('span', { class: 'amount' }, cny(a.balance ?? '0'))),
    a.program
      ? h(
          'div',
          { class: 'small' },
          bi('监管项目', 'Program'),
          ' ',
          h('a', { href: href('supervision', { program: a.program }) }, a.program),
        )
      : null,
    colors.length > 1 ? h('div', { class: 'colors-chart' }) : null,
    colors.length === 0
      ? h('p', { class: 'muted small' }, bi('无余额', 'Empty'))
      : table(
          colors,
          [
            { label: bi('资金来源', 'Source'), value: (c) => colorText(c.color), key: 'source' },
            { label: bi('金额', 'Amount'), value: (c) => cny(c.amount), num: true, key: 'amount' },
          ],
          { attrs: (c) => ({ 'data-color': c.color }), cls: 'mini' },
        ),
    h(
      'div',
      { class: 'acct-actions' },
      h('a', { class: 'btn secondary small', href: href('flow', { account: a.id }) }, '资金穿透 Trace →'),
    ),
  );
}
