// The escalation panel of a case: who is being tried and until when, every responder tried
// so far with the result of each delivery, and who is on the way. The operator skips a
// responder (K), stops the chain (X) or restarts it from the top (G) from the action bar.
import { el } from './dom.js';
import { hhmm } from './format.js';

const stateNames = {
  notified: 'asked', going: 'on the way', arrived: 'arrived', done: 'done', declined: "can't go",
  timed_out: 'no reply', undeliverable: 'could not be reached', skipped: 'skipped', cancelled: 'stood down',
};
const statusNames = {
  calling: 'Calling responders', responder_going: 'A responder is on the way', responder_arrived: 'A responder is with the person',
  done: 'The responder has finished', handed_back: 'No responder reached: back to the operators', stopped: 'Stopped',
};

function attemptLine(a) {
  const when = a.state === 'notified' ? ` · reply by ${hhmm(a.reply_by_ms)}`
    : a.state === 'going' && a.eta_at_ms ? ` · there by about ${hhmm(a.eta_at_ms)}` : '';
  return el('li', { class: `attempt attempt-${a.state}` },
    el('span', { class: 'attempt-who' }, `${a.name || a.carer_id}${a.relationship ? ` (${a.relationship})` : ''}`),
    el('span', { class: 'attempt-state' }, ` ${stateNames[a.state] || a.state}${when}`),
    (a.deliveries || []).length
      ? el('ul', { class: 'deliveries' }, a.deliveries.map((d) =>
        el('li', { class: d.ok ? 'delivered' : 'failed' }, `${d.channel === 'email' ? 'Email' : 'SMS gateway'}: ${d.ok ? 'sent' : `failed — ${d.detail}`}`)))
      : null);
}

export function renderEscalation(c) {
  const e = c.escalation;
  if (!e || !e.status) return null;
  return el('section', { class: `escalation escalation-${e.status}`, 'aria-label': 'Escalation to carers' },
    el('h3', {}, statusNames[e.status] || e.status,
      e.status === 'calling' ? el('span', { class: 'pass' }, ` · pass ${e.pass || 1} of ${e.passes}`) : null),
    el('ol', { class: 'attempts' }, (e.attempts || []).map(attemptLine)));
}
