/*
 * A request's timeline (the server's `timeline` on GET /api/requests/{id}): state changes, votes with the platform
 * they came from, evidence, the diff stat, the transcript and the rest of the audit entries, in time order, and the
 * links to where it was discussed (`links`). The server builds both from what it stores; this draws them as text.
 */
import { h } from './dom.js';
import { personName, timeEl } from './format.js';

const KINDS = { created: 'Asked', state: 'State', vote: 'Vote', evidence: 'Evidence', diff: 'Change', transcript: 'Agent', audit: 'Audit' };
const PLATFORMS = { console: 'console', slack: 'Slack', discord: 'Discord', github: 'GitHub' };
/** Where a chat link may go: the console's own page, or the two chat hosts (Slack's with its workspace), over https. Anything else is not a link. */
const LINK_RE = /^(#\/requests\/R[1-9][0-9]*|https:\/\/([a-z0-9-]+\.){0,4}slack\.com\/archives\/[A-Z0-9]+(\/p[0-9]+)?(\?thread_ts=[0-9.]+&cid=[A-Z0-9]+)?|https:\/\/discord\.com\/channels\/[0-9]+\/[0-9]+(\/[0-9]+)?)$/;

export function chatLinks(links) {
  const list = (Array.isArray(links) ? links : []).filter((l) => l && typeof l.href === 'string' && LINK_RE.test(l.href));
  if (!list.length) return null;
  return h('ul', { class: 'chat-links', 'data-testid': 'request-links', 'aria-label': 'Where this request was said' },
    list.map((l) => h('li', null, h('a', Object.assign({ href: l.href, 'data-kind': String(l.kind || '') },
      l.href.startsWith('#') ? {} : { target: '_blank', rel: 'noopener noreferrer' }), String(l.text || l.href)))));
}

export function timelinePanel(entries, links) {
  const list = Array.isArray(entries) ? entries.filter((e) => e && typeof e === 'object') : [];
  const panel = h('section', { class: 'panel', 'data-testid': 'request-timeline', 'aria-labelledby': 'timeline-title' },
    h('h2', { id: 'timeline-title' }, 'Timeline'), chatLinks(links));
  if (!list.length) {
    panel.appendChild(h('p', { class: 'muted' }, 'Nothing recorded yet.'));
    return panel;
  }
  panel.appendChild(h('ol', { class: 'timeline' }, list.map((e) => {
    const kind = String(e.kind || 'audit');
    const platform = e.platform ? PLATFORMS[e.platform] || String(e.platform) : null;
    return h('li', { class: 'tl-item', 'data-kind': kind, 'data-testid': 'timeline-entry' },
      h('span', { class: 'tl-when' }, timeEl(e.at, false)),
      h('span', { class: 'tl-kind' }, KINDS[kind] || kind),
      h('span', { class: 'tl-what' },
        h('span', { class: 'tl-text', 'data-testid': 'timeline-text' }, String(e.text == null ? '' : e.text)),
        e.actor ? h('span', { class: 'tl-who muted' }, ' · ', personName(String(e.actor)),
          platform ? h('span', { class: 'tl-platform', 'data-testid': 'timeline-platform' }, ' on ' + platform) : null) : null));
  })));
  return panel;
}
