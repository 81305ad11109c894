// `sort` → one comparator over rows: fields, `-field`, m2o paths (`author.name`), functions.
import { DatabaseFailure, forbiddenCollection, forbiddenField, invalidQuery, JOINED_JSON_COUNT, type Failure } from '../../errors.ts';
import { m2oRelation, o2mRelation } from '../../schema.ts';
import type { Item, JsonValue, Relation } from '../../types.ts';
import { canReadField, dialectOfContext, type QueryContext } from '../shared/context.ts';
import { applyFunction, compareValues, functionsForType, parseFunction } from '../shared/values.ts';
import { visibleChildrenOf, visibleParentOf } from '../shared/visible-rows.ts';

export type Comparator = (a: Item, b: Item) => number;

type Getter = (row: Item) => JsonValue | undefined;

/** `count(alias)`: the related rows the caller may read. */
const relationalCount = (ctx: QueryContext, relation: Relation): Getter => {
  const primary = ctx.schema.collections[relation.oneCollection!]!.primary;
  const children = visibleChildrenOf(ctx, relation);
  return (row) => {
    const key = row[primary];
    return typeof key === 'number' || typeof key === 'string' ? children(key).length : 0;
  };
};

/**
 * Which of several values an o2m path sorts by. Directus joins the o2m rows, sorts the joined rows and
 * keeps each parent's first: ascending that is its smallest value (null smallest), descending its largest.
 */
export type Pick = 'min' | 'max';

const picked = (values: readonly (JsonValue | undefined)[], pick: Pick, nullsFirst: boolean): JsonValue | undefined => {
  let best = values[0];
  for (let i = 1; i < values.length; i++) {
    const c = compareValues(values[i], best, nullsFirst);
    if (pick === 'min' ? c < 0 : c > 0) best = values[i];
  }
  return best;
};

/** A getter for a (possibly relational, possibly function) path, or the error Directus gives. */
/** The row a left join yields where nothing matches: every column null. */
const NULL_ROW: Item = Object.freeze({});

export const pathGetter = (ctx: QueryContext, collection: string, path: string, via = '', pick: Pick = 'min'): Getter | Failure => {
  const [head, ...rest] = path.split('.');
  const fn = parseFunction(head!);
  const field = fn ? fn.field : head!;
  const info = ctx.schema.collections[collection]!;
  const def = Object.hasOwn(info.fields, field) ? info.fields[field] : undefined;
  if (!def || !canReadField(ctx, collection, field)) return forbiddenField(path, collection);
  if (fn) {
    // `count(alias)` of an o2m, m2m or m2a: the number of related rows.
    const o2m = fn.fn === 'count' ? o2mRelation(ctx.schema, collection, field) : undefined;
    if (o2m) return relationalCount(ctx, o2m);
    if (!functionsForType(def.type).includes(fn.fn)) return invalidQuery(`Invalid function specified "${fn.fn}"`);
    if (via !== '' && fn.fn === 'count' && def.type === 'json' && dialectOfContext(ctx).joinedJsonCountFails) return JOINED_JSON_COUNT;
    const castJson = def.special.includes('cast-json');
    const extract = dialectOfContext(ctx).functionsAsText;
    return (row) => applyFunction(fn.fn, row[field], castJson, extract);
  }
  if (rest.length === 0) {
    // Postgres has no ordering (nor equality) for json: ORDER BY or GROUP BY one fails the query.
    if (def.type === 'json' && dialectOfContext(ctx).typedColumns) return new DatabaseFailure('could not identify an ordering operator for type json');
    return (row) => row[field];
  }
  const through = via === '' ? field : `${via}.${field}`;
  const o2m = m2oRelation(ctx.schema, collection, field) ? undefined : o2mRelation(ctx.schema, collection, field);
  if (o2m) {
    if (ctx.readable(o2m.manyCollection) === null) return forbiddenCollection(o2m.manyCollection, through);
    const { nullsFirst } = dialectOfContext(ctx);
    const inner = pathGetter(ctx, o2m.manyCollection, rest.join('.'), through, pick);
    if (typeof inner !== 'function') return inner;
    const visible = visibleChildrenOf(ctx, o2m);
    // A parent without children joins one row of nulls: most paths read null there, a relational
    // count (a subquery keyed by the null row) reads 0.
    const alone = inner(NULL_ROW) ?? null;
    return (row) => {
      const key = row[ctx.schema.collections[collection]!.primary];
      const children = typeof key === 'number' || typeof key === 'string' ? visible(key) : [];
      return children.length === 0 ? alone : picked(children.map(inner), pick, nullsFirst);
    };
  }
  const relation = m2oRelation(ctx.schema, collection, field);
  if (!relation?.oneCollection) return forbiddenField(path, collection);
  if (ctx.readable(relation.oneCollection) === null) return forbiddenCollection(relation.oneCollection, through);
  const inner = pathGetter(ctx, relation.oneCollection, rest.join('.'), through, pick);
  if (typeof inner !== 'function') return inner;
  const parentOf = visibleParentOf(ctx, relation);
  const alone = inner(NULL_ROW) ?? null;
  return (row) => {
    const parent = parentOf(row[field]);
    return parent ? inner(parent) : alone;
  };
};

/** Builds the comparator for `sort` entries; ties keep the incoming (primary-key) order. */
export const compileSort = (ctx: QueryContext, collection: string, sort: readonly string[]): Comparator | Failure => {
  const keys: { get: Getter; dir: number }[] = [];
  // The database meets its failures only once the whole statement is built: a later entry's
  // INVALID_QUERY (an unknown function) comes first.
  let fromDatabase: DatabaseFailure | undefined;
  for (const entry of sort) {
    const desc = entry.startsWith('-');
    const get = pathGetter(ctx, collection, desc ? entry.slice(1) : entry, '', desc ? 'max' : 'min');
    if (get instanceof DatabaseFailure) fromDatabase ??= get;
    else if (typeof get !== 'function') return get;
    else keys.push({ get, dir: desc ? -1 : 1 });
  }
  if (fromDatabase) return fromDatabase;
  const { nullsFirst } = dialectOfContext(ctx);
  return (a, b) => {
    for (const { get, dir } of keys) {
      const c = compareValues(get(a), get(b), nullsFirst);
      if (c !== 0) return c * dir;
    }
    return 0;
  };
};

/**
 * The first `count` rows in the order a stable sort by `compare` gives (ties keep their input order),
 * without sorting the rest: a bounded max-heap of the best rows so far, O(n log count). What a
 * database does for ORDER BY … LIMIT; a page of 20 out of 25,000 matches costs a pass, not a sort.
 */
export const firstSorted = <T>(rows: readonly T[], compare: (a: T, b: T) => number, count: number): T[] => {
  if (count <= 0) return [];
  // Heap of input indexes; the root is the worst row kept so far.
  const heap: Heap<T> = { rows, compare, at: [] };
  for (let i = 0; i < rows.length; i++) {
    if (heap.at.length < count) {
      heap.at.push(i);
      siftUp(heap, heap.at.length - 1);
    } else if (worse(heap, heap.at[0]!, i)) {
      heap.at[0] = i;
      siftDown(heap, 0);
    }
  }
  return heap.at.sort((i, j) => (worse(heap, i, j) ? 1 : -1)).map((i) => rows[i]!);
};

interface Heap<T> {
  readonly rows: readonly T[];
  readonly compare: (a: T, b: T) => number;
  readonly at: number[];
}

/** Whether input row `i` sorts after row `j` (a later row loses a tie, as in a stable sort). */
const worse = <T>(heap: Heap<T>, i: number, j: number): boolean => {
  const c = heap.compare(heap.rows[i]!, heap.rows[j]!);
  return c > 0 || (c === 0 && i > j);
};

const swap = (at: number[], a: number, b: number): void => {
  const held = at[a]!;
  at[a] = at[b]!;
  at[b] = held;
};

const siftUp = <T>(heap: Heap<T>, from: number): void => {
  let at = from;
  while (at > 0) {
    const parent = (at - 1) >> 1;
    if (!worse(heap, heap.at[at]!, heap.at[parent]!)) return;
    swap(heap.at, at, parent);
    at = parent;
  }
};

const siftDown = <T>(heap: Heap<T>, from: number): void => {
  let at = from;
  for (;;) {
    const left = 2 * at + 1;
    const right = left + 1;
    let top = at;
    if (left < heap.at.length && worse(heap, heap.at[left]!, heap.at[top]!)) top = left;
    if (right < heap.at.length && worse(heap, heap.at[right]!, heap.at[top]!)) top = right;
    if (top === at) return;
    swap(heap.at, at, top);
    at = top;
  }
};
