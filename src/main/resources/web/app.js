/*
 * Quorum web console: the inbox, the chat room, request records and the history dashboard.
 *
 * Plain browser JavaScript in ES modules, served as they are: no build step, no dependencies
 * (highlight.js beside them, ours, colours diffs). Each module owns its part of the page's state:
 *   api.js      fetch and the event stream      session.js  who the page acts as, the top bar
 *   meta.js     the server's states and types   router.js   #/ routes to views
 *   inbox.js    what waits for me               chat.js     the room
 *   request-page.js  one request               history.js  the dashboard
 *   insights.js the charts (uPlot, served from its webjar at vendor/uplot/)
 *   votes.js    an open vote's buttons          freeze.js   the frozen banner
 *   audit-page.js  the chain, its anchors, search  timeline.js  a request's timeline and chat links
 *   dom.js, format.js, audit.js: drawing helpers
 * The server is the single source of truth: its lists (GET /api/console/meta) and its answer to
 * whether the reader may vote (`you` on each action), never copies of them. Everything it sends
 * is untrusted text (createElement/textContent only). The server's Content-Security-Policy allows
 * Quorum's own files only: no inline script or style, no eval.
 */
import { $ } from './dom.js';
import { setLinkBase } from './format.js';
import { connect, onStream } from './api.js';
import { loadMeta } from './meta.js';
import { setConn, startSession } from './session.js';
import { chatView, markBusy, resetChat, roomEvent, wireComposer } from './chat.js';
import { loadStatus, scheduleStatus, startStatusPoll } from './freeze.js';
import { currentRoute, parseRoute, register, route, showView, tell } from './router.js';
import { inboxView, wireInbox } from './inbox.js';
import { requestView, wireRequestPage } from './request-page.js';
import { historyView, wireHistory } from './history.js';
import { insightsView, wireInsights } from './insights.js';
import { auditView, wireAuditPage } from './audit-page.js';

register('inbox', inboxView);
register('chat', chatView);
register('request', requestView);
register('history', historyView);
register('insights', insightsView);
register('audit', auditView);

onStream({
  status(s, detail) {
    setConn(s, detail);
    if (s === 'connecting') markBusy();
  },
  opened(afterGap) {
    scheduleStatus(0);
    // Live-only request events from the gap are lost: the view asks again instead.
    if (afterGap) tell('afterGap');
  },
  room(kind, d) {
    roomEvent(kind, d);
    tell('activity', kind, d);
    // Freezing and unfreezing answer in the room: look again at once, whatever the wording.
    if (kind !== 'message') scheduleStatus(250);
  },
  request(d) {
    tell('requestChanged', d);
  },
});

/** Another user (a login, a logout, another tab's): the room is theirs, and so is what the view shows. */
function userChanged(user) {
  resetChat();
  connect(true, user);
  loadStatus();
  const r = currentRoute();
  if (r && r.name !== 'chat') route();
}

async function init() {
  wireComposer();
  wireRequestPage();
  wireInbox();
  wireInsights();
  wireAuditPage();
  resetChat();
  $('skip-link').addEventListener('click', (e) => {
    e.preventDefault();
    $('main').focus();
  });
  showView(parseRoute()); // the layout at once; data once we know who is asking
  const [session] = await Promise.all([startSession(userChanged), loadMeta()]);
  setLinkBase(session.linkBase);
  wireHistory(); // the filters offer the server's states and types
  connect(true, session.user);
  window.addEventListener('hashchange', route);
  route();
  loadStatus();
  startStatusPoll();
}

init(); // a module runs once the document is parsed
