// A person's whole record, for a subject access request, laid out to print: the record and
// plan, every version of the plan, devices, every case with its timeline, and every change
// made to their records with who made it.
import { el, fill } from './dom.js';
import { api, when } from './admin_api.js';
import { alarmTypeName } from './format.js';

const content = document.getElementById('content');
document.getElementById('print').addEventListener('click', () => window.print());

const pairs = (object) => el('dl', {}, Object.entries(object)
  .filter(([, v]) => typeof v !== 'object' || v === null)
  .flatMap(([k, v]) => [el('dt', {}, k.replaceAll('_', ' ')), el('dd', {}, String(v ?? ''))]));

async function show() {
  const id = new URLSearchParams(location.search).get('person') || '';
  const answer = await api('GET', `/api/v1/persons/${encodeURIComponent(id)}/record`);
  if (!answer.ok) {
    fill(content, el('p', { class: 'form-error', role: 'alert' }, answer.body.error));
    return;
  }
  const r = answer.body;
  const p = r.person;
  document.title = `Lantern — record of ${p.name}`;
  fill(content,
    el('h2', {}, `${p.name} (${p.id})`),
    el('p', {}, `Produced ${when(Date.now())}. Record version ${p.version}${p.active ? '' : ', deactivated'}.`),
    el('section', {}, el('h3', {}, 'Record'), pairs(p)),
    el('section', {}, el('h3', {}, 'Plan'), pairs(p.plan),
      el('p', {}, `Responders in order: ${p.plan.responders.join(', ') || 'none'}`),
      el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'Alarm'), el('th', {}, 'Priority'), el('th', {}, 'Instructions'))),
        el('tbody', {}, p.plan.rules.map((rule) => el('tr', {}, el('td', {}, alarmTypeName(rule.type)),
          el('td', {}, rule.priority || 'default'), el('td', {}, rule.instructions))))),
      el('p', {}, r.last_review.at_ms ? `Last reviewed ${when(r.last_review.at_ms)} by ${r.last_review.by}: ${r.last_review.note}` : 'Not reviewed in Lantern.')),
    el('section', {}, el('h3', {}, 'Devices'), el('table', {},
      el('thead', {}, el('tr', {}, el('th', {}, 'Device'), el('th', {}, 'Kind'), el('th', {}, 'Active'), el('th', {}, 'Last heard from'))),
      el('tbody', {}, r.devices.map((d) => el('tr', {}, el('td', {}, d.id), el('td', {}, d.kind), el('td', {}, d.active ? 'yes' : 'no'), el('td', {}, when(d.last_seen_ms))))))),
    el('section', {}, el('h3', {}, `Cases (${r.cases.length})`), r.cases.map((c) => el('article', { class: 'case' },
      el('h4', {}, `Case ${c.case_id}: ${alarmTypeName(c.alarm_type)}, ${c.priority}, ${c.state}${c.outcome ? ` (${c.outcome.replaceAll('_', ' ')})` : ''}, opened ${when(c.opened_at_ms)}`),
      el('table', {}, el('tbody', {}, c.timeline.map((t) => el('tr', {}, el('td', {}, when(t.at_ms)), el('td', {}, t.kind), el('td', {}, t.actor), el('td', {}, t.text)))))))),
    el('section', {}, el('h3', {}, `Changes to the record (${r.record_changes.length})`), el('table', {},
      el('thead', {}, el('tr', {}, el('th', {}, 'When'), el('th', {}, 'Who'), el('th', {}, 'What'))),
      el('tbody', {}, r.record_changes.map((ch) => el('tr', {}, el('td', {}, when(ch.at_ms)), el('td', {}, ch.actor),
        el('td', {}, `${ch.change.action} ${ch.change.resource} ${ch.change.id} → version ${ch.change.version}${ch.change.note ? `: ${ch.change.note}` : ''}`)))))),
    el('section', {}, el('h3', {}, `Plan versions (${r.plan_versions.length})`), el('ul', {},
      r.plan_versions.map((v) => el('li', {}, `Version ${v.version}, ${when(v.recorded_at_ms)}`)))));
}

show();
