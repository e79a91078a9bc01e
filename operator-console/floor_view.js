// The supervisor's view of the floor: queue, longest wait, who is doing what, the share of
// calls answered within 60 s and 180 s (last hour, today) against the targets, a chart of
// answer times, and an alert banner when the hour falls below 97.5% within 60 s.
import { el, fill, svg } from './dom.js';
import { elapsed, presenceNames } from './format.js';

function percent(share) {
  return `${(Number(share) * 100).toFixed(1)}%`;
}

function rateTile(title, rate) {
  return el('div', { class: 'tile' },
    el('h3', {}, title),
    el('p', { class: `big${Number(rate.share_60s) < 0.975 ? ' below' : ''}` }, percent(rate.share_60s),
      el('span', { class: 'unit' }, ' within 60 s')),
    el('p', { class: Number(rate.share_180s) < 0.99 ? 'below' : '' }, `${percent(rate.share_180s)} within 180 s`),
    el('p', { class: 'muted' }, `${rate.calls} calls`,
      Number(rate.opened_by_hand) ? ` · ${rate.opened_by_hand} opened by hand (not in the rate)` : ''));
}

// Each answered call of the last hour: when it came in (x) and how long it waited (y).
function answerChart(floor) {
  const width = 600, height = 170, left = 44, bottom = 22, top = 8;
  const now = Number(floor.server_time_ms);
  const times = floor.answer_times || [];
  const maxWait = Math.max(240_000, ...times.map((t) => Number(t.answer_ms)));
  const x = (ms) => left + ((ms - (now - 3_600_000)) / 3_600_000) * (width - left - 4);
  const y = (ms) => top + (1 - ms / maxWait) * (height - top - bottom);
  const chart = svg('svg', {
    class: 'answer-chart', viewBox: `0 0 ${width} ${height}`, role: 'img',
    'aria-label': `Answer times of ${times.length} calls in the last hour, against the 60 and 180 second targets`,
  });
  for (const [ms, label] of [[60_000, '60 s'], [180_000, '180 s']]) {
    chart.append(svg('line', { x1: left, x2: width - 4, y1: y(ms), y2: y(ms), class: 'target' }),
      svg('text', { x: 2, y: y(ms) + 4, class: 'axis' }, label));
  }
  chart.append(svg('line', { x1: left, x2: width - 4, y1: y(0), y2: y(0), class: 'baseline' }),
    svg('text', { x: left, y: height - 6, class: 'axis' }, '60 min ago'),
    svg('text', { x: width - 40, y: height - 6, class: 'axis' }, 'now'));
  if (times.length === 0) {
    chart.append(svg('text', { x: left + 12, y: y(120_000), class: 'axis' }, 'No call answered in the last hour yet'));
  }
  for (const t of times) {
    const wait = Number(t.answer_ms);
    const band = wait <= 60_000 ? 'met' : wait <= 180_000 ? 'late' : 'missed';
    chart.append(svg('rect', {
      x: x(Number(t.opened_at_ms)) - 2, y: Math.min(y(wait), y(0) - 3), width: 4, height: Math.max(3, y(0) - y(wait)), class: `bar ${band}`,
    }, svg('title', {}, `answered in ${elapsed(wait)}`)));
  }
  return chart;
}

export function renderFloor(container, floor) {
  const operators = floor.operators || [];
  fill(container,
    floor.below_target ? el('p', { class: 'alert-banner', role: 'alert' },
      `Below target: ${percent(floor.last_hour.share_60s)} of calls answered within 60 s in the last hour (target 97.5%)`) : null,
    el('div', { class: 'floor-grid' },
      el('div', { class: 'tiles' },
        el('div', { class: 'tile' }, el('h3', {}, 'Waiting'), el('p', { class: 'big' }, String(floor.queued)),
          el('p', { class: 'muted' }, `${floor.open} open in all`)),
        el('div', { class: 'tile' }, el('h3', {}, 'Longest wait'),
          el('p', { class: `big${Number(floor.longest_wait_ms) > 60_000 ? ' below' : ''}` }, elapsed(Number(floor.longest_wait_ms)))),
        rateTile('Last hour', floor.last_hour),
        rateTile('Today', floor.today)),
      el('div', { class: 'tile chart-tile' }, el('h3', {}, 'Answer times, last hour'), answerChart(floor)),
      el('div', { class: 'tile operators-tile' }, operatorTable(operators))));
}

function operatorTable(operators) {
  return el('table', { class: 'operators' },
      el('caption', { class: 'visually-hidden' }, 'Operators'),
      el('thead', {}, el('tr', {}, el('th', {}, 'Operator'), el('th', {}, 'State'), el('th', {}, 'Cases'))),
      el('tbody', {}, operators.map((o) => el('tr', { class: `presence-${o.presence}` },
        el('td', {}, `${o.display_name} (${o.role})`),
        el('td', {}, presenceNames[o.presence] || o.presence),
        el('td', {}, String(o.cases))))));
}
