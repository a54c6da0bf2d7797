/*
 * The console room: the log of the room's messages (cards edited in place keep their place),
 * following the newest unless the reader scrolled up, and the composer with its recalled commands.
 * It also keeps each request's latest card, which the request page and the inbox show as progress.
 */
import { $, h, store } from './dom.js';
import { clockTime, fullTime, isId, link, rich, safeHref } from './format.js';
import { post } from './api.js';
import { meta } from './meta.js';
import { currentUser } from './session.js';

const KEYS = { history: 'quorum.console.history' };
const HISTORY_MAX = 100;

const room = {
  messages: new Map(),
  latestByRequest: new Map(),
  pinned: true,
  pinnedTop: 0, // the log's scrollTop when it was last put at the bottom
  sending: false,
  history: [],
  histIdx: -1,
  draft: '',
};

/** The latest card Quorum posted or edited about a request, or undefined. */
export function latestAbout(id) {
  return room.latestByRequest.get(id);
}

/** An event of the room: drawn in the log, and remembered as its request's latest card. */
export function roomEvent(kind, d) {
  markBusy();
  renderEvent(kind, d);
  if (kind !== 'message' && isId(d.request_id)) room.latestByRequest.set(d.request_id, d);
}

let busyTimer = null;

/** aria-busy while the backlog streams in, so screen readers do not read every replayed message. */
export function markBusy() {
  const log = $('chat-log');
  log.setAttribute('aria-busy', 'true');
  clearTimeout(busyTimer);
  busyTimer = setTimeout(() => log.setAttribute('aria-busy', 'false'), 400);
}


export function resetChat() {
  room.messages.clear();
  room.latestByRequest.clear();
  room.pinned = true;
  room.pinnedTop = 0;
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
  return log.clientHeight > 0 && log.scrollTop < room.pinnedTop - 1 && !nearBottom();
}

export function scrollToBottom() {
  const log = $('chat-log');
  log.scrollTop = log.scrollHeight;
  room.pinnedTop = log.scrollTop;
  room.pinned = true;
  $('jump').hidden = true;
  // Once more after the browser has laid the frame out: a scroll event from the move just made (or
  // the clamping of an edit that shrank a card) must not read as the reader leaving the bottom.
  if (!scrollToBottom.again) {
    scrollToBottom.again = requestAnimationFrame(() => {
      scrollToBottom.again = 0;
      if (room.pinned && !readerScrolledUp()) {
        log.scrollTop = log.scrollHeight;
        room.pinnedTop = log.scrollTop;
      }
    });
  }
}

function appendToLog(li, mine) {
  const log = $('chat-log');
  const empty = log.querySelector('.chat-empty');
  if (empty) empty.remove();
  log.appendChild(li);
  if (room.pinned || mine) scrollToBottom();
  else $('jump').hidden = false;
}

/** Whether an element of the log lies below what the reader sees (an edit there is news to them). */
function belowView(el) {
  const log = $('chat-log');
  return el.getBoundingClientRect().top > log.getBoundingClientRect().bottom - 4;
}

export function renderEvent(kind, d) {
  const id = d.message_id == null ? null : String(d.message_id);
  const mine = kind === 'message' && d.from === currentUser();
  const li = kind === 'message' ? memberMessage(d, mine) : botMessage(d, kind === 'update');
  const old = id ? room.messages.get(id) : null;
  if (room.pinned && readerScrolledUp()) room.pinned = false;
  if (old && old.isConnected) {
    const focused = old.contains(document.activeElement) ? document.activeElement : null;
    old.replaceWith(li);
    if (focused && focused.dataset.command) {
      const again = [...li.querySelectorAll('button[data-command]')].find((b) => b.dataset.command === focused.dataset.command);
      if (again) again.focus({ preventScroll: true }); // focus must not scroll the log away from where the reader is
    }
    if (room.pinned) scrollToBottom();
    else if (belowView(li)) $('jump').hidden = false;
  } else {
    appendToLog(li, mine);
  }
  if (id) room.messages.set(id, li);
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
  const tone = meta.tones.includes(d.tone) ? d.tone : 'info';
  return h('li', {
    class: 'msg bot', 'data-testid': 'msg-bot', 'data-tone': tone, 'data-private': String(!!d.to),
    'data-message-id': d.message_id, 'data-request-id': isId(d.request_id) ? d.request_id : null,
  }, botCard(d, { updated, onButton: (command, btn) => sendFromChat(command, btn) }));
}

/** A reply as a card: tone, text, fields, buttons, link. */
export function botCard(d, opts = {}) {
  const tone = meta.tones.includes(d.tone) ? d.tone : 'info';
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
        title: 'Sends “' + b.command + '” as ' + (currentUser() || 'you'),
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

export async function sendFromChat(text, btn) {
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
  if (room.history[room.history.length - 1] !== text) room.history.push(text);
  if (room.history.length > HISTORY_MAX) room.history.splice(0, room.history.length - HISTORY_MAX);
  store.set(KEYS.history, JSON.stringify(room.history));
  room.histIdx = -1;
  room.draft = '';
}

export function wireComposer() {
  const form = $('composer');
  const input = $('message-input');
  const send = $('send-button');
  try {
    const saved = JSON.parse(store.get(KEYS.history) || '[]');
    if (Array.isArray(saved)) room.history = saved.filter((s) => typeof s === 'string').slice(-HISTORY_MAX);
  } catch { /* ignore */ }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text || room.sending) return;
    pushHistory(text);
    input.value = '';
    room.sending = true;
    send.disabled = true;
    try {
      await sendFromChat(text);
    } finally {
      room.sending = false;
      send.disabled = false;
      input.focus();
    }
  });

  input.addEventListener('keydown', (e) => {
    if (e.isComposing || e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === 'ArrowUp') {
      if (!room.history.length) return;
      if (room.histIdx === -1) {
        room.draft = input.value;
        room.histIdx = room.history.length;
      }
      if (room.histIdx > 0) room.histIdx--;
      input.value = room.history[room.histIdx];
      e.preventDefault();
      caretToEnd(input);
    } else if (e.key === 'ArrowDown') {
      if (room.histIdx === -1) return;
      room.histIdx++;
      if (room.histIdx >= room.history.length) {
        room.histIdx = -1;
        input.value = room.draft;
      } else {
        input.value = room.history[room.histIdx];
      }
      e.preventDefault();
      caretToEnd(input);
    } else if (e.key === 'Escape') {
      input.value = '';
      room.histIdx = -1;
    }
  });
  input.addEventListener('input', () => { room.histIdx = -1; });

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
      if (room.pinned && log.clientHeight > 0) scrollToBottom();
    }).observe(log);
  }
  log.addEventListener('scroll', () => {
    if (log.clientHeight === 0) return; // hidden (another view): keep what we knew
    room.pinned = nearBottom();
    if (room.pinned) $('jump').hidden = true;
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

/** The room as the router sees it: everything in the stream is drawn whichever view is shown. */
export const chatView = {
  show(r, prev) {
    document.title = 'Chat · Quorum';
    if (room.pinned) scrollToBottom();
    if (prev) $('message-input').focus();
  },
};
