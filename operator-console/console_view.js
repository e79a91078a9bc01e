// The console: header (who is logged in, link state), the live queue, and the plan card.
// Keys: ↑/↓ or j/k move through the queue.
import { el } from './dom.js';
import { ConsoleConnection } from './connection.js';
import { renderQueue, tickAges } from './queue_view.js';
import { renderPlanCard } from './plan_card.js';

export function showConsole(root, me, onLoggedOut) {
  const status = el('span', { class: 'link-status', role: 'status' }, 'connecting');
  const count = el('span', { class: 'queue-count' });
  const logout = el('button', { class: 'logout', type: 'button' }, 'Log out');
  const list = el('ol', { class: 'queue', role: 'listbox', 'aria-label': 'Open alarms, most urgent first' });
  const card = el('article', { class: 'plan-card', 'aria-label': 'Selected alarm' });
  root.replaceChildren(
    el('header', { class: 'top' },
      el('h1', {}, 'Lantern'),
      count,
      el('span', { class: 'operator' }, `${me.display_name} (${me.role})`),
      status, logout),
    el('div', { class: 'desk' },
      el('section', { class: 'queue-pane' }, el('h2', { class: 'visually-hidden' }, 'Queue'), list),
      el('section', { class: 'card-pane' }, card)));

  let selectedId = null;
  let ordered = [];
  const connection = new ConsoleConnection({
    onState: () => redraw(),
    onStatus: (s) => {
      status.textContent = s;
      status.dataset.state = s;
    },
    onLoggedOut: () => onLoggedOut(),
  });

  function redraw() {
    ordered = renderQueue(list, connection, selectedId, select);
    count.textContent = `${ordered.length} open`;
    if (selectedId && !connection.cases.has(selectedId)) selectedId = null;
    renderPlanCard(card, selectedId ? connection.cases.get(selectedId) : null);
  }

  function select(caseId) {
    selectedId = caseId;
    redraw();
    list.querySelector(`[data-case-id="${CSS.escape(caseId)}"]`)?.focus();
  }

  document.addEventListener('keydown', (event) => {
    if (event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement) return;
    const index = ordered.findIndex((c) => c.case_id === selectedId);
    if (event.key === 'ArrowDown' || event.key === 'j') {
      const next = ordered[Math.min(ordered.length - 1, index + 1)];
      if (next) select(next.case_id);
      event.preventDefault();
    } else if (event.key === 'ArrowUp' || event.key === 'k') {
      const previous = ordered[Math.max(0, index - 1)];
      if (previous) select(previous.case_id);
      event.preventDefault();
    }
  });

  logout.addEventListener('click', async () => {
    connection.close();
    await fetch('/api/v1/logout', { method: 'POST', credentials: 'same-origin' });
    onLoggedOut();
  });

  setInterval(() => tickAges(list, connection), 1000);
  connection.open();
}
