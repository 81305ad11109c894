// The values Directus binds for a filter operator (applyOperator): date fields parsed by the SQLite
// date helper (epoch milliseconds as text, a short time as given), numeric fields and numeric
// functions cast to numbers, LIKE patterns written with a template literal, lists split at commas.
// Only the text of an error shows them: SQLite's statement inlines them, Postgres's numbers them.
import { parseInstant } from '../filter/dates.ts';
import { Instant, toNumber } from '../filter/values.ts';

/** A value Directus would not bind: its JavaScript fails first, so no statement names it. */
export class Unbound {}
const UNBOUND = new Unbound();

const DATE_TYPES = new Set(['date', 'dateTime', 'time', 'timestamp']);
const NUMBER_TYPES = new Set(['integer', 'float', 'decimal']);

/** The SQLite date helper's `parse`: falsy as given, `hh:mm:ss` as given, else `String(new Date(v).getTime())`. */
const dateText = (value: unknown): unknown => {
  if (!value) return value;
  if (value instanceof Instant) return String(value.ms);
  if (typeof value === 'string') return value.length <= 8 && value.includes(':') ? value : String(parseInstant(value));
  if (typeof value === 'number' || typeof value === 'boolean') return String(new Date(Number(value)).getTime());
  return 'NaN';
};

/** castToNumber: each number, or nothing bound when one is NaN (Directus answers INVALID_QUERY). */
const castNumber = (value: unknown): unknown => {
  const n = toNumber(value);
  return Number.isNaN(n) ? UNBOUND : n;
};

const each = (value: unknown, convert: (v: unknown) => unknown): unknown => {
  if (!Array.isArray(value)) return convert(value);
  const out = value.map(convert);
  return out.some((v) => v instanceof Unbound) ? UNBOUND : out;
};

/** The compare value of a column of `type` (or of function `fn`) after applyOperator's conversions. */
export const boundValue = (type: string | undefined, fn: string | undefined, raw: unknown): unknown => {
  const value = Array.isArray(raw) ? raw.filter((v) => v !== undefined) : raw;
  if (fn !== undefined) return each(value, castNumber);
  if (type !== undefined && DATE_TYPES.has(type)) return each(value, dateText);
  if (type !== undefined && NUMBER_TYPES.has(type)) return each(value, castNumber);
  return value;
};

/** `${before}${value}${after}`, lower-cased for the case-insensitive operators (a string's method). */
export const likeValue = (value: unknown, before: string, after: string, lower: boolean): unknown => {
  if (value instanceof Unbound || value instanceof Instant) return UNBOUND;
  if (lower) return typeof value === 'string' ? `${before}${value.toLowerCase()}${after}` : UNBOUND;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return `${before}[object Object]${after}`;
  return `${before}${String(value)}${after}`;
};

/** The values of `_in`/`_between`: a string split at commas, an array as it is. */
export const listValues = (value: unknown): readonly unknown[] | Unbound =>
  typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : UNBOUND;
