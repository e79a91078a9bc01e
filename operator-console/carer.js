// The carer's page, opened from the link in a notification (/carer/<token>). Phone-sized and
// plain: whose alarm, what and when, how to talk to them and their medical notes; the
// address and access details once the carer says they are going. Live over /ws: the token
// in the address opens this one alarm and nothing else.
import { el, fill, phoneLink } from './dom.js';
import { alarmTypeName, hhmm } from './format.js';

const root = document.getElementById('carer');
const token = location.pathname.split('/').pop();
const etaChoices = [5, 10, 15, 20, 30, 45, 60];
let socket = null;
let view = null;
let heard = false; // whether this link has ever opened (a refused one closes at once)
let retryMs = 1000;
let problem = '';
let nextRequest = 1;
const pending = new Map();

function connect() {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  socket = new WebSocket(`${scheme}://${location.host}/ws?carer=${encodeURIComponent(token)}`);
  socket.addEventListener('message', (event) => {
    heard = true;
    retryMs = 1000;
    for (const line of event.data.split('\n')) receive(JSON.parse(line));
  });
  socket.addEventListener('close', () => {
    for (const answer of pending.values()) answer({ ok: false, error: 'the connection was lost: try again' });
    pending.clear();
    if (!heard) {
      fill(root, el('section', { class: 'closed' },
        el('h1', {}, 'This link no longer works'),
        el('p', {}, 'It may have expired. If you are on your way or need to talk to us, please call the monitoring centre.')));
      return;
    }
    setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, 10000);
  });
}

function receive(message) {
  if (message.type === 'result') {
    pending.get(message.request_id)?.(message);
    pending.delete(message.request_id);
  } else if (message.carer) {
    view = message.carer;
    render();
  } else if (message.error) {
    fill(root, el('section', { class: 'closed' }, el('h1', {}, message.error.message)));
  }
}

function reply(fields) {
  const requestId = `c${nextRequest++}`;
  return new Promise((answer) => {
    pending.set(requestId, answer);
    socket.send(JSON.stringify({ type: 'reply', request_id: requestId, ...fields }));
  }).then((result) => {
    problem = result.ok ? '' : result.error;
    render();
  });
}

function detail(label, text) {
  return text ? el('div', { class: 'detail' }, el('h3', {}, label), el('p', {}, text)) : null;
}

function hazards() {
  const list = view.hazards || [];
  return list.length ? el('div', { class: 'detail hazards' }, el('h3', {}, 'Take care: hazards in the home'),
    el('ul', {}, list.map((h) => el('li', {}, h)))) : null;
}

function actions() {
  const state = view.my_state || 'notified';
  if (view.case_closed) return null;
  if (state === 'notified' || state === 'timed_out') {
    return el('section', { class: 'actions' },
      el('h2', {}, 'Can you go?'),
      state === 'notified' && view.reply_by_ms ? el('p', { class: 'by' }, `Please answer by ${hhmm(view.reply_by_ms)}.`) : null,
      el('p', {}, "I'm going, I'll be there in:"),
      el('div', { class: 'eta' }, etaChoices.map((minutes) =>
        el('button', { class: 'going', onclick: () => reply({ reply: 'going', eta_min: minutes }) }, `${minutes} min`))),
      state === 'notified'
        ? el('button', { class: 'cant', onclick: () => reply({ reply: 'cant' }) }, "I can't go")
        : null);
  }
  if (state === 'going') {
    return el('section', { class: 'actions' },
      el('h2', {}, `You're on your way${view.eta_at_ms ? `: there by about ${hhmm(view.eta_at_ms)}` : ''}`),
      el('button', { class: 'going', onclick: () => reply({ reply: 'arrived' }) }, "I've arrived"),
      el('button', { class: 'cant', onclick: () => reply({ reply: 'cant' }) }, "I can't go after all"));
  }
  if (state === 'arrived') {
    const note = el('textarea', { id: 'done-note', rows: 4, maxlength: 4000,
      placeholder: 'How is the person? What did you do?', 'aria-label': 'Note for the centre' });
    return el('section', { class: 'actions' },
      el('h2', {}, "You're with them"),
      el('label', { for: 'done-note' }, 'When you are finished, tell the centre how it went:'),
      note,
      el('button', { class: 'going', onclick: () => reply({ reply: 'done', note: note.value }) }, 'Done'));
  }
  if (state === 'done') return el('section', { class: 'actions' }, el('h2', {}, 'Thank you. The centre has your note.'));
  return null;
}

function render() {
  if (!view) return;
  const attending = Boolean(view.address);
  // A change to the case redraws the page: keep what the carer is typing.
  const draft = document.getElementById('done-note')?.value;
  fill(root,
    el('header', {}, el('p', { class: 'brand' }, view.centre_name || 'Lantern monitoring centre'),
      view.centre_phone ? el('p', { class: 'centre-phone' }, 'To talk to us: ', phoneLink(view.centre_phone)) : null),
    el('section', { class: 'alarm' },
      el('h1', {}, view.person_name || 'An alarm'),
      el('p', { class: 'what' }, `${alarmTypeName(view.alarm_type)} alarm at ${hhmm(view.opened_at_ms)}`),
      view.carer_name ? el('p', {}, `For ${view.carer_name}`) : null),
    view.escalation_reason ? el('p', { class: 'reason' }, 'From the centre: ', el('q', {}, view.escalation_reason)) : null,
    view.notice ? el('p', { class: 'notice', role: 'status' }, view.notice) : null,
    problem ? el('p', { class: 'problem', role: 'alert' }, problem) : null,
    actions(),
    attending
      ? el('section', { class: 'where' },
        hazards(),
        el('div', { class: 'detail' }, el('h3', {}, 'Address'), el('p', {}, view.address),
          // The phone's own maps app takes this link (Android and iOS both do).
          el('p', {}, el('a', { class: 'map-link', target: '_blank', rel: 'noopener noreferrer',
            href: `https://www.google.com/maps/search/?api=1&query=${encodeURIComponent(view.address)}` }, 'Open in maps'))),
        view.person_phone ? el('div', { class: 'detail' }, el('h3', {}, 'Phone'), el('p', {}, phoneLink(view.person_phone))) : null,
        detail('Getting in', view.access))
      : null,
    el('section', { class: 'about' },
      detail('What to do', view.instructions),
      detail('Talking with them', view.communication),
      detail('Medical notes', view.medical_notes),
      detail('Medication', view.medications),
      detail('Allergies', view.allergies),
      detail('What matters to them', view.what_matters)),
    attending ? null : el('p', { class: 'later' }, 'The address, how to get in and any hazards appear here once you say you are going.'));
  const note = document.getElementById('done-note');
  if (note && draft) note.value = draft;
}

connect();
