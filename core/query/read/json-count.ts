// `count(field)` over a json field is SQLite's `json_array_length`, which fails the whole statement
// ("malformed JSON", a 500) on a row whose stored text is no JSON. Which rows it reads depends on where
// the query names it: the filter every row its WHERE reaches (terms in order, short-circuited; the
// filter's getter reports those through the context's `jsonFaults`), the sort every row the filter
// kept, the selected fields only the rows of the page (SQLite computes them after sorting).
import { DatabaseFailure } from '../../errors.ts';
import type { Item } from '../../types.ts';
import type { QueryContext } from '../shared/context.ts';
import type { Query } from '../shared/sanitize.ts';
import { malformedJson, parseFunction } from '../shared/values.ts';

/** The json fields of the queried collection a query counts, by where it counts them. */
export interface JsonCounts {
  readonly inFilter: boolean;
  readonly sort: readonly string[];
  readonly fields: readonly string[];
}

const countedJson = (ctx: QueryContext, collection: string, key: string): string | undefined => {
  // Every read asks this of each sort entry and field: most name no function at all.
  if (!key.startsWith('count(')) return undefined;
  const fn = parseFunction(key);
  if (fn?.fn !== 'count') return undefined;
  return ctx.schema.collections[collection]?.fields[fn.field]?.type === 'json' ? fn.field : undefined;
};

const NONE: readonly string[] = [];

/** Whether a filter names `count(json)` at its top level or through `_and` and `_or`. */
const inFilter = (ctx: QueryContext, collection: string, filter: unknown): boolean => {
  if (Array.isArray(filter)) return filter.some((part) => inFilter(ctx, collection, part));
  if (filter === null || typeof filter !== 'object') return false;
  return Object.entries(filter).some(([key, value]) =>
    key === '_and' || key === '_or' ? inFilter(ctx, collection, value) : countedJson(ctx, collection, key) !== undefined);
};

export const jsonCounts = (ctx: QueryContext, collection: string, query: Query): JsonCounts | undefined => {
  if (query.sort === undefined && query.fields === undefined && query.filter === undefined) return undefined;
  const sort = query.sort ? query.sort.flatMap((entry) => countedJson(ctx, collection, entry.startsWith('-') ? entry.slice(1) : entry) ?? []) : NONE;
  const fields = query.fields ? query.fields.flatMap((entry) => countedJson(ctx, collection, entry) ?? []) : NONE;
  const counts = { inFilter: inFilter(ctx, collection, query.filter), sort, fields };
  return counts.inFilter || sort.length > 0 || fields.length > 0 ? counts : undefined;
};

const anyMalformed = (rows: readonly Item[], fields: readonly string[]): boolean =>
  fields.length > 0 && rows.some((row) => fields.some((f) => malformedJson(row[f])));

/** The failure SQLite's json_array_length gives when a row it reads holds no JSON. */
export const MALFORMED_JSON = new DatabaseFailure('SQLITE_ERROR: malformed JSON');

/** Whether the sort or the page's fields read a row that holds no JSON (the filter reports its own). */
export const malformedInRows = (counts: JsonCounts, matched: readonly Item[], page: readonly Item[]): boolean =>
  anyMalformed(matched, counts.sort) || anyMalformed(page, counts.fields);

/**
 * Postgres's json_array_length refuses any JSON but an array (NULL gives NULL): the first row read
 * that holds an object or a scalar fails the statement. Its filter reads every row, its ORDER BY the
 * rows the filter kept, its select list the page's rows.
 */
const arrayLengthFault = (rows: readonly Item[], fields: readonly string[]): DatabaseFailure | undefined => {
  for (const row of rows) {
    for (const f of fields) {
      const v = row[f];
      if (v === null || v === undefined || Array.isArray(v)) continue;
      return new DatabaseFailure(typeof v === 'object' ? 'cannot get array length of a non-array' : 'cannot get array length of a scalar');
    }
  }
  return undefined;
};

/** The fields `count(…)` names in a filter, at its top level or through `_and` and `_or`. */
const countedInFilter = (ctx: QueryContext, collection: string, filter: unknown): string[] => {
  if (Array.isArray(filter)) return filter.flatMap((part) => countedInFilter(ctx, collection, part));
  if (filter === null || typeof filter !== 'object') return [];
  return Object.entries(filter).flatMap(([key, value]) =>
    key === '_and' || key === '_or' ? countedInFilter(ctx, collection, value) : countedJson(ctx, collection, key) ?? []);
};

/** The failure Postgres gives for `count(json)` over rows that hold no array (see arrayLengthFault). */
export const postgresArrayLengthFault = (
  ctx: QueryContext, collection: string, query: Query, counts: JsonCounts, scanned: readonly Item[], matched: readonly Item[], page: readonly Item[],
): DatabaseFailure | undefined =>
  (counts.inFilter ? arrayLengthFault(scanned, countedInFilter(ctx, collection, query.filter)) : undefined)
  ?? arrayLengthFault(matched, counts.sort) ?? arrayLengthFault(page, counts.fields);
