/* Audit entries as a table: when, what, who, the details recorded, and the chain's hashes. */
import { h } from './dom.js';
import { api } from './api.js';
import { block, fullTime, isId, parseTime, short, timeEl } from './format.js';

function auditData(data) {
  if (data == null || data === '') return h('span', { class: 'muted' }, '—');
  if (typeof data !== 'object') return block(String(data));
  const entries = Object.entries(data).filter(([, v]) => v !== '' && v != null);
  if (!entries.length) return h('span', { class: 'muted' }, '—');
  const shown = (k, v) => Array.isArray(v) && v.every((x) => x == null || typeof x !== 'object') ? v.join(', ')
    : typeof v === 'object' ? block(v)
      : /_at$/.test(k) && parseTime(v) ? h('time', { datetime: v, title: v }, fullTime(v))
        : String(v).length > 120 ? block(String(v)) : String(v);
  return h('span', null, entries.map(([k, v], i) => [i ? ' · ' : '', h('span', { class: 'muted' }, k + ': '), shown(k, v)]));
}

export function auditTable(entries, testid, withRequest) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data stack audit', 'data-testid': testid },
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'When'), h('th', { scope: 'col' }, 'Event'),
      withRequest ? h('th', { scope: 'col' }, 'Request') : null,
      h('th', { scope: 'col' }, 'Actor'), h('th', { scope: 'col' }, 'Details'), h('th', { scope: 'col' }, 'Hash'))),
    h('tbody', null, entries.map((e) => h('tr', null,
      h('td', { class: 'when', 'data-label': 'When' }, timeEl(e.at, false)),
      h('td', { 'data-label': 'Event' }, h('code', null, String(e.type || '?'))),
      withRequest ? h('td', { 'data-label': 'Request' }, isId(e.request_id) ? h('a', { href: '#/requests/' + e.request_id }, e.request_id) : '—') : null,
      h('td', { 'data-label': 'Actor' }, String(e.actor || '—')), // the audit keeps identities: what was recorded and hashed
      h('td', { 'data-label': 'Details', class: 'details' }, auditData(e.data)),
      h('td', { 'data-label': 'Hash' }, h('code', { title: 'hash ' + (e.hash || '') + '\nprev ' + (e.prev || '') }, short(e.hash, 10))))))));
}

/**
 * Checks the chain (GET /api/audit/verify) and says in {@code el} whether it holds (data-state ok, broken or
 * error; data-first-bad when broken). Answers the verification, or null when it could not be had.
 */
export async function showVerification(el) {
  const res = await api('/api/audit/verify');
  if (!res.ok || !res.body) {
    el.dataset.state = 'error';
    el.textContent = 'Audit chain not checked: ' + ((res.body && res.body.error) || 'HTTP ' + res.status);
    return null;
  }
  const v = res.body;
  if (v.ok) {
    el.dataset.state = 'ok';
    el.textContent = '✓ Audit chain intact, ' + v.entries + (v.entries === 1 ? ' entry' : ' entries');
  } else {
    el.dataset.state = 'broken';
    el.dataset.firstBad = String(v.first_bad);
    el.textContent = '✗ Audit chain broken at ' + v.first_bad + (v.problem ? ': ' + v.problem : '') + ' (' + v.entries + ' entries)';
  }
  return v;
}
