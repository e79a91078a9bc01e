// The forms behind note, contact, resolve and reassign. Keyboard first: the first field
// takes focus, Ctrl+Enter saves from anywhere in the form, Escape cancels. The server's
// refusal is shown next to the form, which stays open.
import { el, fill } from './dom.js';
import { availabilityNow, phoneForReading } from './format.js';

function select(id, label, options) {
  return [el('label', { for: id }, label),
    el('select', { id, name: id, required: true },
      el('option', { value: '' }, 'Choose…'),
      options.map(([value, text]) => el('option', { value }, text)))];
}

// A short reason, told to whoever loses the case: Enter saves it.
function reason(id) {
  return [el('label', { for: id }, 'Reason (they are told)'),
    el('input', { id, name: id, required: true, maxlength: 200, autocomplete: 'off', placeholder: 'e.g. covering your break; needs a Welsh speaker' })];
}

function textarea(id, label, required = true) {
  return [el('label', { for: id }, label), el('textarea', { id, name: id, rows: 3, required, maxlength: 4000 })];
}

// The centre's standard notes for this case's type, as buttons Alt+1…9 also press: the text
// goes in at the cursor, to be edited. For a resolution, a note tied to an outcome sets it.
function cannedNotes(c, connection, targetId, resolving) {
  const fits = (n) => (!(n.types || []).length || n.types.includes(c.alarm_type)) && (resolving || !n.outcome);
  const notes = (connection.cannedNotes || []).filter(fits).slice(0, 9);
  if (!notes.length) return null;
  const insert = (n) => {
    const area = document.getElementById(targetId);
    const at = area.selectionStart ?? area.value.length;
    area.value = `${area.value.slice(0, at)}${n.text}${area.value.slice(area.selectionEnd ?? at)}`;
    if (n.outcome && document.getElementById('resolve-outcome')) document.getElementById('resolve-outcome').value = n.outcome;
    area.focus();
    area.setSelectionRange(at + n.text.length, at + n.text.length);
  };
  return el('div', { class: 'canned-notes', role: 'group', 'aria-label': 'Standard notes' },
    notes.map((n, i) => el('button', { type: 'button', class: 'canned', 'data-canned': String(i + 1), onclick: () => insert(n) },
      el('kbd', {}, `Alt+${i + 1}`), ` ${n.text}`)));
}

const builders = {
  note: (c, connection) => ({ title: 'Add a note',
    fields: [...textarea('note-text', 'Note'), cannedNotes(c, connection, 'note-text', false)],
    read: (f) => ({ note: f['note-text'].value }) }),
  contact: (c, connection) => {
    const person = c.person || {};
    const whom = [['person', `Person: ${person.name || ''} ${phoneForReading(person.phone)}`],
      ...(person.responders || []).map((r) => [`responder:${r.carer_id}`, `Responder: ${r.name} (${r.relationship}) ${phoneForReading(r.phone)}`]),
      ['emergency_services', 'Emergency services']];
    const v = connection.vocabulary;
    return {
      title: 'Record a contact attempt',
      fields: [...select('contact-who', 'Who', whom),
        ...select('contact-how', 'How', v.contact_methods.map((m) => [m.id, m.label])),
        ...select('contact-result', 'Result', v.contact_results.map((r) => [r.id, r.label]))],
      read: (f) => {
        const [who, carer] = f['contact-who'].value.split(':');
        return { who, carer_id: carer || '', how: f['contact-how'].value, result: f['contact-result'].value };
      },
    };
  },
  resolve: (c, connection) => ({
    title: 'Resolve the case',
    fields: [...select('resolve-outcome', 'Outcome', connection.vocabulary.outcomes.map((o) => [o.id, o.label])),
      ...textarea('resolve-note', 'What happened'), cannedNotes(c, connection, 'resolve-note', true)],
    read: (f) => ({ outcome: f['resolve-outcome'].value, note: f['resolve-note'].value }),
  }),
  escalate: (c) => {
    // Who the chain will reach now, in calling order, and a warning before it starts when nobody.
    const responders = c.person?.responders || [];
    const now = responders.map((r) => ({ r, now: availabilityNow(r, Date.now()) }));
    const nobody = now.every((x) => !x.now.available);
    return {
      title: 'Escalate to the person\'s carers',
      fields: [
        nobody ? el('p', { class: 'form-warning', role: 'alert' }, responders.length
          ? 'Nobody on this plan can be called now: every responder will be skipped and the case comes back to you. Call them yourself or send help.'
          : 'This plan has no responders: the case comes straight back to you.') : null,
        responders.length ? el('ol', { class: 'escalate-chain', 'aria-label': 'Responders in calling order' },
          now.map(({ r, now: n }) => el('li', { class: n.available ? 'available' : 'unavailable' }, `${r.name}: ${n.words}`))) : null,
        ...textarea('escalate-note', 'Reason (the carers see it)', false)],
      read: (f) => ({ note: f['escalate-note'].value }),
    };
  },
  reassign: (c, connection) => ({
    title: 'Reassign the case',
    fields: [...select('reassign-to', 'To', connection.operators.filter((o) => o.username !== c.owner)
      .map((o) => [o.username, `${o.display_name} (${o.role})`])), ...reason('reassign-reason')],
    read: (f) => ({ to: f['reassign-to'].value, reason: f['reassign-reason'].value.trim() }),
  }),
  // A take-over is a reassignment to oneself, with the reason the operator losing it sees.
  takeover: (c, connection) => ({
    command: 'reassign',
    title: c.owner_name ? `Take this case over from ${c.owner_name}` : 'Take this case',
    fields: reason('takeover-reason'),
    read: (f) => ({ to: connection.operator.username, reason: f['takeover-reason'].value.trim() }),
  }),
};

// Asks before a dangerous action: Enter (or the button) confirms, Escape cancels.
export function confirmAction(area, question, onConfirm, onCancel) {
  const yes = el('button', { type: 'submit' }, 'Confirm ', el('kbd', {}, 'Enter'));
  const node = el('form', { class: 'case-form confirm', 'aria-label': question },
    el('h3', {}, question),
    el('div', { class: 'form-buttons' }, yes,
      el('button', { type: 'button', class: 'secondary', onclick: () => cancel() }, 'Cancel ', el('kbd', {}, 'Esc'))));
  function cancel() {
    fill(area);
    onCancel();
  }
  node.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      cancel();
    }
  });
  node.addEventListener('submit', (event) => {
    event.preventDefault();
    fill(area);
    onConfirm();
  });
  fill(area, node);
  yes.focus();
}

// Shows the form for `kind` in `area`; `onDone()` after the server has stored the change.
export function openForm(kind, c, connection, area, onDone) {
  const form = builders[kind](c, connection);
  const error = el('p', { class: 'form-error', role: 'alert' });
  const node = el('form', { class: `case-form form-${kind}`, 'aria-label': form.title },
    el('h3', {}, form.title),
    form.fields,
    error,
    el('div', { class: 'form-buttons' },
      el('button', { type: 'submit' }, 'Save ', el('kbd', {}, 'Ctrl+Enter')),
      el('button', { type: 'button', class: 'secondary', onclick: () => close() }, 'Cancel ', el('kbd', {}, 'Esc'))));
  function close() {
    fill(area);
    onDone(false);
  }
  node.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    } else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      node.requestSubmit();
    } else if (event.altKey && /^[1-9]$/.test(event.key)) {
      const canned = node.querySelector(`[data-canned="${event.key}"]`);
      if (canned) {
        event.preventDefault();
        canned.click();
      }
    }
  });
  node.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = 'Saving…';
    const fields = form.read(node.elements);
    const result = await connection.command(form.command || kind, c.case_id, fields);
    if (result.ok) {
      fill(area);
      onDone(true, fields);
    } else {
      error.textContent = result.error;
    }
  });
  fill(area, node);
  node.querySelector('select, textarea, input')?.focus();
}
