/*
 * The Insights page (#/insights?since=2026-11-01&until=2026-11-30): GET /api/insights drawn as charts with uPlot
 * (its webjar's ES module, served by Quorum at vendor/uplot/), each with its numbers as a table beside it: the
 * table is the accessible, copyable form of the chart, and the chart is a picture of the table. The server
 * computes every figure; this module only draws them.
 */
import uPlot from './vendor/uplot/uPlot.esm.js';
import { $, h } from './dom.js';
import { api } from './api.js';
import { money } from './format.js';

const view = { seq: 0, plots: [], data: null };
const HEIGHT = 190;

export function wireInsights() {
  $('insights-range').addEventListener('submit', (e) => {
    e.preventDefault();
    const p = new URLSearchParams();
    for (const k of ['since', 'until']) {
      const v = $('i-' + k).value;
      if (v) p.set(k, v);
    }
    const q = p.toString();
    window.location.hash = '#/insights' + (q ? '?' + q : '');
  });
  // Charts follow the page's width (a phone turned, a window resized) without a reload of the data
  let timer = null;
  // …and the colour scheme: the charts take their colours from the page's, read when drawn
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    if (view.data && !$('view-insights').hidden) draw(view.data);
  });
  window.addEventListener('resize', () => {
    clearTimeout(timer);
    timer = setTimeout(() => { if (view.data && !$('view-insights').hidden) draw(view.data); }, 150);
  });
}

export const insightsView = {
  async show(route, prev) {
    if (prev && prev.name !== 'insights') $('insights-title').focus(); // the keyboard's place: the new page's heading
    const params = route.params || new URLSearchParams();
    $('i-since').value = params.get('since') || '';
    $('i-until').value = params.get('until') || '';
    const seq = ++view.seq;
    const status = $('insights-status');
    status.textContent = 'Loading…';
    const q = new URLSearchParams();
    for (const k of ['since', 'until']) if (params.get(k)) q.set(k, params.get(k));
    const res = await api('/api/insights' + (q.toString() ? '?' + q : ''));
    if (seq !== view.seq) return; // another range was asked meanwhile
    if (!res.ok) {
      status.textContent = (res.body && res.body.error) || 'Insights are unavailable.';
      status.dataset.state = 'error';
      return;
    }
    status.dataset.state = 'ok';
    status.textContent = res.body.since + ' to ' + res.body.until + ' (UTC days; each request counts on the day it was asked)';
    $('i-since').value = res.body.since;
    $('i-until').value = res.body.until;
    view.data = res.body;
    draw(res.body);
  },
};

const hours = (ms) => (ms == null ? null : ms / 3_600_000);
const pct = (r) => (r == null ? null : r * 100);
const sum = (xs) => xs.reduce((a, b) => a + b, 0);

/** A duration for a table cell: ms as "3 h 05 min", "42 s"; the exact value goes with it as data-value. */
function duration(ms) {
  if (ms == null) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return s + ' s';
  const m = Math.round(s / 60);
  if (m < 60) return m + ' min';
  const hh = Math.floor(m / 60);
  if (hh < 48) return hh + ' h ' + String(m % 60).padStart(2, '0') + ' min';
  return (hh / 24).toFixed(1) + ' d';
}

const cell = {
  text: (v) => ({ text: v == null ? '—' : String(v), value: v }),
  ms: (v) => ({ text: duration(v), value: v }),
  usd: (v) => ({ text: money(v), value: v }),
  rate: (v) => ({ text: v == null ? '—' : (v * 100).toFixed(1) + ' %', value: v }),
};

/** Every figure: its chart (x labels, series of values, line or bars) and its table (columns, rows of cells). */
function figures(d) {
  const days = d.cost_usd_per_day.map((r) => r.day);
  const perDay = (rows, key, value) => {
    const names = [...new Set(rows.map((r) => r[key]))].sort();
    return names.map((n) => ({ label: n, values: days.map((day) => sum(rows.filter((r) => r.day === day && r[key] === n).map(value))) }));
  };
  const stages = Object.entries(d.lead_time_ms);
  const env = d.deploy_frequency;
  const cve = d.claim_vs_evidence;
  const rates = d.outcome_rates;
  return [
    {
      name: 'requests', title: 'Requests per day by type',
      chart: { kind: 'line', labels: days, series: perDay(d.requests_per_day, 'type', (r) => r.count) },
      columns: ['Day', 'Type', 'Outcome', 'Requests'],
      rows: d.requests_per_day.map((r) => [cell.text(r.day), cell.text(r.type), { text: r.state.replace(/_/g, ' '), value: r.state }, cell.text(r.count)]),
    },
    {
      name: 'lead-time', title: 'Lead time by stage (hours)',
      note: 'asked → agent done, asked → evidence, → quorum reached, → merged, → deployed; and asked → done',
      chart: { kind: 'bars', labels: stages.map(([s]) => s), series: [
        { label: 'p90', values: stages.map(([, v]) => hours(v.p90)) }, { label: 'p50', values: stages.map(([, v]) => hours(v.p50)) }] },
      columns: ['Stage', 'p50', 'p90', 'Requests'],
      rows: stages.map(([s, v]) => [cell.text(s), cell.ms(v.p50), cell.ms(v.p90), cell.text(v.count)]),
    },
    {
      name: 'approval-wait', title: 'Time waiting for approval by policy (hours)',
      chart: { kind: 'bars', labels: d.approval_wait_by_policy.map((r) => r.policy), series: [
        { label: 'p90', values: d.approval_wait_by_policy.map((r) => hours(r.p90)) },
        { label: 'p50', values: d.approval_wait_by_policy.map((r) => hours(r.p50)) }] },
      columns: ['Policy', 'p50', 'p90', 'Quorums'],
      rows: d.approval_wait_by_policy.map((r) => [cell.text(r.policy), cell.ms(r.p50), cell.ms(r.p90), cell.text(r.count)])
        .concat([[cell.text('all'), cell.ms(d.approval_wait_ms.p50), cell.ms(d.approval_wait_ms.p90), cell.text(d.approval_wait_ms.count)]]),
    },
    {
      name: 'approvals', title: 'Approvals given per person',
      chart: { kind: 'bars', labels: d.approvals_by_person.map((r) => r.person), series: [{ label: 'approvals', values: d.approvals_by_person.map((r) => r.count) }] },
      columns: ['Person', 'Approvals'],
      rows: d.approvals_by_person.map((r) => [cell.text(r.person), cell.text(r.count)]),
    },
    {
      name: 'deploys', title: 'Deployments per day by environment',
      chart: { kind: 'line', labels: days, series: perDay(d.deploys_per_day, 'environment', (r) => r.count) },
      columns: ['Day', 'Environment', 'Deploys'],
      rows: d.deploys_per_day.map((r) => [cell.text(r.day), cell.text(r.environment), cell.text(r.count)]),
    },
    {
      name: 'change-failure', title: 'Change failure rate by environment (%)',
      note: 'on-call marks a failed deploy with `incident <deploy id> <text>`; the next successful deploy there restores it. Time to restore: p50 '
        + duration(d.change_failure.time_to_restore_ms.p50) + ', p90 ' + duration(d.change_failure.time_to_restore_ms.p90)
        + ' (' + d.change_failure.restored + ' restored)',
      chart: { kind: 'bars', labels: env.map((r) => r.environment), series: [{ label: 'failure rate %', values: env.map((r) => pct(r.change_failure_rate)) }] },
      columns: ['Environment', 'Deploys', 'Per day', 'Incidents', 'Failure rate'],
      rows: env.map((r) => [cell.text(r.environment), cell.text(r.deploys), cell.text(r.per_day), cell.text(r.incidents), cell.rate(r.change_failure_rate)])
        .concat([[cell.text('all'), cell.text(d.change_failure.deploys), cell.text(null), cell.text(d.change_failure.incidents), cell.rate(d.change_failure.rate)]]),
    },
    {
      name: 'cost', title: 'Agent cost per day (USD)',
      note: 'total ' + money(d.cost_usd_total) + ' · per merged change ' + money(d.cost_usd_per_merged_change) + ' (' + d.changes_merged + ' merged)',
      chart: { kind: 'line', labels: days, series: [{ label: 'USD', values: d.cost_usd_per_day.map((r) => r.usd) }] },
      columns: ['Day', 'Cost'],
      rows: d.cost_usd_per_day.map((r) => [cell.text(r.day), cell.usd(r.usd)]),
    },
    {
      name: 'cost-person', title: d.cost_usd_by_person_scope === 'everyone' ? 'Agent cost per person (USD)' : 'Your agent cost (USD)',
      note: d.cost_usd_by_person_scope === 'everyone' ? null : 'managers (console.roles) see everyone’s; you see your own',
      chart: { kind: 'bars', labels: d.cost_usd_by_person.map((r) => r.person), series: [{ label: 'USD', values: d.cost_usd_by_person.map((r) => r.usd) }] },
      columns: ['Person', 'Cost'],
      rows: d.cost_usd_by_person.map((r) => [cell.text(r.person), cell.usd(r.usd)]),
    },
    {
      name: 'budget', title: 'Budget stops by limit',
      chart: { kind: 'bars', labels: d.budget_stops.map((r) => r.limit), series: [{ label: 'runs stopped', values: d.budget_stops.map((r) => r.count) }] },
      columns: ['Limit', 'Runs stopped'],
      rows: d.budget_stops.map((r) => [cell.text(r.limit), cell.text(r.count)]),
    },
    {
      name: 'outcomes', title: 'Veto, expiry and stale rates of closed actions (%)',
      note: rates.actions_closed + ' merges and deploys closed',
      chart: { kind: 'bars', labels: ['veto', 'expiry', 'stale'], series: [{ label: 'rate %', values: ['veto', 'expiry', 'stale'].map((k) => pct(rates[k].rate)) }] },
      columns: ['Outcome', 'Actions', 'Rate'],
      rows: ['veto', 'expiry', 'stale'].map((k) => [cell.text(k), cell.text(rates[k].count), cell.rate(rates[k].rate)]),
    },
    {
      name: 'claims', title: 'Claim vs evidence: agent runs that said the tests pass',
      note: 'runs whose final commit Quorum tested; "said the tests pass" is read from the agent’s final message (README, Insights)',
      chart: { kind: 'bars', labels: ['runs', 'claimed pass', 'claimed pass, failed'], series: [{ label: 'runs', values: [cve.runs, cve.claimed_pass, cve.claimed_pass_but_failed] }] },
      columns: ['Runs tested', 'Said the tests pass', 'Said so, but Quorum’s run failed', 'Rate'],
      rows: [[cell.text(cve.runs), cell.text(cve.claimed_pass), cell.text(cve.claimed_pass_but_failed), cell.rate(cve.rate)]],
    },
  ];
}

function colours() {
  const css = getComputedStyle(document.documentElement);
  const v = (n) => css.getPropertyValue(n).trim();
  return { text: v('--muted'), grid: v('--border'), series: [v('--accent'), v('--success'), v('--warning'), v('--error'), v('--info'), v('--text')] };
}

function draw(d) {
  for (const p of view.plots) p.destroy();
  view.plots = [];
  const root = $('insights');
  root.replaceChildren();
  const c = colours();
  for (const f of figures(d)) {
    const plot = h('div', { class: 'insight-chart', 'data-testid': 'chart-' + f.name, role: 'img',
      'aria-label': f.title + ': the table beside it holds the numbers' });
    const table = h('table', { class: 'data insight-table', 'data-testid': 'table-' + f.name },
      h('caption', { class: 'visually-hidden' }, f.title),
      h('thead', null, h('tr', null, f.columns.map((col) => h('th', { scope: 'col' }, col)))),
      h('tbody', null, f.rows.length ? f.rows.map((r) => h('tr', null, r.map((x) => h('td', { 'data-value': x.value == null ? '' : String(x.value) }, x.text))))
        : h('tr', null, h('td', { colspan: f.columns.length, class: 'muted' }, 'nothing in this range'))));
    root.appendChild(h('figure', { class: 'insight', 'data-testid': 'figure-' + f.name, 'aria-labelledby': 'fig-' + f.name },
      h('h2', { id: 'fig-' + f.name }, f.title),
      f.note ? h('p', { class: 'muted insight-note' }, f.note) : null,
      h('div', { class: 'insight-body' }, plot, h('div', { class: 'table-wrap' }, table))));
    view.plots.push(chart(plot, f.chart, c));
  }
}

/** One uPlot chart: x is the label's index (days or names), one series per line or bar. */
function chart(el, spec, c) {
  const labels = spec.labels.length ? spec.labels : ['—'];
  const xs = labels.map((_, i) => i);
  const bars = spec.kind === 'bars';
  const series = spec.series.length ? spec.series : [{ label: 'none', values: labels.map(() => null) }];
  const width = Math.max(260, el.clientWidth || 320);
  const step = Math.max(1, Math.ceil(labels.length / Math.max(1, Math.floor(width / 56)))); // labels that do not overlap
  const opts = {
    width,
    height: HEIGHT,
    legend: { show: series.length > 1 },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: false, range: bars ? [-0.6, labels.length - 0.4] : [0, Math.max(1, labels.length - 1)] }, y: { range: (u, min, max) => [0, Math.max(1, max)] } },
    axes: [
      { stroke: c.text, grid: { stroke: c.grid, width: 1 }, ticks: { stroke: c.grid },
        splits: () => xs.filter((i) => i % step === 0), values: (u, splits) => splits.map((i) => short(labels[i], labels.length)) },
      { stroke: c.text, grid: { stroke: c.grid, width: 1 }, ticks: { stroke: c.grid }, size: 48 },
    ],
    series: [{ label: bars ? ' ' : 'day', value: (u, v) => (v == null ? '' : short(labels[v], 0)) }].concat(series.map((s, i) => ({
      label: s.label,
      stroke: c.series[i % c.series.length],
      fill: bars ? c.series[i % c.series.length] + (i === 0 && series.length > 1 ? '55' : 'cc') : undefined,
      width: bars ? 0 : 2,
      points: { show: !bars, size: 5 },
      paths: bars ? uPlot.paths.bars({ size: [series.length > 1 && i === 0 ? 0.7 : 0.5, 64] }) : undefined,
    }))),
  };
  return new uPlot(opts, [xs].concat(series.map((s) => s.values)), el);
}

/** An axis label that fits: a day as 11-03, a long name cut, every other one when there are many. */
function short(label, n) {
  const s = String(label == null ? '' : label);
  const day = /^\d{4}-(\d\d-\d\d)$/.exec(s);
  if (day) return day[1];
  return n > 4 && s.length > 10 ? s.slice(0, 9) + '…' : s;
}
