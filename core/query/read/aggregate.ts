// `aggregate` + `groupBy`: one output row per group, shaped as Directus's processAggregates does
// (`{count: 5}` for `count(*)`, `{sum: {price: 1.5}}` per field).
import { forbiddenField, Silent, type Failure } from '../../errors.ts';
import type { Item, JsonValue } from '../../types.ts';
import { canReadField, type QueryContext } from '../shared/context.ts';
import type { Query } from '../shared/sanitize.ts';
import { compareValues } from '../shared/values.ts';
import { pathGetter } from './sort.ts';
import { parseFunction } from '../shared/values.ts';

const FUNCTIONS = new Set(['count', 'countDistinct', 'sum', 'sumDistinct', 'avg', 'avgDistinct', 'min', 'max', 'countAll']);

export const isAggregateQuery = (query: Query): boolean =>
  query.group !== undefined || (query.aggregate !== undefined && Object.keys(query.aggregate).some((fn) => FUNCTIONS.has(fn)));

/** Kahan–Babuška–Neumaier summation, as SQLite's sum() does it (so 275.09 stays 275.09). */
const preciseSum = (values: readonly number[]): number => {
  let sum = 0;
  let compensation = 0;
  for (const v of values) {
    const t = sum + v;
    compensation += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + compensation;
};

const distinct = (values: readonly JsonValue[]): JsonValue[] => {
  const seen = new Set<string>();
  return values.filter((v) => {
    const key = typeof v + ':' + JSON.stringify(v);
    return seen.has(key) ? false : (seen.add(key), true);
  });
};

const numeric = (values: readonly JsonValue[]): number[] =>
  values.map((v) => (typeof v === 'number' ? v : Number(v))).filter((n) => !Number.isNaN(n));

const compute = (fn: string, values: readonly JsonValue[]): JsonValue => {
  const present = values.filter((v) => v !== null && v !== undefined);
  switch (fn) {
    case 'count': return present.length;
    case 'countDistinct': return distinct(present).length;
    case 'sum': return present.length ? preciseSum(numeric(present)) : null;
    case 'sumDistinct': return present.length ? preciseSum(numeric(distinct(present))) : null;
    case 'avg': return present.length ? preciseSum(numeric(present)) / present.length : null;
    case 'avgDistinct': {
      const d = distinct(present);
      return d.length ? preciseSum(numeric(d)) / d.length : null;
    }
    case 'min': return present.reduce<JsonValue>((m, v) => (m === null || compareValues(v, m) < 0 ? v : m), null);
    case 'max': return present.reduce<JsonValue>((m, v) => (m === null || compareValues(v, m) > 0 ? v : m), null);
    default: return null;
  }
};

/** Each row's value as often as the join repeats the row. */
const repeated = (rows: readonly Item[], field: string, weight: (row: Item) => number): JsonValue[] => {
  const out: JsonValue[] = [];
  for (const row of rows) for (let n = weight(row); n > 0; n--) out.push(row[field] ?? null);
  return out;
};

/** Output key of a group field: `year(published_at)` → `published_at_year`. */
export const groupKey = (spec: string): string => {
  const fn = parseFunction(spec);
  return fn ? `${fn.field}_${fn.fn}` : spec;
};

/**
 * Aggregates filtered rows into group rows (unsorted, unpaged: the caller sorts by the first group
 * field, or by `sort` resolved against the output row, then pages). `weight` is how many joined rows
 * each row stands for when the filter walks a to-many relation (see join-rows.ts): `count(*)` and
 * `count(<primary key>)` count rows once, as Directus's COUNT(DISTINCT) does, every other function
 * sees each value as often as the join repeats it.
 */
export const aggregateRows = (
  ctx: QueryContext,
  collection: string,
  rows: readonly Item[],
  query: Query,
  weight: ((row: Item) => number) | null = null,
): JsonValue[] | Failure => {
  const aggregate = Object.entries(query.aggregate ?? {}).filter(([fn]) => FUNCTIONS.has(fn));
  for (const [, fields] of aggregate) {
    for (const f of fields) {
      if (f !== '*' && !canReadField(ctx, collection, f)) return forbiddenField(f, collection);
      if (f !== '*' && !Object.hasOwn(ctx.schema.collections[collection]!.fields, f)) return forbiddenField(f, collection);
    }
  }
  const groupGetters: { key: string; get: (row: Item) => JsonValue | undefined }[] = [];
  for (const spec of query.group ?? []) {
    // Grouping through a relation is an SQL error the WebSocket handler never answers.
    if (spec.includes('.')) return new Silent(`groupBy through a relation: ${spec}`);
    const get = pathGetter(ctx, collection, spec);
    if (typeof get !== 'function') return get;
    groupGetters.push({ key: groupKey(spec), get });
  }
  const groups = new Map<string, Item[]>();
  for (const row of rows) {
    const id = JSON.stringify(groupGetters.map((g) => g.get(row) ?? null));
    const list = groups.get(id);
    if (list) list.push(row);
    else groups.set(id, [row]);
  }
  // Without groupBy, an aggregate over no rows still yields one row.
  if (groupGetters.length === 0 && groups.size === 0) groups.set('[]', []);

  const out: JsonValue[] = [];
  for (const members of groups.values()) {
    const result: Record<string, JsonValue> = {};
    for (const g of groupGetters) result[g.key] = members.length ? g.get(members[0]!) ?? null : null;
    for (const [fn, fields] of aggregate) {
      // countAll is accepted but Directus 12 drops it from the response (recorded: `[{}]`).
      if (fn === 'countAll') continue;
      if (fn === 'count' && fields.includes('*')) {
        result[fn] = members.length;
        continue;
      }
      const perField: Record<string, JsonValue> = {};
      const primary = ctx.schema.collections[collection]!.primary;
      for (const f of fields) {
        const once = weight === null || (fn === 'count' && f === primary);
        perField[f] = compute(fn, once ? members.map((m) => m[f] ?? null) : repeated(members, f, weight));
      }
      result[fn] = perField;
    }
    out.push(result);
  }
  return out;
};

/** The value at `path` (`count.id`) in an aggregate output row. */
const valueAt = (row: JsonValue, path: readonly string[]): JsonValue | undefined =>
  path.reduce<JsonValue | undefined>((v, k) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v[k] : undefined), row);

/** Sort for aggregate output rows: group fields by output key, aggregates by `fn` or `fn.field`. */
export const compareAggregateRows = (sort: readonly string[]) => (a: JsonValue, b: JsonValue): number => {
  for (const entry of sort) {
    const desc = entry.startsWith('-');
    const path = groupKey(desc ? entry.slice(1) : entry).split('.');
    const c = compareValues(valueAt(a, path), valueAt(b, path));
    if (c !== 0) return desc ? -c : c;
  }
  return 0;
};
