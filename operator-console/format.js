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

// How long ago, for reading at a glance: "40 s ago", "12 min ago", "3 h 05 min ago", "4 days ago".
export function agoWords(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 48 * 3600) return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min ago`;
  return `${Math.floor(s / 86400)} days ago`;
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

// "+441134960012" -> "0113 496 0012": UK numbers as people here dial them, others grouped
// after the country code. Numbers are stored in international form (the centre file says so).
export function phoneForReading(e164) {
  const raw = String(e164 || '');
  const uk = /^\+44(\d{9,10})$/.exec(raw);
  if (uk) {
    const n = `0${uk[1]}`;
    const cut = (...sizes) => {
      const parts = [];
      let at = 0;
      for (const size of sizes) { parts.push(n.slice(at, at + size)); at += size; }
      parts.push(n.slice(at));
      return parts.filter(Boolean).join(' ');
    };
    if (n.startsWith('02')) return cut(3, 4);                        // 020 7946 0123
    if (n.startsWith('07')) return cut(5);                           // 07700 900123
    if (/^01\d1|^011|^03|^08/.test(n)) return cut(4, 3);              // 0113 496 0012
    return cut(5);                                                   // 01632 960001
  }
  if (!/^\+\d{7,15}$/.test(raw)) return raw;
  const digits = raw.slice(1);
  const codeLength = /^[17]/.test(digits) ? 1 : twoDigitCountryCodes.has(digits.slice(0, 2)) ? 2 : 3;
  const rest = digits.slice(codeLength).replace(/(\d{3})(?=\d{3,})/g, '$1 ');
  return `+${digits.slice(0, codeLength)} ${rest}`;
}

// ITU country codes of two digits (1 and 7 are one digit; the rest three).
const twoDigitCountryCodes = new Set(('20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 ' +
  '57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98').split(' '));

// When a responder may be called: "available", "available until 08:00", "not until 18:00".
export function availabilityNow(r, now) {
  const changes = Number(r.availability_changes_at_ms || 0);
  let available = Boolean(r.available_now);
  // Past the change the server foresaw, the answer has flipped (and when it flips back is unknown).
  if (changes && now >= changes) return { available: !available, words: !available ? 'available' : 'not available now' };
  if (!changes) return { available, words: available ? 'available' : 'not available this week' };
  return { available, words: available ? `available until ${hhmm(changes)}` : `not until ${hhmm(changes)}` };
}
