// The records pages: lists with search and paging, and an editor per record, chosen by the
// address (#persons, #person/<id>, #carers, #carer/new, …). Admins edit; supervisors read.
import { el, fill } from './dom.js';
import { api, when } from './admin_api.js';
import { showPersonEditor } from './person_editor.js';
import { showCarerEditor, showDeviceEditor, showOperatorEditor } from './record_editors.js';
import { showUnitSignals } from './unit_signals.js';
import { showCentreEditor } from './centre_editor.js';

const view = document.getElementById('view');
const perPage = 25;

// What each list shows of a record, and where its editor is.
const kinds = {
  persons: { one: 'person', key: 'id', title: 'People', columns: [['Name', (r) => r.name], ['Born', (r) => r.date_of_birth],
    ['Address', (r) => r.address], ['Review due', (r) => r.plan.review_due]] },
  carers: { one: 'carer', key: 'id', title: 'Carers', columns: [['Name', (r) => r.name], ['Relationship', (r) => r.relationship],
    ['Phone', (r) => r.phone], ['Available', (r) => (r.availability.length ? r.availability.map((w) => `${w.days.join(' ')} ${w.from}–${w.to}`).join('; ') : 'any time')]] },
  devices: { one: 'device', key: 'id', title: 'Devices', columns: [['Id', (r) => r.id],
    ['Person', (r) => el('a', { href: `#person/${encodeURIComponent(r.person_id)}` }, r.person_id)],
    ['Kind', (r) => r.kind], ['Last heard from', (r) => when(r.last_seen_ms)]] },
  operators: { one: 'operator', key: 'username', title: 'Operators', columns: [['Name', (r) => r.display_name],
    ['Username', (r) => r.username], ['Role', (r) => r.role], ['Languages', (r) => r.languages.join(', ')]] },
};

async function showList(collection, me, { q = '', page = 1, inactive = false, overdue = false } = {}) {
  const kind = kinds[collection];
  const search = el('input', { type: 'search', value: q, placeholder: 'Search by name or id', 'aria-label': `Search ${kind.title.toLowerCase()}` });
  const showInactive = el('input', { type: 'checkbox', checked: inactive });
  const params = new URLSearchParams({ q, page: String(page), per_page: String(perPage), include_inactive: String(inactive) });
  if (overdue) params.set('review', 'overdue');
  const answer = await api('GET', `/api/v1/${collection}?${params}`);
  if (!answer.ok) {
    fill(view, el('p', { class: 'form-error', role: 'alert' }, answer.body.error));
    return;
  }
  const { items, total } = answer.body;
  const pages = Math.max(1, Math.ceil(total / perPage));
  const again = (changes) => showList(collection, me, { q: search.value, page, inactive: showInactive.checked, overdue, ...changes });
  const form = el('form', { class: 'toolbar', role: 'search' }, search, el('button', { type: 'submit' }, 'Search'),
    overdue ? null : el('label', {}, showInactive, ' include deactivated'),
    me.role === 'admin' && !overdue ? el('a', { href: `#${kind.one}/new` }, `New ${kind.one}`) : null);
  form.addEventListener('submit', (e) => { e.preventDefault(); again({ page: 1 }); });
  showInactive.addEventListener('change', () => again({ page: 1 }));
  fill(view,
    el('h2', {}, overdue ? 'Plans due for review' : kind.title),
    form,
    el('p', { role: 'status' }, `${total} ${total === 1 ? kind.one : kind.title.toLowerCase()}${overdue ? ' with a review date passed' : ''}.`),
    el('table', {},
      el('thead', {}, el('tr', {}, kind.columns.map(([h]) => el('th', {}, h)))),
      el('tbody', {}, items.map((r) => el('tr', { class: r.active ? '' : 'inactive' },
        kind.columns.map(([, value], i) => el('td', {}, i === 0 ? el('a', { href: `#${kind.one}/${encodeURIComponent(r[kind.key])}` }, value(r) || r[kind.key]) : value(r) || '')))))),
    pages > 1 ? el('div', { class: 'toolbar' },
      el('button', { type: 'button', disabled: page <= 1, onclick: () => again({ page: page - 1 }) }, 'Previous'),
      el('span', {}, `Page ${page} of ${pages}`),
      el('button', { type: 'button', disabled: page >= pages, onclick: () => again({ page: page + 1 }) }, 'Next')) : null);
}

const editors = { person: showPersonEditor, carer: showCarerEditor, device: showDeviceEditor, operator: showOperatorEditor };
const collectionOf = { person: 'persons', carer: 'carers', device: 'devices', operator: 'operators' };

async function route(me) {
  const [name, rest] = decodeURIComponent(location.hash.slice(1) || 'persons').split('/');
  // "#device/new?account=BEEF": a new record with fields filled in (from the unallocated list).
  const [id, query] = (rest || '').split('?');
  for (const a of document.querySelectorAll('nav.tabs a')) {
    if (a.getAttribute('href') === `#${collectionOf[name] || name}`) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (name === 'reviews') return showList('persons', me, { overdue: true });
  if (name === 'unit-signals') return showUnitSignals(view, me);
  if (name === 'centre') {
    const settings = await api('GET', '/api/v1/settings/centre');
    if (!settings.ok) return fill(view, el('p', { class: 'form-error', role: 'alert' }, settings.body.error));
    return showCentreEditor(view, settings.body, me);
  }
  if (kinds[name]) return showList(name, me);
  if (!editors[name]) return fill(view, el('p', {}, 'No such page.'));
  if (id === 'new') return editors[name](view, null, me, '', Object.fromEntries(new URLSearchParams(query || '')));
  const answer = await api('GET', `/api/v1/${collectionOf[name]}/${encodeURIComponent(id)}`);
  if (!answer.ok) return fill(view, el('p', { class: 'form-error', role: 'alert' }, answer.body.error));
  return editors[name](view, answer.body, me);
}

async function start() {
  const me = await fetch('/api/v1/me', { credentials: 'same-origin' });
  if (!me.ok) {
    location.href = '/';
    return;
  }
  const account = await me.json();
  document.getElementById('who').textContent = `${account.display_name} (${account.role})`;
  if (account.role === 'operator') {
    fill(view, el('p', {}, 'Records are kept by supervisors and admins. Your console shows each person\'s plan on their cases.'));
    return;
  }
  window.addEventListener('hashchange', () => route(account));
  route(account);
}

start();
