// The editors of carers (with the windows when they may be called), devices (with when each
// was last heard from) and operator accounts (roles, languages, a password reset).
import { el } from './dom.js';
import { field, when } from './admin_api.js';
import { input, readFields, select, showEditor } from './record_form.js';

const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

// Availability windows: days ticked, from and to; none means always available.
function windowsEditor(windows, canEdit) {
  const rows = el('div', {});
  const renumber = () => [...rows.children].forEach((r, i) => {
    for (const f of r.querySelectorAll('[data-field]')) f.dataset.field = f.dataset.field.replace(/availability\[\d+\]/, `availability[${i}]`);
  });
  const row = (w) => {
    const boxes = days.map((d) => el('label', {}, el('input', { type: 'checkbox', value: d, checked: (w.days || []).includes(d) }), ` ${d} `));
    const from = input(w.from || '08:00', { 'data-key': 'from', placeholder: 'HH:MM' });
    const to = input(w.to || '20:00', { 'data-key': 'to', placeholder: 'HH:MM (24:00: end of day)' });
    const r = el('div', { class: 'rule' },
      el('div', { class: 'field', 'data-field': 'availability[0].days' }, el('span', {}, 'Days'), el('div', {}, boxes), el('p', { class: 'field-error' })),
      el('div', { class: 'rule-head' }, field('From', 'availability[0].from', from), field('To', 'availability[0].to', to),
        canEdit ? el('button', { type: 'button', onclick: () => { r.remove(); renumber(); } }, 'Remove') : null));
    delete from.dataset.path;
    delete to.dataset.path;
    r.read = () => ({ days: boxes.map((b) => b.firstChild).filter((b) => b.checked).map((b) => b.value), from: from.value, to: to.value });
    return r;
  };
  for (const w of windows) rows.append(row(w));
  renumber();
  const wrapper = el('fieldset', { 'data-field': 'availability', 'data-list': 'availability' },
    el('legend', {}, 'When they may be called (none: at any time), in their time zone'), rows,
    canEdit ? el('button', { type: 'button', onclick: () => { rows.append(row({ days: days.slice(0, 5) })); renumber(); } }, 'Add a window') : null,
    el('p', { class: 'field-error' }));
  wrapper.read = () => [...rows.children].map((r) => r.read());
  return wrapper;
}

const text = (label, path, value, attrs = {}) => field(label, path, input(value, attrs));
const fieldset = (legend, ...fields) => el('fieldset', {}, el('legend', {}, legend), ...fields);

export function showCarerEditor(view, carer, me, message = '') {
  const c = carer || { languages: [], availability: [], time_zone: 'Europe/London' };
  let windows;
  showEditor(view, { record: carer, me, message, collection: 'carers', key: 'id', hash: 'carer', reshow: showCarerEditor,
    title: (r) => (r ? r.name : 'New carer'),
    sections: (canEdit) => {
      windows = windowsEditor(c.availability || [], canEdit);
      return fieldset('Carer', carer ? null : text('Id', 'id', ''),
        text('Name', 'name', c.name), text('Relationship', 'relationship', c.relationship, { placeholder: 'daughter, neighbour…' }),
        text('Phone', 'phone', c.phone, { placeholder: '+447700900123' }), text('Email', 'email', c.email, { type: 'email' }),
        field('Languages (comma-separated tags)', 'languages', input((c.languages || []).join(', '), { 'data-kind': 'list' })),
        text('Time zone', 'time_zone', c.time_zone, { placeholder: 'Europe/London' }), windows);
    },
    buildBody: (form) => ({ ...readFields(form), availability: windows.read() }) });
}

// A DC-09 unit's zones as people type them: "5=fall@bedroom, 7=smoke@kitchen".
const zonesText = (zones) => (zones || []).map((z) => `${z.zone}=${z.type}${z.location ? `@${z.location}` : ''}`).join(', ');
function zonesFrom(text) {
  return text.split(',').map((s) => s.trim()).filter(Boolean).map((item) => {
    const [zone, rest = ''] = item.split('=');
    const [type, location] = rest.split('@');
    const z = { zone: /^\d+$/.test(zone.trim()) ? Number(zone.trim()) : zone.trim(), type: type.trim() };
    if (location && location.trim()) z.location = location.trim();
    return z;
  });
}

export function showDeviceEditor(view, device, me, message = '', prefill = {}) {
  const d = device || { heartbeat_interval_s: 900, ...(prefill.account ? { protocol: 'dc09', account: prefill.account } : {}) };
  const secret = (label, path) => field(label, path, input('', { type: 'password', autocomplete: 'new-password', 'data-optional': 'true' }));
  let protocol;
  let zones;
  showEditor(view, { record: device, me, message, collection: 'devices', key: 'id', hash: 'device', reshow: showDeviceEditor,
    title: (r) => (r ? `Device ${r.id}` : 'New device'),
    sections: () => {
      protocol = select(d.protocol || 'lantern', [['lantern', "Lantern's device link (token)"], ['dc09', 'SIA DC-09 alarm unit (account)']]);
      zones = input(zonesText(d.zones), { placeholder: '5=fall@bedroom, 7=smoke@kitchen' });
      return el('div', {},
        fieldset('Device', device ? null : text('Id', 'id', ''),
          text('Person (id)', 'person_id', d.person_id), text('Kind', 'kind', d.kind, { placeholder: 'pendant, fall_detector, home_hub…' }),
          text('Where in the home', 'location', d.location, { placeholder: 'bedroom, front door…', 'data-optional': 'true' }),
          field('Speaks', 'protocol', protocol),
          text('Heartbeat interval (s)', 'heartbeat_interval_s', d.heartbeat_interval_s, { type: 'number', min: '10', max: '86400' })),
        fieldset("Lantern's device link",
          secret(device ? 'New token (leave empty to keep the current one)' : 'Token (at least 16 characters)', 'token')),
        fieldset('SIA DC-09 unit',
          text('Account (3-16 hex digits)', 'account', d.account),
          text('Receiver (hex; empty: any)', 'receiver', d.receiver), text('Line (hex; empty: any)', 'line', d.line),
          el('p', {}, d.key_set ? 'A key is set (never shown). Give a new one to change it.' : 'No key: the unit sends in clear.'),
          secret('Key, hex (32, 48 or 64 digits)', 'key'), secret('or key as typed on the unit (16, 24 or 32 characters)', 'key_ascii'),
          field('Zones (zone=type@location, comma-separated)', 'zones', zones)));
    },
    buildBody: (form) => {
      const body = readFields(form);
      if (body.protocol === 'dc09') {
        delete body.token;
        body.zones = zonesFrom(zones.value);
        for (const k of ['receiver', 'line']) if (body[k] === '') delete body[k];
      } else {
        for (const k of ['account', 'receiver', 'line', 'key', 'key_ascii']) delete body[k];
        delete body.zones;
      }
      return body;
    },
    aside: () => (device ? el('section', {}, el('h3', {}, 'Last heard from'), el('p', {}, when(device.last_seen_ms)),
      el('h3', {}, 'Sequence numbers reused'),
      el('p', {}, device.seq_reused && device.seq_reused.count > 0
        ? `${device.seq_reused.count} alarm(s) came under a seq used before for a different alarm, last ${when(device.seq_reused.last_at_ms)}: the unit's counter went back. Each was stored and raised; check the unit.`
        : 'Never.')) : null) });
}

export function showOperatorEditor(view, account, me, message = '') {
  const a = account || { role: 'operator', languages: [] };
  showEditor(view, { record: account, me, message, collection: 'operators', key: 'username', hash: 'operator',
    reshow: showOperatorEditor, title: (r) => (r ? r.display_name : 'New operator'),
    sections: () => fieldset('Operator account', account ? null : text('Username', 'username', ''),
      text('Display name', 'display_name', a.display_name),
      field('Role', 'role', select(a.role, [['operator', 'operator'], ['supervisor', 'supervisor'], ['admin', 'admin']])),
      field('Languages spoken (comma-separated tags)', 'languages', input((a.languages || []).join(', '), { 'data-kind': 'list' })),
      field('State follows the work (accepting a case sets "on a call"; the last case done, back as before)', 'auto_presence',
        input('', { type: 'checkbox', checked: a.auto_presence !== false })),
      field(account ? 'Reset password (leave empty to keep it)' : 'Password (at least 12 characters)', 'password',
        input('', { type: 'password', autocomplete: 'new-password', 'data-optional': 'true' }))),
    buildBody: readFields });
}
