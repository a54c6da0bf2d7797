/*
 * Who the page acts as, and the top bar that says so: the demo user switcher or the token form,
 * and the connection indicator. The session cookie is the browser's, so every tab follows it.
 */
import { $, h, store } from './dom.js';
import { api, login } from './api.js';

const KEYS = { user: 'quorum.console.user' };
/** Where earlier versions of this page kept the token; removed on load, the cookie replaced it. */
const OLD_TOKEN_KEY = 'quorum.console.token';

const session = { demo: true, users: [], user: null, changed: () => {} };

/** The signed-in console user, or null. */
export function currentUser() {
  return session.user;
}

/** Whether the API answers this page: in demo mode anyone reads, else only a signed-in user. */
export function canReadApi() {
  return session.demo || !!session.user;
}

export function setConn(s, detail) {
  const el = $('conn');
  el.dataset.state = s;
  el.dataset.user = s === 'live' ? (session.user || '') : '';
  const text = {
    live: 'Live',
    connecting: 'Connecting…',
    offline: 'Offline' + (detail ? ' · retrying in ' + detail + ' s' : ''),
    'signed-out': session.demo ? (session.users.length ? 'Choose a user' : 'No console users configured') : 'Not signed in',
  }[s];
  el.querySelector('.conn-label').textContent = text;
  el.title = s === 'live' ? 'Receiving the room live as ' + session.user : text;
}

function fillUserSelect() {
  const sel = $('user-select');
  sel.replaceChildren(...session.users.map((u) => h('option', { value: u }, u)));
  sel.value = session.user || '';
  $('known-users').replaceChildren(...session.users.map((u) => h('option', { value: u })));
}

/** Demo mode: acting as another user is a login as that user. */
async function setUser(u) {
  if (u === session.user) return;
  $('user-select').value = u;
  const res = await login({ user: u });
  if ($('user-select').value !== u) return; // another user was chosen meanwhile; that login follows
  if (!res.ok || !res.body) {
    $('user-select').value = session.user || '';
    setConn('offline');
    return;
  }
  store.set(KEYS.user, res.body.user); // tells this browser's other tabs (see 'storage' below)
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
 * another tab did.
 */
function adopt(user, whyNobody) {
  const changed = user !== session.user;
  session.user = user;
  if (session.demo) {
    $('user-select').value = user || '';
  } else {
    $('token-user').textContent = user ? 'Signed in as ' + user : (whyNobody || 'Not signed in');
    showSignedIn();
  }
  if (changed) session.changed(user);
}

/** The token form while signed out; the name and a sign-out button while signed in. */
function showSignedIn() {
  const signedIn = !!session.user;
  $('token-label').hidden = signedIn;
  $('token-input').hidden = signedIn;
  $('token-submit').hidden = signedIn;
  $('token-signout').hidden = !signedIn;
  if (signedIn) $('token-input').value = '';
}

/**
 * Asks Quorum who this browser is (GET /api/console/whoami, retried while Quorum is unreachable),
 * sets up the top bar for demo or token mode, and signs in where it can. {@code changed(user)} is
 * told of every later change of user; the first user is the promise's value.
 * @returns {Promise<{user: string|null, linkBase: string|null}>}
 */
export async function startSession(changed) {
  store.set(OLD_TOKEN_KEY, null);
  let who = await api('/api/console/whoami');
  while (!who.ok) {
    setConn('offline', 3);
    await new Promise((res) => setTimeout(res, 3000));
    who = await api('/api/console/whoami');
  }
  session.demo = !!(who.body && who.body.demo);
  const linkBase = who.body && typeof who.body.link_base === 'string' ? who.body.link_base : null;
  const current = who.body && typeof who.body.user === 'string' ? who.body.user : null;

  if (session.demo) {
    // whoami lists the demo users (console.users); the switcher offers exactly those.
    const users = who.body && Array.isArray(who.body.users) ? who.body.users : [];
    session.users = [...new Set(users.filter((u) => typeof u === 'string' && u))];
    // The session's user when there is one, else the last one chosen here, else the first.
    const saved = store.get(KEYS.user);
    const wanted = session.users.includes(current) ? current : session.users.includes(saved) ? saved : (session.users[0] || null);
    fillUserSelect();
    $('user-select').disabled = !session.users.length;
    if (!session.users.length) $('user-select').title = 'No console users are configured (console.users)';
    $('ident-demo').hidden = false;
    $('user-select').addEventListener('change', (e) => setUser(e.target.value));
    $('ident-demo').addEventListener('submit', (e) => e.preventDefault());
    if (wanted && wanted === current) {
      session.user = current;
      $('user-select').value = current;
    } else if (wanted) {
      await setUser(wanted);
    }
  } else {
    $('ident-token').hidden = false;
    $('ident-token').addEventListener('submit', (e) => {
      e.preventDefault();
      signIn($('token-input').value.trim());
    });
    $('token-signout').addEventListener('click', () => signIn(''));
    session.user = current; // a session from an earlier visit
    $('token-user').textContent = current ? 'Signed in as ' + current : 'Not signed in';
    showSignedIn();
  }
  session.changed = changed;
  window.addEventListener('storage', async (e) => {
    if (e.key !== KEYS.user) return;
    const now = await api('/api/console/whoami');
    if (now.ok && now.body) adopt(typeof now.body.user === 'string' ? now.body.user : null);
  });
  return { user: session.user, linkBase };
}
