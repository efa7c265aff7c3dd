// DOM helpers. Text only: nothing from the server is ever parsed as HTML.
import { ApiError } from './api.js';
import { errorText } from './labels.js';

export function h(tag, attrs = {}, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  put(el, kids);
  return el;
}

/** el.append without the 'null' text nodes of absent parts. */
export function put(el, ...kids) {
  for (const k of kids.flat(Infinity))
    if (k !== undefined && k !== null && k !== false)
      el.append(k instanceof Node ? k : document.createTextNode(String(k)));
  return el;
}

export const $ = (sel, root = document) => root.querySelector(sel);
export const short = (x, n = 10) => (x && x.length > n + 2 ? `${x.slice(0, n)}…` : (x ?? ''));
export const when = (iso) => (iso ? new Date(iso).toLocaleString('zh-CN', { hour12: false }) : '—');
export const day = (iso) => (iso ? new Date(iso).toLocaleDateString('zh-CN') : '—');

/** Chinese first, English beside. */
export const bi = (zh, en) => [h('span', { class: 'zh' }, zh), ' ', h('span', { class: 'en' }, en)];

export const loading = () => h('div', { class: 'muted loading' }, '加载中 Loading…');
export const empty = (zh, en) => h('p', { class: 'muted empty' }, bi(zh, en));
export const card = (title, ...kids) => h('section', { class: 'card' }, title ? h('h2', {}, title) : null, ...kids);

export function errorBox(err) {
  const [zh, en] = errorText(err);
  return h(
    'div',
    { class: 'alert error', role: 'alert', 'data-code': err instanceof ApiError ? err.code : 'ERROR' },
    h('strong', {}, zh),
    ' ',
    h('span', { class: 'en' }, en),
  );
}

export function stat(label, value, id) {
  return h(
    'div',
    { class: 'stat' },
    h('div', { class: 'stat-label' }, label),
    h('div', { class: 'stat-value', id }, value),
  );
}
export const stats = (...items) => h('div', { class: 'stats' }, items);

export function figure(label, value, attrs = {}) {
  return h(
    'div',
    { class: 'figure', ...attrs },
    h('div', { class: 'stat-label' }, label),
    h('div', { class: 'fig-value' }, value),
  );
}

export function badge(text, tone = '', attrs = {}) {
  return h('span', { class: `badge ${tone}`, ...attrs }, text);
}

/**
 * A table: columns [{label, value(row) → node|text, num?, key?}]; rows get `attrs(row)`.
 * Header labels are people's words (Chinese and English), never field names.
 */
export function table(rows, columns, { attrs, cls = 'data' } = {}) {
  return h(
    'table',
    { class: cls },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        columns.map((c) => h('th', { class: c.num ? 'num' : undefined }, c.label)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((r) =>
        h(
          'tr',
          attrs ? attrs(r) : {},
          columns.map((c) => h('td', { class: c.num ? 'num' : undefined, 'data-col': c.key }, c.value(r))),
        ),
      ),
    ),
  );
}

/** A small modal form for a signed action; `fields` are inputs/selects; resolves when done or cancelled. */
export function dialog({ title, intro, fields = [], confirm, run, onDone }) {
  const err = h('div', { class: 'signin-error', role: 'alert' });
  const ok = h(
    'button',
    { type: 'submit', class: 'btn primary', 'data-action': 'confirm' },
    confirm ?? bi('签名提交', 'Sign and submit'),
  );
  const box = h(
    'div',
    { class: 'modal', role: 'dialog' },
    h(
      'form',
      {
        class: 'modal-card',
        onsubmit: async (e) => {
          e.preventDefault();
          ok.disabled = true;
          err.textContent = '';
          try {
            const result = await run();
            box.remove();
            onDone?.(result);
          } catch (x) {
            err.replaceChildren(errorBox(x));
            ok.disabled = false;
          }
        },
      },
      h('h2', {}, title),
      intro ? h('p', { class: 'muted' }, intro) : null,
      fields.map(([label, input]) => h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), input)),
      err,
      h(
        'div',
        { class: 'modal-actions' },
        h('button', { type: 'button', class: 'btn ghost', onclick: () => box.remove() }, bi('取消', 'Cancel')),
        ok,
      ),
      h(
        'p',
        { class: 'fine' },
        '🔒 ',
        bi('本操作由您的私钥在浏览器中签名', 'Signed in this browser with your own key'),
      ),
    ),
  );
  document.body.append(box);
  box.querySelector('input, select, textarea')?.focus();
  return box;
}

export const input = (attrs) => h('input', attrs);
export const select = (attrs, options) =>
  h(
    'select',
    attrs,
    options.map(([value, text]) => h('option', { value }, text)),
  );
