// Charts with Apache ECharts (served from node_modules at /console/vendor/echarts.js, loaded on
// first use). SVG renderer: the labels are text a person (and a test) can read. Amount labels
// come from fen strings through money.js; floats only size the pictures.
import { cny, toFen } from './money.js';

let loading;
/** The ECharts global, loading the script once. */
export function echartsReady() {
  if (globalThis.echarts) return Promise.resolve(globalThis.echarts);
  loading ??= new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = '/console/vendor/echarts.js';
    s.onload = () => resolve(globalThis.echarts);
    s.onerror = () => reject(new Error('the chart library did not load (/console/vendor/echarts.js)'));
    document.head.append(s);
  });
  return loading;
}

const live = new Set();
/** Disposes every chart of the view being left. */
export function disposeCharts() {
  for (const c of live) c.dispose();
  live.clear();
}

export const PALETTE = [
  '#5b6cf0',
  '#0f9d8a',
  '#e07a2f',
  '#8e5bd6',
  '#2e7bd6',
  '#d64545',
  '#2e9b57',
  '#b08a1e',
  '#6b7a99',
];
const FONT = '"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif';
/** Tooltips are HTML: everything that came from the server is escaped first. */
export const esc = (text) =>
  String(text ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );
/** Rich-text labels treat braces and bars as markup. */
const plain = (text) => String(text ?? '').replace(/[{}|]/g, ' ');

/** fen → float yuan, for geometry only. */
export const yuanNumber = (fen) => Number(toFen(fen)) / 100;

/** Draws `option` into `el` (a sized box); returns the instance. */
export async function draw(el, option, { height = 320, kind = '' } = {}) {
  const echarts = await echartsReady();
  el.classList.add('chart');
  if (kind) el.dataset.chart = kind;
  el.style.height = `${height}px`; // CSSOM, allowed by the page's CSP
  const chart = echarts.init(el, null, { renderer: 'svg' });
  chart.setOption({ textStyle: { fontFamily: FONT }, animation: false, ...option });
  live.add(chart);
  const resize = new ResizeObserver(() => chart.resize());
  resize.observe(el);
  chart.on('finished', () => (el.dataset.ready = '1'));
  el.dataset.ready = '1';
  return chart;
}

/**
 * Sankey of flows. nodes: [{id, name, detail, kind, depth?}], links: [{source, target, fen}].
 * Node labels never overlap (hidden when they would); roam to zoom and pan.
 */
export function sankey(el, { nodes, links, onClick, colorOf }) {
  const height = Math.max(320, nodes.length * 44);
  return draw(
    el,
    {
      tooltip: {
        trigger: 'item',
        formatter: (p) =>
          p.dataType === 'edge'
            ? `${esc(p.data.sourceName)} → ${esc(p.data.targetName)}<br/>${cny(p.data.fen)}`
            : `${esc(p.data.title)}<br/>${esc(p.data.detail)}<br/>${cny(p.data.fen ?? '0')}`,
      },
      series: [
        {
          type: 'sankey',
          roam: true,
          draggable: false,
          nodeWidth: 132,
          nodeGap: 26,
          left: 8,
          right: 8,
          top: 16,
          bottom: 16,
          layoutIterations: 64,
          emphasis: { focus: 'adjacency' },
          labelLayout: { hideOverlap: true },
          // Names sit inside the (wide) nodes and amounts ride on the links, so they never collide.
          label: {
            position: 'inside',
            color: '#fff',
            fontSize: 12,
            lineHeight: 15,
            width: 124,
            overflow: 'truncate',
            formatter: (p) => `{b|${plain(p.data.title)}}${p.data.sub ? `\n${plain(p.data.sub)}` : ''}`,
            rich: { b: { fontWeight: 'bold', color: '#fff', fontSize: 12 } },
          },
          edgeLabel: {
            show: true,
            formatter: (p) => cny(p.data.fen),
            fontSize: 11,
            color: '#17213a',
            textBorderColor: '#fff',
            textBorderWidth: 3,
          },
          lineStyle: { color: 'gradient', opacity: 0.35, curveness: 0.5 },
          data: nodes.map((n) => ({
            name: n.id,
            title: n.name,
            sub: n.sub,
            detail: n.detail,
            kind: n.kind,
            fen: n.fen,
            ...(n.depth !== undefined ? { depth: n.depth } : {}),
            itemStyle: { color: colorOf?.(n) },
          })),
          links: links.map((l) => ({
            source: l.source,
            target: l.target,
            value: yuanNumber(l.fen),
            fen: String(l.fen),
            sourceName: nodes.find((n) => n.id === l.source)?.name ?? l.source,
            targetName: nodes.find((n) => n.id === l.target)?.name ?? l.target,
          })),
        },
      ],
    },
    { height, kind: 'sankey' },
  ).then((chart) => {
    if (onClick) chart.on('click', (p) => p.dataType === 'node' && onClick(p.data));
    return chart;
  });
}

/**
 * Bars by category: series [{name, fen: [fen strings], color, stack?}]; horizontal for long names.
 * Value labels are exact yuan.
 */
export function bars(el, { categories, series, horizontal = true, title, height }) {
  const widest = Math.max(
    0,
    ...categories.map((_, i) => series.reduce((sum, s) => sum + (s.stack ? yuanNumber(s.fen[i]) : 0), 0)),
  );
  const valueAxis = { type: 'value', axisLabel: { formatter: (v) => `¥${v.toLocaleString('zh-CN')}` } };
  const categoryAxis = { type: 'category', data: categories, axisLabel: { width: 160, overflow: 'truncate' } };
  return draw(
    el,
    {
      title: title ? { text: title, textStyle: { fontSize: 13 } } : undefined,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: undefined, formatter: axisTooltip },
      legend: { top: title ? 22 : 0 },
      grid: { left: horizontal ? 170 : 60, right: 90, top: title ? 52 : 32, bottom: 24 },
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? { ...categoryAxis, inverse: true } : valueAxis,
      series: series.map((s) => ({
        type: 'bar',
        name: s.name,
        stack: s.stack,
        itemStyle: { color: s.color },
        barMaxWidth: 26,
        label: {
          show: s.label !== false,
          position: s.stack ? 'inside' : horizontal ? 'right' : 'top',
          // A stacked segment too thin to hold its label leaves it to the tooltip.
          formatter: (p) => (!s.stack || (toFen(p.data.fen) > 0n && p.value >= widest * 0.08) ? cny(p.data.fen) : ''),
          fontSize: 11,
        },
        data: s.fen.map((f) => ({ value: yuanNumber(f), fen: String(f) })),
      })),
    },
    {
      height: height ?? Math.max(180, categories.length * (series.length > 1 && !series[0].stack ? 56 : 40) + 70),
      kind: 'bars',
    },
  );
}

function axisTooltip(params) {
  const list = Array.isArray(params) ? params : [params];
  return [
    esc(list[0]?.axisValueLabel ?? list[0]?.name),
    ...list.map(
      (p) => `${p.marker}${esc(p.seriesName)}: ${p.data?.fen !== undefined ? cny(p.data.fen) : esc(p.value)}`,
    ),
  ].join('<br/>');
}

/** Lines over time: x labels, series [{name, data: numbers, color}] (counts, not money). */
export function lines(el, { x, series, title, height = 260 }) {
  return draw(
    el,
    {
      title: title ? { text: title, textStyle: { fontSize: 13 } } : undefined,
      tooltip: { trigger: 'axis' },
      legend: { top: title ? 22 : 0 },
      grid: { left: 50, right: 30, top: title ? 56 : 36, bottom: 40 },
      xAxis: { type: 'category', data: x, axisLabel: { fontSize: 10 } },
      yAxis: { type: 'value', minInterval: 1 },
      dataZoom: x.length > 20 ? [{ type: 'inside' }, { type: 'slider', height: 16, bottom: 4 }] : undefined,
      series: series.map((s) => ({
        type: 'line',
        name: s.name,
        data: s.data,
        itemStyle: { color: s.color },
        symbolSize: 7,
      })),
    },
    { height, kind: 'lines' },
  );
}

/** A day calendar heatmap: data [[YYYY-MM-DD, value]] over the range of days it covers. */
export function calendar(el, { data, title, name, max, height = 200 }) {
  const days = data.map((d) => d[0]).sort();
  const last = days[days.length - 1] ?? new Date().toISOString().slice(0, 10);
  const first = new Date(Date.parse(last) - 120 * 86_400_000).toISOString().slice(0, 10);
  return draw(
    el,
    {
      title: title ? { text: title, textStyle: { fontSize: 13 } } : undefined,
      tooltip: { formatter: (p) => `${esc(p.data[0])}<br/>${esc(name)}: ${esc(p.data[1])}` },
      visualMap: {
        min: 0,
        max: Math.max(1, max ?? 1),
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        inRange: { color: ['#e8f5ec', '#f0b04a', '#d64545'] },
        itemHeight: 80,
      },
      calendar: {
        range: [first < days[0] ? first : days[0], last],
        cellSize: ['auto', 16],
        top: title ? 50 : 30,
        left: 40,
        right: 20,
        dayLabel: { nameMap: 'ZH', firstDay: 1 },
        monthLabel: { nameMap: 'ZH' },
        yearLabel: { show: false },
      },
      series: [{ type: 'heatmap', coordinateSystem: 'calendar', data }],
    },
    { height, kind: 'calendar' },
  );
}

/** Months as a year × month grid heatmap, each month coloured by its status (pieces [{value, label, color}]). */
export function monthGrid(el, { months, pieces, title }) {
  const years = [...new Set(months.map((m) => m.month.slice(0, 4)))].sort();
  const codes = pieces.map((p) => p.code);
  return draw(
    el,
    {
      title: title ? { text: title, textStyle: { fontSize: 13 } } : undefined,
      tooltip: {
        formatter: (p) =>
          `${esc(p.data.month)}<br/>${esc(pieces[p.data.value[2]]?.label)}${p.data.note ? `<br/>${esc(p.data.note)}` : ''}`,
      },
      grid: { left: 60, right: 20, top: title ? 40 : 16, bottom: 70 },
      xAxis: { type: 'category', data: Array.from({ length: 12 }, (_, i) => `${i + 1}月`), splitArea: { show: true } },
      yAxis: { type: 'category', data: years, splitArea: { show: true } },
      visualMap: {
        type: 'piecewise',
        dimension: 2,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        pieces: pieces.map((p, i) => ({ value: i, label: p.label, color: p.color })),
      },
      series: [
        {
          type: 'heatmap',
          label: { show: true, formatter: (p) => pieces[p.data.value[2]]?.short ?? '', fontSize: 11 },
          data: months.map((m) => ({
            month: m.month,
            note: m.note,
            value: [Number(m.month.slice(5, 7)) - 1, years.indexOf(m.month.slice(0, 4)), codes.indexOf(m.status)],
          })),
        },
      ],
    },
    { height: 110 + years.length * 46, kind: 'months' },
  );
}

/**
 * A bill package as one bar from sub-ticket 1 to N: a segment per range, coloured by holder,
 * patterned by state. ranges: [{start, end, holder, holderName, state, stateLabel}].
 */
export function rangeBar(el, { total, ranges, colorOfHolder, onClick }) {
  const decals = {
    pledged: { symbol: 'rect', dashArrayX: [1, 0], dashArrayY: [2, 4], rotation: -0.8 },
    dishonored: { symbol: 'circle', symbolSize: 0.5 },
  };
  return draw(
    el,
    {
      tooltip: {
        formatter: (p) =>
          `${esc(p.data.holderName)}<br/>${esc(p.data.stateLabel)}<br/>子票 ${p.data.start}–${p.data.end}<br/>${cny(p.data.fen)}`,
      },
      grid: { left: 20, right: 20, top: 10, bottom: 40 },
      xAxis: {
        type: 'value',
        min: 0,
        max: Number(total),
        axisLabel: { formatter: (v) => (v === 0 ? '1' : String(v)) },
      },
      yAxis: { type: 'category', data: [''], show: false },
      series: ranges.map((r, i) => ({
        type: 'bar',
        stack: 'package',
        name: `${r.holderName} · ${r.stateLabel}`,
        barWidth: 44,
        itemStyle: { color: colorOfHolder(r.holder), borderColor: '#fff', borderWidth: 1, decal: decals[r.state] },
        label: {
          show: true,
          formatter: () => `${plain(r.holderName)}\n${cny(String(r.end - r.start + 1))}`,
          fontSize: 11,
          overflow: 'truncate',
        },
        data: [
          {
            value: r.end - r.start + 1,
            start: r.start,
            end: r.end,
            holderName: r.holderName,
            stateLabel: r.stateLabel,
            fen: String(r.end - r.start + 1),
            index: i,
          },
        ],
      })),
      aria: { enabled: true, decal: { show: false } },
    },
    { height: 120, kind: 'ranges' },
  ).then((chart) => {
    if (onClick) chart.on('click', (p) => onClick(ranges[p.data.index]));
    return chart;
  });
}

/**
 * Milestones as a progress line over the key amount: released, in payout, releasable now and
 * retained as one stacked bar, milestone caps as marks (solid once attested).
 */
export function milestoneLine(el, { keyAmount, released, pending, available, retained, milestones }) {
  const key = yuanNumber(keyAmount);
  const seg = (name, fen, color) => ({
    type: 'bar',
    stack: 'm',
    name,
    barWidth: 30,
    itemStyle: { color },
    label: { show: toFen(fen) > 0n, formatter: () => cny(fen), fontSize: 11 },
    data: [{ value: yuanNumber(fen), fen }],
  });
  return draw(
    el,
    {
      tooltip: {
        trigger: 'item',
        formatter: (p) => `${esc(p.seriesName)}: ${p.data?.fen ? cny(p.data.fen) : esc(p.name)}`,
      },
      legend: { top: 0 },
      grid: { left: 20, right: 40, top: 40, bottom: 60 },
      xAxis: {
        type: 'value',
        min: 0,
        max: key || undefined,
        axisLabel: { formatter: (v) => `¥${v.toLocaleString('zh-CN')}` },
      },
      yAxis: { type: 'category', data: [''], show: false },
      series: [
        seg('已拨付 Released', released, '#0f9d8a'),
        seg('拨付中 In payout', pending, '#2e7bd6'),
        seg('可拨付 Releasable', available, '#9ad7c8'),
        seg('留存 Retained', retained, '#c4cad6'),
        {
          type: 'line',
          name: '节点上限 Milestone caps',
          data: [],
          markLine: {
            symbol: 'none',
            label: { formatter: (p) => p.name, position: 'end', fontSize: 10, rotate: 0 },
            data: milestones.map((m, i) => ({
              name: `${m.attested ? '✓' : '○'} ${m.name} ${m.capBp / 100}%`,
              xAxis: (key * m.capBp) / 10000,
              lineStyle: { type: m.attested ? 'solid' : 'dashed', color: m.attested ? '#0f9d8a' : '#9aa3b2' },
              label: { position: i % 2 ? 'insideStartTop' : 'insideEndTop' },
            })),
          },
        },
      ],
    },
    { height: 170, kind: 'milestones' },
  );
}

/** Bars of counts (not money): categories, series [{name, data: numbers, color, stack?}]. */
export function countBars(el, { categories, series, height = 180, title }) {
  return draw(
    el,
    {
      title: title ? { text: title, textStyle: { fontSize: 13 } } : undefined,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: title ? 22 : 0 },
      grid: { left: 40, right: 20, top: title ? 56 : 32, bottom: 30 },
      xAxis: { type: 'category', data: categories, axisLabel: { fontSize: 10 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: series.map((s) => ({
        type: 'bar',
        name: s.name,
        stack: s.stack,
        data: s.data,
        itemStyle: { color: s.color },
        barMaxWidth: 22,
      })),
    },
    { height, kind: 'counts' },
  );
}
