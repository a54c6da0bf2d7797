/* The frozen banner: whether Quorum is frozen, by whom, since when and why (GET /api/status). */
import { $, h } from './dom.js';
import { clockTime, fullTime } from './format.js';
import { api } from './api.js';
import { canReadApi } from './session.js';

/*
 * GET /api/status on load and on every (re)connect; right after any reply in the room (freeze
 * and unfreeze typed here answer there, so the banner follows at once); when the tab comes back
 * into view; and every 15 s while it is visible. The poll is needed: a freeze from Slack never
 * reaches this room and the stream has no status event. It costs one small GET per open tab.
 */
const STATUS_POLL_MS = 15000;
const freeze = { seq: 0, timer: null, key: null, poll: null };

export function scheduleStatus(ms) {
  clearTimeout(freeze.timer);
  freeze.timer = setTimeout(loadStatus, ms);
}

export async function loadStatus() {
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

export function startStatusPoll() {
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
