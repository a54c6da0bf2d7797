/*
 * The audit page (#/audit): the chain's verification (GET /api/audit/verify: intact, or the first bad entry), the
 * anchors kept outside Redis (GET /api/audit/anchors: where, how many, the latest), and a search of the chain by
 * request, actor, kind and text, done by the server (GET /api/audit), newest first, with "Older" following its cursor.
 * The search's terms are in the route (#/audit?q=...), so a search can be linked and the Back button undoes it.
 */
import { $, h } from './dom.js';
import { fullTime, short } from './format.js';
import { api } from './api.js';
import { auditTable, showVerification } from './audit.js';

const TERMS = ['request', 'actor', 'kind', 'q'];
const PAGE = 50;
let state = { query: '', entries: [], next: null, seq: 0 };

function termsOf(params) {
  const out = new URLSearchParams();
  for (const t of TERMS) {
    const v = params && params.get(t);
    if (v && v.trim()) out.set(t, v.trim());
  }
  return out;
}

async function loadVerification() {
  const el = $('audit-verify');
  el.dataset.state = 'unknown';
  el.textContent = 'Checking the audit chain…';
  const v = await showVerification(el);
  const notes = v && Array.isArray(v.notes) ? v.notes : [];
  $('audit-notes').replaceChildren(...notes.map((n) => h('li', null, String(n))));
}

async function loadAnchors() {
  const box = $('audit-anchors');
  const res = await api('/api/audit/anchors');
  if (!res.ok || !res.body) {
    box.replaceChildren(h('p', { class: 'banner error' }, (res.body && res.body.error) || 'HTTP ' + res.status));
    return;
  }
  const a = res.body;
  const dl = h('dl', { class: 'kv' },
    h('dt', null, 'File'), h('dd', null, h('code', { 'data-testid': 'anchors-file' }, String(a.file))),
    h('dt', null, 'Anchors'), h('dd', { 'data-testid': 'anchors-count' }, a.present ? String(a.anchors) : 'the file is missing'),
    h('dt', null, 'Latest'), h('dd', { 'data-testid': 'anchors-latest' }, a.latest ? 'entry ' + a.latest + ' · ' + short(a.latest_hash, 12) : '—'),
    h('dt', null, 'Written'), h('dd', null, a.written_at ? h('time', { datetime: a.written_at }, fullTime(a.written_at)) : '—'));
  box.replaceChildren(dl);
}

async function search(more) {
  const seq = ++state.seq;
  const params = new URLSearchParams(state.query);
  params.set('limit', String(PAGE));
  if (more && state.next) params.set('before', state.next);
  const res = await api('/api/audit?' + params.toString());
  if (seq !== state.seq) return; // a newer search answered first
  const err = $('audit-search-error');
  if (!res.ok || !res.body) {
    err.textContent = (res.body && res.body.error) || 'HTTP ' + res.status;
    err.hidden = false;
    return;
  }
  err.hidden = true;
  const page = Array.isArray(res.body.entries) ? res.body.entries : [];
  state.entries = more ? state.entries.concat(page) : page;
  state.next = res.body.next || null;
  const box = $('audit-results');
  box.dataset.count = String(state.entries.length);
  box.replaceChildren(state.entries.length ? auditTable(state.entries, 'audit-search-table', true)
    : h('p', { class: 'muted', 'data-testid': 'audit-none' }, state.query ? 'No audit entries match.' : 'The audit log is empty.'));
  $('audit-older').hidden = !state.next;
  $('audit-shown').textContent = state.entries.length ? state.entries.length + (state.entries.length === 1 ? ' entry' : ' entries')
    + (state.query ? ' match' : '') + (state.next ? '; older ones with “Older”.' : '.') : '';
}

/** The audit page as the router sees it. */
export const auditView = {
  show(r, prev) {
    document.title = 'Audit · Quorum';
    // Arriving from another page, the keyboard's place is the new page's heading, not the link left behind
    if (prev && prev.name !== 'audit') $('audit-title').focus();
    const terms = termsOf(r.params);
    for (const t of TERMS) $('a-' + t).value = terms.get(t) || '';
    state = { query: terms.toString(), entries: [], next: null, seq: state.seq };
    loadVerification();
    loadAnchors();
    search(false);
  },
};

/** The search form, Reset and Older. */
export function wireAuditPage() {
  $('audit-search').addEventListener('submit', (e) => {
    e.preventDefault();
    const terms = new URLSearchParams();
    for (const t of TERMS) terms.set(t, $('a-' + t).value);
    const q = termsOf(terms).toString();
    const target = '#/audit' + (q ? '?' + q : '');
    if (window.location.hash === target) auditView.show({ params: termsOf(terms) });
    else window.location.hash = target;
  });
  $('audit-reset').addEventListener('click', () => { window.location.hash = '#/audit'; });
  $('audit-older').addEventListener('click', () => search(true));
}
