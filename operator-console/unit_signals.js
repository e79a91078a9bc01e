// "Unallocated signals": alarm units reporting over SIA DC-09 from accounts no device has (a
// new installation to allocate: make a device with that account), and units asking to
// change their key (never applied until an admin sets it on the device; only a fingerprint).
import { el, fill } from './dom.js';
import { api, when } from './admin_api.js';

export async function showUnitSignals(view, me) {
  const answer = await api('GET', '/api/v1/unit-signals');
  if (!answer.ok) return fill(view, el('p', { class: 'form-error', role: 'alert' }, answer.body.error));
  const { unallocated, key_requests: keyRequests } = answer.body;
  const table = (headings, rows) => el('table', {},
    el('thead', {}, el('tr', {}, headings.map((h) => el('th', {}, h)))),
    el('tbody', {}, rows.map((cells) => el('tr', {}, cells.map((c) => el('td', {}, c))))));
  return fill(view,
    el('h2', {}, 'Unallocated signals'),
    el('p', { role: 'status' }, unallocated.length === 0
      ? 'Every unit that reported is allocated to a device.'
      : `${unallocated.length} account${unallocated.length === 1 ? '' : 's'} reporting without a device: each was answered DUH and nothing was stored.`),
    unallocated.length ? table(['Account', 'First seen', 'Last seen', 'Messages', 'From', 'Last event', ''],
      unallocated.map((u) => [u.account, when(u.first_seen_ms), when(u.last_seen_ms), String(u.count), u.last_source, u.last_event,
        me.role === 'admin' ? el('a', { href: `#device/new?account=${encodeURIComponent(u.account)}` }, 'Allocate…') : ''])) : null,
    el('h2', {}, 'Key change requests'),
    el('p', {}, keyRequests.length === 0
      ? 'None.'
      : 'A unit asked to change its key. The new key is not applied: set it on the device record once you have confirmed it with the installer.'),
    keyRequests.length ? table(['Device', 'Account', 'Asked', 'New key (fingerprint)'],
      keyRequests.map((k) => [el('a', { href: `#device/${encodeURIComponent(k.device_id)}` }, k.device_id), k.account, when(k.at_ms), k.fingerprint])) : null);
}
