/*
 * What the server says the page needs to know rather than copies of its lists: the request states in
 * lifecycle order (and which still move), the types, which are actions, which an agent works on,
 * which have Quorum's test evidence, the reply tones
 * (GET /api/console/meta). Loaded once, before any view draws.
 */
import { api } from './api.js';

export const meta = { states: [], activeStates: [], types: [], actions: [], agentTypes: [], evidenceTypes: [], tones: [], pageMax: 200 };

const strings = (v) => (Array.isArray(v) ? v.filter((s) => typeof s === 'string') : []);

export async function loadMeta() {
  let res = await api('/api/console/meta');
  while (!res.ok || !res.body) {
    await new Promise((done) => setTimeout(done, 3000));
    res = await api('/api/console/meta');
  }
  const b = res.body;
  meta.states = strings(b.states);
  meta.activeStates = strings(b.active_states);
  meta.types = strings(b.types);
  meta.actions = strings(b.actions);
  meta.agentTypes = strings(b.agent_types);
  meta.evidenceTypes = strings(b.evidence_types);
  meta.tones = strings(b.tones);
  if (Number.isInteger(b.page_max) && b.page_max > 0) meta.pageMax = b.page_max;
}

/** Whether a request is a merge or a deployment: the kind that takes votes. */
export function isAction(r) {
  return meta.actions.includes(r.type);
}
