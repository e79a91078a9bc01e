// The service report a centre manager prints for commissioners and TSA audits: a period of
// whole days in the centre's time zone, its figures from GET /api/v1/reports/service, the
// charts drawn here as SVG, the same figures as CSV.
import { el, fill, svg } from './dom.js';
import { api } from './admin_api.js';
import { alarmTypeName } from './format.js';

const span = document.getElementById('span');
const from = document.getElementById('from');
const to = document.getElementById('to');
const status = document.getElementById('status');
const report = document.getElementById('report');

// Dates as YYYY-MM-DD, computed in UTC so that no local clock change moves a day.
const iso = (d) => d.toISOString().slice(0, 10);
const day = (text) => new Date(`${text}T00:00:00Z`);
const addDays = (d, n) => new Date(d.getTime() + n * 86400000);

// The first and last day of the span containing `first`.
function period() {
  const start = day(from.value);
  if (span.value === 'day') return [iso(start), iso(start)];
  if (span.value === 'week') {
    const monday = addDays(start, -((start.getUTCDay() + 6) % 7));
    return [iso(monday), iso(addDays(monday, 6))];
  }
  if (span.value === 'month') {
    const first = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), 1));
    const last = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 0));
    return [iso(first), iso(last)];
  }
  return [from.value, to.value];
}

const percent = (share) => `${(Number(share) * 100).toFixed(1)}%`;
// A median over nothing comes as null: a dash, never "0 s".
const seconds = (s) => (s === null || s === undefined ? '–' : s >= 120 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${Math.round(s)} s`);
const longDate = (text) => day(text).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const madeAt = (ms) => new Date(ms).toLocaleString('en-GB', { dateStyle: 'long', timeStyle: 'short' });

function rateTile(title, share, target, met, decided) {
  const ok = share >= target;
  return el('div', { class: `rate ${ok ? 'met' : 'below'}` },
    el('span', { class: 'rate-title' }, title),
    el('strong', {}, percent(share)),
    el('span', {}, `target ${percent(target)}: ${ok ? 'met' : 'below target'}`),
    el('span', { class: 'note' }, `${met} of ${decided} calls`));
}

// Answer times by band: green within 60 s, amber within 180 s, red past it.
function bandChart(bands) {
  const width = 720, height = 230, left = 40, bottom = 40, top = 16;
  const most = Math.max(1, ...bands.map((b) => b.calls));
  const step = (width - left - 8) / bands.length;
  const y = (n) => height - bottom - (n / most) * (height - bottom - top);
  const label = bands.map((b) => `${b.band}: ${b.calls}`).join('; ');
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-label': `Answer times: ${label}` });
  bands.forEach((b, i) => {
    const kind = i <= 3 ? 'met' : i <= 6 ? 'late' : 'missed';
    const x = left + i * step + 4;
    chart.append(
      svg('rect', { x, y: y(b.calls), width: step - 8, height: height - bottom - y(b.calls), class: `bar ${kind}` }),
      svg('text', { x: x + (step - 8) / 2, y: y(b.calls) - 4, class: 'value' }, String(b.calls)),
      svg('text', { x: x + (step - 8) / 2, y: height - bottom + 16, class: 'axis' }, b.band.replace('up to ', '≤ ').replace('over ', '> ')));
  });
  chart.append(svg('line', { x1: left, x2: width - 4, y1: height - bottom, y2: height - bottom, class: 'baseline' }),
    svg('text', { x: left, y: height - 6, class: 'axis start' }, 'calls by time to answer (green: within 60 s; amber: within 180 s; red: later)'));
  return [el('figcaption', {}, 'How long alarm calls waited for an operator'), chart];
}

// Calls by day of week and hour of day, darker for more; each cell says its median answer.
function heatMap(rows) {
  const cell = 26, left = 44, top = 22;
  const width = left + 24 * cell + 4, height = top + 7 * cell + 24;
  const most = Math.max(1, ...rows.flatMap((r) => r.calls));
  const total = rows.reduce((n, r) => n + r.calls.reduce((a, b) => a + b, 0), 0);
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart heat', role: 'img',
    'aria-label': `Alarm calls by day of the week and hour of the day: ${total} in all` });
  for (let h = 0; h < 24; h += 3) chart.append(svg('text', { x: left + h * cell + cell / 2, y: 14, class: 'axis' }, `${String(h).padStart(2, '0')}:00`));
  rows.forEach((r, d) => {
    chart.append(svg('text', { x: 4, y: top + d * cell + cell / 2 + 4, class: 'axis start' }, r.day));
    r.calls.forEach((n, h) => {
      const rect = svg('rect', { x: left + h * cell, y: top + d * cell, width: cell - 2, height: cell - 2,
        class: n ? 'cell' : 'cell none', 'fill-opacity': n ? (0.2 + 0.8 * n / most).toFixed(2) : 1 },
        svg('title', {}, `${r.day} ${String(h).padStart(2, '0')}:00: ${n} call${n === 1 ? '' : 's'}${n ? `, median answer ${seconds(r.median_answer_s[h])}` : ''}`));
      chart.append(rect);
      if (n) chart.append(svg('text', { x: left + h * cell + (cell - 2) / 2, y: top + d * cell + cell / 2 + 3, class: 'count' }, String(n)));
    });
  });
  chart.append(svg('text', { x: left, y: height - 4, class: 'axis start' }, 'alarm calls by local hour (darker: more)'));
  return [el('figcaption', {}, 'When calls came in'), chart];
}

const figure = (term, value) => [el('dt', {}, term), el('dd', {}, String(value))];

function draw(r) {
  const [first, last] = [r.period.from, r.period.to];
  document.getElementById('title').textContent = `${r.centre}: service report, ${first === last ? longDate(first) : `${longDate(first)} to ${longDate(last)}`}`;
  document.getElementById('subtitle').textContent = `Days and hours in ${r.period.time_zone}. Produced ${madeAt(r.produced_at_ms)}. Computed from the stored events: the same period gives the same figures.`;
  document.getElementById('in-progress').hidden = !r.period.in_progress;
  const c = r.alarm_calls;
  fill(document.getElementById('rates'),
    rateTile('Answered within 60 s', c.share_60s, c.target_60s, c.answered_within_60s, c.decided_60s),
    rateTile('Answered within 180 s', c.share_180s, c.target_180s, c.answered_within_180s, c.decided_180s),
    el('div', { class: 'rate plain' }, el('span', { class: 'rate-title' }, 'Alarm calls'), el('strong', {}, String(c.calls)),
      el('span', {}, `median answer ${seconds(c.median_answer_s)}`)));
  document.getElementById('calls-note').textContent =
    `${c.still_waiting} not answered when the report was made (counted as missed once past a target). ` +
    `${c.manual_cases} case${c.manual_cases === 1 ? '' : 's'} opened by operators for phone calls, not in the rates. ` +
    'Technical alarms (missed check-ins, low batteries) are not alarm calls.';
  fill(document.getElementById('bands'), bandChart(r.answer_bands));
  fill(document.getElementById('heat'), heatMap(r.by_day_and_hour));
  fill(document.getElementById('operators').tBodies[0], r.operators.length
    ? r.operators.map((o) => el('tr', {}, el('td', {}, o.name), el('td', {}, String(o.cases_handled)),
      el('td', {}, seconds(o.median_answer_s)), el('td', {}, seconds(o.p90_answer_s)), el('td', {}, seconds(o.median_handle_s))))
    : el('tr', {}, el('td', { colspan: 5 }, 'No case was answered in this period.')));
  const alarms = Object.entries(r.alarms_by_type).sort((a, b) => b[1] - a[1]);
  fill(document.getElementById('alarms').tBodies[0], alarms.length
    ? alarms.map(([type, n]) => el('tr', {}, el('td', {}, alarmTypeName(type)), el('td', {}, String(n))))
    : el('tr', {}, el('td', { colspan: 2 }, 'No alarms.')));
  const outcomes = Object.entries(r.outcomes_by_type).flatMap(([type, by]) => Object.entries(by).map(([o, n]) => [type, o, n]));
  fill(document.getElementById('outcomes').tBodies[0], outcomes.length
    ? outcomes.map(([type, o, n]) => el('tr', {}, el('td', {}, alarmTypeName(type)), el('td', {}, r.outcome_labels[o] || o), el('td', {}, String(n))))
    : el('tr', {}, el('td', { colspan: 3 }, 'No case ended in this period.')));
  const e = r.escalations;
  fill(document.getElementById('escalations'),
    figure('Escalations started', e.started), figure('Reached a carer who went', e.reached_responder),
    figure('Handed back to operators (no carer reached)', e.handed_back), figure('Arrivals overdue', e.arrivals_overdue),
    figure('Median time to a carer on the way', seconds(e.median_to_on_the_way_s)));
  const t = r.technical;
  fill(document.getElementById('technical'),
    figure('Missed check-ins', t.missed_checkins), figure('Low batteries', t.low_batteries),
    figure('Devices still silent at the end of the period', t.missed_checkin_cases_open_at_end),
    figure('Plan reviews overdue at the end of the period', r.plan_reviews_overdue_at_end));
  report.hidden = false;
}

async function show() {
  const [first, last] = period();
  const params = new URLSearchParams({ from: first, to: last });
  document.getElementById('csv').href = `/api/v1/reports/service?${params}&format=csv`;
  status.textContent = 'Working out the figures…';
  const { ok, body } = await api('GET', `/api/v1/reports/service?${params}`);
  if (!ok) {
    status.textContent = body.error;
    report.hidden = true;
    return;
  }
  status.textContent = '';
  draw(body);
}

const syncInputs = () => { document.getElementById('to-label').hidden = span.value !== 'range'; };
from.value = iso(new Date());
to.value = from.value;
syncInputs();
span.addEventListener('change', syncInputs);
document.getElementById('period').addEventListener('submit', (event) => {
  event.preventDefault();
  show();
});
document.getElementById('print').addEventListener('click', () => window.print());
show();
