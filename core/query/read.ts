// The read pipeline Directus runs for every `items` read and every subscription payload:
// permissions → filter → search → sort → page → fields (with deep) → or aggregate; plus meta.
import { forbiddenCollection, isFailure, type DirectusError, type Failure } from '../errors.ts';
import { relatedChildren, relatedParent } from '../relations.ts';
import { compareKeys, getItem, orderedItems } from '../store.ts';
import type { Item, JsonValue, PrimaryKey } from '../types.ts';
import { aggregateRows, compareAggregateRows, groupKey, isAggregateQuery } from './aggregate.ts';
import type { QueryContext } from './context.ts';
import { buildFieldTree, project, type FieldNode, type RelatedReader } from './fields.ts';
import { compileFilter, type Predicate } from './filter.ts';
import { deepLevelQuery, sanitizeQuery, type Query } from './sanitize.ts';
import { compileSearch } from './search.ts';
import { compileSort, type Comparator } from './sort.ts';

export interface ReadOptions {
  /** Restrict to these primary keys (readMany / readOne). */
  readonly keys?: readonly PrimaryKey[];
  /** Default `limit` when the query has none (QUERY_LIMIT_DEFAULT). */
  readonly defaultLimit: number;
}

export interface Meta {
  total_count?: number;
  filter_count?: number;
}

/** A compiled row selection: which rows match, in which order. */
interface Selection {
  readonly match: Predicate;
  readonly compare: Comparator | null;
}

const all: Predicate = () => true;

/** Rows the caller may read at all (item permission rules), as a predicate. */
const accessPredicate = (ctx: QueryContext, collection: string): Predicate => ctx.rowRule?.(collection) ?? all;

const compileSelection = (ctx: QueryContext, collection: string, query: Query): Selection | DirectusError => {
  const filter = query.filter !== undefined ? compileFilter(query.filter, collection, ctx) : all;
  if (typeof filter !== 'function') return filter;
  const search = query.search !== undefined && query.search !== '' ? compileSearch(query.search, collection, ctx) : all;
  const access = accessPredicate(ctx, collection);
  const compare = query.sort && query.sort.length > 0 ? compileSort(ctx, collection, query.sort) : null;
  if (compare !== null && typeof compare !== 'function') return compare;
  const match: Predicate = filter === all && search === all ? access
    : (row) => access(row) && filter(row) && search(row);
  return { match, compare };
};

const page = <T>(rows: readonly T[], query: Query, defaultLimit: number): T[] => {
  const limit = query.limit ?? defaultLimit;
  let offset = query.offset ?? 0;
  if (query.page !== undefined && limit !== -1) offset = limit * (query.page - 1);
  if (limit === -1) return rows.slice(offset);
  return rows.slice(offset, offset + limit);
};

const candidates = (ctx: QueryContext, collection: string, keys: readonly PrimaryKey[] | undefined): readonly Item[] => {
  const store = ctx.data.collections[collection];
  if (!store) return [];
  const info = ctx.schema.collections[collection]!;
  if (keys === undefined) return orderedItems(store, info.primary);
  const unique = [...new Set(keys)];
  const rows = unique.map((k) => getItem(store, k)).filter((r): r is Item => r !== undefined);
  // readMany returns rows in the collection's default (primary-key) order, not the keys' order.
  return rows.sort((a, b) => compareKeys(a[info.primary] as PrimaryKey, b[info.primary] as PrimaryKey));
};

/** Related rows for nested fields, with each relation's `deep` query applied. */
const relatedReader = (ctx: QueryContext, defaultLimit: number): RelatedReader => ({
  parent(node, row) {
    const parent = relatedParent(ctx.schema, ctx.data, node.relation, row[node.field]);
    if (!parent) return null;
    const deep = sanitizeQuery(deepLevelQuery(node.deep));
    if (isFailure(deep) || deep.filter === undefined) return parent;
    const match = compileFilter(deep.filter, node.relation.oneCollection!, ctx);
    return typeof match === 'function' && !match(parent) ? null : parent;
  },
  children(node, row) {
    const one = ctx.schema.collections[node.relation.oneCollection!]!;
    const key = row[one.primary];
    if (typeof key !== 'number' && typeof key !== 'string') return [];
    const rows = relatedChildren(ctx.schema, ctx.data, node.relation, key);
    const deep = sanitizeQuery(deepLevelQuery(node.deep));
    const query = isFailure(deep) ? {} : deep;
    const sortField = node.relation.sortField;
    const selection = compileSelection(ctx, node.relation.manyCollection, {
      ...query,
      sort: query.sort ?? (sortField ? [sortField] : undefined),
    });
    if (isFailure(selection)) return [];
    const matched = rows.filter(selection.match);
    if (selection.compare) matched.sort(selection.compare);
    return page(matched, query, defaultLimit);
  },
});

export interface ReadResult {
  readonly data: JsonValue[];
  /** The matched rows before projection (for callers that need keys). */
  readonly rows: readonly Item[];
}

/**
 * readByQuery / readMany: the projected rows of `collection` for `query`. FORBIDDEN when the caller
 * may not read the collection or asks for a field that does not exist or is not readable.
 */
export const readRows = (
  ctx: QueryContext,
  collection: string,
  query: Query,
  options: ReadOptions,
): ReadResult | Failure => {
  if (!ctx.schema.collections[collection] || ctx.readable(collection) === null) return forbiddenCollection(collection);
  const aggregating = isAggregateQuery(query);
  let tree: FieldNode[] = [];
  if (!aggregating && query.aggregate === undefined) {
    const built = buildFieldTree(ctx, collection, query.fields ?? ['*'], query.deep, query.alias);
    if (isFailure(built)) return built;
    tree = built;
  }
  const selection = compileSelection(ctx, collection, aggregating ? { ...query, sort: undefined } : query);
  if (isFailure(selection)) return selection;
  const matched = candidates(ctx, collection, options.keys).filter(selection.match);

  if (aggregating) {
    const grouped = aggregateRows(ctx, collection, matched, query);
    if (isFailure(grouped)) return grouped;
    const sort = query.sort && query.sort.length > 0 ? query.sort : query.group?.length ? [query.group[0]!] : [];
    if (sort.length > 0) grouped.sort(compareAggregateRows(sort.map((s) => (s.startsWith('-') ? '-' : '') + groupKey(s.replace(/^-/, '')))));
    return { data: page(grouped, query, options.defaultLimit), rows: matched };
  }
  if (selection.compare) matched.sort(selection.compare);
  const rows = page(matched, query, options.defaultLimit);
  const related = relatedReader(ctx, options.defaultLimit);
  // An aggregate with no known function selects no fields: Directus answers one `{}` per row.
  const data = query.aggregate !== undefined
    ? rows.map(() => ({}))
    : rows.map((row) => project(ctx, collection, row, tree, related));
  return { data, rows };
};

/** `meta` for a query: total_count (rows the caller may read) and filter_count (after filter and search). */
export const readMeta = (ctx: QueryContext, collection: string, query: Query): Meta | Failure => {
  const meta: Meta = {};
  if (!query.meta || query.meta.length === 0) return meta;
  const rows = candidates(ctx, collection, undefined);
  const access = accessPredicate(ctx, collection);
  if (query.meta.includes('total_count')) meta.total_count = rows.filter(access).length;
  if (query.meta.includes('filter_count')) {
    const selection = compileSelection(ctx, collection, { ...query, sort: undefined });
    if (isFailure(selection)) return selection;
    meta.filter_count = rows.filter(selection.match).length;
  }
  return meta;
};
