// The live queue: one row per open case, most urgent first, each with who has it, whether
// it is offered to this operator first, and its next deadline counting down.
import { el, fill } from './dom.js';
import { alarmTypeName, byUrgency, elapsed, labelOf, languageName } from './format.js';
import { deadlineText, isForYou, nextDeadline } from './routing.js';

export function renderQueue(list, connection, selectedId, onSelect, freshIds) {
  const cases = [...connection.cases.values()].sort(byUrgency);
  const now = connection.serverNow();
  const me = connection.operator?.username;
  const rows = cases.map((c) => {
    const person = c.person || {};
    const forYou = isForYou(c, connection, now);
    const deadline = nextDeadline(c, now);
    return el('li', {
      class: `case priority-${c.priority} state-${c.state}${c.case_id === selectedId ? ' selected' : ''}` +
        `${freshIds.has(c.case_id) ? ' fresh' : ''}`,
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
      el('span', { class: 'case-owner' },
        c.owner ? (c.owner === me ? 'yours' : `taken by ${c.owner_name}`) : (forYou ? el('strong', { class: 'for-you' }, 'for you') : 'waiting'),
        c.state === 'escalated' ? ' · escalated' : '',
        c.cancelled_at_unit ? ' · cancelled at unit' : '',
        c.attention ? el('strong', { class: 'attention' }, ` · ${c.attention}`) : ''),
      el('span', {
        class: `case-age${deadline?.overdue ? ' overdue' : ''}`,
        'data-case-age': c.case_id,
        title: 'The next deadline for this case',
      }, deadlineText(c, now)),
      el('span', { class: 'case-since', 'data-opened-at': c.opened_at_ms, title: 'Time since the alarm' },
        elapsed(now - Number(c.opened_at_ms))));
  });
  fill(list, ...rows);
  if (rows.length === 0) list.append(el('li', { class: 'empty' }, 'No open alarms.'));
  return cases;
}

// Deadlines and ages tick every second without rebuilding the list.
export function tickAges(list, connection) {
  const now = connection.serverNow();
  for (const node of list.querySelectorAll('[data-case-age]')) {
    const c = connection.cases.get(node.dataset.caseAge);
    if (!c) continue;
    node.textContent = deadlineText(c, now);
    node.classList.toggle('overdue', Boolean(nextDeadline(c, now)?.overdue));
  }
  for (const since of list.querySelectorAll('.case-since')) since.textContent = elapsed(now - Number(since.dataset.openedAt));
}

// Cases resolved within the reopen window, each with a button to reopen it.
export function renderResolved(container, connection, onReopen) {
  const cases = [...connection.resolved.values()].sort((a, b) => Number(b.resolved_at_ms) - Number(a.resolved_at_ms));
  fill(container,
    el('summary', {}, `Recently resolved (${cases.length})`),
    cases.length === 0 ? el('p', { class: 'empty' }, 'None in the reopen window.') :
      el('ul', { class: 'resolved-list' }, cases.map((c) =>
        el('li', {},
          el('span', {}, `${alarmTypeName(c.alarm_type)} · ${c.person?.name || ''} · ${labelOf(connection.vocabulary.outcomes, c.outcome)}`),
          el('button', { type: 'button', class: 'small', onclick: () => onReopen(c.case_id) }, 'Reopen')))));
}
