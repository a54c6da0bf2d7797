/*
 * The history dashboard: filters in the URL (#/history?type=merge&repo=acme/web), all applied by the server
 * (GET /api/requests on its indexes), the rows a page at a time in the chosen order ("Load more" follows the
 * server's cursor), totals over everything that matches (GET /api/requests/stats), an "Export CSV" link with the
 * same filters (GET /api/requests.csv, every page), and the audit chain's state.
 * Rows are not reshuffled under the reader when requests change: a notice offers to reload.
 */
import { $, h } from './dom.js';
import { badge, isId, money, personName, timeEl, typeBadge } from './format.js';
import { api } from './api.js';
import { meta } from './meta.js';
import { currentRoute } from './router.js';
import { auditTable, showVerification } from './audit.js';

const PAGE = 50;
const hist = { params: null, next: null, items: [], loading: false, seq: 0, stats: null, statsSeq: 0, statsTimer: null, loadedAt: 0, skipped: 0 };
/** Empty pages in a row followed by themselves: a rare filter's search reads a bounded window per page. */
const MAX_SKIPPED = 20;


const FILTERS = ['state', 'type', 'user', 'since', 'until', 'approver', 'repo', 'environment', 'q'];
/** The order select's value is `sort:order`; the default (newest first) stays out of the URL. */
const DEFAULT_ORDER = 'created:desc';

export function wireHistory() {
  const fs = $('f-state');
  for (const s of meta.states) fs.appendChild(h('option', { value: s }, s.replace(/_/g, ' ')));
  const ft = $('f-type');
  for (const t of meta.types) ft.appendChild(h('option', { value: t }, t));
  $('filters').addEventListener('submit', (e) => {
    e.preventDefault();
    const p = new URLSearchParams();
    for (const k of FILTERS) {
      const v = $('f-' + k).value.trim();
      if (v) p.set(k, v);
    }
    const [sort, order] = $('f-sort').value.split(':');
    if ($('f-sort').value !== DEFAULT_ORDER) {
      p.set('sort', sort);
      p.set('order', order);
    }
    const limit = hist.params && hist.params.get('limit');
    if (limit) p.set('limit', limit); // a chosen page size (#/history?limit=20) survives new filters
    const hash = '#/history' + (p.toString() ? '?' + p : '');
    if (window.location.hash === hash) loadHistory(true); else window.location.hash = hash;
  });
  $('f-reset').addEventListener('click', () => {
    if (window.location.hash === '#/history') loadHistory(true); else window.location.hash = '#/history';
  });
  $('load-more').addEventListener('click', () => loadHistory(false));
  $('history-reload').addEventListener('click', () => loadHistory(true));
  $('audit-recent').addEventListener('toggle', () => {
    if ($('audit-recent').open) loadAuditEntries();
  });
}

function showHistory(params) {
  hist.params = params;
  for (const k of FILTERS) $('f-' + k).value = params.get(k) || '';
  $('f-sort').value = orderOf(params);
  $('history-csv').href = '/api/requests.csv' + (filterParams().toString() ? '?' + filterParams() : '');
  loadHistory(true);
  loadAuditStatus();
  if ($('audit-recent').open) loadAuditEntries();
}

/** The dashboard's filters as API parameters (the same for the list and its totals). */
function filterParams() {
  const hs = hist;
  const p = new URLSearchParams();
  for (const k of FILTERS) if (hs.params && hs.params.get(k)) p.set(k, hs.params.get(k));
  const order = orderOf(hs.params);
  if (order !== DEFAULT_ORDER) {
    p.set('sort', order.split(':')[0]);
    p.set('order', order.split(':')[1]);
  }
  return p;
}

/** The order the hash asks for as the select's `sort:order`, the default when it names none the server knows. */
function orderOf(params) {
  const sort = (params && params.get('sort')) || 'created';
  const order = (params && params.get('order')) || 'desc';
  const v = sort + ':' + order;
  return ['created:desc', 'created:asc', 'updated:desc', 'updated:asc'].includes(v) ? v : DEFAULT_ORDER;
}

/** Rows per page: `limit` from the hash (#/history?limit=20) when the API takes it, else PAGE. */
function pageSize() {
  const v = hist.params && hist.params.get('limit');
  const n = /^\d{1,3}$/.test(v || '') ? Number(v) : 0;
  return n >= 1 && n <= meta.pageMax ? n : PAGE;
}

async function loadHistory(reset) {
  const hs = hist;
  if (!reset && (!hs.next || hs.loading)) return;
  const seq = ++hs.seq;
  hs.loading = true;
  if (reset) loadTotals(true);
  if (reset && !hs.items.length) $('view-history').dataset.rows = 'loading'; // nothing drawn yet: see style.css
  const more = $('load-more');
  more.disabled = true;
  const p = filterParams();
  p.set('limit', String(pageSize()));
  if (!reset) p.set('cursor', hs.next);
  const res = await api('/api/requests?' + p.toString());
  if (seq !== hs.seq) return;
  hs.loading = false;
  more.disabled = false;
  delete $('view-history').dataset.rows;
  const err = $('history-error');
  if (!res.ok) {
    err.textContent = 'Could not load history: ' + ((res.body && res.body.error) || 'HTTP ' + res.status);
    err.hidden = false;
    if (reset) {
      hs.items = [];
      hs.next = null;
      $('history-rows').replaceChildren();
      renderShown();
    }
    return;
  }
  err.hidden = true;
  if (reset) {
    hs.loadedAt = Date.now();
    hs.items = [];
    $('history-rows').replaceChildren();
    $('history-notice').hidden = true;
  }
  const items = Array.isArray(res.body.requests) ? res.body.requests : [];
  hs.items = hs.items.concat(items);
  hs.next = res.body.next == null ? null : String(res.body.next);
  $('history-rows').append(...items.map(historyRow));
  $('history-empty').hidden = hs.items.length > 0;
  more.hidden = !hs.next;
  renderShown();
  // The server stops a page at its bound (a filter that matches almost nothing): an empty page with a
  // cursor is followed at once, a few times, rather than shown as an empty list with "Load more"
  if (reset || items.length) hs.skipped = 0;
  if (!items.length && hs.next && hs.skipped++ < MAX_SKIPPED) loadHistory(false);
}

function historyRow(r) {
  const id = String(r.id);
  return h('tr', { 'data-testid': 'history-row', 'data-request-id': id, 'data-state': r.state },
    h('td', { 'data-label': 'Id' }, isId(id) ? h('a', { href: '#/requests/' + id, 'data-testid': 'history-link' }, id) : id),
    h('td', { 'data-label': 'Type' }, typeBadge(r.type)),
    h('td', { 'data-label': 'State' }, badge(r.state)),
    h('td', { 'data-label': 'Requester', title: r.requester || '' }, personName(r.requester, r.requester_name)),
    h('td', { 'data-label': 'Text', class: 'text', title: r.text || '' }, String(r.text || '')),
    h('td', { 'data-label': 'Created', class: 'when' }, timeEl(r.created_at, true)),
    h('td', { 'data-label': 'Cost', class: 'num' }, money(r.cost_usd)));
}

/**
 * The totals over the whole filtered history (GET /api/requests/stats), not just the rows
 * loaded. {@code reset}: the filters changed, so the old totals are wrong until the new arrive.
 * Returns whether they differ from the ones shown before.
 */
async function loadTotals(reset) {
  const hs = hist;
  const seq = ++hs.statsSeq;
  clearTimeout(hs.statsTimer);
  hs.statsTimer = null;
  const el = $('totals');
  if (reset) {
    hs.stats = null;
    el.dataset.state = 'loading';
    el.setAttribute('aria-busy', 'true');
  }
  const res = await api('/api/requests/stats?' + filterParams().toString());
  if (seq !== hs.statsSeq) return false;
  el.setAttribute('aria-busy', 'false');
  if (!res.ok || !res.body || typeof res.body !== 'object') {
    el.dataset.state = 'error';
    el.replaceChildren(h('span', { class: 'note error', 'data-testid': 'totals-error' },
      'Totals unavailable: ' + ((res.body && res.body.error) || 'HTTP ' + res.status)));
    return false;
  }
  const before = hs.stats;
  hs.stats = res.body;
  renderTotals(res.body);
  renderShown();
  return before != null && JSON.stringify(before) !== JSON.stringify(res.body);
}

/** Refreshes the totals soon, at most once a second however many changes arrive. */
function scheduleTotals() {
  const hs = hist;
  if (hs.statsTimer) return;
  hs.statsTimer = setTimeout(() => {
    hs.statsTimer = null;
    if (currentRoute() && currentRoute().name === 'history') loadTotals(false);
  }, 1000);
}

function renderTotals(st) {
  const count = Number(st.count) || 0;
  const byState = st.by_state && typeof st.by_state === 'object' ? st.by_state : {};
  const rank = (s) => (meta.states.includes(s) ? meta.states.indexOf(s) : meta.states.length);
  const ordered = Object.keys(byState).filter((s) => Number(byState[s]) > 0).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const el = $('totals');
  el.dataset.state = 'ready';
  el.replaceChildren(
    h('span', { class: 'total', 'data-testid': 'total-count', 'data-count': count, title: 'All requests that match the filters' },
      h('b', null, String(count)), count === 1 ? 'request' : 'requests'),
    ...ordered.map((s) => h('span', { class: 'total', 'data-testid': 'total-state', 'data-state': s, 'data-count': byState[s] },
      badge(s), h('b', null, String(byState[s])))),
    h('span', { class: 'total', 'data-testid': 'total-cost', 'data-value': st.cost_usd == null ? '' : String(st.cost_usd), title: 'Model cost of all of them' },
      h('span', { class: 'badge' }, 'cost'), h('b', null, money(st.cost_usd == null ? 0 : st.cost_usd))));
}

/** "Showing 20 of 60" under the table, from the rows loaded and the totals. */
function renderShown() {
  const hs = hist;
  const el = $('history-shown');
  const n = hs.items.length;
  const total = hs.stats ? Number(hs.stats.count) : null;
  el.dataset.shown = String(n);
  const newest = orderOf(hs.params) === DEFAULT_ORDER ? 'the newest ' : '';
  el.textContent = !n ? '' : total != null && total > n ? 'Showing ' + newest + n + ' of ' + total + '.' : hs.next ? 'Showing ' + n + '.' : '';
}

function loadAuditStatus() {
  return showVerification($('audit-status'));
}

async function loadAuditEntries() {
  const box = $('audit-entries');
  const res = await api('/api/audit?limit=25');
  if (!res.ok) {
    box.replaceChildren(h('p', { class: 'banner error' }, (res.body && res.body.error) || 'HTTP ' + res.status));
    return;
  }
  const entries = Array.isArray(res.body.entries) ? res.body.entries : [];
  box.replaceChildren(entries.length ? auditTable(entries, 'audit-table', true) : h('p', { class: 'muted' }, 'The audit log is empty.'));
}

// ---------------------------------------------------------------------------------------------
// Routing

/**
 * A request changed while the dashboard is open: its row shows the new state at once, the
 * totals follow within a second, and the notice offers to reload the list (rows are not
 * reshuffled under the reader, who may have loaded several pages).
 */
function historyChanged(d) {
  const p = hist.params;
  if (p && p.get('type') && p.get('type') !== d.type) return; // cannot change what this view counts
  const row = document.querySelector('[data-testid=history-row][data-request-id="' + d.request_id + '"]');
  if (row && typeof d.state === 'string' && row.dataset.state !== d.state) {
    row.dataset.state = d.state;
    row.cells[2].replaceChildren(badge(d.state));
    row.classList.add('changed');
    const item = hist.items.find((x) => x.id === d.request_id);
    if (item) item.state = d.state;
  }
  $('history-notice').hidden = false;
  scheduleTotals();
}

/** The dashboard as the router sees it. */
export const historyView = {
  show(r, prev) {
    document.title = 'History · Quorum';
    showHistory(r.params);
    if (prev && prev.name !== 'history') $('history-title').focus();
  },
  // Replayed backlog is older than the list; only newer events hint that the list is stale.
  activity(kind, d) {
    const at = Date.parse(d.at);
    if (hist.loadedAt && at > hist.loadedAt && (isId(d.request_id) || kind === 'message')) $('history-notice').hidden = false;
  },
  requestChanged: historyChanged,
  afterGap() {
    loadTotals(false).then((changed) => {
      if (changed) $('history-notice').hidden = false;
    });
  },
};
