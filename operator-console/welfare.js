// The welfare-check list: after an outage, everyone with alarms or missed check-ins in a
// window, with how to reach them, to call down the list (and print it).
import { el, fill } from './dom.js';
import { alarmTypeName, phoneForReading } from './format.js';

const from = document.getElementById('from');
const to = document.getElementById('to');
const status = document.getElementById('status');
const table = document.getElementById('list');
const covered = document.getElementById('window-covered');

// <input type="datetime-local"> works in local wall-clock time without a zone.
const localValue = (ms) => new Date(ms - new Date(ms).getTimezoneOffset() * 60000).toISOString().slice(0, 16);
const when = (ms) => new Date(Number(ms)).toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'short' });

async function show() {
  const params = new URLSearchParams({ from: String(new Date(from.value).getTime()), to: String(new Date(to.value).getTime()) });
  status.textContent = 'Reading…';
  const response = await fetch(`/api/v1/welfare?${params}`, { credentials: 'same-origin' });
  if (response.status === 401) {
    location.href = '/';
    return;
  }
  const body = await response.json();
  if (!response.ok) {
    status.textContent = body.error;
    return;
  }
  // The printout says which window it covers, and when it was made: a list is only as good as its window.
  covered.textContent = `People to check on after alarms from ${when(new Date(from.value).getTime())} to ${when(new Date(to.value).getTime())}`;
  status.textContent = `${body.persons.length} ${body.persons.length === 1 ? 'person' : 'people'} to check on, most recent first. Made ${when(Date.now())}.`;
  table.hidden = body.persons.length === 0;
  fill(table.tBodies[0], body.persons.map((p) => el('tr', { class: p.missed_checkins > 0 ? 'missed' : '' },
    el('td', {}, p.name || p.person_id),
    el('td', {}, p.phone ? el('a', { href: `tel:${p.phone}` }, phoneForReading(p.phone)) : ''),
    el('td', {}, p.address || ''),
    el('td', {}, String(p.alarms)),
    el('td', {}, String(p.missed_checkins)),
    el('td', {}, Object.entries(p.by_type).map(([type, n]) => `${alarmTypeName(type)} ×${n}`).join(', ')),
    el('td', {}, when(p.last_at_ms)))));
}

const now = Date.now();
from.value = localValue(now - 6 * 3600 * 1000);
to.value = localValue(now + 60 * 1000);
document.getElementById('window').addEventListener('submit', (event) => {
  event.preventDefault();
  show();
});
document.getElementById('print').addEventListener('click', () => window.print());
show();
