// The admin API from the records pages: JSON in and out, and the server's field errors put
// next to the fields they name.
import { el } from './dom.js';

export async function api(method, path, body) {
  const options = { method, credentials: 'same-origin', headers: {} };
  if (body !== undefined) {
    options.headers['Content-Type'] = 'application/json';
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  if (response.status === 401) {
    location.href = '/';
    throw new Error('log in first');
  }
  const answer = await response.json().catch(() => ({ error: `the server answered ${response.status}` }));
  return { status: response.status, ok: response.ok, body: answer };
}

let fields = 0;  // ids stay unique while list rows are added, moved and renumbered

// A labelled input whose errors the server names by `path` ("plan.rules[0].instructions").
export function field(label, path, input) {
  const id = `f-${path.replace(/[^A-Za-z0-9]/g, '-')}-${++fields}`;
  input.id = id;
  input.dataset.path = path;
  const error = el('p', { class: 'field-error', id: `${id}-error` });
  input.setAttribute('aria-describedby', error.id);
  return el('div', { class: 'field', 'data-field': path },
    el('label', { for: id }, label), input, error);
}

export function clearErrors(form) {
  form.querySelector('.error-summary')?.remove();
  for (const e of form.querySelectorAll('.field-error')) e.textContent = '';
  for (const i of form.querySelectorAll('[aria-invalid]')) i.removeAttribute('aria-invalid');
}

// The field `path` names, or the nearest enclosing one ("plan.rules[0].type" falls back to
// "plan.rules[0]", then "plan.rules", then "plan").
function fieldFor(form, path) {
  for (let p = path; p;) {
    const target = form.querySelector(`[data-field="${CSS.escape(p)}"]`);
    if (target) return target;
    const shorter = p.replace(/(\.[^.[\]]+|\[\d+\])$/, '');
    if (shorter === p) return null;
    p = shorter;
  }
  return null;
}

// Puts each of the server's errors next to its field; returns those that match no field.
export function showErrors(form, body) {
  clearErrors(form);
  const unplaced = [];
  for (const { field: path, message } of body.errors || [{ field: body.field || '', message: body.error }]) {
    const target = fieldFor(form, path || '');
    if (!target) {
      unplaced.push(path && !path.startsWith('(') ? `${path}: ${message}` : message);
      continue;
    }
    const error = target.querySelector('.field-error');
    error.textContent = error.textContent ? `${error.textContent} ${message}` : message;
    target.querySelector('input, select, textarea, ol')?.setAttribute('aria-invalid', 'true');
  }
  showSummary(form);
  return unplaced;
}

// After a failed save, focus goes to a summary at the top of the form, which links to each
// field with a problem (WCAG 3.3.1): a keyboard or screen-reader user starts there.
function showSummary(form) {
  const wrong = [...form.querySelectorAll('.field')].filter((f) => f.querySelector(':scope > .field-error')?.textContent);
  if (!wrong.length) return;
  const summary = el('div', { class: 'error-summary', role: 'alert', tabindex: '-1' },
    el('h3', {}, `Not saved: ${wrong.length} field${wrong.length === 1 ? '' : 's'} to correct`),
    el('ul', {}, wrong.map((f) => {
      const input = f.querySelector('input, select, textarea');
      const label = f.querySelector(':scope > label')?.textContent || f.dataset.field;
      return el('li', {}, el('a', { href: `#${input?.id || ''}`, onclick: (event) => {
        event.preventDefault();  // the records pages route by the address's hash
        input?.focus();
      } }, `${label}: ${f.querySelector(':scope > .field-error').textContent}`));
    })));
  form.prepend(summary);
  summary.focus();
}

export const when = (ms) => (Number(ms) ? new Date(Number(ms)).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }) : 'never');
