// A person's whole record, for a subject access request, laid out as a document to print:
// who they are and their plan in words, responders by name, devices, every case with its
// timeline, every change made to their records, and who read their access details.
import { el, fill } from './dom.js';
import { api, when } from './admin_api.js';
import { alarmTypeName, languageName, phoneForReading } from './format.js';

const content = document.getElementById('content');
document.getElementById('print').addEventListener('click', () => window.print());

// Labels in words, in the order a reader wants them; what is empty is left out.
const personLabels = [
  ['name', 'Name'], ['date_of_birth', 'Date of birth'], ['address', 'Address'], ['phone', 'Phone'],
  ['preferred_language', 'Preferred language'], ['communication', 'Communication'],
  ['what_matters', 'What matters to them'], ['medical_notes', 'Medical notes'], ['medications', 'Medications'],
  ['allergies', 'Allergies'], ['access', 'Access to the home'], ['gp', 'GP (family doctor)'],
];
const kindWords = {
  alarm: 'Alarm', repeat: 'Repeat', cancelled_at_unit: 'Cancelled at the unit', restored_at_unit: 'Restored at the unit',
  accept: 'Accepted', release: 'Released', note: 'Note', contact: 'Contact', escalate: 'Escalated', resolve: 'Resolved',
  reopen: 'Reopened', reassign: 'Reassigned', escalation: 'Escalation', opened_by_hand: 'Opened by hand',
  skip_responder: 'Skipped a responder', stop_escalation: 'Stopped the escalation', restart_escalation: 'Restarted the escalation',
};
const words = (code) => String(code || '').replaceAll('_', ' ');

const readWords = {
  access_read: 'read the access details',
  person_read: 'opened the card without a case',
  subject_access_export: 'exported this record',
};

function written(key, value) {
  if (key === 'phone') return phoneForReading(value);
  if (key === 'preferred_language') return `${languageName(value)} (${value})`;
  return value;
}

function fields(pairs) {
  return el('dl', {}, pairs.filter(([, v]) => v !== undefined && v !== null && v !== '')
    .flatMap(([label, v]) => [el('dt', {}, label), el('dd', {}, String(v))]));
}

async function show() {
  const id = new URLSearchParams(location.search).get('person') || '';
  const answer = await api('GET', `/api/v1/persons/${encodeURIComponent(id)}/record`);
  if (!answer.ok) {
    fill(content, el('p', { class: 'form-error', role: 'alert' }, answer.body.error));
    return;
  }
  const r = answer.body;
  const p = r.person;
  const plan = p.plan;
  document.title = `Lantern — record of ${p.name}`;
  fill(content,
    el('h2', {}, `Record of ${p.name}`),
    el('p', { class: 'record-meta' }, `Produced ${when(Date.now())} for a subject access request. Reference ${p.id}, record version ${p.version}${p.active ? '' : ' (no longer active)'}.`),
    el('section', {}, el('h3', {}, 'About them'),
      fields(personLabels.map(([key, label]) => [label, written(key, p[key])]))),
    el('section', {}, el('h3', {}, 'Their care plan'),
      fields([['Coordinator', plan.coordinator], ['Review due', plan.review_due],
        ['Last reviewed', r.last_review.at_ms ? `${when(r.last_review.at_ms)} by ${r.last_review.by}${r.last_review.note ? `: ${r.last_review.note}` : ''}` : 'Not yet reviewed in Lantern'],
        ['Hazards in the home', (plan.hazards || []).join('; ')],
        ['Carers are called', `one at a time, ${plan.escalation.ack_timeout_s / 60} minutes each to answer, ${plan.escalation.passes === 1 ? 'once' : `${plan.escalation.passes} times`} round the list`]]),
      el('h4', {}, 'Responders, in the order they are called'),
      (r.responders || []).length
        ? el('ol', {}, r.responders.map((c) => el('li', {}, `${c.name}${c.relationship ? ` (${c.relationship})` : ''}`)))
        : el('p', {}, 'None.'),
      el('h4', {}, 'What the centre does, by kind of alarm'),
      plan.rules.length ? el('table', {},
        el('thead', {}, el('tr', {}, el('th', {}, 'Alarm'), el('th', {}, 'Priority'), el('th', {}, 'Operators'), el('th', {}, 'Carers'))),
        el('tbody', {}, plan.rules.map((rule) => el('tr', {}, el('td', {}, alarmTypeName(rule.type)),
          el('td', {}, rule.priority || 'as usual for the alarm'), el('td', {}, rule.instructions), el('td', {}, rule.carer_instructions || '')))))
        : el('p', {}, 'No instructions of its own: the centre\'s usual response.')),
    el('section', {}, el('h3', {}, 'Their devices'), el('table', {},
      el('thead', {}, el('tr', {}, el('th', {}, 'Device'), el('th', {}, 'Kind'), el('th', {}, 'Where'), el('th', {}, 'In use'), el('th', {}, 'Last heard from'))),
      el('tbody', {}, r.devices.map((d) => el('tr', {}, el('td', {}, d.id), el('td', {}, words(d.kind)), el('td', {}, d.location || ''),
        el('td', {}, d.active ? 'yes' : 'no'), el('td', {}, when(d.last_seen_ms))))))),
    el('section', {}, el('h3', {}, `Alarms and cases (${r.cases.length})`), r.cases.map((c) => el('article', { class: 'record-case' },
      el('h4', {}, `Case ${c.case_id}: ${alarmTypeName(c.alarm_type)}, opened ${when(c.opened_at_ms)}`),
      el('p', {}, `Priority ${c.priority}; ${c.state === 'resolved' ? `resolved ${when(c.resolved_at_ms)}${c.outcome ? `: ${words(c.outcome)}` : ''}` : `still ${c.state}`}.`),
      el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'When'), el('th', {}, 'What'), el('th', {}, 'Who'), el('th', {}, 'Details'))),
        el('tbody', {}, c.timeline.map((t) => el('tr', {}, el('td', {}, when(t.at_ms)), el('td', {}, kindWords[t.kind] || words(t.kind)),
          el('td', {}, t.actor === 'system' ? 'Lantern' : t.actor), el('td', {}, t.text)))))))),
    el('section', {}, el('h3', {}, `Changes to their record (${r.record_changes.length})`), el('table', {},
      el('thead', {}, el('tr', {}, el('th', {}, 'When'), el('th', {}, 'Who'), el('th', {}, 'What'))),
      el('tbody', {}, r.record_changes.map((ch) => el('tr', {}, el('td', {}, when(ch.at_ms)), el('td', {}, ch.actor),
        el('td', {}, `${words(ch.change.action)} of the ${words(ch.change.resource)} record, now version ${ch.change.version}${ch.change.note ? `: ${ch.change.note}` : ''}`)))))),
    el('section', {}, el('h3', {}, `Who read their access details, card outside a case, or this record (${(r.reads || []).length})`),
      (r.reads || []).length ? el('table', {},
        el('thead', {}, el('tr', {}, el('th', {}, 'When'), el('th', {}, 'Who'), el('th', {}, 'What'))),
        el('tbody', {}, r.reads.map((read) => el('tr', {}, el('td', {}, when(read.at_ms)), el('td', {}, read.actor),
          el('td', {}, readWords[read.kind] || read.kind)))))
        : el('p', {}, 'Nobody.')),
    el('section', {}, el('h3', {}, `Earlier versions of the plan (${r.plan_versions.length})`), el('ul', {},
      r.plan_versions.map((v) => el('li', {}, `Version ${v.version}, ${when(v.recorded_at_ms)}`)))));
}

show();
