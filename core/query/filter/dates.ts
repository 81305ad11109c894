// Instants for filters: parsing stored/filter dates deterministically (no local time zone: a value
// without an offset is read as UTC, as on a Directus server running in UTC) and `$NOW(<adjustment>)`.

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** 400 Gregorian years: a whole number of days, so shifting a date by them keeps its calendar. */
const FOUR_CENTURIES_MS = 146_097 * 86_400_000;

/** Date.UTC without its two-digit-year rule: years 0-99 are those years (`0043-01-01` is 43 AD, not 1943). */
export const utcMs = (year: number, month: number, day: number, h = 0, mi = 0, s = 0, ms = 0): number =>
  year >= 0 && year <= 99 ? Date.UTC(year + 400, month, day, h, mi, s, ms) - FOUR_CENTURIES_MS : Date.UTC(year, month, day, h, mi, s, ms);

/** ms since the epoch for a date string, or NaN. */
export const parseInstant = (text: string): number => {
  const m = ISO.exec(text.trim());
  if (m === null) return Date.parse(text);
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', zone] = m;
  let ms = utcMs(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(frac.padEnd(3, '0').slice(0, 3)));
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0')) * 60_000;
  }
  return ms;
};

/** A stored timestamp as ms; canonical ISO strings (the common case) take V8's fast path. */
export const storedInstant = (text: string): number =>
  text.length === 24 && text.charCodeAt(23) === 90 /* Z */ ? Date.parse(text) : parseInstant(text);

const UNITS: Readonly<Record<string, 'ms' | 's' | 'm' | 'h' | 'd' | 'w' | 'mo' | 'y'>> = {
  milliseconds: 'ms', millisecond: 'ms', msecs: 'ms', msec: 'ms', ms: 'ms',
  seconds: 's', second: 's', secs: 's', sec: 's', s: 's',
  minutes: 'm', minute: 'm', mins: 'm', min: 'm', m: 'm',
  hours: 'h', hour: 'h', hrs: 'h', hr: 'h', h: 'h',
  days: 'd', day: 'd', d: 'd',
  weeks: 'w', week: 'w', w: 'w',
  months: 'mo', month: 'mo', mth: 'mo', mo: 'mo',
  years: 'y', year: 'y', yrs: 'y', yr: 'y', y: 'y',
};

const ADJUSTMENT = /^(-?(?:\d+)?\.?\d+) *([a-z]+)?$/i;

/** Adds calendar months the way date-fns `addMonths` does (clamping to the month's last day), in UTC. */
const addMonths = (ms: number, amount: number): number => {
  const date = new Date(ms);
  const day = date.getUTCDate();
  const end = new Date(ms);
  end.setUTCMonth(date.getUTCMonth() + amount + 1, 0);
  if (day >= end.getUTCDate()) return end.getTime();
  end.setUTCDate(day);
  return end.getTime();
};

/**
 * `$NOW(<adjustment>)`: `[+-]<n> <unit>` with ms/s/m/h/d/w/month/y (and long forms); no unit means
 * days. An adjustment that does not parse leaves `now` as it is (Directus's parseNow).
 */
export const adjustNow = (now: number, adjustment: string): number => {
  const subtract = adjustment.startsWith('-');
  const rest = subtract || adjustment.startsWith('+') ? adjustment.slice(1) : adjustment;
  const m = ADJUSTMENT.exec(rest);
  if (m === null) return now;
  const name = (m[2] ?? 'days').toLowerCase();
  if (!Object.hasOwn(UNITS, name)) return now;
  const amount = (subtract ? -1 : 1) * parseFloat(m[1]!);
  if (!Number.isFinite(amount)) return now;
  // Date setters truncate their argument, as date-fns relies on.
  const date = new Date(now);
  switch (UNITS[name]!) {
    case 'ms': return new Date(now + amount).getTime();
    case 's': return new Date(now + amount * 1000).getTime();
    case 'm': return new Date(now + amount * 60_000).getTime();
    case 'h': return new Date(now + amount * 3_600_000).getTime();
    case 'd': return date.setUTCDate(date.getUTCDate() + amount);
    case 'w': return date.setUTCDate(date.getUTCDate() + amount * 7);
    case 'mo': return addMonths(now, amount);
    case 'y': return addMonths(now, amount * 12);
  }
};
