/*
 * Quorum's HTTP API and the room's event stream. The page never holds a credential: it logs in
 * (POST /api/console/login) and Quorum answers with an HttpOnly session cookie that every fetch
 * and the event stream carry. Nothing about who is asking goes into a URL.
 */
import { compareIds, isId } from './format.js';

/** fetch JSON with the session cookie; never throws for HTTP or network errors: {ok, status, body}. */
export async function api(path, opts = {}) {
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

/** Sends a message to the room as the signed-in user: {ok, status, body}, 202 when Quorum took it. */
export async function post(text) {
  return api('/api/console/messages', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text }),
  });
}

let logins = Promise.resolve(); // logins run one after another, so the last choice is the cookie that stays

/** POST /api/console/login (or logout with null); queued behind any login still in flight. */
export function login(credentials) {
  const run = () => api(credentials ? '/api/console/login' : '/api/console/logout', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(credentials || {}),
  });
  const done = logins.then(run, run);
  logins = done;
  return done;
}

// ---------------------------------------------------------------------------------------------
// The event stream: the room (message, reply, update, with ids to resume from) and live-only
// request events (created or changed state; no id, never chat messages)
// ---------------------------------------------------------------------------------------------

const stream = { es: null, gen: 0, lastEventId: null, retryTimer: null, retryDelay: 1000, on: null };

/**
 * Who listens: {status(state, detail), room(kind, data), request(data), opened(afterGap)}; status is
 * one of live, connecting, offline (detail: seconds until the retry), signed-out.
 */
export function onStream(handlers) {
  stream.on = handlers;
}

/** (Re)opens the stream for the session's user; fresh: from the room's backlog, not after the last event seen. */
export function connect(fresh, user) {
  const on = stream.on;
  clearTimeout(stream.retryTimer);
  if (stream.es) stream.es.close();
  stream.es = null;
  if (fresh) stream.lastEventId = null;
  if (!user) return on.status('signed-out');
  // The session cookie says who is listening; the URL carries only where to resume.
  const after = stream.lastEventId ? '?' + new URLSearchParams({ after: stream.lastEventId }).toString() : '';
  const gen = ++stream.gen;
  const es = new EventSource('/api/console/events' + after);
  stream.es = es;
  on.status('connecting');
  // Every open after the first (the browser's own reconnects, or ours with ?after=) follows a gap.
  let resumed = !fresh;
  es.onopen = () => {
    if (gen !== stream.gen) return;
    stream.retryDelay = 1000;
    on.status('live');
    on.opened(resumed);
    resumed = true;
  };
  es.onerror = () => {
    if (gen !== stream.gen) return;
    if (es.readyState === EventSource.CLOSED) {
      // The browser gave up (e.g. an HTTP error): we retry ourselves, resuming after the last event.
      es.close();
      scheduleReconnect(user);
    } else {
      on.status('connecting'); // the browser reconnects by itself with Last-Event-ID
    }
  };
  for (const kind of ['message', 'reply', 'update']) {
    es.addEventListener(kind, (ev) => {
      if (gen === stream.gen) roomEvent(kind, ev);
    });
  }
  es.addEventListener('request', (ev) => {
    if (gen === stream.gen) requestEvent(ev);
  });
}

function scheduleReconnect(user) {
  const delay = stream.retryDelay;
  stream.retryDelay = Math.min(stream.retryDelay * 2, 30000);
  stream.on.status('offline', Math.round(delay / 1000));
  stream.retryTimer = setTimeout(() => connect(false, user), delay);
}

function parsed(ev) {
  try {
    const d = JSON.parse(ev.data);
    return d && typeof d === 'object' ? d : null;
  } catch {
    return null;
  }
}

function roomEvent(kind, ev) {
  if (ev.lastEventId) {
    if (stream.lastEventId && compareIds(ev.lastEventId, stream.lastEventId) <= 0) return;
    stream.lastEventId = ev.lastEventId;
  }
  const d = parsed(ev);
  if (d) stream.on.room(kind, d);
}

/** A request was created or changed state: live only, so it leaves Last-Event-ID alone. */
function requestEvent(ev) {
  const d = parsed(ev);
  if (d && isId(d.request_id)) stream.on.request(d);
}
