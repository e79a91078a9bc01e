// What every record editor shares: reading the fields into a body, saving it (a create, or
// an update naming the version it was made to), and saying what happened: saved, the
// server's field errors next to their fields, or that someone else changed it first.
import { el, fill } from './dom.js';
import { api, clearErrors, showErrors } from './admin_api.js';

// Sets `value` at a dotted path ("plan.escalation.passes") of `target`.
function setPath(target, path, value) {
  const keys = path.split('.');
  let at = target;
  for (const key of keys.slice(0, -1)) at = at[key] ??= {};
  at[keys.at(-1)] = value;
}

// The value of one input as the API wants it: numbers as numbers (left out when blank),
// comma-separated lists as arrays, and lists of sentences one a line.
export function valueOf(input) {
  if (input.dataset.kind === 'list') return input.value.split(',').map((s) => s.trim()).filter(Boolean);
  if (input.dataset.kind === 'lines') return input.value.split('\n').map((s) => s.trim()).filter(Boolean);
  if (input.type === 'number') return input.value === '' ? undefined : Number(input.value);
  if (input.type === 'checkbox') return input.checked;
  return input.value;
}

// Every plain field of `form` (those marked data-path and not inside a list editor).
export function readFields(form) {
  const body = {};
  for (const input of form.querySelectorAll('[data-path]')) {
    if (input.closest('[data-list]')) continue;
    const value = valueOf(input);
    if (value !== undefined && !(input.dataset.optional && value === '')) setPath(body, input.dataset.path, value);
  }
  return body;
}

export function input(value, attributes = {}) {
  return el('input', { value: value ?? '', ...attributes });
}

export function textarea(value, attributes = {}) {
  const t = el('textarea', attributes);
  t.value = value ?? '';
  return t;
}

export function select(value, options, attributes = {}) {
  const s = el('select', attributes, options.map(([v, label]) => el('option', { value: v }, label)));
  s.value = value ?? '';
  return s;
}

// The form's save button and status line. `save` returns the body to send; `reopen` is
// called with the record as stored (after a save, or to take someone else's version).
export function saveControls(form, { collection, id, version, buildBody, reopen, canEdit }) {
  const status = el('p', { class: 'save-status', role: 'status' });
  const button = el('button', { type: 'submit', class: 'primary' }, id ? 'Save changes' : 'Create');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!canEdit) return;
    clearErrors(form);
    const body = buildBody();
    if (id) body.version = version;
    button.disabled = true;
    status.dataset.state = '';
    status.textContent = 'Saving…';
    try {
      const answer = await api(id ? 'PUT' : 'POST', `/api/v1/${collection}${id ? `/${encodeURIComponent(id)}` : ''}`, body);
      if (answer.ok) {
        status.dataset.state = 'saved';
        status.textContent = `Saved (version ${answer.body.version}).`;
        reopen(answer.body, status.textContent);
        return;
      }
      status.dataset.state = 'error';
      if (answer.status === 409 && answer.body.current) {
        status.replaceChildren(
          `Someone else changed this record since you opened it (now version ${answer.body.current.version}). Your changes are not saved. `,
          el('button', { type: 'button', onclick: () => reopen(answer.body.current, 'Showing their version: make your change again.') },
            'Show their version'));
        return;
      }
      const unplaced = showErrors(form, answer.body);
      const count = (answer.body.errors || []).length;
      status.textContent = count ? `Not saved: ${count} field${count === 1 ? '' : 's'} to correct. ${unplaced.join(' ')}` :
        `Not saved: ${answer.body.error}`;
    } catch (error) {
      status.dataset.state = 'error';
      status.textContent = `Not saved: ${error.message}`;
    } finally {
      button.disabled = false;
    }
  });
  return el('div', {}, canEdit ? button : el('p', {}, 'Read only: only an admin may change records.'), status);
}

// Deactivate (with the version read), after the admin confirms.
export function deactivateButton(collection, record, idKey, onDone) {
  if (!record || !record.active) return null;
  const status = el('p', { class: 'save-status', role: 'status' });
  const button = el('button', { type: 'button', class: 'danger', onclick: async () => {
    if (!confirm(`Deactivate ${record[idKey]}? History is kept.`)) return;
    const answer = await api('POST', `/api/v1/${collection}/${encodeURIComponent(record[idKey])}/deactivate`, { version: record.version });
    status.dataset.state = answer.ok ? 'saved' : 'error';
    status.textContent = answer.ok ? 'Deactivated.' : `Not deactivated: ${answer.body.error}`;
    if (answer.ok) onDone(answer.body);
  } }, 'Deactivate');
  return el('div', {}, button, status);
}

// A record's editor page. `sections(canEdit)` gives the form's fieldsets; the form is
// read-only unless the user is an admin and the record active. A save shows the record as
// stored (a new one at its own address); `aside(reopen)` goes beside the form, with the
// deactivate button for admins.
export function showEditor(view, { record, me, message = '', collection, key, hash, title, sections, buildBody, aside, reshow }) {
  const canEdit = me.role === 'admin' && (!record || record.active);
  const form = el('form', { novalidate: true }, sections(canEdit));
  for (const fieldset of form.querySelectorAll(':scope > fieldset')) fieldset.disabled = !canEdit;
  const reopen = (stored, note) => (record ? reshow(view, stored, me, note) : (location.hash = `#${hash}/${encodeURIComponent(stored[key])}`));
  form.append(saveControls(form, { collection, id: record?.[key], version: record?.version, canEdit,
    buildBody: () => buildBody(form), reopen }));
  if (message) form.querySelector('.save-status').textContent = message;
  fill(view,
    el('h2', {}, record ? `${title(record)}${record.active ? '' : ' (deactivated)'} — version ${record.version}` : title(null)),
    el('div', { class: 'editor' }, form, el('aside', {}, aside ? aside(reopen, canEdit) : null,
      me.role === 'admin' && record ? el('section', {}, deactivateButton(collection, record, key, (r) => reopen(r, 'Deactivated.'))) : null)));
}
