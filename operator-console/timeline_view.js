// A case's timeline: device events, every action and note, with who and when.
import { el } from './dom.js';
import { clockTime } from './format.js';

const kindNames = {
  alarm: 'Alarm', repeat: 'Repeat', cancelled_at_unit: 'Cancelled at the unit', restored_at_unit: 'Restored at the unit', accept: 'Accepted',
  release: 'Released', note: 'Note', contact: 'Contact', escalate: 'Escalated', resolve: 'Resolved',
  reopen: 'Reopened', reassign: 'Reassigned', escalation: 'Escalation', skip_responder: 'Skipped responder',
  stop_escalation: 'Stopped escalation', restart_escalation: 'Restarted escalation', opened_by_hand: 'Opened by hand',
};

export function renderTimeline(c) {
  const entries = c.timeline || [];
  return el('section', { class: 'timeline', 'aria-label': 'Case timeline' },
    el('h3', {}, 'Timeline'),
    el('ol', {}, entries.map((t) =>
      el('li', { class: `timeline-${t.kind}` },
        el('time', {}, clockTime(Number(t.at_ms))),
        el('span', { class: 'timeline-kind' }, kindNames[t.kind] || t.kind),
        el('span', { class: 'timeline-actor' }, t.actor === 'system' ? 'Lantern' : t.actor_name || t.actor),
        t.text ? el('span', { class: 'timeline-text' }, t.text) : null))));
}
