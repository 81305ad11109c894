// ISO 8601 text → ms since the epoch, as date-fns `parseISO` reads it (Directus parses every date it
// is given with it) on a server whose time zone is UTC: a value without an offset is UTC. NaN when
// date-fns would give an Invalid Date. Calendar dates, week dates (`2024-W03-1`), ordinal dates
// (`2024-015`), fractional time units and `Z` / `±hh[:mm]` offsets, as date-fns accepts them.

const DAYS_IN_MONTH = [31, null, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const YEAR = /^(?:(\d{4}|[+-]\d{6})|(\d{2}|[+-]\d{4})$)/;
const DATE = /^-?(?:(\d{3})|(\d{2})(?:-?(\d{2}))?|W(\d{2})(?:-?(\d{1}))?|)$/;
const TIME = /^(\d{2}(?:[.,]\d*)?)(?::?(\d{2}(?:[.,]\d*)?))?(?::?(\d{2}(?:[.,]\d*)?))?$/;
const ZONE = /^([+-])(\d{2})(?::?(\d{2}))?$/;

const isLeapYear = (year: number): boolean => year % 400 === 0 || (year % 4 === 0 && year % 100 !== 0);

interface Parts {
  date?: string;
  time?: string;
  zone?: string;
}

const split = (text: string): Parts => {
  const parts: Parts = {};
  const pieces = text.split(/[T ]/);
  if (pieces.length > 2) return parts;
  let time: string | undefined;
  if (/:/.test(pieces[0]!)) time = pieces[0];
  else {
    parts.date = pieces[0];
    time = pieces[1];
    if (/[Z ]/i.test(parts.date!)) {
      parts.date = text.split(/[Z ]/i)[0];
      time = text.slice(parts.date!.length);
    }
  }
  if (time) {
    const zone = /([Z+-].*)$/.exec(time);
    if (zone) {
      parts.time = time.replace(zone[1]!, '');
      parts.zone = zone[1];
    } else parts.time = time;
  }
  return parts;
};

const unit = (value: string | undefined): number => (value ? parseInt(value, 10) : 1);

/** Midnight UTC of the date part, or NaN. */
const parseDate = (text: string): number => {
  const year = YEAR.exec(text);
  if (!year) return Number.NaN;
  const fullYear = year[1] ? parseInt(year[1], 10) : parseInt(year[2]!, 10) * 100;
  const rest = DATE.exec(text.slice((year[1] ?? year[2]!).length));
  if (!rest) return Number.NaN;
  const date = new Date(0);
  if (rest[4]) {
    const week = unit(rest[4]);
    const day = unit(rest[5]) - 1;
    if (week < 1 || week > 53 || day < 0 || day > 6) return Number.NaN;
    date.setUTCFullYear(fullYear, 0, 4);
    const fourthOfJanuary = date.getUTCDay() || 7;
    date.setUTCDate(date.getUTCDate() + (week - 1) * 7 + day + 1 - fourthOfJanuary);
    return date.getTime();
  }
  const dayOfYear = unit(rest[1]);
  const month = unit(rest[2]) - 1;
  const day = unit(rest[3]);
  const monthLength = DAYS_IN_MONTH[month] ?? (isLeapYear(fullYear) ? 29 : 28);
  if (month < 0 || month > 11 || day < 1 || day > monthLength) return Number.NaN;
  if (dayOfYear < 1 || dayOfYear > (isLeapYear(fullYear) ? 366 : 365)) return Number.NaN;
  date.setUTCFullYear(fullYear, month, Math.max(dayOfYear, day));
  return date.getTime();
};

const timeUnit = (value: string | undefined): number => (value ? parseFloat(value.replace(',', '.')) : 0) || 0;

const parseTime = (text: string): number => {
  const m = TIME.exec(text);
  if (!m) return Number.NaN;
  const hours = timeUnit(m[1]);
  const minutes = timeUnit(m[2]);
  const seconds = timeUnit(m[3]);
  const valid = hours === 24 ? minutes === 0 && seconds === 0 : seconds >= 0 && seconds < 60 && minutes >= 0 && minutes < 60 && hours >= 0 && hours < 25;
  return valid ? hours * 3_600_000 + minutes * 60_000 + seconds * 1000 : Number.NaN;
};

const parseZone = (text: string): number => {
  if (text === 'Z') return 0;
  const m = ZONE.exec(text);
  if (!m) return 0;
  const minutes = m[3] ? parseInt(m[3], 10) : 0;
  if (minutes > 59) return Number.NaN;
  return (m[1] === '+' ? -1 : 1) * (parseInt(m[2]!, 10) * 3_600_000 + minutes * 60_000);
};

/** date-fns `parseISO(text)` on a UTC server, as ms since the epoch; NaN for an invalid date. */
export const parseIsoDate = (text: string): number => {
  const parts = split(text);
  if (parts.date === undefined) return Number.NaN;
  const date = parseDate(parts.date);
  if (Number.isNaN(date)) return Number.NaN;
  const time = parts.time ? parseTime(parts.time) : 0;
  const zone = parts.zone ? parseZone(parts.zone) : 0;
  const ms = date + time + zone;
  // date-fns builds the result with Date setters, which give NaN beyond ±8.64e15 ms.
  return Number.isNaN(time) || Number.isNaN(zone) || Math.abs(ms) > 8.64e15 ? Number.NaN : ms;
};
