// `aggregate` + `groupBy`: one output row per group, shaped as Directus's processAggregates does
// (`{count: 5}` for `count(*)`, `{sum: {price: 1.5}}` per field).
import { DatabaseFailure, forbiddenField, isFailure, Silent, type Failure } from '../../errors.ts';
import { columnValue, readColumn } from '../../stored-value.ts';
import type { Collection, Item, JsonValue } from '../../types.ts';
import { canReadField, dialectOfContext, type QueryContext } from '../shared/context.ts';
import { postgresAggregate, postgresAggregateRefusal } from './postgres-aggregate.ts';
import type { Query } from '../shared/sanitize.ts';
import { compareValues } from '../shared/values.ts';
import { pathGetter } from './sort.ts';
import { functionText, parseFunction } from '../shared/values.ts';

const FUNCTIONS = new Set(['count', 'countDistinct', 'sum', 'sumDistinct', 'avg', 'avgDistinct', 'min', 'max', 'countAll']);

export const isAggregateQuery = (query: Query): boolean =>
  query.group !== undefined || (query.aggregate !== undefined && Object.keys(query.aggregate).some((fn) => FUNCTIONS.has(fn)));

/** getAstFromQuery drops the `sort` of an aggregate without groupBy: it is neither checked nor applied. */
export const keepsSort = (query: Query): boolean =>
  !(query.aggregate !== undefined && Object.keys(query.aggregate).length > 0 && !query.group?.[0]);

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

/** A column value as SQLite's sum() reads it: text by its numeric prefix (`"10:00:00"` is 10), else 0. */
const numeric = (values: readonly JsonValue[]): number[] =>
  values.map((v) => {
    if (typeof v === 'number') return v;
    const prefix = typeof v === 'string' ? /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(v) : null;
    return prefix ? Number(prefix[0]) : 0;
  });

/** One aggregate function over column values (as SQLite holds them: see columnValue). */
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
  representatives?: Map<JsonValue, Item>,
): JsonValue[] | Failure => {
  const aggregate = Object.entries(query.aggregate ?? {}).filter(([fn]) => FUNCTIONS.has(fn));
  const dialect = dialectOfContext(ctx);
  // A relational path, a function or an alias field passes Directus's field check but is no column
  // SQL can aggregate: the statement fails. Only count takes `*` (count(*)); `sum(t.*)` and
  // `sum(t.a.b)` are syntax errors the database meets before it reads a row, the first in the text.
  let syntaxNear: string | undefined;
  let noColumn: string | undefined;
  for (const [fn, fields] of aggregate) {
    for (const f of fields) {
      if (f === '*') {
        // Postgres takes `countDistinct(t.*)` (a row) and names the function a row has no version of.
        if (fn !== 'count' && fn !== 'countAll' && !dialect.typedAggregates) syntaxNear ??= '*';
        continue;
      }
      if (f.includes('(')) {
        noColumn ??= f;
        continue;
      }
      if (f.includes('.')) {
        const path = pathGetter(ctx, collection, f);
        if (typeof path !== 'function') return path;
        syntaxNear ??= '.';
        continue;
      }
      if (!canReadField(ctx, collection, f)) return forbiddenField(f, collection);
      const def = ctx.schema.collections[collection]!.fields[f];
      if (def === undefined || !Object.hasOwn(ctx.schema.collections[collection]!.fields, f)) return forbiddenField(f, collection);
      if (def.alias) noColumn ??= f;
    }
  }
  const groupGetters: { key: string; get: (row: Item) => JsonValue | undefined }[] = [];
  for (const spec of query.group ?? []) {
    // getDBQuery looks each group field up among the read's column nodes: a relational path or a
    // to-many alias is none, and its TypeError comes before any SQL runs.
    if (spec.includes('.') || (parseFunction(spec) === null && ctx.schema.collections[collection]!.fields[spec]?.alias)) {
      return new Silent("Cannot read properties of undefined (reading '0')");
    }
    const get = pathGetter(ctx, collection, spec);
    if (typeof get !== 'function') return get;
    groupGetters.push({ key: groupKey(spec), get });
  }
  if (dialectOfContext(ctx).name === 'sqlite') {
    if (syntaxNear !== undefined) return new DatabaseFailure(`SQLITE_ERROR: near "${syntaxNear}": syntax error`);
    if (noColumn !== undefined) return new DatabaseFailure(`SQLITE_ERROR: no such column: ${collection}.${noColumn}`);
  } else {
    if (syntaxNear === '*') return new Silent('SQLITE_ERROR: near "*": syntax error');
    if (syntaxNear !== undefined || noColumn !== undefined) return new Silent(`no column to aggregate: ${noColumn ?? ''}`);
  }
  const refused = dialect.typedAggregates ? postgresAggregateRefusal(ctx.schema, collection, aggregate) : undefined;
  if (refused) return refused;
  const groups = new Map<string, Item[]>();
  for (const row of rows) {
    const id = JSON.stringify(groupGetters.map((g) => g.get(row) ?? null));
    const list = groups.get(id);
    if (list) list.push(row);
    else groups.set(id, [row]);
  }
  // Without groupBy, an aggregate over no rows still yields one row.
  if (groupGetters.length === 0 && groups.size === 0) groups.set('[]', []);

  const textAggregates = dialect.numericAggregatesAsText;
  const out: JsonValue[] = [];
  for (const members of groups.values()) {
    const result: Record<string, JsonValue> = {};
    for (const g of groupGetters) result[g.key] = members.length ? g.get(members[0]!) ?? null : null;
    for (const [fn, fields] of aggregate) {
      // countAll is accepted but Directus 12 drops it from the response (recorded: `[{}]`).
      if (fn === 'countAll') continue;
      // count(*) is selected as `count`, each count(field) as `count->field`; Directus then nests the
      // latter under `count`, replacing the number: `*` shows only when it is counted alone.
      const counted = fn === 'count' ? fields.filter((f) => f !== '*') : fields;
      if (counted.length === 0 && fields.length > 0) {
        result[fn] = textAggregates ? String(members.length) : members.length;
        continue;
      }
      const perField: Record<string, JsonValue> = {};
      const info = ctx.schema.collections[collection]!;
      const primary = info.primary;
      for (const f of counted) {
        // Postgres's count(distinct row): every root row of the group once (the key tells rows apart).
        if (f === '*') {
          perField[f] = textAggregates ? String(members.length) : members.length;
          continue;
        }
        const once = weight === null || (fn === 'count' && f === primary);
        const def = info.fields[f]!;
        const values = (once ? members.map((m) => m[f] ?? null) : repeated(members, f, weight)).map((v) => columnValue(def, v));
        const text = textAggregates ? postgresAggregate(fn, def.type, values.filter((v) => v !== null && v !== undefined)) : undefined;
        if (text !== undefined) {
          // Directus reads the driver's text back through the field too: a json count is parsed ("3" → 3).
          const read = readColumn(def, text);
          if (isFailure(read)) return read;
          perField[f] = read;
          continue;
        }
        // Directus reads every result back through the field's type: a count over a timestamp is a timestamp.
        const result = readColumn(def, compute(fn, values));
        if (isFailure(result)) return result;
        perField[f] = result;
      }
      result[fn] = perField;
    }
    const representative = representativeRow(ctx, collection, members, aggregate);
    if (representatives && representative) representatives.set(result, representative);
    out.push(result);
  }
  return out;
};

/**
 * The row of a group whose columns SQLite reads for a bare column (one neither grouped nor
 * aggregated): the first row it scanned, or, when the query has exactly one min() or max(), the first
 * row holding that extreme.
 */
const representativeRow = (
  ctx: QueryContext, collection: string, members: readonly Item[], aggregate: readonly [string, readonly string[]][],
): Item | undefined => {
  const calls = aggregate.flatMap(([fn, fields]) => fields.map((f) => [fn, f] as const));
  const extreme = calls.filter(([fn]) => fn === 'min' || fn === 'max');
  if (calls.length === 0 || extreme.length !== 1) return members[0];
  const [fn, field] = extreme[0]!;
  const def = Object.hasOwn(ctx.schema.collections[collection]!.fields, field) ? ctx.schema.collections[collection]!.fields[field] : undefined;
  if (!def) return members[0];
  const values = members.map((m) => columnValue(def, m[field] ?? null));
  const target = compute(fn, values);
  const at = target === null ? -1 : values.findIndex((v) => v !== null && v !== undefined && compareValues(v, target) === 0);
  return members[at === -1 ? 0 : at];
};

/**
 * Values of a grouped read's sort entries that are neither a group key nor an aggregate (SQLite's
 * bare columns), read from each group's representative row; keyed by the entry without its `-`.
 */
export const bareSortValues = (
  ctx: QueryContext, collection: string, query: Query, representatives: ReadonlyMap<JsonValue, Item>,
): Map<string, (row: JsonValue) => JsonValue | undefined> => {
  const bare = new Map<string, (row: JsonValue) => JsonValue | undefined>();
  const groupKeys = new Set((query.group ?? []).map(groupKey));
  for (const entry of query.sort ?? []) {
    const spec = entry.startsWith('-') ? entry.slice(1) : entry;
    if (groupKeys.has(groupKey(spec)) || Object.hasOwn(query.aggregate ?? {}, spec.split('.')[0]!)) continue;
    const get = pathGetter(ctx, collection, spec);
    if (typeof get !== 'function') continue;
    bare.set(spec, (row) => {
      const from = representatives.get(row);
      return from ? get(from) ?? null : null;
    });
  }
  return bare;
};

/** The value at `path` (`count.id`) in an aggregate output row. */
const valueAt = (row: JsonValue, path: readonly string[]): JsonValue | undefined =>
  path.reduce<JsonValue | undefined>((v, k) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v[k] : undefined), row);

/**
 * Sort for aggregate output rows: group fields by output key, aggregates by `fn` or `fn.field`.
 * A group field of `fields` compares as its column holds it (json and csv as their text, as SQLite sorts).
 */
export const compareAggregateRows = (
  sort: readonly string[], fields: Collection['fields'] = {}, nullsFirst = true,
  bare: ReadonlyMap<string, (row: JsonValue) => JsonValue | undefined> = new Map(),
) => (a: JsonValue, b: JsonValue): number => {
  for (const entry of sort) {
    const desc = entry.startsWith('-');
    const spec = desc ? entry.slice(1) : entry;
    const path = groupKey(spec).split('.');
    const def = path.length === 1 && Object.hasOwn(fields, path[0]!) ? fields[path[0]!] : undefined;
    const read = bare.get(spec);
    const x = read ? read(a) : valueAt(a, path);
    const y = read ? read(b) : valueAt(b, path);
    const c = def ? compareValues(columnValue(def, x), columnValue(def, y), nullsFirst) : compareValues(x, y, nullsFirst);
    if (c !== 0) return desc ? -c : c;
  }
  return 0;
};

/**
 * Grouped rows as the dialect's driver returns them (its `functionsAsText`): a function group key
 * (`stamp_year`) is text on Postgres. Applied after ordering, which compares the numbers.
 */
export const groupFunctionsAsText = (query: Query) => {
  const keys = (query.group ?? []).flatMap((spec) => {
    const fn = parseFunction(spec);
    return fn ? [{ key: groupKey(spec), fn: fn.fn }] : [];
  });
  return (row: JsonValue): JsonValue => {
    if (keys.length === 0 || row === null || typeof row !== 'object' || Array.isArray(row)) return row;
    const out = { ...row };
    for (const { key, fn } of keys) if (Object.hasOwn(out, key)) out[key] = functionText(fn, out[key]!);
    return out;
  };
};
