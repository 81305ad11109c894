// How SQLite orders values, and the field functions (`year(published_at)`…) Directus offers.
import type { JsonValue } from '../../types.ts';
import { utcMs } from '../filter/dates.ts';

const typeRank = (v: unknown): number =>
  v === null || v === undefined ? 0 : typeof v === 'number' || typeof v === 'boolean' ? 1 : typeof v === 'string' ? 2 : 3;

/**
 * SQLite's ordering: NULL < numbers < text (binary collation, i.e. by code point) < anything else.
 * JSON values are stored as text in SQLite, so they compare as their JSON text. With `nullsFirst`
 * false NULL is the largest value instead, as Postgres orders it (the dialect's `nullsFirst`).
 */
export const compareValues = (a: unknown, b: unknown, nullsFirst = true): number => {
  // The common case of a sort (two numbers) without the ranks: a comparator runs n log n times.
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (!nullsFirst && (ra === 0) !== (rb === 0)) return ra === 0 ? 1 : -1;
  if (ra !== rb) return ra - rb;
  if (ra === 0) return 0;
  if (ra === 1) return Number(a) - Number(b);
  const sa = ra === 2 ? (a as string) : JSON.stringify(a);
  const sb = ra === 2 ? (b as string) : JSON.stringify(b);
  return compareCodePoints(sa, sb);
};

/** Compares by Unicode code point (JS `<` compares UTF-16 units, which differs above U+FFFF). */
const compareCodePoints = (a: string, b: string): number => {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(i)!;
    if (ca !== cb) return ca - cb;
    if (ca > 0xffff) i++;
  }
  return a.length - b.length;
};

/** `fn(field)` → { fn, field }, or null for a plain name. */
export const parseFunction = (key: string): { fn: string; field: string } | null => {
  const m = /^(\w+)\(([^()]+)\)$/.exec(key);
  return m ? { fn: m[1]!, field: m[2]!.trim() } : null;
};

const DATE_FUNCTIONS = ['year', 'month', 'week', 'day', 'weekday', 'hour', 'minute', 'second'] as const;

/** Which functions a field type supports (Directus's getFunctionsForType). */
export const functionsForType = (type: string): readonly string[] => {
  switch (type) {
    case 'dateTime': case 'timestamp': return DATE_FUNCTIONS;
    case 'date': return ['year', 'month', 'week', 'day', 'weekday'];
    case 'time': return ['hour', 'minute', 'second'];
    case 'json': case 'alias': return ['count'];
    default: return [];
  }
};

/** SQLite `%W`: week of the year, weeks starting on Monday, days before the first Monday are week 0. */
const sqliteWeek = (d: Date): number => {
  const start = utcMs(d.getUTCFullYear(), 0, 1);
  const dayOfYear = Math.floor((d.getTime() - start) / 86_400_000);
  const weekdayMondayZero = (d.getUTCDay() + 6) % 7;
  return Math.floor((dayOfYear + 7 - weekdayMondayZero) / 7);
};

/** ISO 8601 week (Postgres's EXTRACT(WEEK)): weeks start on Monday, week 1 holds the year's first Thursday. */
const isoWeek = (d: Date): number => {
  const thursday = utcMs(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 3 - ((d.getUTCDay() + 6) % 7));
  const yearStart = utcMs(new Date(thursday).getUTCFullYear(), 0, 1);
  return Math.ceil(((thursday - yearStart) / 86_400_000 + 1) / 7);
};

/**
 * A function's result as the dialect's driver returns it (its `functionsAsText`): Postgres's EXTRACT
 * is numeric, text with seconds to six places (`"30.500000"`); json_array_length an int4 (a number).
 */
export const functionText = (fn: string, value: JsonValue): JsonValue =>
  typeof value !== 'number' || fn === 'count' ? value : fn === 'second' ? value.toFixed(6) : String(value);

/** A json column's text parsed, or undefined when it is no JSON. */
const parsedText = (text: string): { readonly json: unknown } | undefined => {
  try {
    return { json: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
};

/**
 * Whether SQLite's json functions find a json field's stored text malformed (they then fail the whole
 * query). Standin keeps the read form: a string is the text itself when it is no JSON (`"abc"` written
 * is stored as `abc`); a text that is JSON comes back parsed.
 */
export const malformedJson = (value: JsonValue | undefined): boolean =>
  typeof value === 'string' && parsedText(value) === undefined;

/**
 * `count(json)` as SQLite's `json_array_length`: NULL for NULL, an array's length, 0 for any other
 * JSON (objects, numbers, booleans, strings). `castJson`: the field's read form went through
 * cast-json, so a string that parses was stored as a JSON string (0); without it the string is the
 * text. Malformed text gives null here (the query fails first: malformedJson).
 */
export const jsonArrayLength = (value: JsonValue | undefined, castJson = true): number | null => {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.length;
  if (typeof value !== 'string') return 0;
  const parsed = parsedText(value);
  if (parsed === undefined) return null;
  return !castJson && Array.isArray(parsed.json) ? parsed.json.length : 0;
};

/**
 * Applies a date or count function to a stored value; null in, null out. `extract`: as Postgres's
 * EXTRACT (ISO weeks, seconds with their fraction) rather than SQLite's strftime.
 */
export const applyFunction = (fn: string, value: JsonValue | undefined, castJson = true, extract = false): JsonValue => {
  if (value === null || value === undefined) return null;
  if (fn === 'count') return jsonArrayLength(value, castJson);
  const text = String(value);
  // A bare time (`12:30:00`) has no date part; give it one so hours/minutes can be read.
  const ms = /^\d{2}:\d{2}/.test(text) ? Date.parse(`1970-01-01T${text}Z`) : Date.parse(/Z|[+-]\d{2}:?\d{2}$/.test(text) || !text.includes('T') ? text : `${text}Z`);
  if (Number.isNaN(ms)) return null;
  const d = new Date(ms);
  switch (fn) {
    case 'year': return d.getUTCFullYear();
    case 'month': return d.getUTCMonth() + 1;
    case 'week': return extract ? isoWeek(d) : sqliteWeek(d);
    case 'day': return d.getUTCDate();
    case 'weekday': return d.getUTCDay();
    case 'hour': return d.getUTCHours();
    case 'minute': return d.getUTCMinutes();
    case 'second': return extract ? d.getUTCSeconds() + d.getUTCMilliseconds() / 1000 : d.getUTCSeconds();
    default: return null;
  }
};
