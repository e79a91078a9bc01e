// The centre's own record (#centre): its name and phone (carers' pages show them), the
// language most people speak, its time zone, what to do for an alarm type when a person's
// plan says nothing, and the standard notes operators insert and then edit.
import { el } from './dom.js';
import { field } from './admin_api.js';
import { alarmTypeName } from './format.js';
import { input, readFields, select, showEditor, textarea } from './record_form.js';

// The alarm types a default is most often wanted for, most urgent first.
const defaultTypes = ['smoke', 'co', 'heat', 'gas', 'flood', 'fall', 'epilepsy', 'medical', 'panic', 'pendant', 'pull_cord',
  'no_activity', 'bed_exit', 'door', 'temperature', 'missed_checkin', 'low_battery', 'mains_fail', 'tamper', 'comms_fault'];
const outcomes = [['', 'any note'], ['false_alarm', 'False alarm (accidental press)'], ['resolved_by_phone', 'Resolved by phone'],
  ['carer_attended', 'Carer attended'], ['ambulance_called', 'Ambulance called'], ['fire_service_called', 'Fire service called'],
  ['police_called', 'Police called'], ['responder_sent', 'No response: responder sent'], ['technical_issue', 'Technical issue']];

// One row per standard note: its text, the alarm types it is for, and for a resolution, its outcome.
function notesEditor(notes, canEdit) {
  const rows = el('div', {});
  const renumber = () => [...rows.children].forEach((r, i) => {
    for (const f of r.querySelectorAll('[data-field]')) f.dataset.field = f.dataset.field.replace(/canned_notes\[\d+\]/, `canned_notes[${i}]`);
  });
  const row = (n) => {
    const noteText = input(n.text || '', { 'data-key': 'text', maxlength: 500 });
    const types = input((n.types || []).join(', '), { 'data-key': 'types', placeholder: 'fall, pendant (empty: any)' });
    const outcome = select(n.outcome || '', outcomes, { 'data-key': 'outcome' });
    const r = el('div', { class: 'rule' },
      field('Note', 'canned_notes[0].text', noteText),
      el('div', { class: 'rule-head' }, field('For alarm types', 'canned_notes[0].types', types),
        field('For a resolution with outcome', 'canned_notes[0].outcome', outcome),
        canEdit ? el('button', { type: 'button', onclick: () => { r.remove(); renumber(); } }, 'Remove') : null));
    for (const control of [noteText, types, outcome]) delete control.dataset.path;
    r.read = () => {
      const note = { text: noteText.value, types: types.value.split(',').map((s) => s.trim()).filter(Boolean) };
      if (outcome.value) note.outcome = outcome.value;
      return note;
    };
    return r;
  };
  for (const n of notes) rows.append(row(n));
  renumber();
  const wrapper = el('fieldset', { 'data-field': 'canned_notes', 'data-list': 'canned_notes' },
    el('legend', {}, 'Standard notes (operators insert one with Alt+1…9, then edit it)'), rows,
    canEdit ? el('button', { type: 'button', onclick: () => { rows.append(row({})); renumber(); } }, 'Add a note') : null,
    el('p', { class: 'field-error' }));
  wrapper.read = () => [...rows.children].map((r) => r.read());
  return wrapper;
}

export function showCentreEditor(view, settings, me, message = '') {
  let notes;
  showEditor(view, { record: settings, me, message, collection: 'settings', key: 'id', hash: 'centre', reshow: showCentreEditor,
    title: () => 'The centre',
    sections: (canEdit) => {
      notes = notesEditor(settings.canned_notes || [], canEdit);
      const defaults = settings.default_instructions || {};
      return [
        el('fieldset', {}, el('legend', {}, 'The centre'),
          field('Name', 'name', input(settings.name)),
          field('Phone (carers call it back)', 'phone', input(settings.phone, { placeholder: '+441134960000' })),
          field('Language most people speak (the queue names only others)', 'default_language', input(settings.default_language)),
          field('Time zone', 'time_zone', input(settings.time_zone, { placeholder: 'Europe/London' }))),
        el('fieldset', {}, el('legend', {}, 'What to do when a person\'s plan says nothing for the alarm'),
          defaultTypes.map((type) => field(alarmTypeName(type), `default_instructions.${type}`,
            textarea(defaults[type] || '', { rows: '2' })))),
        notes];
    },
    buildBody: (form) => {
      const body = readFields(form);
      body.canned_notes = notes.read();
      return body;
    },
  });
}
