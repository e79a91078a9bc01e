// Finding a person from the console ("/"), and their card without a case: who they are,
// their open and recent cases, and a form to open a case by hand when they (or a relative)
// phone in. Search results never carry access details; opening a card is recorded.
import { el, fill, phoneLink } from './dom.js';
import { alarmTypeName, phoneForReading } from './format.js';
import { hazards, personFields, recentCases, respondersSection, speaksLine } from './plan_card.js';

// What a call that comes in by phone is usually about.
const caseTypes = ['pendant', 'fall', 'medical', 'no_activity', 'panic', 'smoke', 'co', 'flood', 'epilepsy', 'door', 'temperature'];

// The search form in `area`: results as the operator types; Enter or a click opens a person.
export function openSearch(area, connection, onOpen, onClose) {
  const input = el('input', { id: 'person-search', type: 'search', autocomplete: 'off', maxlength: 100,
    placeholder: 'e.g. Ellis, 0113 496 0012, Rowan Court, dev-100231' });
  const results = el('ul', { class: 'search-results', 'aria-label': 'People found' });
  const note = el('p', { class: 'search-note', role: 'status' });
  const form = el('form', { class: 'case-form person-search', role: 'search', 'aria-label': 'Find a person' },
    el('h3', {}, 'Find a person'),
    el('label', { for: 'person-search' }, 'Name, phone, address or device'),
    input, note, results,
    el('div', { class: 'form-buttons' },
      el('button', { type: 'button', class: 'secondary', onclick: () => close() }, 'Close ', el('kbd', {}, 'Esc'))));
  let asked = 0;
  let timer = null;
  function close() {
    clearTimeout(timer);
    fill(area);
    onClose();
  }
  async function search() {
    const query = input.value.trim();
    const mine = ++asked;
    if (query.length < 2) {
      fill(results);
      note.textContent = 'Type at least two characters.';
      return;
    }
    const found = await connection.request('find_person', { query });
    if (mine !== asked) return;  // a newer search is on its way
    if (!found.ok) {
      note.textContent = found.error;
      return;
    }
    note.textContent = found.matches.length === 0 ? 'Nobody found.'
      : `${found.matches.length} found${found.more ? `, and ${found.more} more: type more to narrow` : ''}.`;
    fill(results, found.matches.map((m) => el('li', {},
      el('button', { type: 'button', class: 'search-result', onclick: () => onOpen(m.person_id) },
        el('strong', {}, m.name),
        m.date_of_birth ? ` · born ${m.date_of_birth}` : '',
        ` · ${m.address}`,
        m.phone ? ` · ${phoneForReading(m.phone)}` : '',
        m.matched_on === 'device' ? ` · ${(m.device_ids || []).join(', ')}` : ''))));
  }
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(search, 200);
  });
  form.addEventListener('keydown', (event) => {
    const buttons = [...results.querySelectorAll('button')];
    const at = buttons.indexOf(document.activeElement);
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    } else if (event.key === 'ArrowDown' && buttons.length) {
      event.preventDefault();
      buttons[Math.min(at + 1, buttons.length - 1)].focus();
    } else if (event.key === 'ArrowUp' && at >= 0) {
      event.preventDefault();
      (at === 0 ? input : buttons[at - 1]).focus();
    }
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    results.querySelector('button')?.click();
  });
  fill(area, form);
  input.focus();
}

// A person's card without a case. `openCases`: theirs in the queue; `onSelectCase(id)` goes to
// one; `onOpenCase(type, note)` resolves with the server's answer.
export function renderPersonView(container, card, openCases, outcomes, { onSelectCase, onOpenCase }) {
  const type = el('select', { id: 'open-case-type', required: true },
    caseTypes.map((t) => el('option', { value: t }, alarmTypeName(t))));
  const note = el('textarea', { id: 'open-case-note', rows: 2, maxlength: 4000, required: true,
    placeholder: 'Who phoned and why: "her son rang, she sounds confused"' });
  const problem = el('p', { class: 'form-error', role: 'alert' });
  const form = el('form', { class: 'open-case', 'aria-label': 'Open a case by hand' },
    el('h3', {}, 'Open a case by hand'),
    el('label', { for: 'open-case-type' }, 'Kind'), type,
    el('label', { for: 'open-case-note' }, 'Note'), note,
    problem,
    el('button', { type: 'submit' }, 'Open the case (yours)'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    problem.textContent = 'Saving…';
    const result = await onOpenCase(type.value, note.value.trim());
    problem.textContent = result.ok ? '' : result.error;
  });
  fill(container,
    el('header', { class: 'card-header person-only' },
      el('div', { class: 'card-title' }, el('h2', {}, card.name), speaksLine(card)),
      el('p', { class: 'card-alarm' }, 'No case open from here: opening this card is recorded.')),
    el('section', { class: 'person-open-cases', 'aria-label': 'Open cases for this person' },
      el('h3', {}, 'Open cases'),
      openCases.length ? el('ul', {}, openCases.map((c) => el('li', {},
        el('button', { type: 'button', onclick: () => onSelectCase(c.case_id) },
          `Case ${c.case_id}: ${alarmTypeName(c.alarm_type)} (${c.priority})`, c.owner_name ? ` · ${c.owner_name}` : ''))))
        : el('p', {}, 'None.')),
    form,
    hazards(card),
    personFields(card),
    respondersSection(card),
    recentCases(card, outcomes),
    card.phone ? el('p', {}, 'Call them: ', phoneLink(card.phone)) : null);
}
