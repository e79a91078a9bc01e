// The console: header (who, their state, link state), the live queue, the selected case
// (actions, plan card, timeline), and for supervisors the floor view. Keyboard first:
// ↑/↓ or j/k move through the queue; each action's key is on its button; V goes to the
// newest critical case. The page never scrolls as a whole: banners take their own space and
// the queue and the case scroll inside what is left.
import { el, fill } from './dom.js';
import { ConsoleConnection } from './connection.js';
import { renderQueue, renderResolved, tickAges } from './queue_view.js';
import { renderPlanCard } from './plan_card.js';
import { renderTimeline } from './timeline_view.js';
import { renderEscalation } from './escalation_panel.js';
import { actions, applies, doneSentence, renderActionBar } from './case_actions.js';
import { confirmAction, openForm } from './case_forms.js';
import { renderFloor } from './floor_view.js';
import { CriticalSound } from './sound.js';
import { openSearch, renderPersonView } from './person_view.js';
import { alarmTypeName, byUrgency, presenceNames } from './format.js';
import { deadlineText, isForYou, nextDeadline } from './routing.js';

export function showConsole(root, me, onLoggedOut) {
  const status = el('span', { class: 'link-status', role: 'status' }, 'connecting');
  const count = el('span', { class: 'queue-count' });
  const presence = el('select', { id: 'presence', 'aria-label': 'Your state' },
    ['ready', 'on_call', 'on_break'].map((p) => el('option', { value: p }, presenceNames[p])));
  const logout = el('button', { class: 'logout', type: 'button' }, 'Log out');
  const findButton = el('button', { class: 'find-person', type: 'button', onclick: () => findPerson() },
    'Find a person ', el('kbd', {}, '/'));
  const announceText = el('span', {});
  const announce = el('button', { type: 'button', class: 'critical-banner', hidden: true, onclick: () => viewNewestCritical() },
    announceText, el('span', { class: 'banner-key' }, ' — press ', el('kbd', {}, 'V'), ' or click to view'));
  // Screen readers hear only what is new and matters: a critical case (alert) and a case
  // offered to this operator (polite), not every update.
  const alert = el('p', { class: 'visually-hidden', role: 'alert' });
  const offered = el('p', { class: 'visually-hidden', 'aria-live': 'polite' });
  const soundButton = el('button', { type: 'button', class: 'sound-state' });
  const sound = new CriticalSound({ onChange: () => showSound() });
  const counts = el('div', { class: 'queue-head' });
  let filter = 'all';
  // Cases raised again (no responder reached, a carer overdue) stay flagged until someone acts.
  const raised = el('ul', { class: 'raised-banner', role: 'alert', hidden: true });
  // A case of this operator's that someone else took: who, and why, until dismissed.
  const lost = el('ul', { class: 'lost-banner', role: 'alert', hidden: true });
  const list = el('ol', { class: 'queue', role: 'listbox', 'aria-label': 'Open alarms, most urgent first' });
  const resolved = el('details', { class: 'resolved' });
  const bar = el('div', { class: 'action-bar', role: 'toolbar', 'aria-label': 'Case actions' });
  const formArea = el('div', { class: 'form-area' });
  const actionStatus = el('p', { class: 'action-status', role: 'status' });
  const card = el('article', { class: 'plan-card', 'aria-label': 'Selected alarm' });
  const floor = el('section', { class: 'floor', 'aria-label': 'The floor', hidden: true });
  const works = me.role !== 'admin';
  root.classList.add('console-page');
  fill(root,
    el('header', { class: 'top' },
      el('h1', {}, 'Lantern'),
      count,
      el('span', { class: 'operator' }, `${me.display_name} (${me.role})`),
      works ? el('label', { class: 'presence' }, 'State ', presence) : null,
      me.role !== 'operator' ? el('a', { class: 'welfare-link', href: '/welfare.html', target: '_blank' }, 'Welfare list') : null,
      me.role !== 'operator' ? el('a', { class: 'welfare-link', href: '/admin.html', target: '_blank' }, 'Records') : null,
      me.role !== 'operator' ? el('a', { class: 'welfare-link', href: '/reports.html', target: '_blank' }, 'Reports') : null,
      findButton, soundButton, status, logout),
    announce,
    alert,
    offered,
    raised,
    lost,
    floor,
    el('div', { class: 'desk' },
      el('section', { class: 'queue-pane' }, el('h2', { class: 'visually-hidden' }, 'Queue'), counts,
        el('div', { class: 'queue-scroll' }, list, resolved)),
      el('section', { class: 'card-pane' }, bar, actionStatus,
        // A form opens beside the card, never over it: the notes, access and responders stay in view.
        el('div', { class: 'card-body' }, formArea, card))));

  let selectedId = null;
  let personShown = null;  // a person's card opened without a case ("/")
  let openedFor = null;    // the person whose case this operator has just opened by hand
  let ordered = [];
  const fresh = new Set();
  const connection = new ConsoleConnection({
    onState: (_, changed, isNew, earlier) => {
      if (isNew && changed.priority === 'critical' && changed.state === 'queued') criticalCue(changed);
      else if (isNew && isForYou(changed, connection, connection.serverNow()))
        offered.textContent = `New case for you: ${alarmTypeName(changed.alarm_type)}, ${changed.person?.name || ''}`;
      if (changed?.attention && changed.attention !== earlier?.attention) sound.play();
      const me = connection.operator?.username;
      if (earlier?.owner === me && changed?.owner && changed.owner !== me) tellLost(changed);
      if (isNew && openedFor && changed.person?.person_id === openedFor && changed.owner === me) {
        openedFor = null;
        select(changed.case_id);  // the case just opened by hand: work it
        return;
      }
      redraw();
    },
    onStatus: (s) => {
      status.textContent = s;
      status.dataset.state = s;
    },
    onLoggedOut: () => leave(),
    onFloor: (figures) => {
      floor.hidden = false;
      renderFloor(floor, figures);
    },
  });

  function tellLost(c) {
    const last = [...(c.timeline || [])].reverse().find((t) => t.kind === 'reassign');
    const why = last?.text?.includes(': ') ? last.text.slice(last.text.indexOf(': ') + 2) : '';
    const who = c.owner_name || c.owner;
    const item = el('li', {},
      `${who} has taken case ${c.case_id} (${c.person?.name || ''}, ${alarmTypeName(c.alarm_type)}) from you`,
      why ? `: ${why}` : '.', ' ',
      el('button', { type: 'button', onclick: () => { item.remove(); lost.hidden = lost.children.length === 0; } }, 'Dismiss'));
    lost.append(item);
    lost.hidden = false;
    if (selectedId === c.case_id) fill(formArea);  // a form for a case no longer ours would be refused
  }

  function criticalCue(c) {
    sound.newCritical();
    fresh.add(c.case_id);
    announce.hidden = false;
    announceText.textContent = `New critical alarm: ${alarmTypeName(c.alarm_type)} — ${c.person?.name || ''}`;
    alert.textContent = announceText.textContent;
    setTimeout(() => {
      fresh.delete(c.case_id);
      if (fresh.size === 0) announce.hidden = true;
      redraw();
    }, 10_000);
  }

  // The sound's state, always in view: on, muted until a time, or blocked by the browser.
  function showSound() {
    const state = sound.state;
    soundButton.dataset.state = state;
    if (state === 'muted') {
      const until = new Date(sound.mutedUntil).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
      soundButton.textContent = `Muted until ${until} · unmute`;
      soundButton.title = 'Muted until then, or until the next new critical alarm';
    } else if (state === 'blocked') {
      soundButton.textContent = 'Sound off · turn on';
      soundButton.title = 'The browser plays no sound until the page is clicked or a key is pressed';
    } else {
      soundButton.textContent = 'Sound on · mute 10 min';
      soundButton.title = 'Critical alarms sound every 15 s until one is accepted';
    }
  }
  soundButton.addEventListener('click', () => {
    if (sound.state === 'muted') sound.unmute();
    else if (sound.state === 'on') sound.mute();
    else sound.unlock();
  });

  // The banner's action: the newest critical case still waiting, selected and in view.
  function viewNewestCritical() {
    const waiting = [...connection.cases.values()].filter((c) => c.priority === 'critical' && c.state === 'queued');
    const newest = waiting.sort((a, b) => Number(b.opened_at_ms) - Number(a.opened_at_ms))[0];
    if (!newest) return;
    if (filter !== 'all' && !ordered.some((c) => c.case_id === newest.case_id)) filter = 'all';
    select(newest.case_id);
    list.querySelector(`[data-case-id="${CSS.escape(newest.case_id)}"]`)?.scrollIntoView({ block: 'nearest' });
  }

  function selected() {
    return selectedId ? connection.cases.get(selectedId) : null;
  }

  function redraw() {
    presence.value = connection.presence;
    // The cue is for a critical case still waiting: once someone has it, it goes.
    for (const id of fresh) if (connection.cases.get(id)?.state !== 'queued') fresh.delete(id);
    if (fresh.size === 0) announce.hidden = true;
    const flagged = [...connection.cases.values()].filter((c) => c.attention);
    raised.hidden = flagged.length === 0;
    fill(raised, flagged.map((c) => el('li', {},
      el('button', { type: 'button', class: 'raised-case', onclick: () => select(c.case_id) },
        `${c.person?.name || c.case_id}: ${c.attention}`))));
    // Rebuilding the rows must not throw the keyboard (or a screen reader) out of the queue.
    const queueHadFocus = list.contains(document.activeElement);
    ordered = renderQueue(list, counts, connection, {
      selectedId, onSelect: select, fresh, filter, defaultLanguage: connection.centre.default_language || 'en-GB',
      onFilter: (id) => { filter = id; redraw(); },
    });
    if (queueHadFocus) list.querySelector('.case.selected')?.focus();
    count.textContent = `${connection.cases.size} open`;
    sound.keepGoing([...connection.cases.values()].some((c) => c.priority === 'critical' && c.state === 'queued'));
    renderResolved(resolved, connection, (id) => act('reopen', id));
    if (selectedId && !connection.cases.has(selectedId)) selectedId = null;
    const c = selected();
    renderActionBar(bar, c, connection.operator || me, runAction);
    if (!c) {
      if (personShown) return;  // drawn once when opened: redrawing would lose a note being typed
      if (!formArea.querySelector('.person-search')) fill(formArea);
      renderPlanCard(card, null);
      return;
    }
    const now = connection.serverNow();
    const deadline = nextDeadline(c, now);
    renderPlanCard(card, c, {
      access: connection.access.get(c.case_id), outcomes: connection.vocabulary.outcomes, now,
      device: c.device_id ? connection.deviceStatus(c.device_id) : undefined,
    },
      el('p', { class: 'case-state' },
        c.owner ? `${c.state} · ${c.owner === connection.operator?.username ? 'yours' : c.owner_name}` :
          `waiting${isForYou(c, connection, now) ? ' · for you' : ''}`,
        deadline ? el('span', { class: `deadline${deadline.overdue ? ' overdue' : ''}` },
          ` · next: ${deadlineText(c, now)}`) : null),
      // Who is being called, or on the way: near the top, where the operator is looking.
      renderEscalation(c));
    card.append(renderTimeline(c));
  }

  function select(caseId) {
    selectedId = caseId;
    const device = connection.cases.get(caseId)?.device_id;
    if (device) connection.deviceStatus(device, 20_000);  // fresh when an operator picks the case
    personShown = null;
    redraw();
    list.querySelector(`[data-case-id="${CSS.escape(caseId)}"]`)?.focus();
  }

  // "/": find a person by name, phone, address or device, and open their card.
  function findPerson() {
    openSearch(formArea, connection, (personId) => showPerson(personId), () => backToQueue());
  }

  async function showPerson(personId) {
    actionStatus.textContent = 'Opening…';
    const opened = await connection.request('open_person', { person_id: personId });
    actionStatus.textContent = opened.ok ? '' : opened.error;
    if (!opened.ok) return;
    fill(formArea);
    selectedId = null;
    personShown = opened.card;
    redraw();
    const theirs = [...connection.cases.values()].filter((c) => c.person?.person_id === personId).sort(byUrgency);
    renderPersonView(card, personShown, theirs, connection.vocabulary.outcomes, {
      onSelectCase: (id) => select(id),
      onOpenCase: async (type, note) => {
        openedFor = personId;
        const result = await connection.request('open_case', { person_id: personId, alarm_type: type, note });
        if (!result.ok) openedFor = null;
        else actionStatus.textContent = 'Case opened: it is yours';
        return result;
      },
    });
    card.querySelector('h2').setAttribute('tabindex', '-1');
    card.querySelector('h2').focus();
  }

  // The most urgent case waiting for an answer, then the oldest, offered to this operator
  // first: urgency alone decides, not how the queue groups the rows.
  function nextCase() {
    const now = connection.serverNow();
    const waiting = [...connection.cases.values()].filter((c) => c.state === 'queued').sort(byUrgency);
    const next = waiting.find((c) => isForYou(c, connection, now)) || waiting[0];
    if (next) select(next.case_id);
    else actionStatus.textContent = 'No case is waiting.';
  }

  async function act(command, caseId, fields = {}) {
    actionStatus.textContent = 'Saving…';
    const result = await connection.command(command, caseId, fields);
    actionStatus.textContent = result.ok ? doneSentence(command, fields, connection) : result.error;
    actionStatus.classList.toggle('refused', !result.ok);
  }

  const backToQueue = () => list.querySelector('.case.selected')?.focus();
  function runAction(action) {
    const c = selected();
    if (action.id === 'next') return nextCase();
    if (!c) return;
    const run = () => act(action.id, c.case_id);
    if (action.confirm) {
      return confirmAction(formArea, action.confirm, () => { run(); backToQueue(); }, () => {
        actionStatus.textContent = '';
        backToQueue();
      });
    }
    if (action.form) {
      return openForm(action.id, c, connection, formArea, (saved, fields) => {
        actionStatus.textContent = saved ? doneSentence(action.id, fields, connection) : '';
        backToQueue();
      });
    }
    return run();
  }

  // Everything this console hangs on the page outside its own elements goes when it is
  // left: after a logout and a new login, an old key handler would act a second time.
  const left = new AbortController();
  function leave() {
    left.abort();
    sound.stop();
    root.classList.remove('console-page');
    clearInterval(ticker);
    connection.close();
    onLoggedOut();
  }

  // The browser lets the page play sound once it is touched.
  document.addEventListener('pointerdown', () => { if (sound.state === 'blocked') sound.unlock(); }, { signal: left.signal });
  document.addEventListener('keydown', (event) => {
    if (sound.state === 'blocked') sound.unlock();
    const target = event.target;
    if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (target instanceof Element && target.closest('.person-search, .open-case')) return;
    if (event.key === '/') {
      event.preventDefault();
      findPerson();
      return;
    }
    const index = ordered.findIndex((c) => c.case_id === selectedId);
    if (event.key === 'ArrowDown' || event.key === 'j') {
      const next = ordered[Math.min(ordered.length - 1, index + 1)];
      if (next) select(next.case_id);
      event.preventDefault();
    } else if (event.key === 'v' && !announce.hidden) {
      viewNewestCritical();
      event.preventDefault();
    } else if (event.key === 'ArrowUp' || event.key === 'k') {
      const previous = ordered[Math.max(0, index - 1)];
      if (previous) select(previous.case_id);
      event.preventDefault();
    } else {
      const action = actions.find((a) => a.key === event.key);
      if (action && applies(action, selected(), connection.operator || me)) {
        event.preventDefault();
        runAction(action);
      }
    }
  }, { signal: left.signal });

  presence.addEventListener('change', () => connection.setPresence(presence.value));
  logout.addEventListener('click', async () => {
    connection.close();
    await fetch('/api/v1/logout', { method: 'POST', credentials: 'same-origin' });
    leave();
  });

  const ticker = setInterval(() => {
    tickAges(list, connection);
    const deadline = card.querySelector('.deadline');
    const c = selected();
    if (deadline && c) deadline.textContent = ` · next: ${deadlineText(c, connection.serverNow())}`;
  }, 1000);
  showSound();
  connection.open();
}
