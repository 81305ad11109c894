// How a statement reads in a database error, per database: knex quotes identifiers (`"a"."b"` on
// Postgres, `` `a`.`b` `` on SQLite) and, when a query fails, prints it with its bindings — the pg
// client's numbered parameters ($1, $2…) as they are, the sqlite3 client's `?` replaced by each
// value as knex escapes it. Date functions are each database's own SQL (Directus's fn helpers).
// The aliases Directus gives joined tables and relational counts are hashes of where they occur
// (generateJoinAlias, generateRelationalQueryAlias), so they are reproduced here exactly.
import type { Dialect } from '../../dialect.ts';

/** The text of one statement being written: quoting, bindings (numbered in the order written), functions. */
export interface SqlText {
  /** An identifier as knex wraps it: each dotted part quoted, `*` left bare. */
  id(name: string): string;
  /** The place of one bound value. */
  bind(value: unknown): string;
  /** A date part of a column (`year`, `month`, … as Directus's functions name them). */
  datePart(fn: string, column: string, type: string): string;
  /** The length of a json array column (`count(json)`). */
  jsonLength(column: string): string;
}

const quoted = (quote: '"' | '`') => (name: string): string =>
  name.split('.').map((part) => (part === '*' ? part : `${quote}${part.split(quote).join(quote + quote)}${quote}`)).join('.');

/** A value as knex's default escaper writes it into the text of a failed sqlite3 query. */
export const knexLiteral = (value: unknown): string => {
  if (value === null || value === undefined) return 'NULL';
  switch (typeof value) {
    case 'boolean': return value ? 'true' : 'false';
    case 'number': return String(value);
    case 'string': return `'${value.replace(/'/g, "''")}'`;
    default:
      if (Array.isArray(value)) return value.map((v) => (Array.isArray(v) ? `(${knexLiteral(v)})` : knexLiteral(v))).join(', ');
      return JSON.stringify(value) ?? 'NULL';
  }
};

const EXTRACT: Readonly<Record<string, string>> = {
  year: 'YEAR', month: 'MONTH', week: 'WEEK', day: 'DAY', weekday: 'DOW', hour: 'HOUR', minute: 'MINUTE', second: 'SECOND',
};
const STRFTIME: Readonly<Record<string, string>> = {
  year: '%Y', month: '%m', week: '%W', day: '%d', weekday: '%w', hour: '%H', minute: '%M', second: '%S',
};

/** Whether `fn` is one of the date functions both databases write. */
export const isDatePart = (fn: string): boolean => Object.hasOwn(EXTRACT, fn);

const postgres = (): SqlText => {
  let n = 0;
  return {
    id: quoted('"'),
    bind() {
      n += 1;
      return `$${n}`;
    },
    datePart(fn, column, type) {
      return `EXTRACT(${EXTRACT[fn]} FROM ${column}${type === 'timestamp' ? " AT TIME ZONE 'UTC'" : ''})`;
    },
    jsonLength(column) {
      return `json_array_length(${column})`;
    },
  };
};

const sqlite = (): SqlText => ({
  id: quoted('`'),
  bind: knexLiteral,
  // Epoch milliseconds; every type but timestamp is read as local time (the server's zone: UTC here).
  datePart(fn, column, type) {
    return `CAST(strftime('${STRFTIME[fn]}', ${column} / 1000, 'unixepoch'${type === 'timestamp' ? '' : ", 'localtime'"}) AS INTEGER)`;
  },
  jsonLength(column) {
    return `json_array_length(${column}, '$')`;
  },
});

/** A fresh statement text for `dialect` (Postgres numbers its parameters from 1 per statement). */
export const sqlTextFor = (dialect: Dialect): SqlText => (dialect.name === 'postgres' ? postgres() : sqlite());

/** @directus/utils getSimpleHash: a 32-bit string hash in hex. */
const simpleHash = (text: string): string => {
  let hash = 0;
  for (let i = 0; i < text.length; hash &= hash) hash = 31 * hash + text.charCodeAt(i++);
  return Math.abs(hash).toString(16);
};

/** generateDeterministicAlias: five letters from the hash of a context. */
const deterministicAlias = (context: string): string => {
  let num = parseInt(simpleHash(context), 16);
  let out = '';
  for (let i = 0; i < 5; i++) {
    out += String.fromCharCode(97 + (num % 26));
    num = Math.floor(num / 26);
  }
  return out;
};

/**
 * The alias of a table joined for a sort or filter path: `path` is what is left of the path at this
 * step (`category.name`), `parentFields` the steps before it (`''` at the root).
 */
export const joinAlias = (collection: string, path: readonly string[], relationType: 'm2o' | 'o2m', parentFields: string): string =>
  deterministicAlias(JSON.stringify({ collection, path: path.join('.'), relationType, parentFields }));

/**
 * The alias of a relational count's inner table: selected columns pass the count's (absent) filter as
 * null, filters and sorts pass none at all — two different aliases for the same count.
 */
export const countAlias = (table: string, column: string, collectionName: string, selected: boolean): string =>
  deterministicAlias(JSON.stringify({ table, column, collectionName, ...(selected ? { filter: null } : {}) }));

/** generateQueryAlias: the alias of one of a read's columns, from the table, a path and the query's sort, group and aggregate. */
export const queryAlias = (table: string, path: string, query: { readonly sort?: unknown; readonly group?: unknown; readonly aggregate?: unknown }): string =>
  deterministicAlias(JSON.stringify({ table, path, sort: query.sort, group: query.group, aggregate: query.aggregate }));
