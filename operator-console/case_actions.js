// The selected case's actions, each with its key shown on the button. Buttons that cannot
// apply are disabled for clarity only: the server checks every command and role itself.
import { el } from './dom.js';

export const actions = [
  { id: 'next', key: 'n', label: 'Next case' },
  { id: 'accept', key: 'a', label: 'Accept' },
  { id: 'note', key: 'm', label: 'Note', form: true },
  { id: 'contact', key: 'c', label: 'Contact', form: true },
  { id: 'escalate', key: 'e', label: 'Escalate', form: true },
  { id: 'resolve', key: 'r', label: 'Resolve', form: true },
  { id: 'release', key: 'l', label: 'Release' },
  { id: 'skip_responder', key: 'k', label: 'Skip responder' },
  { id: 'stop_escalation', key: 'x', label: 'Stop escalation' },
  { id: 'restart_escalation', key: 'g', label: 'Restart escalation' },
  { id: 'reassign', key: 's', label: 'Reassign', form: true, supervisors: true },
  { id: 'takeover', key: 't', label: 'Take over', supervisors: true },
];

// Whether `action` makes sense for case `c` (nothing selected: only "next case").
export function applies(action, c, me) {
  if (action.supervisors && me?.role !== 'supervisor') return false;
  if (action.id === 'next') return true;
  if (!c) return false;
  const mine = c.owner === me?.username;
  switch (action.id) {
    case 'accept': return c.state === 'queued';
    case 'note': return true;
    case 'contact': case 'resolve': return mine && c.state !== 'queued';
    case 'escalate': return mine && c.state === 'accepted';
    case 'release': return c.state !== 'queued' && (mine || me?.role === 'supervisor');
    case 'reassign': return true;
    case 'takeover': return !mine;
    case 'skip_responder': return mine && c.escalation?.status === 'calling';
    case 'stop_escalation': return mine && ['calling', 'responder_going', 'responder_arrived'].includes(c.escalation?.status);
    case 'restart_escalation': return mine && Boolean(c.escalation?.status) && c.state !== 'queued';
    default: return false;
  }
}

export function renderActionBar(bar, c, me, onAction) {
  const visible = actions.filter((a) => !a.supervisors || me?.role === 'supervisor');
  bar.replaceChildren(...visible.map((a) =>
    el('button', {
      type: 'button',
      class: `action action-${a.id}`,
      disabled: !applies(a, c, me),
      'aria-keyshortcuts': a.key,
      onclick: () => onAction(a),
    }, el('kbd', {}, a.key.toUpperCase()), ` ${a.label}`)));
}
