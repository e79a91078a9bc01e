// The selected case's person and plan: who they are, how to talk to them, what matters to
// them, their medical notes, the plan's instructions for this alarm, and whom to call.
import { el, fill, phoneLink } from './dom.js';
import { agoWords, alarmTypeName, availabilityNow, clockTime, elapsed, hhmm, labelOf, languageName } from './format.js';

function field(label, value, className = '') {
  if (!value) return null;
  return el('div', { class: `field ${className}` }, el('dt', {}, label), el('dd', {}, value));
}

export function recentCases(p, outcomes) {
  const past = p.recent_cases || [];
  return el('section', { class: 'recent-cases', 'aria-label': 'Last cases for this person' },
    el('h3', {}, 'Earlier cases (the last 10)'),
    past.length === 0 ? el('p', {}, 'No earlier cases.') :
      el('table', {},
        el('thead', {}, el('tr', {}, el('th', {}, 'When'), el('th', {}, 'Alarm'), el('th', {}, 'Outcome'), el('th', {}, 'Answered in'))),
        el('tbody', {}, past.map((r) => el('tr', {},
          el('td', {}, new Date(Number(r.opened_at_ms)).toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'short' })),
          el('td', {}, alarmTypeName(r.alarm_type)),
          el('td', {}, labelOf(outcomes, r.outcome)),
          el('td', {}, Number(r.answer_ms) ? elapsed(Number(r.answer_ms)) : '—'))))));
}

// "available until 08:00" / "not until 18:00", with the hours in a tooltip.
export function responderAvailability(r) {
  const now = availabilityNow(r, Date.now());
  return el('span', { class: `responder-availability ${now.available ? 'available' : 'unavailable'}`,
    title: r.availability ? `Calling hours: ${r.availability}` : 'No set calling hours' }, now.words);
}

// Which device raised the alarm, and where it is: "Raised by the smoke detector: hallway · dev-100232".
function deviceLine(c, health, now) {
  const d = c.device;
  if (!c.device_id) return el('p', { class: 'card-device' }, 'Opened by hand by an operator: no device raised it');
  if (!d) return el('p', { class: 'card-device' }, `Device ${c.device_id}`);
  const kind = String(d.kind || 'device').replaceAll('_', ' ');
  return [el('p', { class: 'card-device' }, 'Raised by the ', el('strong', {}, kind),
    d.location ? `: ${d.location}` : ' (its place in the home is not recorded)',
    ` · ${d.device_id}${d.protocol === 'dc09' ? ' · alarm unit (SIA DC-09)' : ''}`), deviceHealth(health, now)];
}

// "Last contact 2 min ago · battery 64% (14:02)", with a missed check-in or a low battery
// said first: a device that cannot call again changes what the operator does next.
function deviceHealth(h, now) {
  if (!h) return el('p', { class: 'device-health' }, 'Checking the device…');
  const heard = Number(h.last_heard_ms);
  const pct = Number(h.battery_pct || 0);  // 0 is left out of the JSON: battery_at_ms says whether reported
  const contact = heard ? `last contact ${agoWords(now - heard)} (${hhmm(heard)})` : 'never heard from';
  const battery = !Number(h.battery_at_ms) ? 'battery not reported since the server started'
    : `battery ${pct}% (${agoWords(now - Number(h.battery_at_ms))})`;
  const warnings = [
    h.missed_checkin ? 'Check-in missed: it may not be able to raise another alarm' : null,
    h.battery_low ? `Battery low (${pct}%)` : null,
  ].filter(Boolean);
  return el('p', { class: `device-health${warnings.length ? ' device-trouble' : ''}` },
    warnings.length ? el('strong', {}, `${warnings.join('. ')}. `) : null,
    `${contact[0].toUpperCase()}${contact.slice(1)} · ${battery}`);
}

export function hazards(p) {
  const list = p.hazards || [];
  if (!list.length) return null;
  return el('section', { class: 'hazards', 'aria-label': 'Hazards in the home' },
    el('h3', {}, 'Hazards in the home'), el('ul', {}, list.map((h) => el('li', {}, h))));
}

// The responders in calling order, with whether each can be called now.
export function respondersSection(p) {
  const responders = (p.responders || []).map((r, i) =>
    el('li', {},
      el('span', { class: 'responder-order' }, `${i + 1}.`),
      el('span', { class: 'responder-name' }, r.name),
      el('span', { class: 'responder-relationship' }, r.relationship),
      phoneLink(r.phone, { class: 'responder-phone' }),
      (r.languages || []).length ? el('span', { class: 'responder-languages' }, r.languages.map(languageName).join(', ')) : null,
      responderAvailability(r)));
  return el('section', { class: 'responders', 'aria-label': 'Responders in calling order' },
    el('h3', {}, 'Responders, in order'),
    responders.length ? el('ol', {}, responders) : el('p', {}, 'No responders in the plan.'));
}

// What the call needs first (health, how to speak with them), then who and where.
export function personFields(p) {
  return el('dl', { class: 'person-fields' },
    field('Medical notes', p.medical_notes, 'medical'),
    field('Allergies', p.allergies, 'allergies'),
    field('Medications', p.medications),
    field('Communication', p.communication, 'communication'),
    field('Age', p.age ? `${p.age} (born ${p.date_of_birth})` : p.date_of_birth),
    field('Address', p.address),
    field('Phone', phoneLink(p.phone)),
    field('What matters to them', p.what_matters),
    field('GP', p.gp),
    field('Coordinator', p.coordinator),
    field('Plan review due', p.review_due));
}

export function speaksLine(p) {
  return el('p', { class: 'language-first', lang: p.preferred_language },
    'Speaks ', el('strong', {}, languageName(p.preferred_language)));
}

// `access`: the key safe and entry details, present only for the operator handling the case.
// `outcomes`: the outcome codes and their labels, from the snapshot. `device`: the raising
// device's health (DeviceStatus), once fetched; `now`: the server's time.
export function renderPlanCard(container, c, { access, outcomes, device, now } = {}, ...extra) {
  if (!c) {
    fill(container, el('p', { class: 'placeholder' }, 'Select an alarm to see the person and their plan.'));
    return;
  }
  const p = c.person || {};
  fill(container,
    el('header', { class: `card-header priority-${c.priority}` },
      el('div', { class: 'card-title' }, el('h2', {}, p.name || p.person_id), speaksLine(p)),
      el('p', { class: 'card-alarm' },
        `${alarmTypeName(c.alarm_type)} · ${c.priority} · since ${clockTime(Number(c.opened_at_ms))}`,
        Number(c.alarm_count) > 1 ? ` · ${c.alarm_count} alarms` : '',
        c.cancelled_at_unit ? ' · cancelled at the unit' : '',
        c.detail ? ` · ${c.detail}` : ''),
      deviceLine(c, device, now)),
    ...extra,
    p.plan_changed ? el('p', { class: 'plan-changed', role: 'note' },
      'The plan has changed since this alarm came in. This card shows the plan as it was then; the next alarm uses the new one.',
      (p.plan_changes || []).length ? ` Changed: ${p.plan_changes.map((f) => f.replace('plan.', 'plan ').replaceAll('_', ' ')).join(', ')}.` : '') : null,
    // What the call needs at once, in a few lines: how to get in, what is in the home, what to do.
    access ? el('section', { class: 'access', 'aria-label': 'Access details' },
      el('h3', {}, 'Access (you are handling this case)'), el('p', {}, access)) : null,
    hazards(p),
    p.instructions ? el('section', { class: `instructions${p.instructions_are_default ? ' centre-default' : ''}`, 'aria-label': 'Plan instructions for this alarm' },
      el('h3', {}, p.instructions_are_default
        ? `Centre default for ${alarmTypeName(c.alarm_type)} (the plan has no rule for it)` : `Plan for ${alarmTypeName(c.alarm_type)}`),
      el('p', {}, p.instructions)) : null,
    personFields(p),
    respondersSection(p),
    recentCases(p, outcomes));
}
