// SVG pictures: a Sankey-style fund flow, grouped bars, and a range strip. Sizes may use floats;
// every amount printed comes from money.js (bigint fen → yuan text).
import { share, toFen, yuan } from './money.js';

const NS = 'http://www.w3.org/2000/svg';
export function s(tag, attrs = {}, ...kids) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) el.setAttribute(k, String(v));
  for (const k of kids.flat())
    if (k !== undefined && k !== null) el.append(k instanceof Node ? k : document.createTextNode(String(k)));
  return el;
}

export const KIND_COLOR = {
  deposit: '#0f9d8a',
  lot: '#5b6cf0',
  account: '#1d3a6e',
  withdrawal: '#e07a2f',
  held: '#2e9b57',
  cycle: '#9aa3b2',
  depth: '#9aa3b2',
};

/**
 * Sankey of flows [{nodes: [id, ...] left→right, amount: fen}]. The first node of every flow is
 * pinned to the left column and the last to the right; the others sit `align`ed ('left': by
 * distance from the start, 'right': by distance from the end). info(id) → {label, sub, kind}.
 */
export function sankey(flows, info, { align = 'right', width = 1000, title = '' } = {}) {
  flows = flows.filter((f) => toFen(f.amount) > 0n && f.nodes.length >= 2);
  const maxLen = Math.max(2, ...flows.map((f) => f.nodes.length));
  const last = maxLen - 1;
  const col = new Map();
  const order = [];
  const links = new Map();
  for (const f of [...flows].sort((a, b) => (toFen(b.amount) > toFen(a.amount) ? 1 : -1))) {
    const L = f.nodes.length;
    f.nodes.forEach((id, j) => {
      const c = j === 0 ? 0 : j === L - 1 ? last : align === 'left' ? j : last - (L - 1 - j);
      if (!col.has(id)) {
        col.set(id, c);
        order.push(id);
      }
      if (j > 0) {
        const k = `${f.nodes[j - 1]}\u0000${id}`;
        links.set(k, (links.get(k) ?? 0n) + toFen(f.amount));
      }
    });
  }
  const inSum = new Map(),
    outSum = new Map();
  const linkList = [...links].map(([k, v]) => {
    const [a, b] = k.split('\u0000');
    inSum.set(b, (inSum.get(b) ?? 0n) + v);
    outSum.set(a, (outSum.get(a) ?? 0n) + v);
    return { source: a, target: b, value: v };
  });
  const value = (id) => {
    const i = inSum.get(id) ?? 0n,
      o = outSum.get(id) ?? 0n;
    return i > o ? i : o;
  };
  const cols = Array.from({ length: maxLen }, () => []);
  for (const id of order) cols[col.get(id)].push(id);

  const nodeW = 14,
    gap = 22,
    top = title ? 40 : 16,
    padL = 210,
    padR = 210;
  const rowsMax = Math.max(...cols.map((c) => c.length));
  const height = Math.max(220, top + 24 + rowsMax * 74);
  const avail = height - top - 24 - gap * (rowsMax - 1);
  const colTotals = cols.map((c) => c.reduce((t, id) => t + value(id), 0n));
  const biggest = colTotals.reduce((m, v) => (v > m ? v : m), 1n);
  const px = (v) => Math.max(2, share(v, biggest) * avail);
  const x0 = padL,
    x1 = width - padR - nodeW;
  const pos = new Map();
  cols.forEach((ids, c) => {
    const used = ids.reduce((t, id) => t + px(value(id)), 0) + gap * (ids.length - 1);
    let y = top + (height - top - 24 - used) / 2;
    const x = maxLen === 1 ? x0 : x0 + ((x1 - x0) * c) / (maxLen - 1);
    for (const id of ids) {
      const h = px(value(id));
      pos.set(id, { x, y, h, outY: y, inY: y });
      y += h + gap;
    }
  });

  const svg = s('svg', {
    viewBox: `0 0 ${width} ${height}`,
    class: 'chart sankey',
    role: 'img',
    'aria-label': title || 'fund flow',
  });
  if (title) svg.append(s('text', { x: 0, y: 18, class: 'chart-title' }, title));
  const defs = s('defs');
  svg.append(defs);
  const gLinks = s('g', { class: 'sk-links' });
  const gNodes = s('g', { class: 'sk-nodes' });
  svg.append(gLinks, gNodes);

  const sorted = [...linkList].sort(
    (a, b) => pos.get(a.target).y - pos.get(b.target).y || pos.get(a.source).y - pos.get(b.source).y,
  );
  sorted.forEach((l, i) => {
    const a = pos.get(l.source),
      b = pos.get(l.target);
    const w = share(l.value, value(l.source)) * a.h;
    const w2 = share(l.value, value(l.target)) * b.h;
    const sx = a.x + nodeW,
      tx = b.x;
    const sy = a.outY,
      ty = b.inY;
    a.outY += w;
    b.inY += w2;
    const mx = (sx + tx) / 2;
    const gid = `skg${i}`;
    const ca = KIND_COLOR[info(l.source).kind] ?? KIND_COLOR.lot,
      cb = KIND_COLOR[info(l.target).kind] ?? KIND_COLOR.lot;
    defs.append(
      s(
        'linearGradient',
        { id: gid, x1: 0, x2: 1, y1: 0, y2: 0 },
        s('stop', { offset: '0%', 'stop-color': ca }),
        s('stop', { offset: '100%', 'stop-color': cb }),
      ),
    );
    const d = `M${sx},${sy} C${mx},${sy} ${mx},${ty} ${tx},${ty} L${tx},${ty + w2} C${mx},${ty + w2} ${mx},${sy + w} ${sx},${sy + w} Z`;
    gLinks.append(
      s(
        'path',
        {
          d,
          class: 'sk-link',
          fill: `url(#${gid})`,
          'data-source': l.source,
          'data-target': l.target,
          'data-fen': l.value.toString(),
        },
        s('title', {}, `${info(l.source).label} → ${info(l.target).label}\n¥${yuan(l.value)}`),
      ),
    );
  });

  for (const [id, p] of pos) {
    const n = info(id);
    const c = col.get(id);
    const g = s('g', {
      class: `sk-node kind-${n.kind}`,
      'data-id': id,
      'data-kind': n.kind,
      'data-fen': value(id).toString(),
    });
    g.append(
      s(
        'rect',
        { x: p.x, y: p.y, width: nodeW, height: p.h, rx: 3, fill: KIND_COLOR[n.kind] ?? KIND_COLOR.lot },
        s('title', {}, `${id}\n¥${yuan(value(id))}`),
      ),
    );
    const left = c === 0;
    const tx = left ? p.x - 10 : p.x + nodeW + 10;
    const anchor = left ? 'end' : 'start';
    const cy = p.y + p.h / 2;
    g.append(s('text', { x: tx, y: cy - 9, 'text-anchor': anchor, class: 'sk-label' }, n.label));
    g.append(s('text', { x: tx, y: cy + 6, 'text-anchor': anchor, class: 'sk-sub' }, n.sub ?? ''));
    g.append(s('text', { x: tx, y: cy + 21, 'text-anchor': anchor, class: 'sk-amount' }, `¥${yuan(value(id))}`));
    gNodes.append(g);
  }
  return svg;
}

/**
 * Horizontal grouped bars. rows: [{label, values: {key: bigint|number}}]; series: [{key, name, color, fen?}].
 * fen series print yuan; others print counts.
 */
export function bars(rows, series, { width = 1000, title = '' } = {}) {
  const rowH = 16 * series.length + 18,
    top = title ? 62 : 28,
    padL = 230,
    padR = 150;
  const height = top + rows.length * rowH + 8;
  const svg = s('svg', {
    viewBox: `0 0 ${width} ${height}`,
    class: 'chart bars',
    role: 'img',
    'aria-label': title || 'bar chart',
  });
  if (title) svg.append(s('text', { x: 0, y: 18, class: 'chart-title' }, title));
  let lx = padL;
  for (const se of series) {
    svg.append(
      s('rect', { x: lx, y: top - 22, width: 10, height: 10, rx: 2, fill: se.color }),
      s('text', { x: lx + 15, y: top - 13, class: 'legend' }, se.name),
    );
    lx += 30 + se.name.length * 7.5;
  }
  const max = rows.reduce(
    (m, r) =>
      series.reduce((mm, se) => {
        const v = BigInt(r.values[se.key] ?? 0);
        return v > mm ? v : mm;
      }, m),
    1n,
  );
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    const g = s('g', { class: 'bar-row', 'data-label': r.label });
    g.append(s('text', { x: padL - 12, y: y + rowH / 2 + 4, 'text-anchor': 'end', class: 'bar-label' }, r.label));
    series.forEach((se, j) => {
      const v = BigInt(r.values[se.key] ?? 0);
      const w = Math.max(v > 0n ? 2 : 0, share(v, max) * (width - padL - padR));
      const by = y + 6 + j * 16;
      g.append(
        s('rect', {
          x: padL,
          y: by,
          width: w,
          height: 12,
          rx: 2,
          fill: se.color,
          class: 'bar',
          'data-series': se.key,
          'data-value': v.toString(),
        }),
      );
      g.append(s('text', { x: padL + w + 6, y: by + 10, class: 'bar-value' }, se.fen ? `¥${yuan(v)}` : v.toString()));
    });
    svg.append(g);
  });
  return svg;
}

export const STATE_COLOR = {
  draft: '#c4cad6',
  accepted: '#7c8cf5',
  held: '#2e7bd6',
  pledged: '#8e5bd6',
  dishonored: '#d64545',
  paid: '#2e9b57',
  settled: '#1f7a44',
  cancelled: '#9aa3b2',
  refused: '#e07a2f',
};

/** A bill package's ranges [{start, end, state, holder}] over [1, total] as one horizontal strip. */
export function strip(ranges, total, { width = 1000, title = '' } = {}) {
  const top = title ? 34 : 8,
    h = 36,
    padX = 10;
  const height = top + h + 60;
  const svg = s('svg', {
    viewBox: `0 0 ${width} ${height}`,
    class: 'chart strip',
    role: 'img',
    'aria-label': title || 'range map',
  });
  if (title) svg.append(s('text', { x: 0, y: 18, class: 'chart-title' }, title));
  const T = toFen(total);
  const usable = width - 2 * padX;
  svg.append(s('rect', { x: padX, y: top, width: usable, height: h, fill: '#eef1f6', rx: 4 }));
  const states = new Set();
  for (const r of [...ranges].sort((a, b) => Number(a.start) - Number(b.start))) {
    const a = BigInt(r.start) - 1n,
      size = BigInt(r.end) - BigInt(r.start) + 1n;
    const x = padX + share(a, T) * usable,
      w = Math.max(1, share(size, T) * usable);
    states.add(r.state);
    const g = s('g', { class: 'range', 'data-state': r.state, 'data-start': r.start, 'data-end': r.end });
    g.append(
      s(
        'rect',
        { x, y: top, width: w, height: h, fill: STATE_COLOR[r.state] ?? '#5b6cf0', stroke: '#fff', 'stroke-width': 1 },
        s('title', {}, `${r.start}–${r.end} · ${r.state} · ${r.holder ?? ''}\n¥${yuan(size)}`),
      ),
    );
    if (w > 90) g.append(s('text', { x: x + 6, y: top + 23, class: 'range-label' }, `¥${yuan(size)}`));
    svg.append(g);
  }
  svg.append(
    s('text', { x: padX, y: top + h + 16, class: 'axis' }, '1'),
    s('text', { x: width - padX, y: top + h + 16, 'text-anchor': 'end', class: 'axis' }, T.toString()),
  );
  let lx = padX;
  for (const st of states) {
    svg.append(
      s('rect', { x: lx, y: top + h + 30, width: 10, height: 10, rx: 2, fill: STATE_COLOR[st] ?? '#5b6cf0' }),
      s('text', { x: lx + 15, y: top + h + 39, class: 'legend' }, st),
    );
    lx += 30 + st.length * 7.5;
  }
  return svg;
}

export const RECON_COLOR = { matched: '#2e9b57', in_flight: '#e0a82f', break: '#d64545' };

/**
 * A reconciliation run as one bar per outcome: matched, in flight, then each break class.
 * summary: GET /v1/recon/runs/latest ({matched, inFlight, breaks: {class: n}}). Counts, not fen.
 */
export function reconBars(summary, { width = 1000, title = '' } = {}) {
  const rows = [
    { label: '相符 matched', key: 'matched', value: summary.matched, color: RECON_COLOR.matched },
    { label: '在途 in flight', key: 'in_flight', value: summary.inFlight, color: RECON_COLOR.in_flight },
    ...Object.entries(summary.breaks ?? {}).map(([cls, n]) => ({
      label: cls,
      key: cls,
      value: n,
      color: RECON_COLOR.break,
    })),
  ];
  const rowH = 26,
    top = title ? 40 : 8,
    padL = 230,
    padR = 90;
  const svg = s('svg', {
    viewBox: `0 0 ${width} ${top + rows.length * rowH + 8}`,
    class: 'chart bars recon',
    role: 'img',
    'aria-label': title || 'reconciliation',
  });
  if (title) svg.append(s('text', { x: 0, y: 18, class: 'chart-title' }, title));
  const max = rows.reduce((m, r) => (BigInt(r.value ?? 0) > m ? BigInt(r.value ?? 0) : m), 1n);
  rows.forEach((r, i) => {
    const v = BigInt(r.value ?? 0);
    const y = top + i * rowH;
    const w = Math.max(v > 0n ? 2 : 0, share(v, max) * (width - padL - padR));
    const g = s('g', { class: 'bar-row', 'data-label': r.key });
    g.append(s('text', { x: padL - 12, y: y + 17, 'text-anchor': 'end', class: 'bar-label' }, r.label));
    g.append(
      s('rect', {
        x: padL,
        y: y + 6,
        width: w,
        height: 14,
        rx: 2,
        fill: r.color,
        class: 'bar',
        'data-series': r.key,
        'data-value': v.toString(),
      }),
    );
    g.append(s('text', { x: padL + w + 6, y: y + 17, class: 'bar-value' }, v.toString()));
    svg.append(g);
  });
  return svg;
}
