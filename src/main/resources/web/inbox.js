/*
 * The inbox, the page a member lands on (GET /api/inbox): the actions waiting for their vote, as
 * cards with the buttons; what they asked for and where it stands; and what runs now, with the
 * latest progress Quorum posted about each. Whether they may vote, and why not, is the server's
 * `you`. Live: a request that changes reloads the lists; progress is redrawn in place.
 */
import { $, h } from './dom.js';
import { badge, fullTime, ago, isId, parseTime, personName, plain, timeEl, typeBadge } from './format.js';
import { api } from './api.js';
import { currentUser } from './session.js';
import { latestAbout } from './chat.js';
import { currentRoute } from './router.js';
import { lastSent, voteControls, voteStatus } from './votes.js';

const inbox = { seq: 0, timer: null, rendered: null, ids: new Set(), running: new Set(), sent: new Set() };

function shown() {
  const r = currentRoute();
  return !!r && r.name === 'inbox';
}

function scheduleLoad(ms) {
  clearTimeout(inbox.timer);
  inbox.timer = setTimeout(loadInbox, ms);
}

async function loadInbox() {
  clearTimeout(inbox.timer);
  if (inbox.user !== currentUser()) inbox.sent.clear(); // what another user sent is not this one's news
  inbox.user = currentUser();
  const seq = ++inbox.seq;
  const box = $('inbox-body');
  if (!currentUser()) {
    inbox.rendered = null;
    box.dataset.state = 'signed-out';
    box.replaceChildren(h('p', { class: 'muted', 'data-testid': 'inbox-signed-out' }, 'Sign in to see what waits for you.'));
    return;
  }
  const res = await api('/api/inbox');
  if (seq !== inbox.seq || !shown()) return;
  if (!res.ok || !res.body || typeof res.body !== 'object') {
    box.dataset.state = 'error';
    inbox.rendered = null;
    box.replaceChildren(h('div', { class: 'banner error', role: 'alert', 'data-testid': 'inbox-error' },
      'Could not load the inbox: ' + ((res.body && res.body.error) || 'HTTP ' + res.status)));
    return;
  }
  render(res.body);
}

const list = (v) => (Array.isArray(v) ? v.filter((r) => r && typeof r === 'object' && isId(r.id)) : []);

function render(body) {
  const waiting = list(body.waiting);
  const mine = list(body.mine);
  const running = list(body.running);
  const all = [...waiting, ...mine, ...running];
  // Redraw only when something shown changed, so focus and a half-typed reason survive live refreshes.
  const key = JSON.stringify([body, [...all.map((r) => r.id), ...inbox.sent].map(lastSent)]);
  const box = $('inbox-body');
  if (key === inbox.rendered && box.firstChild) {
    running.forEach(refreshProgress);
    return;
  }
  inbox.rendered = key;
  inbox.ids = new Set(all.map((r) => r.id));
  inbox.running = new Set(running.map((r) => r.id));
  const focusKey = document.activeElement && box.contains(document.activeElement) ? document.activeElement.dataset.focusKey : null;
  const reason = focusKey && document.activeElement.value;

  box.dataset.state = 'ready';
  // A vote sent from here takes its card away (it no longer waits for the reader): what became of it stays said.
  const gone = [...inbox.sent].filter((id) => !waiting.some((r) => r.id === id)).map(voteStatus).filter(Boolean);
  box.replaceChildren(
    ...(gone.length ? [h('div', { class: 'panel inbox-sent', 'data-testid': 'inbox-sent', tabindex: '-1' }, gone)] : []),
    section('inbox-waiting', 'Waiting for your vote', waiting, waitingCard, 'Nothing waits for your vote.'),
    section('inbox-mine', 'What you asked for', mine, mineItem, 'You have not asked Quorum for anything yet.'),
    section('inbox-running', 'Running now', running, runningItem, 'Nothing is running.'));
  $('inbox-count').textContent = waiting.length ? String(waiting.length) : '';
  document.title = (waiting.length ? '(' + waiting.length + ') ' : '') + 'Inbox · Quorum';
  if (focusKey) {
    const again = box.querySelector('[data-focus-key="' + focusKey + '"]');
    if (again) {
      again.focus({ preventScroll: true });
      if (typeof reason === 'string' && again.tagName === 'INPUT') again.value = reason;
    } else {
      // The card voted on left with its button: the keyboard goes on from what became of the vote, not the page's top
      const next = box.querySelector('[data-testid=inbox-sent]') || box.querySelector('#inbox-waiting-title');
      next.focus({ preventScroll: true });
    }
  }
}

function section(testid, title, items, draw, empty) {
  const titleId = testid + '-title';
  return h('section', { class: 'panel inbox-section', 'data-testid': testid, 'aria-labelledby': titleId },
    h('h2', { id: titleId, tabindex: '-1' }, title, ' ', h('span', { class: 'count', 'data-testid': testid + '-count' }, '(' + items.length + ')')),
    items.length ? h('ol', { class: 'inbox-list' }, items.map(draw)) : h('p', { class: 'muted', 'data-testid': testid + '-empty' }, empty));
}

function head(r, titleId) {
  return h('div', { class: 'inbox-head' },
    h('a', { href: '#/requests/' + r.id, id: titleId, class: 'inbox-id', 'data-testid': 'inbox-link' }, r.id),
    typeBadge(r.type), badge(r.state),
    h('span', { class: 'inbox-when muted' }, timeEl(r.created_at, true)));
}

/** An action waiting for the reader: what it does, where the votes stand, and the buttons. */
function waitingCard(r) {
  const t = r.tally && typeof r.tally === 'object' ? r.tally : {};
  const titleId = 'inbox-w-' + r.id;
  return h('li', { 'data-testid': 'inbox-item', 'data-request-id': r.id },
    h('article', { class: 'inbox-card', 'aria-labelledby': titleId },
      head(r, titleId),
      h('p', { class: 'request-text', 'data-testid': 'inbox-text' }, String(r.text || '')),
      h('p', { class: 'inbox-facts' },
        h('span', null, 'Asked by ', h('b', { title: r.requester || '' }, personName(r.requester, r.requester_name))),
        t.change ? h('span', null, ' · ' + String(t.change)) : null,
        parseTime(t.expires_at) ? h('span', null, ' · closes ', h('time', { datetime: t.expires_at, title: fullTime(t.expires_at) }, ago(t.expires_at))) : null),
      t.line ? h('p', { class: 'tally-line', 'data-testid': 'inbox-tally' }, plain(t.line)) : null,
      voteControls(r, () => {
        inbox.sent.add(r.id);
        scheduleLoad(0);
      }),
      voteStatus(r.id)));
}

/** A request of the reader's: where it stands; an open vote says why they may not approve it. */
function mineItem(r) {
  const titleId = 'inbox-m-' + r.id;
  const t = r.tally && typeof r.tally === 'object' ? r.tally : null;
  const you = r.you && typeof r.you === 'object' ? r.you : null;
  return h('li', { 'data-testid': 'inbox-mine-item', 'data-request-id': r.id, 'data-state': r.state },
    h('article', { class: 'inbox-row', 'aria-labelledby': titleId },
      head(r, titleId),
      h('p', { class: 'request-text' }, String(r.text || '')),
      r.summary || r.reason ? h('p', { class: 'muted' }, plain(r.summary || r.reason)) : null,
      t && t.line ? h('p', { class: 'tally-line', 'data-testid': 'inbox-tally' }, plain(t.line)) : null,
      you && you.why ? h('p', { class: 'muted', 'data-testid': 'inbox-why' }, String(you.why)) : null));
}

/** Something running now, with the latest progress Quorum posted about it. */
function runningItem(r) {
  const titleId = 'inbox-r-' + r.id;
  return h('li', { 'data-testid': 'inbox-running-item', 'data-request-id': r.id, 'data-state': r.state },
    h('article', { class: 'inbox-row', 'aria-labelledby': titleId },
      head(r, titleId),
      h('p', { class: 'request-text' }, String(r.text || ''), h('span', { class: 'muted' }, ' · ' + personName(r.requester, r.requester_name))),
      progressLine(r.id)));
}

function progressLine(id) {
  const latest = latestAbout(id);
  const text = latest && typeof latest.text === 'string' ? plain(latest.text).split('\n')[0] : '';
  return h('p', { class: 'progress-line' + (text ? '' : ' muted'), 'data-testid': 'inbox-progress', 'data-request-id': id },
    text || 'No progress posted yet.');
}

function refreshProgress(r) {
  const old = $('inbox-body').querySelector('[data-testid=inbox-progress][data-request-id="' + r.id + '"]');
  if (old) {
    const fresh = progressLine(r.id);
    if (fresh.textContent !== old.textContent) old.replaceWith(fresh);
  }
}

/** The inbox as the router sees it. */
export const inboxView = {
  show(r, prev) {
    document.title = 'Inbox · Quorum';
    if (prev && prev.name !== 'inbox') $('inbox-title').focus();
    loadInbox();
  },
  activity(kind, d) {
    if (kind === 'message' || !isId(d.request_id)) return;
    if (inbox.running.has(d.request_id)) refreshProgress({ id: d.request_id });
    if (inbox.ids.has(d.request_id) && !inbox.running.has(d.request_id)) scheduleLoad(300);
  },
  requestChanged() {
    scheduleLoad(200);
  },
  afterGap() {
    scheduleLoad(0);
  },
};

/** The Refresh button. */
export function wireInbox() {
  $('inbox-refresh').addEventListener('click', () => shown() && loadInbox());
}
