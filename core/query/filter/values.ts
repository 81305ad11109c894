// Values as SQLite compares them. Every stored value and every filter value is reduced to what the
// column would hold on SQLite (a number, a text or NULL), so the comparisons themselves stay plain:
// numbers compare numerically, texts by binary collation, and any number sorts before any text.
import type { FieldType, Item } from '../../types.ts';
import { parseInstant, storedInstant } from './dates.ts';

export type SqlValue = number | string | null;

/**
 * How a column holds values. numeric: INTEGER/REAL affinity (numbers, booleans as 0/1, numeric-looking
 * text converted). text: TEXT affinity. instant: Directus timestamps, held as epoch ms. loose: as given.
 */
export type Kind = 'numeric' | 'text' | 'instant' | 'loose';

export const kindOf = (type: FieldType): Kind => {
  switch (type) {
    case 'integer': case 'bigInteger': case 'float': case 'decimal': case 'boolean': return 'numeric';
    case 'timestamp': case 'dateTime': case 'date': return 'instant';
    case 'string': case 'text': case 'csv': case 'uuid': case 'hash': case 'binary': case 'time': return 'text';
    default: return 'loose';
  }
};

/** `$NOW` after resolution: a clock reading, kept apart from plain numbers and strings. */
export class Instant {
  readonly ms: number;
  constructor(ms: number) {
    this.ms = ms;
  }
}

// A well-formed integer or real literal: what SQLite's numeric affinity converts (no hex).
const NUMERIC_TEXT = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

const numericAffinity = (text: string): SqlValue => (NUMERIC_TEXT.test(text) ? Number(text) : text);

/** A number as SQLite writes it into a TEXT column (REALs with 15 significant digits). */
export const numberText = (n: number): string => (Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(15))));

const jsonText = (value: unknown): string => {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
};

/** A stored (or bound) value as a column of `kind` holds it. */
export const sqlValue = (kind: Kind, value: unknown): SqlValue => {
  if (value === null || value === undefined) return null;
  if (value instanceof Instant) return kind === 'text' ? new Date(value.ms).toISOString() : value.ms;
  switch (typeof value) {
    case 'number':
      return kind === 'text' ? numberText(value) : value;
    case 'boolean':
      return kind === 'text' ? (value ? '1' : '0') : value ? 1 : 0;
    case 'string':
      if (kind === 'numeric') return numericAffinity(value);
      if (kind === 'instant') {
        const ms = storedInstant(value);
        return Number.isNaN(ms) ? value : ms;
      }
      return value;
    default:
      return jsonText(value);
  }
};

/** Reads `field` of an item as a column of `kind` holds it; the common types take a fast path. */
export const columnGetter = (kind: Kind, field: string): ((item: Item) => SqlValue) => {
  switch (kind) {
    case 'numeric':
      return (item) => {
        const v = item[field];
        return typeof v === 'number' ? v : sqlValue(kind, v);
      };
    case 'text':
      return (item) => {
        const v = item[field];
        return typeof v === 'string' ? v : sqlValue(kind, v);
      };
    default:
      return (item) => sqlValue(kind, item[field]);
  }
};

/** Directus's castToNumber for numeric fields and functions: NaN means "Invalid numeric value". */
export const toNumber = (value: unknown): number => {
  if (value instanceof Instant) return value.ms;
  if (typeof value === 'symbol') return NaN;
  if (value === null || typeof value !== 'object') return Number(value);
  // Number([x]) is Number(String(x)); only plain values are converted, never an object's own methods.
  if (!Array.isArray(value) || value.length > 1) return NaN;
  const [only] = value as unknown[];
  return only === null || only === undefined ? 0 : typeof only === 'object' || typeof only === 'symbol' ? NaN : Number(String(only));
};

/**
 * The SQLite date helper's `parse` for date/time fields: falsy values pass through, times (`10:00`)
 * stay text, everything else becomes epoch ms (an unparsable date becomes the text "NaN").
 */
export const dateValue = (value: unknown): unknown => {
  if (!value) return value;
  if (value instanceof Instant) return value.ms;
  if (typeof value === 'string') {
    if (value.length <= 8 && value.includes(':')) return value;
    const ms = parseInstant(value);
    return Number.isNaN(ms) ? 'NaN' : ms;
  }
  if (typeof value === 'number') return Number.isNaN(new Date(value).getTime()) ? 'NaN' : value;
  if (value === true) return 1;
  return 'NaN';
};

/** The text SQLite's LIKE sees for a stored value. */
export const likeText = (value: SqlValue): string | null =>
  value === null ? null : typeof value === 'number' ? numberText(value) : value;
