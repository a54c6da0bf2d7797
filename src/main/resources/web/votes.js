/*
 * An open vote's controls, on the request page and on the inbox's cards: Approve, Reject with an
 * optional reason, and what became of the last vote sent from here. Whether the reader may vote, and
 * why not, is the server's answer (`you` on the request: the approval rules' own), never worked
 * out here. What the reader was doing (a reason half typed, the form open) survives re-renders.
 */
import { h } from './dom.js';
import { rich } from './format.js';
import { post } from './api.js';
import { currentUser } from './session.js';

/** Per user and request id: {rejectOpen, rejectReason, status: {text, error}}; one user's draft is never another's. */
const drafts = new Map();

function draft(id) {
  const key = currentUser() + ' ' + id;
  if (!drafts.has(key)) drafts.set(key, { rejectOpen: false, rejectReason: '', status: null });
  return drafts.get(key);
}

/** Forgets what was typed and sent for a request (its page was left for another). */
export function forgetVote(id) {
  drafts.delete(currentUser() + ' ' + id);
}

/** What became of the last command sent from here about this request ({text, error}), or null. */
export function lastSent(id) {
  return draft(id).status;
}

/** {@link lastSent} as a status line, or null. */
export function voteStatus(id) {
  const s = draft(id).status;
  return s ? h('p', { class: 'inline-status' + (s.error ? ' error' : ''), role: 'status', 'data-testid': 'vote-status' }, rich(s.text)) : null;
}

/**
 * Approve and Reject for {@code r}, enabled as its `you` says; {@code sent()} runs once Quorum answered
 * (the caller reloads what it shows). Focus keys name the request, so a page of cards keeps focus right.
 */
export function voteControls(r, sent) {
  const you = r.you && typeof r.you === 'object' ? r.you : null;
  const mayVote = !!(you && you.may_vote);
  const mayReject = !!(you && you.may_reject);
  const why = you ? (typeof you.why === 'string' && you.why ? you.why : null) : 'Choose who you are to vote.';
  const d = draft(r.id);
  const whyId = 'vote-why-' + r.id;
  const wrap = h('div', { class: 'vote-actions', 'data-testid': 'vote-actions' });
  const approve = h('button', {
    type: 'button', class: 'btn primary', 'data-testid': 'approve-button', 'data-focus-key': 'approve:' + r.id,
    disabled: !mayVote || null, 'aria-describedby': why ? whyId : null,
    title: mayVote ? 'Sends “approve ' + r.id + '” as ' + currentUser() : why,
  }, 'Approve', h('span', { class: 'visually-hidden' }, ' ' + r.id));
  approve.addEventListener('click', () => send('approve ' + r.id, approve, r.id, sent));
  const reject = h('button', {
    type: 'button', class: 'btn danger', 'data-testid': 'reject-button', 'data-focus-key': 'reject:' + r.id,
    disabled: !mayReject || null, 'aria-expanded': String(d.rejectOpen),
  }, 'Reject…', h('span', { class: 'visually-hidden' }, ' ' + r.id));
  wrap.append(approve, reject);
  const reasonId = 'reject-reason-' + r.id;
  const form = h('form', { class: 'vote-actions', 'data-testid': 'reject-form', hidden: !(d.rejectOpen && mayReject) || null });
  const reason = h('input', {
    type: 'text', id: reasonId, 'data-testid': 'reject-reason', 'data-focus-key': 'reject-reason:' + r.id, maxlength: 500,
    placeholder: 'Why? (optional, shown to everyone)',
  });
  reason.value = d.rejectReason;
  reason.addEventListener('input', () => { d.rejectReason = reason.value; });
  const cancel = h('button', { type: 'button', class: 'btn' }, 'Cancel');
  form.append(h('label', { for: reasonId, class: 'visually-hidden' }, 'Reason for rejecting ' + r.id), reason,
    h('button', { type: 'submit', class: 'btn danger solid', 'data-testid': 'reject-send', 'data-focus-key': 'reject-send:' + r.id }, 'Reject ' + r.id), cancel);
  const toggle = (open) => {
    d.rejectOpen = open;
    form.hidden = !open;
    reject.setAttribute('aria-expanded', String(open));
  };
  reject.addEventListener('click', () => {
    toggle(!d.rejectOpen);
    if (d.rejectOpen) reason.focus();
  });
  cancel.addEventListener('click', () => {
    toggle(false);
    reject.focus();
  });
  form.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape') return;
    toggle(false);
    reject.focus();
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = reason.value.replace(/\s+/g, ' ').trim();
    d.rejectOpen = false;
    d.rejectReason = '';
    send('reject ' + r.id + (text ? ' ' + text : ''), form.querySelector('[type=submit]'), r.id, sent);
  });
  const box = h('div', { class: 'vote-box' }, wrap, form);
  if (why) box.appendChild(h('p', { class: 'muted', id: whyId, 'data-testid': 'vote-why' }, why));
  return box;
}

/** Sends a vote (or a card's command) about request {@code id} as the reader; {@code sent()} once Quorum answered. */
export async function send(command, btn, id, sent) {
  const d = draft(id); // the sender's, even if another user is chosen while it is sent
  const who = currentUser();
  const focused = !!btn && document.activeElement === btn;
  if (btn) btn.disabled = true; // which takes the focus away from it, to the page's top…
  const res = await post(command);
  if (btn) btn.disabled = false;
  // …so a keyboard member's place is given back, unless they moved on meanwhile
  if (focused && btn.isConnected && (document.activeElement === document.body || !document.activeElement)) btn.focus({ preventScroll: true });
  d.status = res.status === 202
    ? { text: 'Sent `' + command + '` as ' + who + '. Quorum answers in the chat; this page refreshes.' }
    : { error: true, text: 'Not sent: ' + ((res.body && res.body.error) || 'HTTP ' + res.status) };
  sent();
}
