// A written value as Directus 12 on SQLite stores it and reads it back: its payload service (special
// flags, dates), SQLite's column affinity for the field type's column, then the read-side casts. What
// standin keeps is that read form, so a write returns, filters and sorts as the value Directus would.
import { DirectusError, invalidPayload, Silent, type Failure } from './errors.ts';
import { parseIsoDate } from './iso-date.ts';
import { parseJson } from './messages.ts';
import type { Field, FieldType, JsonValue } from './types.ts';
import { SQLITE, type Dialect } from './dialect.ts';
import { postgresColumn, postgresDateInput, type ColumnContext } from './postgres-column.ts';

type Affinity = 'text' | 'integer' | 'real' | 'numeric' | null;

/** The SQLite affinity of the column Directus (knex) creates for a field type. */
const AFFINITY: Partial<Record<FieldType, Affinity>> = {
  string: 'text', text: 'text', csv: 'text', hash: 'text', uuid: 'text',
  integer: 'integer', bigInteger: 'integer', float: 'real',
  decimal: 'numeric', boolean: 'numeric', json: 'numeric', timestamp: 'numeric', dateTime: 'numeric', date: 'numeric', time: 'numeric',
};

/** What Directus's timestamp helper makes of an invalid Date (the text Postgres then refuses). */
const INVALID_DATE_TEXT = '0NaN-NaN-NaNTNaN:NaN:NaN.NaN+NaN:NaN';

export const DATE_TYPES: ReadonlySet<FieldType> = new Set(['timestamp', 'dateTime', 'date']);

/** Text processDates takes for "no date at all" (MySQL's zero dates): null, on write and on read. */
export const ZERO_DATE = /^[.0 :-]{10,}$/;

/** Text SQLite takes for a number in a numeric column: a decimal literal, blanks around it allowed. */
const NUMERIC_TEXT = /^[ \t\n\f\r]*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[ \t\n\f\r]*$/;

const isInt32 = (n: number): boolean => Number.isInteger(n) && n >= -2147483648 && n <= 2147483647;

/**
 * A REAL as SQLite writes it as text: 15 significant digits, 17 if 15 do not give the number back;
 * an exponent below 1e-4 and from 1e17; a whole number gets `.0` (`1705312800000.0`, `1.0e+21`).
 */
export const sqliteRealText = (n: number): string => {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? '' : n > 0 ? 'Inf' : '-Inf';
  let exp = n.toExponential(14);
  if (Number(exp) !== n) exp = n.toExponential(16);
  const [mantissa, power] = exp.split('e') as [string, string];
  const e = Number(power);
  const digits = mantissa.replace('-', '').replace('.', '').replace(/0+$/, '') || '0';
  const sign = n < 0 ? '-' : '';
  if (e < -4 || e >= 17) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : `${digits}.0`;
    return `${sign}${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  if (e < 0) return `${sign}0.${'0'.repeat(-e - 1)}${digits}`;
  const whole = digits.slice(0, e + 1).padEnd(e + 1, '0');
  const fraction = digits.slice(e + 1);
  return `${sign}${whole}.${fraction || '0'}`;
};

/** A bound value as the column keeps it (node-sqlite3 binds int32 as INTEGER, other numbers as REAL, booleans as 1/0). */
const withAffinity = (value: JsonValue, affinity: Affinity): JsonValue => {
  if (typeof value === 'boolean') value = value ? 1 : 0;
  if (affinity === 'text') return typeof value === 'number' ? (isInt32(value) ? String(value) : sqliteRealText(value)) : value;
  if (affinity !== null && typeof value === 'string' && NUMERIC_TEXT.test(value)) {
    const n = Number(value);
    if (Number.isFinite(n)) return n;
  }
  return value;
};

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** How Directus's processDates reads a date column back (a server in UTC). */
const readDate = (type: FieldType, value: JsonValue): JsonValue | Failure => {
  if (value === null || (typeof value === 'string' && ZERO_DATE.test(value))) return null;
  if (!value || (typeof value !== 'number' && typeof value !== 'string')) return value;
  const d = new Date(value);
  const date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
  if (type === 'date') return date;
  if (type === 'dateTime') return `${date}T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
  // toISOString throws on an invalid date: the request fails without a reply.
  return Number.isNaN(d.getTime()) ? new Silent('Invalid time value') : d.toISOString();
};

/**
 * processDates on write: text becomes an instant (date-fns parseISO), or the write fails; any other
 * value goes to the column as it is. On SQLite a value no date comes from is refused only after the
 * statement, by Directus's revision of the write (items/revision.ts); Postgres refuses it at once.
 */
const writeDate = (field: Field, value: JsonValue, dialect: Dialect): JsonValue | Failure => {
  if (typeof value === 'string') {
    if (ZERO_DATE.test(value)) return null;
    if (field.type === 'timestamp') {
      // Postgres is sent the Invalid Date of text even V8 cannot read, and refuses it.
      if (dialect.typedColumns && Number.isNaN(Date.parse(value))) return new Silent(`"${value}" is no date`);
      const ms = parseIsoDate(value);
      return Number.isNaN(ms) ? null : ms;
    }
    const ms = parseIsoDate(value);
    if (Number.isNaN(ms)) return invalidPayload(`Invalid ${field.type === 'date' ? 'Date' : 'DateTime'} format in field "${field.field}"`);
    return ms;
  }
  if (!dialect.typedColumns) return value;
  if (value === true || (value !== null && typeof value === 'object')) return new Silent(`${JSON.stringify(value)} is no date`);
  if (field.type === 'timestamp' && typeof value === 'number' && Number.isNaN(new Date(value).getTime())) return new Silent('timestamp out of range');
  return value;
};

/** The read-side casts of the special flags (cast-boolean, cast-json, cast-csv). */
const readSpecials = (field: Field, value: JsonValue): JsonValue => {
  for (const special of field.special) {
    if (special === 'cast-boolean') {
      if (value === true || value === 1 || value === '1') value = true;
      else if (value === false || value === 0 || value === '0') value = false;
      else if (value === '') value = null;
    } else if (special === 'cast-json' && typeof value === 'string') value = parseJson(value)?.value ?? value; else if (special === 'cast-csv' && typeof value === 'string') value = value === '' ? [] : value.split(',');
  }
  return value;
};

/**
 * `value` written to `field`, as Directus on SQLite keeps and returns it: `5` in a string field is
 * `"5"`, `"5"` in an integer field is `5`, a timestamp is UTC ISO with milliseconds, a dateTime
 * `YYYY-MM-DDTHH:mm:ss`, a date `YYYY-MM-DD`, a csv list an array… Date text Directus cannot read is
 * INVALID_PAYLOAD (date, dateTime) or null (timestamp); null stays null.
 */
export const storedValue = (field: Field, value: JsonValue, dialect: Dialect = SQLITE, column?: ColumnContext): JsonValue | Failure => {
  if (value === null || field.alias) return value;
  const affinity = AFFINITY[field.type] ?? null;
  if (affinity === null) return value;
  // The common write: a number to a numeric column, text to a text column, no casts: kept as it is.
  if (!dialect.typedColumns && field.special.length === 0 && !DATE_TYPES.has(field.type)
    && (typeof value === 'number' ? affinity !== 'text' : typeof value === 'string' && affinity === 'text')) return value;
  let v: JsonValue | Failure = value;
  if (field.special.includes('cast-csv') && Array.isArray(v)) v = (v as unknown[]).join(',');
  // processDates parses text only, and leaves falsy values ("", 0, false) alone: Postgres reads the
  // driver's text of anything else (`-1`, `true`, `{}`) as a date, and mostly refuses it.
  if (DATE_TYPES.has(field.type) && (!v || typeof v !== 'string') && dialect.typedColumns) {
    const refused = postgresDateInput(field.type, typeof v === 'object' ? JSON.stringify(v) : String(v));
    if (refused) return new Silent(refused.reason);
  }
  if (DATE_TYPES.has(field.type) && v) {
    const text = v;
    v = writeDate(field, v, dialect);
    // Postgres is sent Directus's rendering of the invalid Date, and names it.
    if (v instanceof Silent && dialect.typedColumns && typeof text === 'string') return new Silent(`invalid input syntax for type timestamp with time zone: "${INVALID_DATE_TEXT}"`);
    if (v instanceof DirectusError || v instanceof Silent) return v;
  }
  if (v !== null && typeof v === 'object') v = JSON.stringify(v);
  const typed = dialect.typedColumns ? postgresColumn(field, v, column ?? { collection: '', payloadFields: [] }) : undefined;
  if (typed instanceof DirectusError || typed instanceof Silent) return typed;
  const read = readColumn(field, typed === undefined ? withAffinity(v, affinity) : typed);
  // A timestamp SQLite holds but Directus cannot read back is never kept: the revision refuses the write.
  return read instanceof Silent && !dialect.typedColumns ? null : read;
};

/**
 * A value as SQLite holds it in `field`'s column, read back through Directus's casts (specials, then
 * dates): what a stored value, or an aggregate over the column, comes back as.
 */
export const readColumn = (field: Field, value: JsonValue): JsonValue | Failure => {
  const v = readSpecials(field, value);
  return DATE_TYPES.has(field.type) ? readDate(field.type, v) : v;
};

/**
 * The inverse: a stored (read-form) value as the SQLite column holds it — dates as ms since the
 * epoch, booleans as 1/0, json and csv as their text — for aggregates computed the way SQLite does.
 */
export const columnValue = (field: Field, value: JsonValue | undefined): JsonValue => {
  if (value === null || value === undefined) return null;
  if (DATE_TYPES.has(field.type) && typeof value === 'string') {
    const ms = parseIsoDate(value);
    return Number.isNaN(ms) ? value : ms;
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (field.special.includes('cast-csv') && Array.isArray(value)) return (value as unknown[]).join(',');
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
};
