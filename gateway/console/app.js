// The Lianjian console: sign in with a wallet key file, then work in task views per role.
// Every call is signed in this browser (api.js). A render that finishes after the person has
// navigated on is dropped: each navigation has a sequence number and an AbortSignal.
import { ApiError, get, loadIdentity, parseKeyFile, saveIdentity, signOut } from './api.js';
import { disposeCharts } from './charts.js';
import { $, bi, errorBox, h, loading } from './dom.js';
import { label, ROLE } from './labels.js';
import { forgetNames, nameOf } from './names.js';
import { roles, setMe } from './session.js';
import { viewAccounts } from './views/accounts.js';
import { viewBills } from './views/bills.js';
import { viewFlow } from './views/flow.js';
import { viewLedger } from './views/ledger.js';
import { viewPrepaid } from './views/prepaid.js';
import { viewRecon } from './views/recon.js';
import { viewSupervision } from './views/supervision.js';

const state = { seq: 0, abort: undefined, cleanup: [] };

/** Views and the roles whose daily work they are (everyone signed in may open any; the chain decides). */
const NAV = [
  {
    path: 'supervision',
    zh: '资金监管',
    en: 'Supervision',
    view: viewSupervision,
    roles: ['regulator', 'auditor', 'bank', 'enterprise'],
  },
  {
    path: 'bills',
    zh: '票据',
    en: 'Bills',
    view: viewBills,
    roles: ['enterprise', 'bank', 'regulator', 'auditor', 'court'],
  },
  {
    path: 'prepaid',
    zh: '预付资金',
    en: 'Prepaid',
    view: viewPrepaid,
    roles: ['regulator', 'auditor', 'merchant', 'consumer'],
  },
  { path: 'recon', zh: '对账', en: 'Reconciliation', view: viewRecon, roles: ['bank', 'regulator', 'auditor'] },
  {
    path: 'ledger',
    zh: '账本',
    en: 'Ledger',
    view: viewLedger,
    roles: ['auditor', 'regulator', 'bank', 'enterprise', 'merchant', 'consumer', 'court'],
  },
  {
    path: 'flow',
    zh: '资金穿透',
    en: 'Fund flow',
    view: viewFlow,
    roles: ['regulator', 'auditor', 'bank', 'enterprise', 'merchant', 'consumer'],
  },
  {
    path: 'accounts',
    zh: '账户',
    en: 'Accounts',
    view: viewAccounts,
    roles: ['bank', 'enterprise', 'merchant', 'consumer', 'regulator', 'auditor'],
  },
];
/** Where each role starts its day. */
const HOME = {
  regulator: 'supervision',
  auditor: 'ledger',
  bank: 'supervision',
  enterprise: 'accounts',
  merchant: 'prepaid',
  consumer: 'prepaid',
  court: 'bills',
};

const navFor = () => NAV.filter((n) => n.roles.some((r) => roles().includes(r)));
const home = () => HOME[roles().find((r) => HOME[r])] ?? navFor()[0]?.path ?? 'accounts';

function route() {
  const [p, q] = location.hash.replace(/^#\/?/, '').split('?');
  return { name: p || home(), params: new URLSearchParams(q ?? '') };
}

// ---------------------------------------------------------------------------------------------
// Sign-in

function renderSignIn(message) {
  const root = $('#app');
  const err = h('div', { class: 'signin-error', role: 'alert' }, message ?? '');
  const area = h('textarea', {
    id: 'keyfile',
    rows: 7,
    spellcheck: 'false',
    placeholder: '{"keyId": "Org1MSP:ent1", "sm2": {…}}',
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
      saveIdentity(parseKeyFile(area.value.trim()));
      setMe(await get('/v1/me')); // the gateway checks the signature: a wrong key fails here
      area.value = '';
      location.hash = `#/${home()}`;
      renderShell();
    } catch (e) {
      signOut();
      err.replaceChildren(e instanceof ApiError ? errorBox(e) : String(e.message ?? e));
    }
  };
  root.replaceChildren(
    h(
      'div',
      { class: 'signin' },
      h(
        'div',
        { class: 'signin-card' },
        brand(true),
        h('h1', {}, bi('登录', 'Sign in')),
        h(
          'p',
          { class: 'muted' },
          bi('选择您的身份密钥文件，或粘贴其内容。', 'Choose your identity key file, or paste its content.'),
        ),
        h(
          'p',
          { class: 'muted small' },
          bi(
            '演示密钥在 wallet 文件夹中（npm start 时列出）。',
            'The demo keys are in the wallet folder that npm start lists.',
          ),
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
          '🔒 ',
          bi(
            '私钥只保存在本标签页，用 SM2/SM3 为每个请求签名，从不发送。',
            'The private key stays in this tab and signs each request with SM2/SM3; it is never sent.',
          ),
        ),
      ),
    ),
  );
}

function brand(big = false) {
  return h(
    'div',
    { class: `brand${big ? ' big' : ''}` },
    h('span', { class: 'logo' }, '链'),
    h(
      'div',
      {},
      h('div', { class: 'brand-name' }, '链监 Lianjian'),
      h('div', { class: 'brand-sub' }, big ? '监管资金区块链 · Regulated money ledger' : '控制台 Console'),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Shell and routing

function renderShell() {
  const id = loadIdentity();
  const who = h('span', { id: 'who-name' }, id.keyId);
  void nameOf(id.keyId).then((n) => (who.textContent = n));
  $('#app').replaceChildren(
    h(
      'div',
      { class: 'shell' },
      h(
        'aside',
        { class: 'side' },
        brand(),
        h(
          'nav',
          {},
          navFor().map((n) =>
            h(
              'a',
              { href: `#/${n.path}`, 'data-nav': n.path },
              h('span', { class: 'zh' }, n.zh),
              h('span', { class: 'en' }, n.en),
            ),
          ),
        ),
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
            h(
              'div',
              { class: 'who-id' },
              h('span', { class: 'dot' }),
              who,
              h('span', { id: 'who-key', class: 'muted small' }, id.keyId),
            ),
            h(
              'div',
              { class: 'roles' },
              roles().map((r) => h('span', { class: 'chip' }, label(ROLE, r).join(' '))),
            ),
            h('button', { class: 'btn ghost', id: 'signout', onclick: doSignOut }, '退出 Sign out'),
          ),
        ),
        h('main', { id: 'view' }),
      ),
    ),
  );
  void show();
}

function doSignOut() {
  signOut();
  forgetNames();
  setMe(undefined);
  leave();
  location.hash = '';
  renderSignIn();
}

/** Ends the current view: aborts its requests, stops its timers and streams, disposes its charts. */
function leave() {
  state.seq++;
  state.abort?.abort();
  for (const f of state.cleanup.splice(0)) f();
  disposeCharts();
}

async function show() {
  if (!loadIdentity()) return renderSignIn();
  leave();
  const seq = state.seq;
  const abort = (state.abort = new AbortController());
  const r = route();
  const nav = NAV.find((n) => n.path === r.name) ?? NAV.find((n) => n.path === home());
  for (const a of document.querySelectorAll('[data-nav]')) a.classList.toggle('active', a.dataset.nav === nav.path);
  const title = $('#page-title');
  if (!title) return;
  title.replaceChildren(h('span', { class: 'zh' }, nav.zh), ' ', h('span', { class: 'en' }, nav.en));
  const main = $('#view');
  main.replaceChildren(loading());
  const mount = h('div', { class: 'view', 'data-view': nav.path });
  const view = {
    alive: () => seq === state.seq,
    signal: abort.signal,
    cleanup: (f) => state.cleanup.push(f),
    refresh: () => void show(),
  };
  // Mounted first (charts need a laid-out box), invisible until the view has its data.
  mount.classList.add('pending');
  main.append(mount);
  try {
    await nav.view(mount, r.params, view);
    if (!view.alive()) return; // the person navigated on: a late render is dropped
    main.querySelector('.loading')?.remove();
    mount.classList.remove('pending');
    mount.dataset.ready = '1';
  } catch (e) {
    if (!view.alive() || abort.signal.aborted) return;
    if (e instanceof ApiError && e.status === 401) {
      signOut();
      return renderSignIn(`${e.code}: 会话已结束，请重新登录 session ended — sign in again`);
    }
    main.replaceChildren(errorBox(e));
  }
}

window.addEventListener('hashchange', () => void show());

async function boot() {
  if (!globalThis.SmCryptoV2) {
    $('#app').replaceChildren(h('div', { class: 'alert error' }, '密码库未加载 The SM crypto library failed to load.'));
    return;
  }
  if (!loadIdentity()) return renderSignIn();
  try {
    setMe(await get('/v1/me'));
  } catch (e) {
    signOut();
    return renderSignIn(e instanceof ApiError ? `${e.code}: 请重新登录 sign in again` : String(e));
  }
  renderShell();
}
void boot();
