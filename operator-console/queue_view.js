// The live queue: one row per open case, most urgent first, each with its age counting up
// against the 60-second answer target.
import { el } from './dom.js';
import { alarmTypeName, byUrgency, elapsed, languageName } from './format.js';

export const answerTargetMs = 60_000;

export function renderQueue(list, connection, selectedId, onSelect) {
  const cases = [...connection.cases.values()].sort(byUrgency);
  const now = connection.serverNow();
  const rows = cases.map((c) => {
    const age = now - Number(c.opened_at_ms);
    const person = c.person || {};
    return el('li', {
      class: `case priority-${c.priority}${c.case_id === selectedId ? ' selected' : ''}`,
      'data-case-id': c.case_id,
      'aria-selected': c.case_id === selectedId ? 'true' : 'false',
      role: 'option',
      tabindex: c.case_id === selectedId ? '0' : '-1',
      onclick: () => onSelect(c.case_id),
    },
      el('span', { class: 'priority-badge' }, c.priority),
      el('span', { class: 'case-type' }, alarmTypeName(c.alarm_type),
        Number(c.alarm_count) > 1 ? el('span', { class: 'repeat' }, ` ×${c.alarm_count}`) : null),
      el('span', { class: 'case-person' }, person.name || person.person_id),
      el('span', { class: 'case-language', lang: person.preferred_language }, languageName(person.preferred_language)),
      c.cancelled_at_unit ? el('span', { class: 'cancelled' }, 'cancelled at unit') : null,
      el('span', {
        class: `case-age${age > answerTargetMs ? ' overdue' : ''}`,
        'data-opened-at': c.opened_at_ms,
        title: 'Time since the alarm; the answer target is 60 seconds',
      }, elapsed(age)));
  });
  list.replaceChildren(...rows);
  if (rows.length === 0) list.append(el('li', { class: 'empty' }, 'No open alarms.'));
  return cases;
}

// Ages tick every second without rebuilding the list.
export function tickAges(list, connection) {
  const now = connection.serverNow();
  for (const age of list.querySelectorAll('.case-age')) {
    const ms = now - Number(age.dataset.openedAt);
    age.textContent = elapsed(ms);
    age.classList.toggle('overdue', ms > answerTargetMs);
  }
}
