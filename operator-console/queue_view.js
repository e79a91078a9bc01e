// The live queue, dense enough for a storm: counts by priority and filters above it, then
// one compact row per open case (two short lines), a person's cases grouped together
// (their most urgent first), technical alarms in a quieter style without answer targets.
import { el, fill } from './dom.js';
import { alarmTypeName, byUrgency, elapsed, labelOf, languageName } from './format.js';
import { deadlineText, isForYou, nextDeadline } from './routing.js';

// Alarms about the equipment, not a person calling: kept out of the answer rate (as on the
// server), shown quieter, never with an answer target.
const technicalTypes = new Set(['low_battery', 'mains_fail', 'mains_restore', 'tamper', 'missed_checkin', 'comms_fault']);
export const isTechnical = (c) => technicalTypes.has(c.alarm_type);

export const queueFilters = [
  ['all', 'All', () => true],
  ['mine', 'For me', (c, connection, now) => c.owner === connection.operator?.username || isForYou(c, connection, now)],
  ['calls', 'Calls', (c) => !isTechnical(c)],
  ['technical', 'Technical', (c) => isTechnical(c)],
];

// The cases in the order the queue shows them: by urgency, with each person's other cases
// pulled up under their most urgent one.
export function groupedByPerson(cases) {
  const groups = new Map();
  for (const c of [...cases].sort(byUrgency)) {
    const key = c.person?.person_id || c.person_id || c.case_id;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(c);
  }
  return [...groups.values()];
}

function row(c, connection, now, { selectedId, onSelect, fresh, defaultLanguage, inGroup, groupSize }) {
  const person = c.person || {};
  const me = connection.operator?.username;
  const technical = isTechnical(c);
  const forYou = isForYou(c, connection, now);
  const deadline = technical ? null : nextDeadline(c, now);
  const language = person.preferred_language && person.preferred_language !== defaultLanguage
    ? el('span', { class: 'case-language', lang: person.preferred_language }, languageName(person.preferred_language)) : null;
  return el('li', {
    class: `case priority-${c.priority} state-${c.state}${technical ? ' technical' : ''}` +
      `${c.case_id === selectedId ? ' selected' : ''}${fresh.has(c.case_id) ? ' fresh' : ''}` +
      `${inGroup ? ' grouped' : ''}${groupSize > 1 && !inGroup ? ' group-head' : ''}`,
    'data-case-id': c.case_id,
    'data-person-id': person.person_id || '',
    'aria-selected': c.case_id === selectedId ? 'true' : 'false',
    role: 'option',
    tabindex: c.case_id === selectedId ? '0' : '-1',
    onclick: () => onSelect(c.case_id),
  },
    el('span', { class: 'priority-badge' }, c.priority),
    el('span', { class: 'case-line' },
      el('span', { class: 'case-type' }, alarmTypeName(c.alarm_type),
        Number(c.alarm_count) > 1 ? el('span', { class: 'repeat' }, ` ×${c.alarm_count}`) : null),
      el('span', { class: 'case-person' }, person.name || person.person_id,
        groupSize > 1 && !inGroup ? el('span', { class: 'group-count' }, ` · ${groupSize} cases`) : null),
      language,
      el('span', { class: 'case-since', 'data-opened-at': c.opened_at_ms, title: 'Time since the alarm' },
        elapsed(now - Number(c.opened_at_ms)))),
    el('span', { class: 'case-line case-status' },
      el('span', { class: 'case-owner' },
        c.owner ? (c.owner === me ? 'yours' : `taken by ${c.owner_name}`) : (forYou ? el('strong', { class: 'for-you' }, 'for you') : 'waiting'),
        technical ? ' · technical' : '',
        c.state === 'escalated' ? ' · escalated' : '',
        c.cancelled_at_unit ? ' · cancelled at unit' : '',
        c.attention ? el('strong', { class: 'attention' }, ` · ${c.attention}`) : ''),
      technical ? null : el('span', {
        class: `case-age${deadline?.overdue ? ' overdue' : ''}`,
        'data-case-age': c.case_id,
        title: 'The next deadline for this case',
      }, deadlineText(c, now))));
}

// Renders the counts, the filters and the rows; returns the cases in the order shown.
export function renderQueue(list, counts, connection, { selectedId, onSelect, fresh, filter, onFilter, defaultLanguage }) {
  const now = connection.serverNow();
  const all = [...connection.cases.values()];
  const byPriority = { critical: 0, high: 0, normal: 0, low: 0 };
  for (const c of all) byPriority[c.priority] = (byPriority[c.priority] || 0) + 1;
  fill(counts,
    el('p', { class: 'priority-counts', 'aria-label': 'Open cases by priority' },
      Object.entries(byPriority).map(([p, n]) => el('span', { class: `count priority-${p}`, 'data-priority': p }, `${n} ${p}`))),
    el('div', { class: 'queue-filters', role: 'group', 'aria-label': 'Show' },
      queueFilters.map(([id, label, keep]) => el('button', {
        type: 'button',
        class: 'filter',
        'aria-pressed': String(id === filter),
        onclick: () => onFilter(id),
      }, `${label} ${all.filter((c) => keep(c, connection, now)).length}`))));
  const keep = queueFilters.find(([id]) => id === filter)[2];
  const shown = groupedByPerson(all.filter((c) => keep(c, connection, now)));
  const rows = shown.flatMap((group) => group.map((c, i) => row(c, connection, now,
    { selectedId, onSelect, fresh, defaultLanguage, inGroup: i > 0, groupSize: group.length })));
  fill(list, ...rows);
  if (rows.length === 0) list.append(el('li', { class: 'empty' }, all.length ? 'None of this kind open.' : 'No open alarms.'));
  // Roving tabindex: Tab reaches the queue at the selected row, or the first when none is.
  if (!list.querySelector('.case[tabindex="0"]')) list.querySelector('.case')?.setAttribute('tabindex', '0');
  return shown.flat();
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
