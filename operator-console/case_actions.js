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
  { id: 'release', key: 'l', label: 'Release', confirm: 'Release this case back to the queue?' },
  { id: 'skip_responder', key: 'k', label: 'Skip responder' },
  { id: 'stop_escalation', key: 'x', label: 'Stop escalation', confirm: 'Stop calling the carers?' },
  // Its messages go out at once and cannot be recalled: it always asks.
  { id: 'restart_escalation', key: 'g', label: 'Restart escalation', confirm: 'Restart escalation? Every responder is contacted again at once, and that cannot be recalled.' },
  { id: 'reassign', key: 's', label: 'Reassign', form: true, supervisors: true },
  // Asks for a reason, which the operator who loses the case is shown: the form is the confirmation.
  { id: 'takeover', key: 't', label: 'Take over', supervisors: true, form: true },
];

// What the status line says once the server has stored an action: a sentence.
export function doneSentence(command, fields = {}, connection = null) {
  const name = (username) => connection?.operators?.find((o) => o.username === username)?.display_name || username;
  switch (command) {
    case 'accept': return 'Accepted';
    case 'note': return 'Note added';
    case 'contact': return 'Contact recorded';
    case 'escalate': return 'Escalation started: the carers are being called in turn';
    case 'resolve': return 'Resolved';
    case 'release': return 'Released to the queue';
    case 'skip_responder': return 'Skipped to the next responder';
    case 'stop_escalation': return 'Escalation stopped';
    case 'restart_escalation': return 'Escalation restarted';
    case 'takeover': return 'Taken over';
    case 'reassign': return fields.to === connection?.operator?.username ? 'Taken over' : `Reassigned to ${name(fields.to)}`;
    case 'reopen': return 'Reopened';
    default: return 'Done';
  }
}

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
