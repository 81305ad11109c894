// A written value as a typed Postgres column takes it (the dialect's `typedColumns`): the `pg` driver
// sends numbers and booleans as their text, Postgres parses that text as the column's type and either
// keeps the value in its own form or refuses the row. Measured against Directus 12.4 on Postgres 15.
import { DatabaseFailure, DirectusError, Silent, type Failure } from './errors.ts';
import type { Collection, Field, FieldType, JsonValue, Schema } from './types.ts';
import { defaultMaxLength, m2oRelation } from './schema.ts';

const INT4 = { min: -2147483648n, max: 2147483647n };
const INT8 = { min: -9223372036854775808n, max: 9223372036854775807n };
const FLOAT4_MAX = 3.4028234663852886e38;

/** The text the driver sends for a bound value. */
export const driverText = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value));

/**
 * The text `pg` sends for an array bound as one value (its arrayString): a Postgres array literal,
 * each element quoted (`[1, "a"]` is `{"1","a"}`), null as NULL, a nested array nested.
 */
export const postgresArrayText = (values: readonly unknown[]): string =>
  `{${values.map((v) => (v === null || v === undefined ? 'NULL' : Array.isArray(v) ? postgresArrayText(v) : `"${driverText(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)).join(',')}}`;

/** The text the driver sends for a bound filter value: an array as a Postgres array literal. */
export const boundText = (value: unknown): string => (Array.isArray(value) ? postgresArrayText(value) : driverText(value));

/** Postgres's "invalid input syntax": an error Directus does not translate (500; WebSocket stays silent). */
const invalidSyntax = (type: string, text: string) => new Silent(`invalid input syntax for type ${type}: "${text}"`);

/**
 * Directus's ValueOutOfRangeError / ValueTooLongError from Postgres's error: the collection is named,
 * the field and value only when the payload had that one field.
 */
const payloadError = (code: 'VALUE_OUT_OF_RANGE' | 'VALUE_TOO_LONG', ctx: ColumnContext, field: string, value: JsonValue) => {
  const only = ctx.payloadFields.length === 1 ? field : null;
  const shown = only !== null ? value : null;
  const message = code === 'VALUE_OUT_OF_RANGE' ? ['Numeric value ', 'is out of range.'] : ['Value ', 'is too long.'];
  let text = message[0]!;
  if (shown) text += `"${String(shown)}" `;
  if (only) text += `for field "${only}" `;
  text += `in collection "${ctx.collection}" ${message[1]}`;
  return new DirectusError(code, text, { collection: ctx.collection, field: only, value: shown });
};

export interface ColumnContext {
  readonly collection: string;
  /**
   * A Postgres `uuid` column: a uuid primary key, or an m2o to one (Directus creates both so, while
   * another uuid field of a snapshot made on SQLite becomes varchar(36)).
   */
  readonly uuid?: boolean;
  /** The fields the written payload holds (Directus names field and value only for a one-field payload). */
  readonly payloadFields: readonly string[];
}

const integer = (text: string, range: typeof INT4, type: string, ctx: ColumnContext, field: string, value: JsonValue): JsonValue | Failure => {
  if (!/^\s*[+-]?\d+\s*$/.test(text)) return invalidSyntax(type, text);
  const n = BigInt(text.trim());
  if (n < range.min || n > range.max) return payloadError('VALUE_OUT_OF_RANGE', ctx, field, value);
  return range === INT8 ? n.toString() : Number(n);
};

/** A float4 as Postgres prints it (shortest text that reads back as the same float4), as a JS number. */
export const float4 = (n: number): number => {
  const single = Math.fround(n);
  if (!Number.isFinite(single) || single === 0) return single;
  for (let digits = 1; digits < 9; digits++) {
    const shown = Number(single.toPrecision(digits));
    if (Math.fround(shown) === single) return shown;
  }
  return Number(single.toPrecision(9));
};

const real = (text: string, ctx: ColumnContext, field: string, value: JsonValue): JsonValue | Failure => {
  const trimmed = text.trim();
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(trimmed)) return invalidSyntax('real', text);
  const n = Number(trimmed);
  // Past float4's range, or a non-zero value that float4 rounds to zero: "value out of range".
  if (!Number.isFinite(n) || Math.abs(n) > FLOAT4_MAX || (n !== 0 && Math.fround(n) === 0)) return payloadError('VALUE_OUT_OF_RANGE', ctx, field, value);
  return float4(n);
};

const BOOLEAN_WORDS: readonly [string, boolean][] = [['true', true], ['false', false], ['yes', true], ['no', false], ['on', true], ['off', false], ['1', true], ['0', false]];

/** boolin: t/true/y/yes/on/1 and f/false/n/no/off/0, any case, any unique prefix of the words. */
export const postgresBoolean = (text: string): boolean | Silent => {
  const t = text.trim().toLowerCase();
  const matches = t === '' ? [] : BOOLEAN_WORDS.filter(([word]) => word.startsWith(t) && (t.length >= 2 || !['o'].includes(t)));
  const values = new Set(matches.map(([, v]) => v));
  return values.size === 1 ? [...values][0]! : invalidSyntax('boolean', text);
};

/** time without time zone: `H:MM[:SS[.frac]]`, printed `HH:MM:SS[.frac]` (microseconds, no trailing zeros). */
const time = (text: string): JsonValue | Failure => {
  const m = /^\s*(\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*$/.exec(text);
  if (!m) return invalidSyntax('time', text);
  const [h, min, s] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  const micros = Math.round(Number(`0${m[4] ?? '.0'}`) * 1e6);
  if (min > 59 || s > 60 || h > 24 || (h === 24 && (min > 0 || s > 0 || micros > 0))) return new Silent(`date/time field value out of range: "${text}"`);
  const fraction = micros ? `.${String(micros).padStart(6, '0').replace(/0+$/, '')}` : '';
  return `${String(h).padStart(2, '0')}:${m[2]}:${String(s).padStart(2, '0')}${fraction}`;
};

/** Whether a collection's key is a uuid: a Postgres `uuid` column, and so is every m2o key to it. */
export const hasUuidKey = (schema: Schema, collection: string | null | undefined): boolean => {
  const info = collection ? schema.collections[collection] : undefined;
  const pk = info?.fields[info.primary];
  return pk !== undefined && (pk.type === 'uuid' || pk.special.includes('uuid'));
};

/** A uuid primary key and an m2o to one are Postgres `uuid` columns; another uuid field is varchar(36). */
export const isUuidColumn = (schema: Schema, collection: string, field: Field): boolean => {
  if (field.primaryKey) return hasUuidKey(schema, collection);
  const m2o = m2oRelation(schema, collection, field.field);
  return m2o ? hasUuidKey(schema, m2o.oneCollection) : false;
};

/** The column type Directus creates for a field type on Postgres, as Postgres names it in a function's signature. */
const COLUMN_TYPE: Readonly<Partial<Record<FieldType, string>>> = {
  integer: 'integer', bigInteger: 'bigint', float: 'real', decimal: 'numeric', boolean: 'boolean', json: 'json',
  string: 'character varying', hash: 'character varying', uuid: 'character varying', text: 'text', csv: 'text',
  timestamp: 'timestamp with time zone', dateTime: 'timestamp without time zone', date: 'date', time: 'time without time zone',
};

/** The Postgres column type of `field` (`uuid` for a uuid column), or undefined for a type not measured. */
export const postgresColumnType = (schema: Schema, collection: string, field: Field): string | undefined =>
  field.alias ? undefined : isUuidColumn(schema, collection, field) ? 'uuid' : COLUMN_TYPE[field.type];

/**
 * The schema as Directus on Postgres reads it back: an m2o to a uuid key is a `uuid` column, and
 * Directus types a field by its column (getLocalType), so the field's type is `uuid` whatever the
 * snapshot said (its filter operators, search and `/fields` follow).
 */
export const withUuidForeignKeys = (schema: Schema): Schema => {
  let collections: Record<string, Collection> | undefined;
  for (const [name, info] of Object.entries(schema.collections)) {
    let fields: Record<string, Field> | undefined;
    for (const field of Object.values(info.fields)) {
      if (field.alias || field.type === 'uuid') continue;
      const m2o = m2oRelation(schema, name, field.field);
      if (!m2o || !hasUuidKey(schema, m2o.oneCollection)) continue;
      (fields ??= { ...info.fields })[field.field] = { ...field, type: 'uuid' };
    }
    if (fields) (collections ??= { ...schema.collections })[name] = { ...info, fields };
  }
  return collections ? { ...schema, collections } : schema;
};

const UUID_TEXT = /^\{?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}?$/i;

/** uuid_in: 32 hex digits (hyphens between groups and braces optional), printed lower-case and hyphenated. */
export const postgresUuid = (text: string): string | Silent => {
  if (!UUID_TEXT.test(text)) return invalidSyntax('uuid', text);
  const hex = text.replace(/[{}-]/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

const json = (text: string): JsonValue | Failure => {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return new Silent('invalid input syntax for type json');
  }
};

/** A varchar(n) column: the snapshot's length, else the type's default (characters, not bytes). */
const varchar = (text: string, field: Field, ctx: ColumnContext, value: JsonValue): JsonValue | Failure => {
  const max = field.maxLength ?? defaultMaxLength(field.type) ?? Infinity;
  return text.length > max && [...text].length > max ? payloadError('VALUE_TOO_LONG', ctx, field.field, value) : text;
};

/**
 * `value` (after Directus's own payload processing) as the Postgres column of `field` keeps it, or the
 * failure Postgres's refusal becomes in Directus; undefined for the types measured to behave as on
 * SQLite (dates, which Directus itself converts, and decimal).
 */
export const postgresColumn = (field: Field, value: JsonValue, ctx: ColumnContext): JsonValue | Failure | undefined => {
  if (value === null) return null;
  const text = driverText(value);
  if (ctx.uuid) return postgresUuid(text);
  switch (field.type) {
    case 'integer': return integer(text, INT4, 'integer', ctx, field.field, value);
    case 'bigInteger': return integer(text, INT8, 'bigint', ctx, field.field, value);
    case 'float': return real(text, ctx, field.field, value);
    case 'boolean': return postgresBoolean(text);
    case 'time': return time(text);
    case 'json': return typeof value === 'string' ? json(value) : value;
    case 'string': case 'uuid': case 'hash': case 'csv': case 'text': return varchar(text, field, ctx, value);
    default: return undefined;
  }
};

/** The Postgres type Directus creates for a date field, as Postgres names it in its errors. */
const DATE_COLUMN: Readonly<Record<string, string>> = {
  timestamp: 'timestamp with time zone', dateTime: 'timestamp', date: 'date', time: 'time',
};

const DATE_WORDS = new Set(['now', 'today', 'tomorrow', 'yesterday', 'epoch', 'infinity', '-infinity']);
const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;

const clockOk = (h: number, m: number, sec: number): boolean => h <= 24 && m <= 59 && sec <= 60;

const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * Text for a date column that Postgres's date/time input refuses, as its error, else undefined: the
 * ISO forms Directus clients send and Postgres's special words are read; a date or clock with fields
 * out of range is "out of range"; anything else (words, numbers, `{}`) is "invalid input syntax".
 * Measured with psql on Postgres 15 for the values the differential tester sends; not its full parser.
 * `shown`: the text the error quotes, where `text` is what the parser reads of it.
 */
export const postgresDateInput = (type: string, text: string, shown = text): DatabaseFailure | undefined => {
  const column = DATE_COLUMN[type];
  if (column === undefined) return undefined;
  const t = text.trim();
  const outOfRange = new DatabaseFailure(`date/time field value out of range: "${shown}"`);
  const syntax = new DatabaseFailure(`invalid input syntax for type ${column}: "${shown}"`);
  const clock = CLOCK.exec(t);
  if (type === 'time') {
    if (clock) return clockOk(Number(clock[1]), Number(clock[2]), Number(clock[3] ?? 0)) ? undefined : outOfRange;
    const spaced = /^\d{4}-\d{2}-\d{2} (\d{1,2}:\d{2}(?::\d{2})?)$/.exec(t);
    return spaced ? undefined : syntax;
  }
  if (DATE_WORDS.has(t.toLowerCase())) return undefined;
  const iso = ISO_DATE.exec(t);
  if (iso) {
    const [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    const inRange = month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month)
      && clockOk(Number(iso[4] ?? 0), Number(iso[5] ?? 0), Number(iso[6] ?? 0));
    return inRange ? undefined : outOfRange;
  }
  if (clock) return clockOk(Number(clock[1]), Number(clock[2]), Number(clock[3] ?? 0)) ? syntax : outOfRange;
  if (/^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$/.test(t)) return outOfRange;
  if (/^\d+$/.test(t) && (t === '0' || t.length >= 6)) return outOfRange;
  return syntax;
};
