/*
 * Quorum web console: chat room, request records and the history dashboard.
 *
 * Plain browser JavaScript, no build step, no dependencies (highlight.js beside it, ours, colours
 * diffs). Everything the server sends is untrusted text: the DOM is built with
 * createElement/textContent only (never innerHTML), and links are limited to http(s) and the
 * console's own #/ routes.
 *
 * The page never holds a credential: it logs in (POST /api/console/login, a token, or in demo mode
 * a user name) and Quorum answers with an HttpOnly session cookie that every fetch and the event
 * stream carry. Nothing about who is asking goes into a URL. The server's Content-Security-Policy
 * allows Quorum's own files only: no inline script or style, no eval.
 */
(() => {
  'use strict';

  const STATES = ['queued', 'running', 'verifying', 'awaiting_approval', 'executing', 'succeeded', 'done',
    'failed', 'rejected', 'cancelled', 'expired', 'stale'];
  const TYPES = ['research', 'code', 'test', 'merge', 'deploy'];
  const ACTIONS = ['merge', 'deploy'];
  const TONES = ['info', 'success', 'warning', 'error'];
  const KEYS = { user: 'quorum.console.user', history: 'quorum.console.history' };
  /** Where earlier versions of this page kept the token; removed on load, the cookie replaced it. */
  const OLD_TOKEN_KEY = 'quorum.console.token';
  const HISTORY_MAX = 100;
  const PAGE = 50;
  const MAX_PAGE = 200; // the API's largest limit
  const ID_RE = /^R\d{1,18}$/;

  const $ = (id) => document.getElementById(id);

  // ---------------------------------------------------------------------------------------------
  // Small DOM and formatting helpers
  // ---------------------------------------------------------------------------------------------

  /** createElement with attributes and children; strings become text nodes, never markup. */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v == null || v === false) continue;
        if (k === 'class') el.className = v;
        else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
        else el.setAttribute(k, v === true ? '' : String(v));
      }
    }
    add(el, children);
    return el;
  }

  function add(el, children) {
    for (const c of children) {
      if (c == null || c === false) continue;
      if (Array.isArray(c)) add(el, c);
      else if (c instanceof Node) el.appendChild(c);
      else el.appendChild(document.createTextNode(String(c)));
    }
    return el;
  }

  const store = {
    get(k) { try { return window.localStorage.getItem(k); } catch { return null; } },
    set(k, v) { try { if (v == null) window.localStorage.removeItem(k); else window.localStorage.setItem(k, v); } catch { /* private mode */ } },
  };

  function parseTime(iso) {
    if (!iso) return null;
    const d = new Date(iso);
    return isNaN(d) ? null : d;
  }

  function fullTime(iso) {
    const d = parseTime(iso);
    return d ? d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' }) : '';
  }

  function clockTime(iso) {
    const d = parseTime(iso);
    if (!d) return '';
    const sameDay = d.toDateString() === new Date().toDateString();
    return sameDay ? d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
      : d.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  }

  /** How long ago (or, for a time still ahead, how long until): "5 min ago", "in 23 h". */
  function ago(iso) {
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
  function timeEl(iso, relative) {
    if (!parseTime(iso)) return h('span', { class: 'muted' }, '—');
    if (relative) return h('time', { datetime: iso, title: fullTime(iso) }, ago(iso));
    return h('time', { datetime: iso, title: new Date(iso).toISOString() }, fullTime(iso), h('span', { class: 'muted' }, ' · ' + ago(iso)));
  }

  function money(v) {
    if (v == null || v === '' || isNaN(Number(v))) return '—';
    const n = Number(v);
    if (Math.abs(n) >= 1 || n === 0) return '$' + n.toFixed(2);
    if (Math.abs(n) < 0.0001) return '<$0.0001';
    let t = n.toFixed(4).replace(/0+$/, ''); // cents, and fractions of a cent for model calls
    while (t.length - t.indexOf('.') - 1 < 2) t += '0';
    return '$' + t;
  }

  function seconds(ms) {
    if (ms == null || isNaN(Number(ms))) return '—';
    const s = Number(ms) / 1000;
    return s < 60 ? s.toFixed(1) + ' s' : Math.floor(s / 60) + ' min ' + Math.round(s % 60) + ' s';
  }

  function short(v, n = 7) {
    return v == null ? '—' : String(v).slice(0, n);
  }

  /** What people call the API's fields; others are derived from the name (expires_at: "Expires"). */
  const LABELS = {
    ok: 'Result', exit_code: 'Exit code', duration_ms: 'Duration', log_tail: 'Log', sandboxed: 'Sandboxed',
    source_sha: 'Source commit', merge_sha: 'Merge commit', target_sha: 'Target commit', evidence_digest: 'Evidence',
    base_commit: 'Base commit', commit: 'Commit', repo: 'Repository', ref: 'Ref', sha: 'Commit', outcome_text: 'Outcome',
    diff_stat: 'Change', tokens_in: 'Tokens in', tokens_out: 'Tokens out', model_calls: 'Model calls', cost_usd: 'Cost',
    author_names: 'Authors', quorum_reached_at: 'Quorum reached', retrieval_only: 'Without a model',
    unverified_citations: 'Unverified citations',
  };

  function humanize(key) {
    const k = String(key);
    if (LABELS[k]) return LABELS[k];
    const s = k.replace(/_(at|ms|usd)$/, '').replace(/_/g, ' ');
    return s.charAt(0).toUpperCase() + s.slice(1);
  }

  /** A person as people know them: the console's identities are just the user name. */
  function personName(identity, name) {
    if (typeof name === 'string' && name) return name;
    const s = identity == null ? '' : String(identity);
    return s.startsWith('console:') ? s.slice('console:'.length) : s || '—';
  }

  // Terminal escapes (colours, cursor moves, titles): the server strips them; records older than that still have them.
  const ANSI_RE = /(?:\u001B\[|\u009B)[0-?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)?|\u001B[!-/]*[0-~]|\u001B/g;

  function plain(text) {
    return text == null ? '' : String(text).replace(ANSI_RE, '');
  }

  function isId(s) {
    return typeof s === 'string' && ID_RE.test(s);
  }

  /**
   * A link target that is safe to put in href: http(s), or the console's own #/ routes. Links Quorum
   * posts point at its public address (http.public_url, from whoami); this page may be reached under
   * another name (a proxy, 127.0.0.1), so those become relative and stay on this page's origin.
   */
  function safeHref(url) {
    let u;
    try { u = new URL(String(url), window.location.href); } catch { return null; }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    const base = state.linkBase;
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

  function link(url, label, attrs) {
    const target = safeHref(url);
    if (!target) return h('span', null, label);
    return h('a', Object.assign({ href: target.href }, target.internal ? {} : { target: '_blank', rel: 'noopener noreferrer' }, attrs || {}), label);
  }

  /**
   * Chat text: newlines kept (CSS pre-wrap), `code` spans, request ids linked to their record,
   * and http(s) URLs linked. Returns a fragment of text nodes and safe elements.
   */
  function rich(text) {
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

  function linkify(parent, s) {
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

  function badge(st) {
    const s = st == null ? 'unknown' : String(st);
    return h('span', { class: 'badge s-' + s.replace(/[^a-z_]/g, ''), 'data-testid': 'state-badge', 'data-state': s }, s.replace(/_/g, ' '));
  }

  function typeBadge(t) {
    return h('span', { class: 'badge type', 'data-testid': 'type-badge' }, t == null ? '?' : String(t));
  }

  /** A long or multi-line string, or a structure, as a collapsible <pre>. */
  function block(v, summary, open) {
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

  const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

  /** Any JSON value, rendered readably: later capabilities add fields this page does not know. */
  function value(v, depth = 0) {
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
  function field(key, v, depth) {
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

  function objectTable(rows, depth) {
    const cols = [];
    for (const r of rows) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
    return h('div', { class: 'table-wrap' }, h('table', { class: 'data stack' },
      h('thead', null, h('tr', null, cols.map((c) => h('th', { scope: 'col' }, humanize(c))))),
      h('tbody', null, rows.map((r) => h('tr', null, cols.map((c) => h('td', { 'data-label': humanize(c) }, field(c, r[c], depth))))))));
  }

  function kv(pairs, attrs) {
    const dl = h('dl', Object.assign({ class: 'kv' }, attrs || {}));
    for (const [k, v, testid] of pairs) {
      if (v === undefined) continue;
      dl.appendChild(h('dt', null, k));
      dl.appendChild(h('dd', testid ? { 'data-testid': testid } : null, v instanceof Node ? v : value(v)));
    }
    return dl;
  }

  function compareIds(a, b) {
    const [am, as] = String(a).split('-').map(Number);
    const [bm, bs] = String(b).split('-').map(Number);
    return am !== bm ? am - bm : (as || 0) - (bs || 0);
  }

  // ---------------------------------------------------------------------------------------------
  // Identity and HTTP
  // ---------------------------------------------------------------------------------------------

  const state = {
    demo: true,
    users: [],
    user: null,
    login: Promise.resolve(), // logins run one after another, so the last choice is the cookie that stays
    es: null,
    gen: 0,
    lastEventId: null,
    retryTimer: null,
    retryDelay: 1000,
    messages: new Map(),
    latestByRequest: new Map(),
    pinned: true,
    pinnedTop: 0, // the log's scrollTop when it was last put at the bottom
    sending: false,
    history: [],
    histIdx: -1,
    draft: '',
    route: null,
    linkBase: null, // http.public_url: links to it stay on this page's origin
    req: { id: null, timer: null, rejectOpen: false, rejectReason: '', status: null, open: new Set(), closed: new Set(), diff: null },
    hist: { params: null, next: null, items: [], loading: false, seq: 0, stats: null, statsSeq: 0, statsTimer: null },
  };

  /** fetch JSON with the session cookie; never throws for HTTP or network errors: {ok, status, body}. */
  async function api(path, opts = {}) {
    const headers = Object.assign({ Accept: 'application/json' }, opts.headers || {});
    let res;
    try {
      res = await fetch(path, { method: opts.method || 'GET', headers, body: opts.body, cache: 'no-store', credentials: 'same-origin' });
    } catch (e) {
      return { ok: false, status: 0, body: { error: 'Quorum is unreachable (' + e.message + ').' } };
    }
    const text = await res.text().catch(() => '');
    let body;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = { error: text.slice(0, 300) || res.statusText };
    }
    return { ok: res.ok, status: res.status, body };
  }

  function fillUserSelect() {
    const sel = $('user-select');
    sel.replaceChildren(...state.users.map((u) => h('option', { value: u }, u)));
    sel.value = state.user || '';
    const dl = $('known-users');
    dl.replaceChildren(...state.users.map((u) => h('option', { value: u })));
  }

  /** POST /api/console/login (or logout with null); queued behind any login still in flight. */
  function login(credentials) {
    const run = () => api(credentials ? '/api/console/login' : '/api/console/logout', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(credentials || {}),
    });
    const done = state.login.then(run, run);
    state.login = done;
    return done;
  }

  /** Demo mode: acting as another user is a login as that user. */
  async function setUser(u) {
    if (u === state.user) return;
    $('user-select').value = u;
    const res = await login({ user: u });
    if ($('user-select').value !== u) return; // another user was chosen meanwhile; that login follows
    if (!res.ok || !res.body) {
      $('user-select').value = state.user || '';
      setConn('offline');
      return;
    }
    store.set(KEYS.user, res.body.user); // tells this browser's other tabs (see 'storage' in init)
    adopt(res.body.user);
  }

  /** Not demo mode: the token goes to Quorum once, in the login's body, and is not kept by the page. */
  async function signIn(token) {
    const res = await login(token ? { token } : null);
    const user = token && res.ok && res.body ? res.body.user : null;
    store.set(KEYS.user, user);
    adopt(user, !token ? 'Not signed in' : res.status === 0 ? 'Quorum unreachable' : 'Unknown token');
  }

  /**
   * The page now acts as {@code user} (null: nobody), because it logged in or out, or because
   * another tab did: the session cookie is the browser's, so every tab follows it.
   */
  function adopt(user, whyNobody) {
    const changed = user !== state.user;
    state.user = user;
    if (state.demo) {
      $('user-select').value = user || '';
    } else {
      $('token-user').textContent = user ? 'Signed in as ' + user : (whyNobody || 'Not signed in');
      showSignedIn();
    }
    if (!changed) return;
    resetChat();
    connect(true);
    loadStatus();
    if (state.route && state.route.name !== 'chat') route();
  }

  /** The token form while signed out; the name and a sign-out button while signed in. */
  function showSignedIn() {
    const signedIn = !!state.user;
    $('token-label').hidden = signedIn;
    $('token-input').hidden = signedIn;
    $('token-submit').hidden = signedIn;
    $('token-signout').hidden = !signedIn;
    if (signedIn) $('token-input').value = '';
  }

  // ---------------------------------------------------------------------------------------------
  // The event stream
  // ---------------------------------------------------------------------------------------------

  function setConn(s, detail) {
    const el = $('conn');
    el.dataset.state = s;
    el.dataset.user = s === 'live' ? (state.user || '') : '';
    const text = {
      live: 'Live',
      connecting: 'Connecting…',
      offline: 'Offline' + (detail ? ' · retrying in ' + detail + ' s' : ''),
      'signed-out': state.demo ? (state.users.length ? 'Choose a user' : 'No console users configured') : 'Not signed in',
    }[s];
    el.querySelector('.conn-label').textContent = text;
    el.title = s === 'live' ? 'Receiving the room live as ' + state.user : text;
  }

  function connect(fresh) {
    clearTimeout(state.retryTimer);
    if (state.es) state.es.close();
    state.es = null;
    if (fresh) state.lastEventId = null;
    if (!state.user) return setConn('signed-out');
    // The session cookie says who is listening; the URL carries only where to resume.
    const after = state.lastEventId ? '?' + new URLSearchParams({ after: state.lastEventId }).toString() : '';
    const gen = ++state.gen;
    const es = new EventSource('/api/console/events' + after);
    state.es = es;
    setConn('connecting');
    markBusy();
    // Every open after the first (the browser's own reconnects, or ours with ?after=) follows a gap.
    let resumed = !fresh;
    es.onopen = () => {
      if (gen !== state.gen) return;
      state.retryDelay = 1000;
      setConn('live');
      scheduleStatus(0);
      if (resumed) afterGap();
      resumed = true;
    };
    es.onerror = () => {
      if (gen !== state.gen) return;
      if (es.readyState === EventSource.CLOSED) {
        // The browser gave up (e.g. an HTTP error): we retry ourselves, resuming after the last event.
        es.close();
        scheduleReconnect();
      } else {
        setConn('connecting'); // the browser reconnects by itself with Last-Event-ID
      }
    };
    for (const kind of ['message', 'reply', 'update']) {
      es.addEventListener(kind, (ev) => {
        if (gen === state.gen) onEvent(kind, ev);
      });
    }
    es.addEventListener('request', (ev) => {
      if (gen === state.gen) onRequestEvent(ev);
    });
  }

  function scheduleReconnect() {
    const delay = state.retryDelay;
    state.retryDelay = Math.min(state.retryDelay * 2, 30000);
    setConn('offline', Math.round(delay / 1000));
    state.retryTimer = setTimeout(() => connect(false), delay);
  }

  function onEvent(kind, ev) {
    if (ev.lastEventId) {
      if (state.lastEventId && compareIds(ev.lastEventId, state.lastEventId) <= 0) return;
      state.lastEventId = ev.lastEventId;
    }
    let d;
    try {
      d = JSON.parse(ev.data);
    } catch {
      return;
    }
    if (!d || typeof d !== 'object') return;
    markBusy();
    renderEvent(kind, d);
    noteActivity(kind, d);
    // Freezing and unfreezing answer in the room: look again at once, whatever the wording.
    if (kind !== 'message') scheduleStatus(250);
  }

  /**
   * A request was created or changed state. These events are live only and carry no id: they are
   * not in the room's log, so they leave Last-Event-ID alone and never become chat messages.
   */
  function onRequestEvent(ev) {
    let d;
    try {
      d = JSON.parse(ev.data);
    } catch {
      return;
    }
    if (!d || typeof d !== 'object' || !isId(d.request_id)) return;
    const r = state.route;
    if (!r) return;
    if (r.name === 'request' && r.id === d.request_id) scheduleRequestReload(r.id, 100);
    else if (r.name === 'history') historyChanged(d);
  }

  /** After a gap in the stream: live-only 'request' events from it are lost, so ask instead. */
  function afterGap() {
    const r = state.route;
    if (!r) return;
    if (r.name === 'request') {
      scheduleRequestReload(r.id, 0);
    } else if (r.name === 'history') {
      loadTotals(false).then((changed) => {
        if (changed) $('history-notice').hidden = false;
      });
    }
  }

  let busyTimer = null;

  /** aria-busy while the backlog streams in, so screen readers do not read every replayed message. */
  function markBusy() {
    const log = $('chat-log');
    log.setAttribute('aria-busy', 'true');
    clearTimeout(busyTimer);
    busyTimer = setTimeout(() => log.setAttribute('aria-busy', 'false'), 400);
  }

  // ---------------------------------------------------------------------------------------------
  // Chat
  // ---------------------------------------------------------------------------------------------

  function resetChat() {
    state.messages.clear();
    state.latestByRequest.clear();
    state.pinned = true;
    state.pinnedTop = 0;
    $('jump').hidden = true;
    $('chat-log').replaceChildren(h('li', { class: 'chat-empty', 'data-testid': 'chat-empty' }, 'No messages yet. Try ', h('code', null, 'help'), '.'));
  }

  function nearBottom() {
    const log = $('chat-log');
    return log.scrollHeight - log.scrollTop - log.clientHeight < 60;
  }

  /**
   * Whether the reader has scrolled up since the log was last put at the bottom, though the scroll
   * event that says so has not been handled yet (events from the stream can come first). A log that
   * only changed size keeps its scrollTop, or is clamped to its new bottom: neither is the reader.
   */
  function readerScrolledUp() {
    const log = $('chat-log');
    return log.clientHeight > 0 && log.scrollTop < state.pinnedTop - 1 && !nearBottom();
  }

  function scrollToBottom() {
    const log = $('chat-log');
    log.scrollTop = log.scrollHeight;
    state.pinnedTop = log.scrollTop;
    state.pinned = true;
    $('jump').hidden = true;
    // Once more after the browser has laid the frame out: a scroll event from the move just made (or
    // the clamping of an edit that shrank a card) must not read as the reader leaving the bottom.
    if (!scrollToBottom.again) {
      scrollToBottom.again = requestAnimationFrame(() => {
        scrollToBottom.again = 0;
        if (state.pinned && !readerScrolledUp()) {
          log.scrollTop = log.scrollHeight;
          state.pinnedTop = log.scrollTop;
        }
      });
    }
  }

  function appendToLog(li, mine) {
    const log = $('chat-log');
    const empty = log.querySelector('.chat-empty');
    if (empty) empty.remove();
    log.appendChild(li);
    if (state.pinned || mine) scrollToBottom();
    else $('jump').hidden = false;
  }

  /** Whether an element of the log lies below what the reader sees (an edit there is news to them). */
  function belowView(el) {
    const log = $('chat-log');
    return el.getBoundingClientRect().top > log.getBoundingClientRect().bottom - 4;
  }

  function renderEvent(kind, d) {
    const id = d.message_id == null ? null : String(d.message_id);
    const mine = kind === 'message' && d.from === state.user;
    const li = kind === 'message' ? memberMessage(d, mine) : botMessage(d, kind === 'update');
    const old = id ? state.messages.get(id) : null;
    if (state.pinned && readerScrolledUp()) state.pinned = false;
    if (old && old.isConnected) {
      const focused = old.contains(document.activeElement) ? document.activeElement : null;
      old.replaceWith(li);
      if (focused && focused.dataset.command) {
        const again = [...li.querySelectorAll('button[data-command]')].find((b) => b.dataset.command === focused.dataset.command);
        if (again) again.focus({ preventScroll: true }); // focus must not scroll the log away from where the reader is
      }
      if (state.pinned) scrollToBottom();
      else if (belowView(li)) $('jump').hidden = false;
    } else {
      appendToLog(li, mine);
    }
    if (id) state.messages.set(id, li);
  }

  function memberMessage(d, mine) {
    return h('li', {
      class: 'msg member' + (mine ? ' mine' : ''), 'data-testid': 'msg-member', 'data-mine': String(mine),
      'data-from': d.from, 'data-message-id': d.message_id,
    },
    h('div', { class: 'meta' }, h('span', { class: 'author' }, mine ? 'You' : String(d.from || '?')),
      d.at && h('time', { datetime: d.at, title: fullTime(d.at) }, clockTime(d.at))),
    h('div', { class: 'bubble' }, rich(d.text)));
  }

  function botMessage(d, updated) {
    const tone = TONES.includes(d.tone) ? d.tone : 'info';
    return h('li', {
      class: 'msg bot', 'data-testid': 'msg-bot', 'data-tone': tone, 'data-private': String(!!d.to),
      'data-message-id': d.message_id, 'data-request-id': isId(d.request_id) ? d.request_id : null,
    }, botCard(d, { updated, onButton: (command, btn) => sendFromChat(command, btn) }));
  }

  /** A reply as a card: tone, text, fields, buttons, link. */
  function botCard(d, opts = {}) {
    const tone = TONES.includes(d.tone) ? d.tone : 'info';
    const priv = !!d.to;
    const head = h('div', { class: 'card-head' },
      h('span', { class: 'avatar', 'aria-hidden': 'true' }, 'Q'),
      h('span', { class: 'who' }, 'Quorum'),
      priv && h('span', { class: 'pill only-you', 'data-testid': 'only-you', title: 'A private reply: only you can see it' }, 'only you'),
      isId(d.request_id) && h('a', { class: 'pill', href: '#/requests/' + d.request_id, 'data-testid': 'card-request' }, d.request_id),
      d.at && h('time', { datetime: d.at, title: fullTime(d.at) }, clockTime(d.at)),
      opts.updated && h('span', { title: 'Updated in place' }, '· updated'));
    const card = h('article', { class: 'card tone-' + tone + (priv ? ' private' : ''), 'aria-label': (priv ? 'Private reply' : 'Reply') + ' from Quorum' },
      head,
      h('div', { class: 'card-text', 'data-testid': 'card-text' }, rich(d.text)));
    if (Array.isArray(d.fields) && d.fields.length) {
      card.appendChild(h('table', { class: 'fields', 'data-testid': 'card-fields' }, h('tbody', null,
        d.fields.map((f) => h('tr', null, h('th', { scope: 'row' }, String(f && f.label != null ? f.label : '')),
          h('td', null, rich(f && f.value)))))));
    }
    if (Array.isArray(d.buttons) && d.buttons.length) {
      const row = h('div', { class: 'card-buttons' });
      for (const b of d.buttons) {
        if (!b || typeof b.command !== 'string') continue;
        const style = b.style === 'primary' ? ' primary' : b.style === 'danger' ? ' danger' : '';
        const btn = h('button', {
          type: 'button', class: 'btn small' + style, 'data-testid': 'card-button', 'data-command': b.command,
          title: 'Sends “' + b.command + '” as ' + (state.user || 'you'),
        }, String(b.label || b.command));
        btn.addEventListener('click', () => opts.onButton && opts.onButton(b.command, btn));
        row.appendChild(btn);
      }
      card.appendChild(row);
    }
    if (d.link && d.link.url) {
      const label = String(d.link.label || d.link.url);
      card.appendChild(h('div', null, safeHref(d.link.url)
        ? link(d.link.url, label + ' →', { class: 'card-link', 'data-testid': 'card-link' })
        : h('span', { class: 'card-link muted' }, label)));
    }
    return card;
  }

  /** A refused message: shown only here, as nothing reached the room. */
  function localError(text, res) {
    const body = res.body && typeof res.body === 'object' ? res.body : {};
    const message = body.error || (res.status ? 'Quorum refused the message (HTTP ' + res.status + ').' : 'Quorum is unreachable.');
    const li = h('li', { class: 'msg local-error', 'data-testid': 'local-error', role: 'alert' });
    const dismiss = h('button', { type: 'button', class: 'dismiss', 'aria-label': 'Dismiss this error' }, '×');
    dismiss.addEventListener('click', () => {
      li.remove();
      $('message-input').focus();
    });
    li.appendChild(h('article', { class: 'card tone-error private' },
      h('div', { class: 'card-head' },
        h('span', { class: 'avatar', 'aria-hidden': 'true' }, '!'),
        h('span', { class: 'who' }, 'Not sent'),
        h('span', { class: 'pill only-you', title: 'Nothing was posted to the room' }, 'only you'),
        h('code', { 'data-testid': 'local-error-input' }, text.length > 120 ? text.slice(0, 120) + '…' : text),
        dismiss),
      h('div', { class: 'card-text', 'data-testid': 'local-error-text' }, rich(message)),
      body.usage && h('div', { class: 'usage', 'data-testid': 'local-error-usage' }, 'Usage: ', h('code', null, String(body.usage)))));
    appendToLog(li, true);
  }

  async function post(text) {
    return api('/api/console/messages', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text }),
    });
  }

  async function sendFromChat(text, btn) {
    if (btn) btn.disabled = true;
    try {
      const res = await post(text);
      if (res.status !== 202) localError(text, res);
      return res;
    } finally {
      if (btn) btn.disabled = false;
    }
  }

  function pushHistory(text) {
    if (state.history[state.history.length - 1] !== text) state.history.push(text);
    if (state.history.length > HISTORY_MAX) state.history.splice(0, state.history.length - HISTORY_MAX);
    store.set(KEYS.history, JSON.stringify(state.history));
    state.histIdx = -1;
    state.draft = '';
  }

  function wireComposer() {
    const form = $('composer');
    const input = $('message-input');
    const send = $('send-button');
    try {
      const saved = JSON.parse(store.get(KEYS.history) || '[]');
      if (Array.isArray(saved)) state.history = saved.filter((s) => typeof s === 'string').slice(-HISTORY_MAX);
    } catch { /* ignore */ }

    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const text = input.value.trim();
      if (!text || state.sending) return;
      pushHistory(text);
      input.value = '';
      state.sending = true;
      send.disabled = true;
      try {
        await sendFromChat(text);
      } finally {
        state.sending = false;
        send.disabled = false;
        input.focus();
      }
    });

    input.addEventListener('keydown', (e) => {
      if (e.isComposing || e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === 'ArrowUp') {
        if (!state.history.length) return;
        if (state.histIdx === -1) {
          state.draft = input.value;
          state.histIdx = state.history.length;
        }
        if (state.histIdx > 0) state.histIdx--;
        input.value = state.history[state.histIdx];
        e.preventDefault();
        caretToEnd(input);
      } else if (e.key === 'ArrowDown') {
        if (state.histIdx === -1) return;
        state.histIdx++;
        if (state.histIdx >= state.history.length) {
          state.histIdx = -1;
          input.value = state.draft;
        } else {
          input.value = state.history[state.histIdx];
        }
        e.preventDefault();
        caretToEnd(input);
      } else if (e.key === 'Escape') {
        input.value = '';
        state.histIdx = -1;
      }
    });
    input.addEventListener('input', () => { state.histIdx = -1; });

    for (const chip of document.querySelectorAll('.chip[data-command]')) {
      chip.title = 'Put “' + chip.dataset.command + '” in the message box';
      chip.addEventListener('click', () => {
        input.value = chip.dataset.command;
        input.focus();
        caretToEnd(input);
      });
    }

    const log = $('chat-log');
    // A banner coming or going (or the window) resizes the log: keep the newest message in view.
    if (window.ResizeObserver) {
      new ResizeObserver(() => {
        if (state.pinned && log.clientHeight > 0) scrollToBottom();
      }).observe(log);
    }
    log.addEventListener('scroll', () => {
      if (log.clientHeight === 0) return; // hidden (another view): keep what we knew
      state.pinned = nearBottom();
      if (state.pinned) $('jump').hidden = true;
    });
    $('jump').addEventListener('click', () => {
      scrollToBottom();
      input.focus();
    });
  }

  function caretToEnd(input) {
    const n = input.value.length;
    requestAnimationFrame(() => input.setSelectionRange(n, n));
  }

  // ---------------------------------------------------------------------------------------------
  // Activity hooks: keep the request page and the dashboard fresh
  // ---------------------------------------------------------------------------------------------

  function mentions(text, id) {
    return typeof text === 'string' && new RegExp('\\b' + id + '\\b').test(text);
  }

  function noteActivity(kind, d) {
    if (kind !== 'message' && isId(d.request_id)) state.latestByRequest.set(d.request_id, d);
    const r = state.route;
    if (!r) return;
    if (r.name === 'request' && isId(r.id) && (d.request_id === r.id || mentions(d.text, r.id))) {
      scheduleRequestReload(r.id, 300);
    }
    // Replayed backlog is older than the list; only newer events hint that the list is stale.
    const at = Date.parse(d.at);
    if (r.name === 'history' && state.hist.loadedAt && at > state.hist.loadedAt && (isId(d.request_id) || kind === 'message')) {
      $('history-notice').hidden = false;
    }
  }

  /**
   * A request changed while the dashboard is open: its row shows the new state at once, the
   * totals follow within a second, and the notice offers to reload the list (rows are not
   * reshuffled under the reader, who may have loaded several pages).
   */
  function historyChanged(d) {
    const p = state.hist.params;
    if (p && p.get('type') && p.get('type') !== d.type) return; // cannot change what this view counts
    const row = document.querySelector('[data-testid=history-row][data-request-id="' + d.request_id + '"]');
    if (row && typeof d.state === 'string' && row.dataset.state !== d.state) {
      row.dataset.state = d.state;
      row.cells[2].replaceChildren(badge(d.state));
      row.classList.add('changed');
      const item = state.hist.items.find((x) => x.id === d.request_id);
      if (item) item.state = d.state;
    }
    $('history-notice').hidden = false;
    scheduleTotals();
  }

  // ---------------------------------------------------------------------------------------------
  // Freeze banner
  // ---------------------------------------------------------------------------------------------

  /*
   * GET /api/status on load and on every (re)connect; right after any reply in the room (freeze
   * and unfreeze typed here answer there, so the banner follows at once); when the tab comes back
   * into view; and every 15 s while it is visible. The poll is needed: a freeze from Slack never
   * reaches this room and the stream has no status event. It costs one small GET per open tab.
   */
  const STATUS_POLL_MS = 15000;
  const freeze = { seq: 0, timer: null, key: null, poll: null };

  function canReadApi() {
    return state.demo || !!state.user;
  }

  function scheduleStatus(ms) {
    clearTimeout(freeze.timer);
    freeze.timer = setTimeout(loadStatus, ms);
  }

  async function loadStatus() {
    clearTimeout(freeze.timer);
    const seq = ++freeze.seq;
    if (!canReadApi()) {
      renderFreeze(null);
      return;
    }
    const res = await api('/api/status');
    if (seq !== freeze.seq) return;
    // On failure the banner keeps what we knew; the connection indicator says Quorum is unreachable.
    if (res.ok && res.body && typeof res.body === 'object') renderFreeze(res.body.frozen === true ? res.body : null);
  }

  function startStatusPoll() {
    if (freeze.poll) return;
    freeze.poll = setInterval(() => {
      if (document.visibilityState === 'visible') loadStatus();
    }, STATUS_POLL_MS);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') loadStatus();
    });
  }

  function renderFreeze(f) {
    const key = f ? JSON.stringify([f.by, f.reason, f.at]) : '';
    if (key === freeze.key) return; // unchanged: polling must not re-announce it
    freeze.key = key;
    document.body.classList.toggle('is-frozen', !!f);
    const region = $('freeze');
    if (!f) {
      region.replaceChildren();
      return;
    }
    const by = typeof f.by === 'string' && f.by ? f.by : null;
    const name = by && by.startsWith('console:') ? by.slice('console:'.length) : by;
    const at = typeof f.at === 'string' ? f.at : null;
    const reason = typeof f.reason === 'string' && f.reason.trim() ? f.reason : null;
    region.replaceChildren(h('div', { class: 'frozen-banner', 'data-testid': 'frozen-banner' },
      h('span', { class: 'frozen-icon', 'aria-hidden': 'true' }, '❄'),
      h('div', { class: 'frozen-text' },
        h('p', null,
          h('strong', null, 'Quorum is frozen'),
          ' by ', h('b', { 'data-testid': 'frozen-by', title: by || '' }, name || 'someone'),
          at ? [' since ', h('time', { datetime: at, title: fullTime(at), 'data-testid': 'frozen-at' }, clockTime(at))] : null,
          reason ? [' · ', h('span', { class: 'frozen-reason', 'data-testid': 'frozen-reason' }, reason)]
            : [' · ', h('span', { class: 'muted' }, 'no reason given')]),
        h('p', null, 'No agent starts and nothing merges or deploys until on-call says ', h('code', null, 'unfreeze'), '.'))));
  }

  // ---------------------------------------------------------------------------------------------
  // Request page
  // ---------------------------------------------------------------------------------------------

  function scheduleRequestReload(id, ms) {
    clearTimeout(state.req.timer);
    state.req.timer = setTimeout(() => loadRequest(id), ms);
  }

  function showRequest(id) {
    if (state.req.id !== id) {
      state.req = { id, timer: null, rejectOpen: false, rejectReason: '', status: null, open: new Set(), closed: new Set(), diff: null };
      $('request-body').replaceChildren(h('p', { class: 'muted' }, 'Loading ' + id + '…'));
    }
    $('request-title').replaceChildren(id);
    loadRequest(id);
  }

  async function loadRequest(id) {
    const res = await api('/api/requests/' + encodeURIComponent(id));
    if (!state.route || state.route.name !== 'request' || state.route.id !== id) return;
    const body = $('request-body');
    if (!res.ok) {
      const msg = res.status === 404 ? 'There is no request ' + id + '.' : (res.body && res.body.error) || 'HTTP ' + res.status;
      body.replaceChildren(h('div', { class: 'banner error', role: 'alert', 'data-testid': 'request-error' }, msg));
      return;
    }
    renderRequest(res.body);
  }

  const KNOWN = new Set(['id', 'type', 'state', 'requester', 'requester_name', 'text', 'created_at', 'updated_at', 'summary',
    'reason', 'rerun_of', 'cost_usd', 'origin', 'votes', 'evidence', 'evidence_seal', 'transcript', 'history', 'subject', 'tally',
    'execution', 'result']);

  /** Where a request was asked, in words: "the console, #general". */
  function askedIn(origin) {
    if (!origin || typeof origin !== 'object') return undefined;
    const where = { console: 'the console', slack: 'Slack' }[origin.adapter] || String(origin.adapter || '?');
    return [where, origin.channel && '#' + origin.channel, origin.thread && 'in a thread'].filter(Boolean).join(', ');
  }

  function renderRequest(r) {
    const body = $('request-body');
    // Re-render only when something shown changed, so focus and half-typed input survive refreshes.
    const key = JSON.stringify([r, state.user, state.req.status, state.latestByRequest.get(r.id) || null]);
    if (key === state.req.rendered && body.firstChild) return;
    state.req.rendered = key;
    rememberOpen(body);
    const focusKey = document.activeElement && body.contains(document.activeElement) ? document.activeElement.dataset.focusKey : null;

    $('request-title').replaceChildren(String(r.id), ' ', typeBadge(r.type), ' ', badge(r.state));
    document.title = r.id + ' · Quorum';
    const isAction = ACTIONS.includes(r.type) || 'subject' in r;
    const parts = [];

    // What the reader can do comes first: an open vote's buttons sit at the top of the page.
    if (isAction && r.state === 'awaiting_approval') parts.push(voteBar(r));
    else if (state.req.status) parts.push(voteStatus());

    const cost = Number(r.cost_usd) || 0;
    parts.push(h('section', { class: 'panel', 'data-testid': 'request-overview', 'aria-label': 'Overview' },
      h('p', { class: 'request-text', 'data-testid': 'request-text' }, String(r.text == null ? '' : r.text)),
      kv([
        ['Requested by', h('span', { title: r.requester || '' }, personName(r.requester, r.requester_name)), 'request-requester'],
        ['Asked', timeEl(r.created_at, false), 'request-created'],
        ['Last change', timeEl(r.updated_at, false)],
        r.summary ? ['Summary', h('span', { class: 'card-text' }, rich(plain(r.summary))), 'request-summary'] : [],
        r.reason ? ['Reason', h('span', { class: 'card-text' }, rich(plain(r.reason))), 'request-reason'] : [],
        cost > 0 || ['research', 'code'].includes(r.type) ? ['Model cost', money(r.cost_usd), 'request-cost'] : [],
        r.rerun_of ? ['Rerun of', value(r.rerun_of)] : [],
        askedIn(r.origin) ? ['Asked in', askedIn(r.origin)] : [],
      ].filter((p) => p.length))));

    if (hasChange(r)) parts.push(diffPanel(r));
    if (isAction) parts.push(approvalPanel(r));
    if (r.execution && typeof r.execution === 'object') parts.push(executionPanel(r.execution, r.state));

    const latest = state.latestByRequest.get(r.id);
    if (latest) {
      parts.push(h('section', { class: 'panel', 'aria-label': 'Latest in chat' },
        h('h2', null, 'Latest in chat'),
        h('div', { class: 'latest-reply', 'data-testid': 'request-latest' }, botCard(latest, { onButton: (c, b) => sendFromRequest(c, b) }))));
    }

    if (r.evidence || ['test', 'code', 'merge', 'deploy'].includes(r.type)) parts.push(evidencePanel(r.evidence, r.evidence_seal));
    if (r.result && typeof r.result === 'object') {
      parts.push(h('section', { class: 'panel', 'data-testid': 'request-result', 'aria-label': 'Result' },
        h('h2', null, 'Result'), value(r.result, 1)));
    }
    if ((Array.isArray(r.transcript) && r.transcript.length) || ['research', 'code'].includes(r.type)) parts.push(transcriptPanel(r.transcript));
    parts.push(historyPanel(r.history));

    const extra = Object.keys(r).filter((k) => !KNOWN.has(k));
    if (extra.length) {
      parts.push(h('section', { class: 'panel', 'data-testid': 'request-extra', 'aria-label': 'More details' },
        h('h2', null, 'More details'), kv(extra.map((k) => [humanize(k), field(k, r[k], 1)]))));
    }

    body.replaceChildren(...parts);
    restoreOpen(body);
    if (focusKey) {
      const again = body.querySelector('[data-focus-key="' + focusKey + '"]');
      if (again) again.focus();
    }
    loadDiff(r);
  }

  /** Which collapsible parts the reader opened or closed, kept across live refreshes. */
  function rememberOpen(root) {
    root.querySelectorAll('details[data-key]').forEach((d) => {
      if (d.open) {
        state.req.open.add(d.dataset.key);
        state.req.closed.delete(d.dataset.key);
      } else {
        state.req.open.delete(d.dataset.key);
        state.req.closed.add(d.dataset.key);
      }
    });
  }

  function restoreOpen(root) {
    root.querySelectorAll('details[data-key]').forEach((d) => {
      if (state.req.open.has(d.dataset.key)) d.open = true;
      else if (state.req.closed.has(d.dataset.key)) d.open = false;
    });
  }

  /** The open vote, at the top: where it stands, when it closes, and the buttons. */
  function voteBar(r) {
    const t = r.tally && typeof r.tally === 'object' ? r.tally : {};
    const bar = h('section', { class: 'panel vote-bar', 'data-testid': 'vote-bar', 'aria-label': 'Your vote' },
      h('div', { class: 'vote-bar-text' },
        h('strong', null, 'Waiting for approval'),
        t.line ? h('span', { 'data-testid': 'vote-bar-tally' }, ' · ' + plain(t.line)) : null,
        parseTime(t.expires_at) ? h('span', { class: 'muted' }, ' · closes ', h('time', { datetime: t.expires_at, title: fullTime(t.expires_at) }, ago(t.expires_at))) : null),
      voteActions(r));
    if (state.req.status) bar.appendChild(voteStatus());
    return bar;
  }

  function voteStatus() {
    return h('p', { class: 'inline-status' + (state.req.status.error ? ' error' : ''), role: 'status', 'data-testid': 'vote-status' },
      rich(state.req.status.text));
  }

  function commitCode(sha, label) {
    if (sha == null) return h('span', { class: 'muted' }, label || '—');
    return h('span', null, label ? h('span', null, label + ' ') : null, h('code', { title: String(sha) }, short(sha, 7)));
  }

  function approvalPanel(r) {
    const panel = h('section', { class: 'panel', 'data-testid': 'request-approval', 'aria-label': 'Approval' }, h('h2', null, 'Approval'));
    const deploy = r.type === 'deploy';
    if (r.subject && typeof r.subject === 'object') {
      const s = r.subject;
      panel.appendChild(h('h3', null, 'What the votes bind to'));
      panel.appendChild(kv([
        ['Repository', s.repo == null ? undefined : h('code', null, String(s.repo))],
        [deploy ? 'Environment' : 'Into', s.target == null ? '—' : h('code', null, String(s.target))],
        [deploy ? 'Ref' : 'Branch', s.source == null ? undefined : h('code', null, String(s.source))],
        [deploy ? 'Deploys' : 'Branch commit', commitCode(s.source_sha)],
        deploy ? undefined : ['Merge commit', commitCode(s.merge_sha, s.merge_sha === s.source_sha ? 'a fast-forward to' : null)],
        [deploy ? 'Runs now' : 'Target commit', commitCode(s.target_sha, s.target_sha == null ? (deploy ? 'nothing deployed by Quorum yet' : '—') : null)],
        ['Evidence', s.evidence_digest == null ? '—' : h('code', { title: String(s.evidence_digest) }, short(s.evidence_digest, 12))],
        ...Object.keys(s).filter((k) => !['repo', 'target', 'source', 'source_sha', 'merge_sha', 'target_sha', 'evidence_digest'].includes(k))
          .map((k) => [humanize(k), field(k, s[k], 1)]),
      ].filter(Boolean), { 'data-testid': 'request-subject' }));
    } else {
      panel.appendChild(h('p', { class: 'muted' }, 'Not verified yet: the subject (target, commit, evidence) is fixed once the tests passed.'));
    }
    if (r.tally != null && typeof r.tally === 'object') {
      const t = r.tally;
      const names = Array.isArray(t.author_names) ? t.author_names : Array.isArray(t.authors) ? t.authors.map((a) => personName(a)) : [];
      panel.appendChild(h('h3', null, 'Tally'));
      panel.appendChild(h('div', { 'data-testid': 'request-tally' },
        t.line ? h('p', { class: 'tally-line', 'data-testid': 'tally-line' }, plain(t.line)) : null,
        kv([
          ['Rule', t.policy == null ? undefined : String(t.policy)],
          ['Approvals', t.approvals == null ? undefined : t.approvals + ' of ' + t.needed + ' needed'],
          ['Authors', names.length ? names.join(', ') + ' (cannot approve)' : undefined],
          ['Change', t.change ? h('span', null, String(t.change), hasChange(r)
            ? [' · ', h('a', { href: '#/requests/' + r.id + '/diff', 'data-testid': 'see-diff' }, 'see the diff')] : null) : undefined],
          ['Closes', parseTime(t.expires_at) ? timeEl(t.expires_at, false) : undefined],
          ['Quorum reached', parseTime(t.quorum_reached_at) ? timeEl(t.quorum_reached_at, false) : undefined],
        ])));
    }
    panel.appendChild(h('h3', null, 'Votes'));
    const votes = Array.isArray(r.votes) ? r.votes : [];
    if (!votes.length) {
      panel.appendChild(h('p', { class: 'muted', 'data-testid': 'request-votes' }, 'No votes yet.'));
    } else {
      panel.appendChild(h('div', { class: 'table-wrap' }, h('table', { class: 'data stack', 'data-testid': 'request-votes' },
        h('thead', null, h('tr', null, ['Who', 'Vote', 'When', 'Reason', 'Groups'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', null, votes.map((v) => h('tr', { 'data-testid': 'vote-row', class: v.void ? 'void' : null },
          h('td', { 'data-label': 'Who', title: String(v.voter || '') }, personName(v.voter, v.name)),
          h('td', { 'data-label': 'Vote' }, h('span', { class: 'badge v-' + String(v.vote).replace(/[^a-z]/g, '') },
            v.vote === 'approve' ? 'approved' : v.vote === 'reject' ? 'rejected' : String(v.vote || '—')),
          v.void ? h('span', { class: 'muted' }, ' · no longer counts (the subject moved)') : null),
          h('td', { 'data-label': 'When' }, timeEl(v.at, true)),
          h('td', { 'data-label': 'Reason' }, v.reason ? String(v.reason) : h('span', { class: 'muted' }, '—')),
          h('td', { 'data-label': 'Groups' }, Array.isArray(v.groups) && v.groups.length ? v.groups.join(', ') : h('span', { class: 'muted' }, '—'))))))));
    }
    return panel;
  }

  /** A deploy's run: when it started and ended, whether it worked, what it printed. */
  function executionPanel(ex, requestState) {
    const started = parseTime(ex.started_at);
    const finished = parseTime(ex.finished_at);
    const outcome = ex.ok === true ? 'Succeeded' : ex.ok === false ? 'Failed'
      : requestState === 'executing' ? 'Running' : 'Interrupted: Quorum stopped while it ran';
    const panel = h('section', { class: 'panel', 'data-testid': 'request-execution', 'aria-label': 'Deployment' }, h('h2', null, 'Deployment'),
      h('div', { class: 'evidence-line ' + (ex.ok === true ? 'passed' : ex.ok === false ? 'failed' : 'running'), 'data-testid': 'execution-outcome' }, outcome),
      kv([
        ['Started', timeEl(ex.started_at, false), 'execution-started'],
        ['Finished', finished ? timeEl(ex.finished_at, false) : h('span', { class: 'muted' }, '—'), 'execution-finished'],
        ['Took', started && finished ? seconds(finished - started) : undefined],
      ]));
    if (ex.output) {
      panel.appendChild(h('details', { 'data-key': 'execution-output', open: ex.ok !== true || null },
        h('summary', null, 'Output'), h('pre', { 'data-testid': 'execution-output' }, plain(ex.output))));
    }
    return panel;
  }

  // ---- the diff ---------------------------------------------------------------------------------

  /** Whether the request is about a change with a diff: a verified merge or deploy, or a coding run that changed something. */
  function hasChange(r) {
    if (ACTIONS.includes(r.type)) return !!(r.subject && typeof r.subject === 'object');
    if (r.type === 'code') return !!(r.result && r.result.commit && r.result.commit !== r.result.base_commit);
    return false;
  }

  function diffKey(r) {
    return JSON.stringify([r.id, r.subject || null, r.result ? r.result.commit : null]);
  }

  /** Fetches the diff once per change (not on every live refresh) and fills its panel. */
  async function loadDiff(r) {
    if (!hasChange(r)) return;
    const key = diffKey(r);
    if (state.req.diff && state.req.diff.key === key) return;
    state.req.diff = { key, res: null };
    const res = await api('/api/requests/' + encodeURIComponent(r.id) + '/diff');
    if (!state.req.diff || state.req.diff.key !== key) return;
    state.req.diff.res = res;
    const body = $('request-body');
    const panel = body.querySelector('[data-testid=request-diff]');
    if (!panel) return;
    rememberOpen(panel);
    const fresh = diffPanel(r);
    panel.replaceWith(fresh);
    restoreOpen(fresh);
    scrollToDiff();
  }

  /** For #/requests/R7/diff: once the change is shown, bring it into view (once). */
  function scrollToDiff() {
    if (state.req.jump !== 'diff') return;
    const panel = $('request-body').querySelector('[data-testid=request-diff][data-state=ready]');
    if (!panel) return;
    state.req.jump = null;
    panel.scrollIntoView({ block: 'start' });
  }

  const CHANGES = { add: 'added', modify: 'modified', delete: 'deleted', rename: 'renamed', copy: 'copied' };
  /** Characters that hide what code says (bidirectional overrides, zero-width, control): shown, not obeyed. */
  const HIDDEN_RE = /[\u202A-\u202E\u2066-\u2069\u200B-\u200F\u061C\u2028\u2029\uFEFF\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
  const FILE_OPEN_LINES = 400;
  const DIFF_OPEN_LINES = 1500;

  function diffPanel(r) {
    const title = h('h2', null, 'Change');
    const panel = h('section', { class: 'panel', 'data-testid': 'request-diff', 'aria-label': 'Change' }, title);
    const res = state.req.diff && state.req.diff.key === diffKey(r) ? state.req.diff.res : null;
    if (!res) {
      panel.append(h('p', { class: 'muted', 'data-testid': 'diff-loading' }, 'Loading the diff…'));
      return panel;
    }
    if (!res.ok || !res.body || typeof res.body !== 'object') {
      panel.append(h('p', { class: 'muted', 'data-testid': 'diff-error' }, (res.body && res.body.error) || 'The diff is unavailable (HTTP ' + res.status + ').'));
      return panel;
    }
    const diff = res.body;
    const files = Array.isArray(diff.files) ? diff.files : [];
    panel.dataset.state = 'ready';
    title.append(h('span', { class: 'diff-stat', 'data-testid': 'diff-stat' },
      files.length + (files.length === 1 ? ' file changed' : ' files changed'),
      h('span', { class: 'ins' }, ' +' + (Number(diff.insertions) || 0)), h('span', { class: 'del' }, ' −' + (Number(diff.deletions) || 0))));
    const end = (e) => e && typeof e === 'object' ? h('span', { class: 'diff-end' }, String(e.label || ''), ' ', h('code', { title: String(e.sha || '') }, short(e.sha, 7))) : null;
    panel.append(h('p', { class: 'diff-range', 'data-testid': 'diff-range' },
      diff.from ? end(diff.from) : h('span', { class: 'muted' }, 'nothing'), ' → ', end(diff.to)));
    if (diff.note) panel.append(h('p', { class: 'diff-note', 'data-testid': 'diff-range-note' }, String(diff.note)));
    if (diff.truncated) panel.append(h('p', { class: 'muted' }, 'This change is large: some files are cut or left out here; every file’s counts are complete.'));
    const shown = (f) => (Array.isArray(f.hunks) ? f.hunks : []).reduce((n, hk) => n + (Array.isArray(hk.lines) ? hk.lines.length : 0), 0);
    const total = files.reduce((n, f) => n + shown(f), 0);
    for (const f of files) panel.append(diffFile(f, total <= DIFF_OPEN_LINES && shown(f) <= FILE_OPEN_LINES));
    if (!files.length) panel.append(h('p', { class: 'muted' }, 'No file changes.'));
    return panel;
  }

  /** One file: a collapsible header (what happened, counts) over its hunks, highlighted by language. */
  function diffFile(f, open) {
    const path = String(f.path || '?');
    const change = String(f.change || 'modify');
    const lang = window.QuorumHighlight ? window.QuorumHighlight.language(path) : null;
    const hidden = { found: false };
    const body = h('div', { class: 'diff-body' });
    if (f.note) body.append(h('p', { class: 'diff-note', 'data-testid': 'diff-note' }, String(f.note)));
    const hunks = Array.isArray(f.hunks) ? f.hunks : [];
    if (hunks.length) {
      const tbody = h('tbody');
      for (const hk of hunks) tbody.append(...hunkRows(hk, lang, hidden));
      body.append(h('div', { class: 'diff-scroll' }, h('table', { class: 'diff', 'data-testid': 'diff-table' },
        h('colgroup', null, h('col', { class: 'ln' }), h('col', { class: 'ln' }), h('col')), tbody)));
    }
    const summary = h('summary', null,
      h('span', { class: 'change c-' + change.replace(/[^a-z]/g, ''), 'data-testid': 'diff-change' }, CHANGES[change] || change),
      h('code', { class: 'diff-path', 'data-testid': 'diff-path' }, f.old_path ? String(f.old_path) + ' → ' + path : path),
      f.binary ? h('span', { class: 'muted' }, 'binary')
        : h('span', { class: 'diff-count' }, h('span', { class: 'ins' }, '+' + (Number(f.insertions) || 0)), ' ', h('span', { class: 'del' }, '−' + (Number(f.deletions) || 0))));
    const details = h('details', { class: 'diff-file', 'data-testid': 'diff-file', 'data-path': path, 'data-key': 'diff:' + path, open: open || null }, summary);
    if (hidden.found) {
      details.append(h('p', { class: 'diff-warning', role: 'note', 'data-testid': 'diff-hidden-warning' },
        'This file contains hidden or bidirectional Unicode characters, which can make code read differently from what it does. They are shown as ⟨U+…⟩.'));
    }
    details.append(body);
    return details;
  }

  /** A hunk as table rows: its header, then each line with its old and new numbers. */
  function hunkRows(hk, lang, hidden) {
    const rows = [h('tr', { class: 'hunk' }, h('td', { colspan: 3 },
      '@@ −' + hk.old_start + ',' + hk.old_lines + ' +' + hk.new_start + ',' + hk.new_lines + ' @@'))];
    let oldNo = Number(hk.old_start) || 1;
    let newNo = Number(hk.new_start) || 1;
    let oldState = null;
    let newState = null;
    for (const raw of Array.isArray(hk.lines) ? hk.lines : []) {
      const line = String(raw);
      const marker = line.charAt(0);
      const text = line.slice(1).replace(/\r$/, '');
      const kind = marker === '+' ? 'add' : marker === '-' ? 'del' : 'ctx';
      let lit = { tokens: [['', text]], state: null };
      if (window.QuorumHighlight && lang) {
        lit = window.QuorumHighlight.line(text, lang, kind === 'del' ? oldState : newState);
        if (kind !== 'add') oldState = lit.state;
        if (kind !== 'del') newState = lit.state;
      }
      const code = h('td', { class: 'code' }, h('span', { class: 'marker', 'aria-hidden': 'true' }, kind === 'add' ? '+' : kind === 'del' ? '−' : ' '));
      for (const [cls, t] of lit.tokens) code.append(codeText(t, cls, hidden));
      rows.push(h('tr', { class: kind, 'data-kind': kind },
        h('td', { class: 'ln' }, kind === 'add' ? '' : String(oldNo)),
        h('td', { class: 'ln' }, kind === 'del' ? '' : String(newNo)),
        code));
      if (kind !== 'add') oldNo++;
      if (kind !== 'del') newNo++;
    }
    return rows;
  }

  /** Code text as nodes: highlighted by kind, with every hidden character made visible. */
  function codeText(text, cls, hidden) {
    const parent = cls ? h('span', { class: 'tok-' + cls }) : document.createDocumentFragment();
    let last = 0;
    HIDDEN_RE.lastIndex = 0;
    let m;
    while ((m = HIDDEN_RE.exec(text))) {
      if (m.index > last) parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      const code = 'U+' + m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
      parent.appendChild(h('span', { class: 'hidden-char', 'data-testid': 'hidden-char', title: code + ': a hidden character' }, '⟨' + code + '⟩'));
      hidden.found = true;
      last = HIDDEN_RE.lastIndex;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
    return parent;
  }

  function voteActions(r) {
    // Authors (the requester, and whoever asked for the work a merge brings in) never approve.
    const me = 'console:' + state.user;
    const authors = r.tally && Array.isArray(r.tally.authors) ? r.tally.authors : [];
    const own = !!state.user && (r.requester === me || authors.includes(me));
    const wrap = h('div', { class: 'vote-actions', 'data-testid': 'vote-actions' });
    const approve = h('button', {
      type: 'button', class: 'btn primary', 'data-testid': 'approve-button', 'data-focus-key': 'approve',
      disabled: own || null, title: own ? 'You are an author of this; authors never approve their own action' : 'Sends “approve ' + r.id + '” as ' + state.user,
    }, 'Approve');
    approve.addEventListener('click', () => sendFromRequest('approve ' + r.id, approve));
    const reject = h('button', { type: 'button', class: 'btn danger', 'data-testid': 'reject-button', 'data-focus-key': 'reject', 'aria-expanded': String(state.req.rejectOpen) }, 'Reject…');
    wrap.append(approve, reject);
    const form = h('form', { class: 'vote-actions', 'data-testid': 'reject-form', hidden: !state.req.rejectOpen || null });
    const reason = h('input', { type: 'text', id: 'reject-reason', 'data-testid': 'reject-reason', 'data-focus-key': 'reject-reason', maxlength: 500, placeholder: 'Why? (optional, shown to everyone)' });
    reason.value = state.req.rejectReason;
    reason.addEventListener('input', () => { state.req.rejectReason = reason.value; });
    const cancel = h('button', { type: 'button', class: 'btn' }, 'Cancel');
    form.append(h('label', { for: 'reject-reason', class: 'visually-hidden' }, 'Reason for rejecting ' + r.id), reason,
      h('button', { type: 'submit', class: 'btn danger solid', 'data-testid': 'reject-send', 'data-focus-key': 'reject-send' }, 'Reject ' + r.id), cancel);
    reject.addEventListener('click', () => {
      state.req.rejectOpen = !state.req.rejectOpen;
      form.hidden = !state.req.rejectOpen;
      reject.setAttribute('aria-expanded', String(state.req.rejectOpen));
      if (state.req.rejectOpen) reason.focus();
    });
    cancel.addEventListener('click', () => {
      state.req.rejectOpen = false;
      form.hidden = true;
      reject.setAttribute('aria-expanded', 'false');
      reject.focus();
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const why = reason.value.replace(/\s+/g, ' ').trim();
      state.req.rejectOpen = false;
      state.req.rejectReason = '';
      sendFromRequest('reject ' + r.id + (why ? ' ' + why : ''), form.querySelector('[type=submit]'));
    });
    const box = h('div', null, wrap, form);
    if (own) {
      box.appendChild(h('p', { class: 'muted', 'data-testid': 'own-note' }, r.requester === me
        ? 'You asked for this, so you cannot approve it; others can.'
        : 'You asked for the work this brings in, so you cannot approve it; others can.'));
    }
    return box;
  }

  async function sendFromRequest(command, btn) {
    if (btn) btn.disabled = true;
    const res = await post(command);
    if (btn) btn.disabled = false;
    state.req.status = res.status === 202
      ? { text: 'Sent `' + command + '` as ' + state.user + '. Quorum answers in the chat; this page refreshes.' }
      : { error: true, text: 'Not sent: ' + ((res.body && res.body.error) || 'HTTP ' + res.status) };
    if (state.route && state.route.name === 'request') loadRequest(state.route.id);
  }

  const SEALS = { sealed: 'sealed by Quorum ✓', unsealed: 'not sealed (recorded before sealing began)', invalid: 'invalid: the stored record was changed' };

  function evidencePanel(ev, seal) {
    const panel = h('section', { class: 'panel', 'data-testid': 'request-evidence', 'aria-label': 'Evidence' }, h('h2', null, 'Evidence'));
    if (!ev || typeof ev !== 'object') {
      panel.appendChild(h('p', { class: 'muted' }, 'No evidence yet. Quorum runs the tests itself and records the result here.'));
      return panel;
    }
    const t = ev.tests && typeof ev.tests === 'object' ? ev.tests : {};
    const n = (x) => (x == null ? 0 : x);
    const inferred = ev.exit_code === 0 && !n(t.failed) && !n(t.errors) ? 'passed' : 'failed';
    const status = ev.status ? String(ev.status) : inferred;
    const good = status === 'passed' || (!ev.status && inferred === 'passed');
    panel.appendChild(h('div', { class: 'evidence-line ' + (good ? 'passed' : 'failed'), 'data-testid': 'evidence-line' },
      status + ': ' + n(t.passed) + ' passed, ' + n(t.failed) + ' failed, ' + n(t.skipped) + ' skipped · ' + short(ev.commit) + ' · '
      + seconds(ev.duration_ms) + ' · evidence ' + short(ev.digest, 8)));
    panel.appendChild(h('div', { class: 'stats', 'data-testid': 'evidence-counts' },
      ['total', 'passed', 'failed', 'skipped', 'errors'].map((k) => h('div', {
        class: 'stat' + ((k === 'failed' || k === 'errors') && n(t[k]) > 0 ? ' bad' : k === 'passed' && n(t[k]) > 0 ? ' good' : ''),
      }, h('div', { class: 'n' }, String(n(t[k]))), h('div', { class: 'l' }, k)))));
    panel.appendChild(kv([
      ['Commit', ev.commit == null ? '—' : h('code', { title: String(ev.commit) }, short(ev.commit, 12))],
      ['Command', ev.command == null ? '—' : h('code', null, String(ev.command))],
      ['Exit code', ev.exit_code == null ? '—' : String(ev.exit_code)],
      ['Started', timeEl(ev.started_at, false)],
      ['Took', seconds(ev.duration_ms)],
      ['Digest', ev.digest == null ? '—' : h('code', { 'data-testid': 'evidence-digest', class: 'digest' }, String(ev.digest))],
      seal ? ['Seal', SEALS[seal] || String(seal), 'evidence-seal'] : [],
      ...Object.keys(ev).filter((k) => !['commit', 'command', 'exit_code', 'started_at', 'duration_ms', 'tests', 'failures', 'log_tail', 'digest', 'status'].includes(k))
        .map((k) => [humanize(k), field(k, ev[k], 1)]),
    ].filter((p) => p.length)));
    const failures = Array.isArray(ev.failures) ? ev.failures : [];
    if (failures.length) {
      panel.appendChild(h('h3', null, 'Failures (' + failures.length + ')'));
      panel.appendChild(h('ul', { class: 'failures', 'data-testid': 'evidence-failures' }, failures.map((f) => h('li', null,
        h('code', null, String((f && f.name) || '?')),
        f && f.message ? h('pre', null, plain(f.message)) : null))));
    }
    if (ev.log_tail) {
      panel.appendChild(h('details', { 'data-key': 'log', open: !good || null },
        h('summary', null, 'Log tail'), h('pre', { 'data-testid': 'evidence-log' }, plain(ev.log_tail))));
    }
    return panel;
  }

  function transcriptPanel(steps) {
    const panel = h('section', { class: 'panel', 'data-testid': 'request-transcript', 'aria-label': 'Agent transcript' }, h('h2', null, 'Agent transcript'));
    const list = Array.isArray(steps) ? steps : [];
    if (!list.length) {
      panel.appendChild(h('p', { class: 'muted' }, 'No model or tool calls recorded.'));
      return panel;
    }
    let tokensIn = 0;
    let tokensOut = 0;
    let cost = 0;
    for (const s of list) {
      if (s && typeof s === 'object') {
        tokensIn += Number(s.tokens_in) || 0;
        tokensOut += Number(s.tokens_out) || 0;
        cost += Number(s.cost_usd) || 0;
      }
    }
    panel.appendChild(h('p', { class: 'muted' }, list.length + ' steps · ' + tokensIn + ' tokens in · ' + tokensOut + ' out · ' + money(cost)));
    const rows = list.map((s, i) => {
      const step = s && typeof s === 'object' ? s : { value: s };
      const kind = step.kind == null ? '—' : String(step.kind);
      let detail;
      if (kind === 'model') {
        const rest = Object.fromEntries(Object.entries(step).filter(([k]) => !['kind', 'tokens_in', 'tokens_out', 'latency_ms', 'cost_usd'].includes(k)));
        detail = h('div', null,
          h('div', null, (step.tokens_in ?? '?') + ' tokens in · ' + (step.tokens_out ?? '?') + ' out · '
            + (step.latency_ms == null ? '?' : step.latency_ms + ' ms') + ' · ' + money(step.cost_usd)),
          Object.keys(rest).length ? value(rest, 1) : null);
      } else if (kind === 'tool') {
        const rest = Object.fromEntries(Object.entries(step).filter(([k]) => !['kind', 'name', 'arguments', 'result', 'refused'].includes(k)));
        detail = h('div', null,
          h('div', null, h('code', null, String(step.name || '?')), step.refused ? h('span', { class: 'refused' }, '  refused') : null),
          step.arguments != null ? h('div', null, h('span', { class: 'muted' }, 'arguments: '), block(step.arguments)) : null,
          step.result != null ? h('div', null, h('span', { class: 'muted' }, 'result: '), block(step.result)) : null,
          Object.keys(rest).length ? value(rest, 1) : null);
      } else {
        detail = value(Object.fromEntries(Object.entries(step).filter(([k]) => k !== 'kind')), 1);
      }
      return h('tr', { 'data-kind': kind }, h('td', { class: 'num' }, String(i + 1)), h('td', null, kind), h('td', null, detail));
    });
    panel.appendChild(h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
      h('thead', null, h('tr', null, h('th', { scope: 'col', class: 'num' }, '#'), h('th', { scope: 'col' }, 'Kind'), h('th', { scope: 'col' }, 'Details'))),
      h('tbody', null, rows))));
    return panel;
  }

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

  function auditTable(entries, testid, withRequest) {
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

  function historyPanel(history) {
    const list = Array.isArray(history) ? history : [];
    return h('section', { class: 'panel', 'data-testid': 'request-history', 'aria-label': 'Audit history' },
      h('h2', null, 'Audit history'),
      list.length ? auditTable(list, 'request-history-table', false) : h('p', { class: 'muted' }, 'No audit entries.'));
  }

  // ---------------------------------------------------------------------------------------------
  // History dashboard
  // ---------------------------------------------------------------------------------------------

  const FILTERS = ['state', 'type', 'user', 'since'];

  function wireHistory() {
    const fs = $('f-state');
    for (const s of STATES) fs.appendChild(h('option', { value: s }, s.replace(/_/g, ' ')));
    const ft = $('f-type');
    for (const t of TYPES) ft.appendChild(h('option', { value: t }, t));
    $('filters').addEventListener('submit', (e) => {
      e.preventDefault();
      const p = new URLSearchParams();
      for (const k of FILTERS) {
        const v = $('f-' + k).value.trim();
        if (v) p.set(k, v);
      }
      const limit = state.hist.params && state.hist.params.get('limit');
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
    state.hist.params = params;
    for (const k of FILTERS) $('f-' + k).value = params.get(k) || '';
    loadHistory(true);
    loadAuditStatus();
    if ($('audit-recent').open) loadAuditEntries();
  }

  /** The dashboard's filters as API parameters (the same for the list and its totals). */
  function filterParams() {
    const hs = state.hist;
    const p = new URLSearchParams();
    for (const k of FILTERS) if (hs.params && hs.params.get(k)) p.set(k, hs.params.get(k));
    return p;
  }

  /** Rows per page: `limit` from the hash (#/history?limit=20) when the API takes it, else PAGE. */
  function pageSize() {
    const v = state.hist.params && state.hist.params.get('limit');
    const n = /^\d{1,3}$/.test(v || '') ? Number(v) : 0;
    return n >= 1 && n <= MAX_PAGE ? n : PAGE;
  }

  async function loadHistory(reset) {
    const hs = state.hist;
    if (!reset && (!hs.next || hs.loading)) return;
    const seq = ++hs.seq;
    hs.loading = true;
    if (reset) loadTotals(true);
    const more = $('load-more');
    more.disabled = true;
    const p = filterParams();
    p.set('limit', String(pageSize()));
    if (!reset) p.set('cursor', hs.next);
    const res = await api('/api/requests?' + p.toString());
    if (seq !== hs.seq) return;
    hs.loading = false;
    more.disabled = false;
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
    const hs = state.hist;
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
    const hs = state.hist;
    if (hs.statsTimer) return;
    hs.statsTimer = setTimeout(() => {
      hs.statsTimer = null;
      if (state.route && state.route.name === 'history') loadTotals(false);
    }, 1000);
  }

  function renderTotals(st) {
    const count = Number(st.count) || 0;
    const byState = st.by_state && typeof st.by_state === 'object' ? st.by_state : {};
    const rank = (s) => (STATES.includes(s) ? STATES.indexOf(s) : STATES.length);
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
    const hs = state.hist;
    const el = $('history-shown');
    const n = hs.items.length;
    const total = hs.stats ? Number(hs.stats.count) : null;
    el.dataset.shown = String(n);
    el.textContent = !n ? '' : total != null && total > n ? 'Showing the newest ' + n + ' of ' + total + '.' : hs.next ? 'Showing ' + n + '.' : '';
  }

  async function loadAuditStatus() {
    const el = $('audit-status');
    const res = await api('/api/audit/verify');
    if (!res.ok || !res.body) {
      el.dataset.state = 'error';
      el.textContent = 'Audit chain not checked: ' + ((res.body && res.body.error) || 'HTTP ' + res.status);
      return;
    }
    const v = res.body;
    if (v.ok) {
      el.dataset.state = 'ok';
      el.textContent = '✓ Audit chain intact, ' + v.entries + (v.entries === 1 ? ' entry' : ' entries');
    } else {
      el.dataset.state = 'broken';
      el.textContent = '✗ Audit chain broken at ' + v.first_bad + (v.problem ? ': ' + v.problem : '') + ' (' + v.entries + ' entries)';
    }
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
  // ---------------------------------------------------------------------------------------------

  function parseRoute() {
    const raw = window.location.hash.replace(/^#/, '') || '/';
    const q = raw.indexOf('?');
    const path = q < 0 ? raw : raw.slice(0, q);
    const query = q < 0 ? '' : raw.slice(q + 1);
    const m = /^\/requests\/([^/?]+)(\/diff)?\/?$/.exec(path);
    if (m) {
      let id;
      try { id = decodeURIComponent(m[1]); } catch { id = m[1]; }
      return { name: 'request', id: id.toUpperCase(), part: m[2] ? 'diff' : null }; // #/requests/R7/diff: its change
    }
    if (path === '/history' || path === '/history/') return { name: 'history', params: new URLSearchParams(query) };
    return { name: 'chat' };
  }

  /** Shows the route's view and marks the navigation; no data is loaded. */
  function showView(r) {
    $('view-chat').hidden = r.name !== 'chat';
    $('view-request').hidden = r.name !== 'request';
    $('view-history').hidden = r.name !== 'history';
    for (const a of document.querySelectorAll('.nav a')) {
      const on = a.dataset.nav === r.name || (a.dataset.nav === 'history' && r.name === 'request');
      if (a.dataset.nav === r.name) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
      a.classList.toggle('within', on);
    }
  }

  function route() {
    const prev = state.route;
    const r = parseRoute();
    state.route = r;
    showView(r);
    if (r.name === 'chat') {
      document.title = 'Chat · Quorum';
      if (state.pinned) scrollToBottom();
      if (prev) $('message-input').focus();
    } else if (r.name === 'request') {
      document.title = r.id + ' · Quorum';
      showRequest(r.id);
      if (prev) $('request-title').focus({ preventScroll: !!r.part });
      state.req.jump = r.part;
      scrollToDiff();
    } else {
      document.title = 'History · Quorum';
      showHistory(r.params);
      if (prev && prev.name !== 'history') $('history-title').focus();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Start
  // ---------------------------------------------------------------------------------------------

  async function init() {
    wireComposer();
    wireHistory();
    resetChat();
    $('skip-link').addEventListener('click', (e) => {
      e.preventDefault();
      $('main').focus();
    });
    $('request-refresh').addEventListener('click', () => state.route && state.route.name === 'request' && loadRequest(state.route.id));

    showView(parseRoute()); // the layout at once; data once we know who is asking
    store.set(OLD_TOKEN_KEY, null);
    let who = await api('/api/console/whoami');
    while (!who.ok) {
      setConn('offline', 3);
      await new Promise((res) => setTimeout(res, 3000));
      who = await api('/api/console/whoami');
    }
    state.demo = !!(who.body && who.body.demo);
    state.linkBase = who.body && typeof who.body.link_base === 'string' ? who.body.link_base.replace(/\/+$/, '') : null;
    const current = who.body && typeof who.body.user === 'string' ? who.body.user : null;

    if (state.demo) {
      // whoami lists the demo users (console.users); the switcher offers exactly those.
      const users = who.body && Array.isArray(who.body.users) ? who.body.users : [];
      state.users = [...new Set(users.filter((u) => typeof u === 'string' && u))];
      // The session's user when there is one, else the last one chosen here, else the first.
      const saved = store.get(KEYS.user);
      const wanted = state.users.includes(current) ? current : state.users.includes(saved) ? saved : (state.users[0] || null);
      fillUserSelect();
      $('user-select').disabled = !state.users.length;
      if (!state.users.length) $('user-select').title = 'No console users are configured (console.users)';
      $('ident-demo').hidden = false;
      $('user-select').addEventListener('change', (e) => setUser(e.target.value));
      $('ident-demo').addEventListener('submit', (e) => e.preventDefault());
      if (wanted && wanted === current) {
        state.user = current;
        $('user-select').value = current;
        connect(true);
      } else if (wanted) {
        await setUser(wanted);
      } else {
        connect(true);
      }
    } else {
      $('ident-token').hidden = false;
      $('ident-token').addEventListener('submit', (e) => {
        e.preventDefault();
        signIn($('token-input').value.trim());
      });
      $('token-signout').addEventListener('click', () => signIn(''));
      state.user = current; // a session from an earlier visit
      $('token-user').textContent = current ? 'Signed in as ' + current : 'Not signed in';
      showSignedIn();
      connect(true);
    }
    window.addEventListener('storage', async (e) => {
      if (e.key !== KEYS.user) return;
      const now = await api('/api/console/whoami');
      if (now.ok && now.body) adopt(typeof now.body.user === 'string' ? now.body.user : null);
    });
    window.addEventListener('hashchange', route);
    route();
    loadStatus();
    startStatusPoll();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
