/*
 * The page's routes, in the URL's hash: #/ the inbox, #/chat the room, #/history the dashboard,
 * #/requests/R7 one request (#/requests/R7/diff: at its change), #/audit the audit chain. Each view registers what it does
 * when shown and when something happens while it is shown; the router calls the current one.
 */
import { $ } from './dom.js';

const views = new Map();
let current = null;

/**
 * @param name the route's name; its section is #view-<name>
 * @param view {show(route, previous)} and, optionally, {activity(kind, data)} for a room event,
 *             {requestChanged(data)} for a request that changed state, {afterGap()} after the stream was away
 */
export function register(name, view) {
  views.set(name, view);
}

/** The route shown now, e.g. {name: 'request', id: 'R7', part: 'diff'}; null before the first. */
export function currentRoute() {
  return current;
}

export function parseRoute() {
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
  if (path === '/chat' || path === '/chat/') return { name: 'chat' };
  if (path === '/insights' || path === '/insights/') return { name: 'insights', params: new URLSearchParams(query) };
  if (path === '/audit' || path === '/audit/') return { name: 'audit', params: new URLSearchParams(query) };
  return { name: 'inbox' };
}

/** Shows the route's view and marks the navigation; no data is loaded. */
export function showView(r) {
  for (const name of views.keys()) $('view-' + name).hidden = r.name !== name;
  for (const a of document.querySelectorAll('.nav a')) {
    const on = a.dataset.nav === r.name || (a.dataset.nav === 'history' && r.name === 'request');
    if (a.dataset.nav === r.name) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    a.classList.toggle('within', on);
  }
}

/** Shows the route in the URL now, loading what it needs. */
export function route() {
  const prev = current;
  const r = parseRoute();
  current = r;
  showView(r);
  views.get(r.name).show(r, prev);
}

/** Tells the current view, if it listens for {@code what}. */
export function tell(what, ...args) {
  const view = current && views.get(current.name);
  if (view && typeof view[what] === 'function') view[what](...args);
}
