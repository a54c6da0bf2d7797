/*
 * One request's full record (GET /api/requests/{id}): an open vote's controls first, then the
 * overview, the change (its diff, highlighted), the approval (subject, tally, votes), a deploy's run,
 * the latest card in chat, evidence, result, the agent's transcript and the audit history; the timeline
 * (timeline.js) after the overview. A live refresh redraws only when something shown changed,
 * keeping focus and what the reader opened.
 */
import { $, h } from './dom.js';
import { badge, block, field, humanize, kv, money, parseTime, personName, plain, rich, seconds, short, timeEl, typeBadge, value, fullTime, ago } from './format.js';
import { api } from './api.js';
import { isAction, meta } from './meta.js';
import { currentUser } from './session.js';
import { botCard, latestAbout } from './chat.js';
import { currentRoute } from './router.js';
import { auditTable } from './audit.js';
import { timelinePanel } from './timeline.js';
import { forgetVote, lastSent, send, voteControls, voteStatus } from './votes.js';

let req = { id: null, timer: null, open: new Set(), closed: new Set(), diff: null, rendered: null, jump: null };

function shown(id) {
  const r = currentRoute();
  return !!r && r.name === 'request' && r.id === id;
}

function reloadIfShown(id) {
  if (shown(id)) loadRequest(id);
}

function mentions(text, id) {
  return typeof text === 'string' && new RegExp('\\b' + id + '\\b').test(text);
}

function scheduleRequestReload(id, ms) {
  clearTimeout(req.timer);
  req.timer = setTimeout(() => loadRequest(id), ms);
}

function showRequest(id) {
  if (req.id !== id) {
    if (req.id) forgetVote(req.id);
    req = { id, timer: null, open: new Set(), closed: new Set(), diff: null, rendered: null, jump: null };
    $('request-body').replaceChildren(h('p', { class: 'muted' }, 'Loading ' + id + '…'));
  }
  $('request-title').replaceChildren(id);
  loadRequest(id);
}

async function loadRequest(id) {
  const res = await api('/api/requests/' + encodeURIComponent(id));
  if (!shown(id)) return;
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
  'execution', 'result', 'you', 'timeline', 'links']);

/** Where a request was asked, in words: "the console, #general". */
function askedIn(origin) {
  if (!origin || typeof origin !== 'object') return undefined;
  const where = { console: 'the console', slack: 'Slack' }[origin.adapter] || String(origin.adapter || '?');
  return [where, origin.channel && '#' + origin.channel, origin.thread && 'in a thread'].filter(Boolean).join(', ');
}

function renderRequest(r) {
  const body = $('request-body');
  // Re-render only when something shown changed, so focus and half-typed input survive refreshes.
  const key = JSON.stringify([r, currentUser(), lastSent(r.id), latestAbout(r.id) || null]);
  if (key === req.rendered && body.firstChild) return;
  req.rendered = key;
  rememberOpen(body);
  const focusKey = document.activeElement && body.contains(document.activeElement) ? document.activeElement.dataset.focusKey : null;

  $('request-title').replaceChildren(String(r.id), ' ', typeBadge(r.type), ' ', badge(r.state));
  document.title = r.id + ' · Quorum';
  const action = isAction(r) || 'subject' in r;
  const parts = [];

  // What the reader can do comes first: an open vote's buttons sit at the top of the page.
  if (action && r.state === 'awaiting_approval') parts.push(voteBar(r));
  else if (voteStatus(r.id)) parts.push(voteStatus(r.id));

  const cost = Number(r.cost_usd) || 0;
  parts.push(h('section', { class: 'panel', 'data-testid': 'request-overview', 'aria-label': 'Overview' },
    h('p', { class: 'request-text', 'data-testid': 'request-text' }, String(r.text == null ? '' : r.text)),
    kv([
      ['Requested by', h('span', { title: r.requester || '' }, personName(r.requester, r.requester_name)), 'request-requester'],
      ['Asked', timeEl(r.created_at, false), 'request-created'],
      ['Last change', timeEl(r.updated_at, false)],
      r.summary ? ['Summary', h('span', { class: 'card-text' }, rich(plain(r.summary))), 'request-summary'] : [],
      r.reason ? ['Reason', h('span', { class: 'card-text' }, rich(plain(r.reason))), 'request-reason'] : [],
      cost > 0 || meta.agentTypes.includes(r.type) ? ['Model cost', money(r.cost_usd), 'request-cost'] : [],
      r.rerun_of ? ['Rerun of', value(r.rerun_of)] : [],
      askedIn(r.origin) ? ['Asked in', askedIn(r.origin)] : [],
    ].filter((p) => p.length))));

  parts.push(timelinePanel(r.timeline, r.links));
  if (hasChange(r)) parts.push(diffPanel(r));
  if (action) parts.push(approvalPanel(r));
  if (r.execution && typeof r.execution === 'object') parts.push(executionPanel(r.execution, r.state));

  const latest = latestAbout(r.id);
  if (latest) {
    parts.push(h('section', { class: 'panel', 'aria-label': 'Latest in chat' },
      h('h2', null, 'Latest in chat'),
      h('div', { class: 'latest-reply', 'data-testid': 'request-latest' }, botCard(latest, { onButton: (c, b) => send(c, b, r.id, () => reloadIfShown(r.id)) }))));
  }

  if (r.evidence || meta.evidenceTypes.includes(r.type)) parts.push(evidencePanel(r.evidence, r.evidence_seal));
  if (r.result && typeof r.result === 'object') {
    parts.push(h('section', { class: 'panel', 'data-testid': 'request-result', 'aria-label': 'Result' },
      h('h2', null, 'Result'), value(r.result, 1)));
  }
  if ((Array.isArray(r.transcript) && r.transcript.length) || meta.agentTypes.includes(r.type)) parts.push(transcriptPanel(r.transcript));
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
      req.open.add(d.dataset.key);
      req.closed.delete(d.dataset.key);
    } else {
      req.open.delete(d.dataset.key);
      req.closed.add(d.dataset.key);
    }
  });
}

function restoreOpen(root) {
  root.querySelectorAll('details[data-key]').forEach((d) => {
    if (req.open.has(d.dataset.key)) d.open = true;
    else if (req.closed.has(d.dataset.key)) d.open = false;
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
    voteControls(r, () => reloadIfShown(r.id)));
  const status = voteStatus(r.id);
  if (status) bar.appendChild(status);
  return bar;
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
  if (isAction(r)) return !!(r.subject && typeof r.subject === 'object');
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
  if (req.diff && req.diff.key === key) return;
  req.diff = { key, res: null };
  const res = await api('/api/requests/' + encodeURIComponent(r.id) + '/diff');
  if (!req.diff || req.diff.key !== key) return;
  req.diff.res = res;
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
  if (req.jump !== 'diff') return;
  const panel = $('request-body').querySelector('[data-testid=request-diff][data-state=ready]');
  if (!panel) return;
  req.jump = null;
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
  const res = req.diff && req.diff.key === diffKey(r) ? req.diff.res : null;
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

function historyPanel(history) {
  const list = Array.isArray(history) ? history : [];
  return h('section', { class: 'panel', 'data-testid': 'request-history', 'aria-label': 'Audit history' },
    h('h2', null, 'Audit history'),
    list.length ? auditTable(list, 'request-history-table', false) : h('p', { class: 'muted' }, 'No audit entries.'));
}

/** The request page as the router sees it. */
export const requestView = {
  show(r, prev) {
    document.title = r.id + ' · Quorum';
    showRequest(r.id);
    if (prev) $('request-title').focus({ preventScroll: !!r.part });
    req.jump = r.part;
    scrollToDiff();
  },
  activity(kind, d) {
    const id = currentRoute().id;
    if (d.request_id === id || mentions(d.text, id)) scheduleRequestReload(id, 300);
  },
  requestChanged(d) {
    if (d.request_id === currentRoute().id) scheduleRequestReload(d.request_id, 100);
  },
  afterGap() {
    scheduleRequestReload(currentRoute().id, 0);
  },
};

/** The Refresh button. */
export function wireRequestPage() {
  $('request-refresh').addEventListener('click', () => shown(req.id) && loadRequest(req.id));
}
