// How things are written on screen: languages, ages, alarm types, priorities.

const languageNames = new Intl.DisplayNames(['en-GB'], { type: 'language' });

export function languageName(tag) {
  if (!tag) return '';
  try {
    return languageNames.of(tag) || tag;
  } catch {
    return tag;
  }
}

export const priorityRank = { critical: 0, high: 1, normal: 2, low: 3 };

export function byUrgency(a, b) {
  return (priorityRank[a.priority] - priorityRank[b.priority]) ||
    (Number(a.opened_at_ms) - Number(b.opened_at_ms)) ||
    (Number(a.case_id) - Number(b.case_id));
}

export function alarmTypeName(type) {
  const names = {
    pull_cord: 'pull cord', no_activity: 'no activity', bed_exit: 'bed exit', chair_exit: 'chair exit',
    low_battery: 'low battery', mains_fail: 'mains failure', mains_restore: 'mains restored',
    missed_checkin: 'missed check-in', co: 'carbon monoxide', comms_fault: 'communication fault', unit_event: 'alarm unit event', restore: 'restored at the unit',
  };
  return names[type] || type;
}

// "0:42", "12:05", "1:02:07"
export function elapsed(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

export function clockTime(ms) {
  return new Date(ms).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

// "03:25": when a carer should reply or arrive.
export function hhmm(ms) {
  return new Date(Number(ms)).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
}

// Language tags match on their primary subtag: "cy-GB" speaks to "cy".
export function speaks(languages, tag) {
  const primary = (t) => String(t || '').split('-')[0].toLowerCase();
  return languages.some((l) => primary(l) === primary(tag));
}

export function labelOf(codes, id) {
  return codes.find((c) => c.id === id)?.label || id;
}

// "in 0:42" or "1:05 over"
export function countdown(deadline, now) {
  return deadline.overdue ? `${elapsed(now - deadline.at)} over` : `in ${elapsed(deadline.at - now)}`;
}

export const presenceNames = { ready: 'Ready', on_call: 'On a call', on_break: 'On a break', offline: 'Offline' };
