/*
 * How the page says things: times, money, durations, names, states, links and any JSON value the
 * server sends (later capabilities add fields this page does not know; they are shown readably).
 * Links are limited to http(s) and the console's own #/ routes.
 */
import { h } from './dom.js';

const ID_RE = /^R\d{1,18}$/;

/** http.public_url (from whoami): links Quorum posts to it stay on this page's origin. */
let linkBase = null;

export function setLinkBase(base) {
  linkBase = typeof base === 'string' ? base.replace(/\/+$/, '') : null;
}

export function parseTime(iso) {
  if (!iso) return null;
  const d = new Date(iso);
  return isNaN(d) ? null : d;
}

export function fullTime(iso) {
  const d = parseTime(iso);
  return d ? d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' }) : '';
}

export function clockTime(iso) {
  const d = parseTime(iso);
  if (!d) return '';
  const sameDay = d.toDateString() === new Date().toDateString();
  return sameDay ? d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** How long ago (or, for a time still ahead, how long until): "5 min ago", "in 23 h". */
export function ago(iso) {
  const d = parseTime(iso);
  if (!d) return '—';
  const secs = (Date.now() - d.getTime()) / 1000;
  const s = Math.abs(secs);
  const span = s < 3600 ? Math.max(1, Math.round(s / 60)) + ' min' : s < 86400 ? Math.round(s / 3600) + ' h' : Math.round(s / 86400) + ' d';
  if (s < 45) return secs >= 0 ? 'just now' : 'in less than a minute';
  if (s >= 7 * 86400 && secs > 0) return d.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
  return secs >= 0 ? span + ' ago' : 'in ' + span;
}

/** A time: relative (history rows) or the local date and time with how long ago. */
export function timeEl(iso, relative) {
  if (!parseTime(iso)) return h('span', { class: 'muted' }, '—');
  if (relative) return h('time', { datetime: iso, title: fullTime(iso) }, ago(iso));
  return h('time', { datetime: iso, title: new Date(iso).toISOString() }, fullTime(iso), h('span', { class: 'muted' }, ' · ' + ago(iso)));
}

export function money(v) {
  if (v == null || v === '' || isNaN(Number(v))) return '—';
  const n = Number(v);
  if (Math.abs(n) >= 1 || n === 0) return '$' + n.toFixed(2);
  if (Math.abs(n) < 0.0001) return '<$0.0001';
  let t = n.toFixed(4).replace(/0+$/, ''); // cents, and fractions of a cent for model calls
  while (t.length - t.indexOf('.') - 1 < 2) t += '0';
  return '$' + t;
}

export function seconds(ms) {
  if (ms == null || isNaN(Number(ms))) return '—';
  const s = Number(ms) / 1000;
  return s < 60 ? s.toFixed(1) + ' s' : Math.floor(s / 60) + ' min ' + Math.round(s % 60) + ' s';
}

export function short(v, n = 7) {
  return v == null ? '—' : String(v).slice(0, n);
}

/** What people call the API's fields; others are derived from the name (expires_at: "Expires"). */
export const LABELS = {
  ok: 'Result', exit_code: 'Exit code', duration_ms: 'Duration', log_tail: 'Log', sandboxed: 'Sandboxed',
  source_sha: 'Source commit', merge_sha: 'Merge commit', target_sha: 'Target commit', evidence_digest: 'Evidence',
  base_commit: 'Base commit', commit: 'Commit', repo: 'Repository', ref: 'Ref', sha: 'Commit', outcome_text: 'Outcome',
  diff_stat: 'Change', tokens_in: 'Tokens in', tokens_out: 'Tokens out', model_calls: 'Model calls', cost_usd: 'Cost',
  author_names: 'Authors', quorum_reached_at: 'Quorum reached', retrieval_only: 'Without a model',
  unverified_citations: 'Unverified citations',
};

export function humanize(key) {
  const k = String(key);
  if (LABELS[k]) return LABELS[k];
  const s = k.replace(/_(at|ms|usd)$/, '').replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A person as people know them: the console's identities are just the user name. */
export function personName(identity, name) {
  if (typeof name === 'string' && name) return name;
  const s = identity == null ? '' : String(identity);
  return s.startsWith('console:') ? s.slice('console:'.length) : s || '—';
}

// Terminal escapes (colours, cursor moves, titles): the server strips them; records older than that still have them.
export const ANSI_RE = /(?:\u001B\[|\u009B)[0-?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)?|\u001B[!-/]*[0-~]|\u001B/g;

export function plain(text) {
  return text == null ? '' : String(text).replace(ANSI_RE, '');
}

export function isId(s) {
  return typeof s === 'string' && ID_RE.test(s);
}

/**
 * A link target that is safe to put in href: http(s), or the console's own #/ routes. Links Quorum
 * posts point at its public address (http.public_url, from whoami); this page may be reached under
 * another name (a proxy, 127.0.0.1), so those become relative and stay on this page's origin.
 */
export function safeHref(url) {
  let u;
  try { u = new URL(String(url), window.location.href); } catch { return null; }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  const base = linkBase;
  if (base && (u.href === base || u.href.startsWith(base + '/'))) {
    const rest = u.href.slice(base.length).replace(/^\//, '');
    if (rest === '' || rest.startsWith('#')) return { href: rest.startsWith('#/') ? rest : '#/', internal: true };
    return { href: rest, internal: false }; // relative: the same path of Quorum, on this origin
  }
  if (u.origin === window.location.origin && u.pathname === window.location.pathname && u.hash.startsWith('#/')) {
    return { href: u.hash, internal: true };
  }
  return { href: u.href, internal: false };
}

export function link(url, label, attrs) {
  const target = safeHref(url);
  if (!target) return h('span', null, label);
  return h('a', Object.assign({ href: target.href }, target.internal ? {} : { target: '_blank', rel: 'noopener noreferrer' }, attrs || {}), label);
}

/**
 * Chat text: newlines kept (CSS pre-wrap), `code` spans, request ids linked to their record,
 * and http(s) URLs linked. Returns a fragment of text nodes and safe elements.
 */
export function rich(text) {
  const frag = document.createDocumentFragment();
  const s = text == null ? '' : String(text);
  const re = /`([^`\n]+)`/g;
  let last = 0;
  let m;
  while ((m = re.exec(s))) {
    if (m.index > last) linkify(frag, s.slice(last, m.index));
    frag.appendChild(h('code', null, m[1]));
    last = re.lastIndex;
  }
  if (last < s.length) linkify(frag, s.slice(last));
  return frag;
}

export function linkify(parent, s) {
  const re = /\b(R\d{1,18})\b|(https?:\/\/[^\s<>"'`]*[^\s<>"'`.,;:!?)\]])/g;
  let last = 0;
  let m;
  while ((m = re.exec(s))) {
    if (m.index > last) parent.appendChild(document.createTextNode(s.slice(last, m.index)));
    if (m[1]) parent.appendChild(h('a', { href: '#/requests/' + m[1], class: 'req-link' }, m[1]));
    else parent.appendChild(link(m[2], m[2]));
    last = re.lastIndex;
  }
  if (last < s.length) parent.appendChild(document.createTextNode(s.slice(last)));
}

export function badge(st) {
  const s = st == null ? 'unknown' : String(st);
  return h('span', { class: 'badge s-' + s.replace(/[^a-z_]/g, ''), 'data-testid': 'state-badge', 'data-state': s }, s.replace(/_/g, ' '));
}

export function typeBadge(t) {
  return h('span', { class: 'badge type', 'data-testid': 'type-badge' }, t == null ? '?' : String(t));
}

/** A long or multi-line string, or a structure, as a collapsible <pre>. */
export function block(v, summary, open) {
  if (typeof v !== 'string') {
    const compact = JSON.stringify(v);
    if (compact.length <= 160) return h('code', null, compact);
  }
  const text = typeof v === 'string' ? v : JSON.stringify(v, null, 2);
  const long = text.length > 160 || text.includes('\n');
  if (!long) return h('span', { class: 'mono' }, text);
  const first = text.split('\n')[0];
  return h('details', { class: 'long', open: open || null },
    h('summary', null, summary || (first.length > 80 ? first.slice(0, 80) + '…' : first + ' …') + ' (' + text.length + ' chars)'),
    h('pre', null, text));
}

export const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Any JSON value, rendered readably: later capabilities add fields this page does not know. */
export function value(v, depth = 0) {
  if (v == null || v === '') return h('span', { class: 'muted' }, '—');
  if (typeof v === 'boolean') return document.createTextNode(v ? 'yes' : 'no');
  if (typeof v === 'number') return document.createTextNode(String(v));
  if (typeof v === 'string') {
    if (ISO_RE.test(v)) return timeEl(v, false);
    if (isId(v)) return h('a', { href: '#/requests/' + v }, v);
    return v.length > 160 || v.includes('\n') ? block(v) : document.createTextNode(v);
  }
  if (Array.isArray(v)) {
    if (v.length === 0) return h('span', { class: 'muted' }, 'none');
    if (v.every((x) => x == null || typeof x !== 'object')) return document.createTextNode(v.map((x) => String(x)).join(', '));
    if (depth < 2 && v.every((x) => x && typeof x === 'object' && !Array.isArray(x))) return objectTable(v, depth + 1);
    return block(v);
  }
  if (typeof v === 'object') {
    if (depth >= 3) return block(v);
    const keys = Object.keys(v);
    if (keys.length === 0) return h('span', { class: 'muted' }, '—');
    return kv(keys.map((k) => [humanize(k), field(k, v[k], depth + 1)]));
  }
  return document.createTextNode(String(v));
}

/** A value under its key: the name says what a number or a string is (a duration, a cost, a commit). */
export function field(key, v, depth) {
  const k = String(key);
  if (v == null || v === '') return value(v, depth);
  if (/_ms$/.test(k) && typeof v === 'number') return document.createTextNode(seconds(v));
  if (/_usd$/.test(k) && !isNaN(Number(v))) return document.createTextNode(money(v));
  if (/_at$/.test(k) && typeof v === 'string' && parseTime(v)) return timeEl(v, false);
  if (typeof v === 'string' && /(^|_)(sha|commit|digest)$/.test(k) && /^[0-9a-f]{12,64}$/.test(v)) {
    return h('code', { title: v }, short(v, 12));
  }
  if (typeof v === 'string' && /(^|_)(voter|requester|actor|by)$/.test(k)) return h('span', { title: v }, personName(v));
  if (typeof v === 'string' && /(tail|output|log)$/.test(k)) return block(plain(v));
  return value(v, depth);
}

export function objectTable(rows, depth) {
  const cols = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data stack' },
    h('thead', null, h('tr', null, cols.map((c) => h('th', { scope: 'col' }, humanize(c))))),
    h('tbody', null, rows.map((r) => h('tr', null, cols.map((c) => h('td', { 'data-label': humanize(c) }, field(c, r[c], depth))))))));
}

export function kv(pairs, attrs) {
  const dl = h('dl', Object.assign({ class: 'kv' }, attrs || {}));
  for (const [k, v, testid] of pairs) {
    if (v === undefined) continue;
    dl.appendChild(h('dt', null, k));
    dl.appendChild(h('dd', testid ? { 'data-testid': testid } : null, v instanceof Node ? v : value(v)));
  }
  return dl;
}

export function compareIds(a, b) {
  const [am, as] = String(a).split('-').map(Number);
  const [bm, bs] = String(b).split('-').map(Number);
  return am !== bm ? am - bm : (as || 0) - (bs || 0);
}
