// A person's record and personalised plan, every element of it: who they are and how to
// reach them, what matters to them, medical and access notes, responders in calling order
// (dragged, or moved with Alt+Up/Down), a rule per alarm type, escalation, and beside it the
// plan's review and the person's outcomes over the last 90 days.
import { el, fill } from './dom.js';
import { api, field, when } from './admin_api.js';
import { alarmTypeName } from './format.js';
import { input, readFields, select, showEditor, textarea } from './record_form.js';

const alarmTypes = ['fall', 'epilepsy', 'smoke', 'heat', 'co', 'flood', 'pendant', 'pull_cord', 'no_activity',
  'bed_exit', 'chair_exit', 'door', 'temperature', 'low_battery', 'mains_fail', 'mains_restore', 'tamper',
  'missed_checkin', 'medical', 'panic', 'gas', 'comms_fault', 'unit_event'];
const priorities = [['', 'the type\'s default'], ['critical', 'critical'], ['high', 'high'], ['normal', 'normal'], ['low', 'low']];

// Every active carer, for naming and adding responders.
async function allCarers() {
  const carers = [];
  for (let page = 1; page <= 20; ++page) {
    const answer = await api('GET', `/api/v1/carers?per_page=200&page=${page}`);
    carers.push(...(answer.body.items || []));
    if (carers.length >= answer.body.total || !answer.ok) break;
  }
  return carers;
}

// Responders in calling order: each row is dragged into place, or moved with Alt+Up/Down.
function respondersEditor(ids, carers, canEdit) {
  const nameOf = (id) => carers.find((c) => c.id === id)?.name || id;
  const list = el('ol', { class: 'ordered-list', 'aria-label': 'Responders in calling order' });
  let dragged = null;
  const renumber = () => list.querySelectorAll('li').forEach((li, i) => { li.querySelector('.position').textContent = `${i + 1}.`; });
  const move = (li, by) => {
    const sibling = by < 0 ? li.previousElementSibling : li.nextElementSibling;
    if (!sibling) return;
    if (by < 0) sibling.before(li); else sibling.after(li);
    renumber();
    li.focus();
  };
  const row = (id) => {
    const li = el('li', { 'data-carer': id, tabindex: '0', draggable: canEdit ? 'true' : 'false',
      'aria-label': `${nameOf(id)}: Alt+Up or Alt+Down to move` },
      el('span', { class: 'position' }), el('span', { class: 'name' }, `${nameOf(id)} (${id})`),
      canEdit ? el('button', { type: 'button', 'aria-label': `Move ${nameOf(id)} up`, onclick: () => move(li, -1) }, '↑') : null,
      canEdit ? el('button', { type: 'button', 'aria-label': `Move ${nameOf(id)} down`, onclick: () => move(li, 1) }, '↓') : null,
      canEdit ? el('button', { type: 'button', 'aria-label': `Remove ${nameOf(id)}`, onclick: () => { li.remove(); renumber(); } }, 'Remove') : null);
    li.addEventListener('keydown', (e) => {
      if (!canEdit || !e.altKey || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
      e.preventDefault();
      move(li, e.key === 'ArrowUp' ? -1 : 1);
    });
    li.addEventListener('dragstart', () => { dragged = li; });
    li.addEventListener('dragover', (e) => e.preventDefault());
    li.addEventListener('drop', (e) => {
      e.preventDefault();
      if (!dragged || dragged === li) return;
      const after = [...list.children].indexOf(dragged) < [...list.children].indexOf(li);
      if (after) li.after(dragged); else li.before(dragged);
      renumber();
    });
    return li;
  };
  fill(list, ids.map(row));
  renumber();
  const choice = select('', [['', 'Add a responder…'], ...carers.map((c) => [c.id, `${c.name} (${c.relationship || c.id})`])],
    { 'aria-label': 'Carer to add as a responder' });
  const add = el('button', { type: 'button', onclick: () => {
    if (!choice.value || list.querySelector(`[data-carer="${CSS.escape(choice.value)}"]`)) return;
    list.append(row(choice.value));
    renumber();
  } }, 'Add');
  const wrapper = el('div', { class: 'field', 'data-field': 'plan.responders', 'data-list': 'responders' },
    el('label', {}, 'Responders, in the order they are called'), list,
    canEdit ? el('div', { class: 'toolbar' }, choice, add) : null, el('p', { class: 'field-error' }));
  wrapper.read = () => [...list.querySelectorAll('li')].map((li) => li.dataset.carer);
  return wrapper;
}

// One block per alarm type the plan says something about.
function rulesEditor(rules, canEdit) {
  const blocks = el('div', {});
  const block = (rule) => {
    const b = el('div', { class: 'rule' });
    const index = () => [...blocks.children].indexOf(b);
    const typeInput = select(rule.type || 'fall', alarmTypes.map((t) => [t, alarmTypeName(t)]), { 'data-key': 'type' });
    const priority = select(rule.priority || '', priorities, { 'data-key': 'priority' });
    const escalate = input(rule.escalate_after_s ?? '', { type: 'number', min: '10', max: '3600', 'data-key': 'escalate_after_s' });
    const instructions = textarea(rule.instructions, { 'data-key': 'instructions', rows: '3' });
    const forCarers = textarea(rule.carer_instructions, { 'data-key': 'carer_instructions', rows: '2' });
    const named = (label, key, control) => {
      const f = field(label, `plan.rules[${index()}].${key}`, control);
      delete control.dataset.path;  // read by the list, not as a plain field
      return f;
    };
    fill(b,
      el('div', { class: 'rule-head' },
        named('Alarm type', 'type', typeInput), named('Priority', 'priority', priority),
        named('Escalate to carers if no operator accepts within (s)', 'escalate_after_s', escalate),
        canEdit ? el('button', { type: 'button', onclick: () => { b.remove(); renumber(); } }, 'Remove rule') : null),
      named('Instructions for operators', 'instructions', instructions),
      named("Instructions for carers (on their phone page; the operators' stay on the console)", 'carer_instructions', forCarers));
    b.setAttribute('data-field', `plan.rules[${index()}]`);
    return b;
  };
  // Field names follow the blocks' order, so the server's errors find their block.
  const renumber = () => [...blocks.children].forEach((b, i) => {
    b.setAttribute('data-field', `plan.rules[${i}]`);
    for (const f of b.querySelectorAll('.field')) f.dataset.field = f.dataset.field.replace(/plan\.rules\[\d+\]/, `plan.rules[${i}]`);
  });
  for (const r of rules) { blocks.append(block(r)); renumber(); }
  const wrapper = el('fieldset', { 'data-field': 'plan.rules', 'data-list': 'rules' }, el('legend', {}, 'What to do, per alarm type'), blocks,
    canEdit ? el('button', { type: 'button', onclick: () => { blocks.append(block({})); renumber(); } }, 'Add a rule') : null,
    el('p', { class: 'field-error' }));
  wrapper.read = () => [...blocks.children].map((b) => {
    const get = (key) => b.querySelector(`[data-key="${key}"]`).value;
    const rule = { type: get('type'), instructions: get('instructions') };
    if (get('carer_instructions').trim()) rule.carer_instructions = get('carer_instructions');
    if (get('priority')) rule.priority = get('priority');
    if (get('escalate_after_s') !== '') rule.escalate_after_s = Number(get('escalate_after_s'));
    return rule;
  });
  return wrapper;
}

function reviewPanel(person, canEdit, reopen) {
  const r = person.last_review || {};
  const note = textarea('', { rows: '2' });
  const next = input('', { type: 'date' });
  const form = el('form', {},
    field('Review note', 'note', note), field('Next review due', 'next_review_due', next),
    el('button', { type: 'submit' }, 'Mark reviewed'), el('p', { class: 'save-status', role: 'status' }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const status = form.querySelector('.save-status');
    const answer = await api('POST', `/api/v1/persons/${encodeURIComponent(person.id)}/review`,
      { version: person.version, note: note.value, next_review_due: next.value });
    status.dataset.state = answer.ok ? 'saved' : 'error';
    status.textContent = answer.ok ? 'Reviewed.' : `Not recorded: ${answer.body.error}`;
    if (answer.ok) reopen(answer.body, 'Review recorded.');
  });
  const overdue = person.plan.review_due < new Date().toISOString().slice(0, 10);
  return el('section', { 'aria-label': 'Plan review' },
    el('h3', {}, 'Plan review'),
    el('p', { class: overdue ? 'overdue' : '' }, `Due ${person.plan.review_due}${overdue ? ' — overdue' : ''}`),
    el('p', {}, r.at_ms ? `Last reviewed ${when(r.at_ms)} by ${r.by}${r.note ? `: “${r.note}”` : ''}` : 'Not reviewed in Lantern yet.'),
    canEdit ? form : null);
}

function outcomesPanel(person) {
  const counts = person.outcomes?.counts || [];
  return el('section', { 'aria-label': 'Outcomes in the last 90 days' },
    el('h3', {}, 'Last 90 days'),
    counts.length === 0 ? el('p', {}, 'No cases.') :
      el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'Alarm'), el('th', {}, 'Outcome'), el('th', {}, 'Cases'))),
        el('tbody', {}, counts.map((c) => el('tr', {}, el('td', {}, alarmTypeName(c.alarm_type)),
          el('td', {}, c.outcome.replaceAll('_', ' ')), el('td', {}, String(c.count)))))));
}

// Access details (a key-safe code) are never in a read: the field starts empty and, left
// empty, keeps what is stored. An admin may show them; the server records that read.
function hiddenAccessField(person, canEdit) {
  const box = textarea('', { rows: '2', 'data-optional': 'true',
    placeholder: 'Hidden. Leave empty to keep the current access details, or type new ones to replace them.' });
  const wrapper = field('Access', 'access', box);
  if (canEdit) {
    const show = el('button', { type: 'button', class: 'secondary' }, 'Show access details (the read is recorded)');
    show.addEventListener('click', async () => {
      const answer = await api('GET', `/api/v1/persons/${encodeURIComponent(person.id)}?include=access`);
      if (!answer.ok) return;
      box.value = answer.body.access || '';
      box.placeholder = 'None recorded.';
      show.remove();
    });
    wrapper.append(show);
  }
  return wrapper;
}

// `person`: the record as read (nothing for a new person).
export async function showPersonEditor(view, person, me, message = '') {
  const carers = await allCarers();
  const p = person || { plan: { responders: [], rules: [], escalation: { ack_timeout_s: 600, passes: 2 } } };
  const text = (label, path, value, attrs = {}) => field(label, path, input(value, attrs));
  const long = (label, path, value, rows = 2) => field(label, path, textarea(value, { rows: String(rows) }));
  let responders;
  let rules;
  showEditor(view, { record: person, me, message, collection: 'persons', key: 'id', hash: 'person', reshow: showPersonEditor,
    title: (r) => (r ? r.name : 'New person'),
    sections: (canEdit) => {
      responders = respondersEditor(p.plan.responders || [], carers, canEdit);
      rules = rulesEditor(p.plan.rules || [], canEdit);
      const access = person ? hiddenAccessField(person, canEdit) : long('Access', 'access', '');
      access.classList.add('sensitive');
      return [
        el('fieldset', {}, el('legend', {}, 'The person'),
          person ? null : text('Id', 'id', ''),
          text('Name', 'name', p.name),
          text('Date of birth', 'date_of_birth', p.date_of_birth, { type: 'date' }),
          long('Address', 'address', p.address),
          text('Phone', 'phone', p.phone, { placeholder: '+441134960012' }),
          text('Preferred language', 'preferred_language', p.preferred_language, { placeholder: 'en-GB, cy, ur…' }),
          long('Communication needs', 'communication', p.communication),
          long('What matters to them', 'what_matters', p.what_matters),
          long('Medical notes', 'medical_notes', p.medical_notes, 3),
          long('Medications', 'medications', p.medications),
          long('Allergies', 'allergies', p.allergies),
          access,
          text('GP', 'gp', p.gp)),
        el('fieldset', {}, el('legend', {}, 'The plan'),
          text('Named coordinator', 'plan.coordinator', p.plan.coordinator),
          text('Review due', 'plan.review_due', p.plan.review_due, { type: 'date' }),
          field('Hazards in the home, one a line (e.g. "dog in the kitchen", "oxygen in use: no naked flames")', 'plan.hazards',
            textarea((p.plan.hazards || []).join('\n'), { rows: '3', 'data-kind': 'lines' })),
          responders,
          rules,
          text('Escalation: seconds a carer has to answer', 'plan.escalation.ack_timeout_s', p.plan.escalation?.ack_timeout_s,
            { type: 'number', min: '30', max: '3600' }),
          text('Escalation: times round the list', 'plan.escalation.passes', p.plan.escalation?.passes,
            { type: 'number', min: '1', max: '10' }))];
    },
    buildBody: (form) => {
      const body = readFields(form);
      body.plan.responders = responders.read();
      body.plan.rules = rules.read();
      return body;
    },
    aside: (reopen, canEdit) => (person ? [
      reviewPanel(person, canEdit, reopen),
      outcomesPanel(person),
      el('section', {}, el('h3', {}, 'Subject access'),
        el('p', {}, el('a', { href: `/record.html?person=${encodeURIComponent(person.id)}`, target: '_blank' }, 'Full record, printable')),
        el('p', {}, el('a', { href: `/api/v1/persons/${encodeURIComponent(person.id)}/record`, download: `${person.id}.json` }, 'Full record as JSON')))] : null),
  });
}
