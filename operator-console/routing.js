// Which cases are this operator's to take first, and each case's next deadline. The server
// sends the deadlines in time order; the page shows the first still ahead.
import { countdown, speaks } from './format.js';

// Offered first to ready operators who speak the person's language; after the window, to
// every ready operator.
export function isForYou(c, connection, now) {
  if (c.state !== 'queued' || connection.presence !== 'ready') return false;
  if (now >= Number(c.language_first_until_ms)) return true;
  return speaks(connection.operator?.languages || [], c.language);
}

// {label, at, overdue}: the first deadline still ahead, or the last one, overdue.
export function nextDeadline(c, now) {
  const deadlines = c.deadlines || [];
  if (deadlines.length === 0) return null;
  const ahead = deadlines.find((d) => Number(d.at_ms) > now);
  const d = ahead || deadlines[deadlines.length - 1];
  return { label: d.label, at: Number(d.at_ms), overdue: !ahead };
}

// "60 s answer target in 0:42", or "" when the case has no deadline.
export function deadlineText(c, now) {
  const d = nextDeadline(c, now);
  return d ? `${d.label} ${countdown(d, now)}` : '';
}
