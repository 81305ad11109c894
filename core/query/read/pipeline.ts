// The read pipeline Directus runs for every `items` read and every subscription payload:
// permissions → filter → search → sort → page → fields (with deep) → or aggregate; plus meta.
import { DatabaseFailure, forbiddenCollection, isFailure, Silent, type Failure } from '../../errors.ts';
import { selectStatement, ungroupedSortFailure } from './select-statement.ts';
import { relatedAny, relatedChildren, relatedParent } from '../../relations.ts';
import { compareKeys, getItem, orderedItems } from '../../store.ts';
import type { Data, Item, JsonValue, PrimaryKey, Schema } from '../../types.ts';
import { aggregateRows, bareSortValues, compareAggregateRows, groupFunctionsAsText, groupKey, isAggregateQuery, keepsSort } from './aggregate.ts';
import { dialectOfContext, extendContext, type QueryContext } from '../shared/context.ts';
import { buildFieldTree, levelFunctionFailure, project, type FieldNode, type RelatedReader } from './fields.ts';
import { compilePhased } from '../filter/pipeline.ts';
import type { Predicate } from '../filter/predicates.ts';
import { joinWeight } from './join-rows.ts';
import { jsonCounts, malformedInRows, MALFORMED_JSON, postgresArrayLengthFault } from './json-count.ts';
import { BudgetSpent, charge, costExceeded, DEFAULT_LIMITS, filterConditions, meter, type CostMeter, type QueryLimits } from '../shared/limits.ts';
import { checkPathsExist } from './paths-exist.ts';
import { deepLevelQuery, sanitizeRaw, type Query } from '../shared/sanitize.ts';
import { compileSearch } from './search.ts';
import { compileSort, firstSorted, type Comparator } from './sort.ts';

export interface ReadOptions {
  /** Restrict to these primary keys (readMany / readOne). */
  readonly keys?: readonly PrimaryKey[];
  /** Default `limit` when the query has none (QUERY_LIMIT_DEFAULT). */
  readonly defaultLimit: number;
  /** Overrides the query's paging (see `PageOverride`). */
  readonly paging?: PageOverride;
}

/**
 * What a service call fixes about paging regardless of the query: a `limit` (readMany: the number
 * of keys), and with `offset` also where the page starts (readOne: the first row, `page` ignored).
 */
export interface PageOverride {
  readonly limit: number;
  readonly offset?: number;
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

/**
 * The order of a read whose query sets no `sort` (Directus's getAllowedSort): the collection's sort
 * field, else its primary key; for a caller who may read only some fields and not that one, the first
 * field it may read. Null where the primary-key order of the rows (how they are kept) already is it.
 */
export const defaultOrder = (ctx: QueryContext, collection: string): readonly string[] | null => {
  const info = ctx.schema.collections[collection]!;
  let field = info.sortField ?? info.primary;
  const access = ctx.readable(collection);
  if (access !== '*' && access !== null && !access.has('*') && !access.has(field)) field = access.values().next().value ?? field;
  return field === info.primary || !Object.hasOwn(info.fields, field) ? null : [field];
};

/**
 * getDBQuery resolves a sort entry of one part through the query's `alias` (its fieldAliasMap), the
 * default order by the primary key too: `alias[id]=name` orders by name.
 */
const sortThroughAlias = (ctx: QueryContext, collection: string, query: Query): Query => {
  const alias = query.alias;
  if (alias === undefined) return query;
  const primary = ctx.schema.collections[collection]!.primary;
  const asked = query.sort && query.sort.length > 0 ? query.sort : defaultOrder(ctx, collection) ?? [primary];
  const sort = asked.map((entry) => {
    const desc = entry.startsWith('-');
    const field = desc ? entry.slice(1) : entry;
    return !field.includes('.') && Object.hasOwn(alias, field) ? `${desc ? '-' : ''}${alias[field]!}` : entry;
  });
  return sort.some((entry, i) => entry !== asked[i]) ? { ...query, sort } : query;
};

/**
 * The filter, search and order of a read. `building`: an error Directus meets building the statement
 * before applyFilter (but after processAst): a negative offset, a grouped read's sort columns.
 */
const compileSelection = (ctx: QueryContext, collection: string, query: Query, ordered = true, building: Failure | null = null): Selection | Failure => {
  const filter = query.filter !== undefined ? compilePhased(query.filter, collection, ctx) : all;
  if (typeof filter !== 'function' && !filter.applied) return filter.error;
  if (building) return building;
  // Directus turns the sort into columns after the filter's plain conditions but before knex builds
  // its groups and subqueries: a late filter error waits for the sort's.
  if (typeof filter !== 'function' && !filter.deferred) return filter.error;
  const search = query.search !== undefined && query.search !== '' ? compileSearch(query.search, collection, ctx) : all;
  const access = accessPredicate(ctx, collection);
  const sort = !ordered ? null : query.sort && query.sort.length > 0 ? query.sort : defaultOrder(ctx, collection);
  const compare = sort ? compileSort(ctx, collection, sort) : null;
  // An order the database refuses (json on Postgres) fails only once the statement is sent: after
  // every error knex meets while it builds the filter's groups.
  if (compare !== null && typeof compare !== 'function' && !(compare instanceof DatabaseFailure)) return compare;
  if (typeof filter !== 'function') return filter.error;
  if (compare instanceof DatabaseFailure) return compare;
  // SQLite refuses a search pattern only when the query runs: after the filter and sort are checked.
  if (typeof search !== 'function') return search;
  const match: Predicate = filter === all && search === all ? access
    : (row) => access(row) && filter(row) && search(row);
  return { match, compare };
};

/** The offset and limit (-1: no limit) a query's `limit` (or `limit` given), `offset` and `page` select. */
interface Window {
  readonly offset: number;
  readonly limit: number;
}

const pageWindow = (query: Query, defaultLimit: number, paging?: PageOverride): Window => {
  const limit = paging ? paging.limit : query.limit ?? defaultLimit;
  if (paging?.offset !== undefined) return { offset: paging.offset, limit };
  // Directus pages only with a truthy page and limit (`page=0` and `limit=0` leave the offset alone).
  return { offset: query.page && limit && limit !== -1 ? limit * (query.page - 1) : query.offset ?? 0, limit };
};

const page = <T>(rows: readonly T[], { offset, limit }: Window): T[] =>
  limit === -1 ? rows.slice(offset) : rows.slice(offset, offset + limit);

/** Sorts and pages; a small page of many rows is picked by a bounded heap rather than a full sort. */
const sortedPage = (rows: Item[], compare: Comparator, window: Window): Item[] => {
  const { offset, limit } = window;
  if (limit !== -1 && (offset + limit) * 8 < rows.length) return firstSorted(rows, compare, offset + limit).slice(offset);
  return page(rows.sort(compare), window);
};

/**
 * The rows a read starts from: the whole collection in primary-key order, or the existing rows among
 * `keys` — in primary-key order too, as readMany returns them (not in the keys' order).
 */
export const rowsByKeys = (schema: Schema, data: Data, collection: string, keys: readonly PrimaryKey[] | undefined): readonly Item[] => {
  const store = data.collections[collection];
  if (!store) return [];
  const info = schema.collections[collection]!;
  if (keys === undefined) return orderedItems(store, info.primary);
  if (keys.length === 1) {
    const row = getItem(store, keys[0]!);
    return row === undefined ? [] : [row];
  }
  const unique = [...new Set(keys)];
  const rows = unique.map((k) => getItem(store, k)).filter((r): r is Item => r !== undefined);
  return rows.sort((a, b) => compareKeys(a[info.primary] as PrimaryKey, b[info.primary] as PrimaryKey));
};

const candidates = (ctx: QueryContext, collection: string, keys: readonly PrimaryKey[] | undefined): readonly Item[] =>
  rowsByKeys(ctx.schema, ctx.data, collection, keys);

// ------------------------------------------------------------------ nested rows

/** One relational node's compiled `deep` level. */
interface Level {
  readonly query: Query;
  readonly selection: Selection;
  /** The o2m order Directus re-applies in JavaScript after paging (nulls last), if it can. */
  readonly resort: Comparator | null;
  /** What building the level's query fails with: met only when the level runs (see compileLevel). */
  readonly failure?: Failure;
}

const NO_ROWS: Selection = { match: () => false, compare: null };

/**
 * Directus re-sorts each parent's o2m rows by the first sort field after paging, in JavaScript, with
 * nulls last — but only by a column its nested query fetched (the key, the foreign key, the
 * relation's sort field, or a plain field asked for).
 */
const resortOf = (ctx: QueryContext, node: Extract<FieldNode, { kind: 'o2m' }>, sort: string): Comparator | null => {
  const desc = sort.startsWith('-');
  const column = desc ? sort.slice(1) : sort;
  const many = ctx.schema.collections[node.relation.manyCollection]!;
  const fetched = new Set([many.primary, node.relation.manyField, node.relation.sortField ?? many.primary]);
  for (const child of node.children ?? []) if (child.kind === 'plain') fetched.add(child.field);
  if (!fetched.has(column)) return null;
  return (a, b) => {
    const x = a[column] as unknown;
    const y = b[column] as unknown;
    if (x === y) return 0;
    if (x === null) return 1;
    if (y === null) return -1;
    return ((x as number) < (y as number)) === desc ? 1 : -1;
  };
};

/** The default order of an o2m: the relation's sort field, else the collection's, else its key. */
const defaultSort = (ctx: QueryContext, node: Extract<FieldNode, { kind: 'o2m' }>): string => {
  const many = ctx.schema.collections[node.relation.manyCollection]!;
  return node.relation.sortField ?? many.sortField ?? many.primary;
};

/**
 * Compiles one relational node's `deep` level (its query, selection and re-sort) into `levels`.
 * Directus only sanitizes a deep level (no validateQuery): `_limit: "x"` is NaN, `_limit: 1.5` stays
 * 1.5, and the o2m page slices with them as JavaScript does (see nestedPage).
 */
const compileLevel = (
  ctx: QueryContext, levels: Map<object, Level>, target: object, on: string, fields: readonly FieldNode[], deep: unknown,
  sortDefault: string | null, path: readonly string[], node?: Extract<FieldNode, { kind: 'o2m' }>,
): Failure | null => {
  const sanitized = sanitizeRaw(deepLevelQuery(deep), undefined, ctx.limits);
  const query: Query = isFailure(sanitized) ? {} : sanitized.query;
  const sort = query.sort && query.sort.length > 0 ? query.sort : sortDefault ? [sortDefault] : undefined;
  const levelCtx = extendContext(ctx, { deepPath: path });
  const selection = compileSelection(levelCtx, on, { ...query, sort }, sort !== undefined);
  if (isFailure(selection)) {
    // processAst checks every level's filter up front; the rest fails as the level's query is built,
    // which runAst does only for a level whose parent level returned rows.
    const filter = query.filter !== undefined ? compilePhased(query.filter, on, levelCtx) : all;
    if (typeof filter !== 'function' && !filter.applied) return selection;
    // Met before a bad function among the level's fields (measured: a deep `_filter` operator first).
    levels.set(target, { query, selection: NO_ROWS, resort: null, failure: selection });
    return null;
  }
  const resort = node && sort ? resortOf(ctx, node, sort[0]!) : null;
  const failure = levelFunctionFailure(ctx, on, fields);
  levels.set(target, failure ? { query, selection, resort, failure } : { query, selection, resort });
  return null;
};

/** Compiles every relational node's `deep` level once; the first invalid one is the error Directus gives. */
const compileLevels = (ctx: QueryContext, tree: readonly FieldNode[], levels: Map<object, Level>, at: readonly string[] = []): Failure | null => {
  for (const node of tree) {
    let error: Failure | null = null;
    // The path is built per relational node only: most nodes of most reads are plain fields.
    switch (node.kind) {
      case 'm2o': {
        const path = [...at, node.key];
        error = compileLevel(ctx, levels, node, node.relation.oneCollection!, node.children, node.deep, null, path) ?? compileLevels(ctx, node.children, levels, path);
        break;
      }
      case 'o2m': {
        const path = [...at, node.key];
        const sort = defaultSort(ctx, node);
        const primary = ctx.schema.collections[node.relation.manyCollection]!.primary;
        error = compileLevel(ctx, levels, node, node.relation.manyCollection, node.children ?? [], node.deep, sort === primary ? null : sort, path, node)
          ?? compileLevels(ctx, node.children ?? [], levels, path);
        break;
      }
      case 'count':
        error = compileLevel(ctx, levels, node, node.relation.manyCollection, [], undefined, null, [...at, node.key]);
        break;
      case 'a2o':
        for (const scope of node.scopes) {
          const scoped = [...at, `${node.key}:${scope.collection}`];
          error ??= compileLevel(ctx, levels, scope, scope.collection, scope.children, scope.deep, null, scoped) ?? compileLevels(ctx, scope.children, levels, scoped);
        }
        break;
    }
    if (error) return error;
  }
  return null;
};

/**
 * The failure of the first deep level runAst would run and fail on: depth first in field order, a
 * level running only when its parent level returned rows (`rows`: the parent level's rows).
 */
const failedLevel = (ctx: QueryContext, levels: ReadonlyMap<object, Level>, tree: readonly FieldNode[], rows: readonly Item[]): Failure | undefined => {
  if (rows.length === 0) return undefined;
  for (const node of tree) {
    let failure: Failure | undefined;
    switch (node.kind) {
      case 'm2o': {
        const level = levels.get(node)!;
        const related = rows.map((row) => relatedParent(ctx.schema, ctx.data, node.relation, row[node.field]))
          .filter((parent): parent is Item => parent !== undefined && level.selection.match(parent));
        failure = level.failure ?? failedLevel(ctx, levels, node.children, related);
        break;
      }
      case 'o2m': {
        const level = levels.get(node)!;
        const related = rows.flatMap((row) => {
          const key = keyIn(ctx, node.relation.oneCollection!, row);
          return key === undefined ? [] : relatedChildren(ctx.schema, ctx.data, node.relation, key).filter(level.selection.match);
        });
        failure = level.failure ?? failedLevel(ctx, levels, node.children ?? [], related);
        break;
      }
      case 'a2o':
        for (const scope of node.scopes) {
          const level = levels.get(scope)!;
          const related = rows.filter((row) => row[node.relation.oneCollectionField!] === scope.collection)
            .map((row) => relatedAny(ctx.schema, ctx.data, scope.collection, row[node.field]))
            .filter((item): item is Item => item !== undefined && level.selection.match(item));
          failure ??= level.failure ?? failedLevel(ctx, levels, scope.children, related);
        }
        break;
    }
    if (failure) return failure;
  }
  return undefined;
};

/** Each parent's o2m page, as Directus slices it after fetching: page, then offset, then limit. */
const nestedPage = (rows: readonly Item[], query: Query, defaultLimit: number): Item[] => {
  const limit = query.limit ?? defaultLimit;
  let out = [...rows];
  if (query.page !== undefined && query.page > 1) out = out.slice(limit * (query.page - 1));
  if (query.offset !== undefined && query.offset > 0) out = out.slice(query.offset);
  return limit === -1 ? out : out.slice(0, limit);
};

/** A row's primary key, when it is one a relation can point at. */
const keyIn = (ctx: QueryContext, collection: string, row: Item): PrimaryKey | undefined => {
  const key = row[ctx.schema.collections[collection]!.primary];
  return typeof key === 'number' || typeof key === 'string' ? key : undefined;
};

/**
 * Related rows for nested fields, with each relation's `deep` level applied. Every related row it
 * hands out is charged to the read's cost meter (its fields' worth), so a tree of fields that walks a
 * relation back and forth stops at the budget instead of growing without bound.
 */
const relatedReader = (ctx: QueryContext, levels: ReadonlyMap<object, Level>, defaultLimit: number, cost: CostMeter): RelatedReader => {
  // Projections of related rows, per node list and row, with what they cost: reused, they cost the same again.
  const memo = new Map<object, WeakMap<Item, { value: JsonValue; cost: number }>>();
  return {
    nested(nodes, row, compute) {
      let byRow = memo.get(nodes);
      if (!byRow) memo.set(nodes, (byRow = new WeakMap()));
      const known = byRow.get(row);
      if (known) {
        charge(cost, known.cost);
        return known.value;
      }
      const before = cost.spent;
      const value = compute();
      byRow.set(row, { value, cost: cost.spent - before });
      return value;
    },
    parent(node, row) {
      const parent = relatedParent(ctx.schema, ctx.data, node.relation, row[node.field]);
      if (!parent || !levels.get(node)!.selection.match(parent)) return null;
      charge(cost, Math.max(1, node.children.length));
      return parent;
    },
    children(node, row) {
      const key = keyIn(ctx, node.relation.oneCollection!, row);
      if (key === undefined) return [];
      const { query, selection, resort } = levels.get(node)!;
      const matched = relatedChildren(ctx.schema, ctx.data, node.relation, key).filter(selection.match);
      if (selection.compare) matched.sort(selection.compare);
      const paged = nestedPage(matched, query, defaultLimit);
      charge(cost, paged.length * Math.max(1, node.children?.length ?? 1));
      return resort ? paged.sort(resort) : paged;
    },
    count(node, row) {
      const key = keyIn(ctx, node.relation.oneCollection!, row);
      if (key === undefined) return 0;
      const { match } = levels.get(node)!.selection;
      let n = 0;
      for (const child of relatedChildren(ctx.schema, ctx.data, node.relation, key)) if (match(child)) n++;
      return n;
    },
    any(node, row) {
      const collection = row[node.relation.oneCollectionField!];
      const scope = node.scopes.find((s) => s.collection === collection);
      if (!scope) return null;
      const item = relatedAny(ctx.schema, ctx.data, collection, row[node.field]);
      if (!item || !levels.get(scope)!.selection.match(item)) return null;
      charge(cost, Math.max(1, scope.children.length));
      return { scope, item };
    },
  };
};

/**
 * The reader of a tree with no relational node (only fields and functions of the row itself), which
 * `project` never asks: one shared object instead of a reader and its memo per read.
 */
const NO_RELATED: RelatedReader = {
  nested(_nodes, _row, compute) {
    return compute();
  },
  parent() {
    return null;
  },
  children() {
    return [];
  },
  count() {
    return 0;
  },
  any() {
    return null;
  },
};

const noRelated = (): RelatedReader => NO_RELATED;


export interface ReadResult {
  readonly data: JsonValue[];
  /** The matched rows before projection (for callers that need keys). */
  readonly rows: readonly Item[];
}

/**
 * Projects a page within the cost budget: the page's own fields are charged before projecting; the
 * related rows as they are read. After 8, 64, 512… rows the cost so far is extrapolated to the page,
 * so a read that would pass the budget is refused after a few rows rather than at the budget.
 */
const projectWithin = (
  ctx: QueryContext, collection: string, rows: readonly Item[], tree: readonly FieldNode[],
  reader: (cost: CostMeter) => RelatedReader, limits: QueryLimits,
): JsonValue[] => {
  const own = rows.length * Math.max(1, tree.length);
  const cost = meter(limits);
  charge(cost, own);
  const related = reader(cost);
  const data: JsonValue[] = new Array(rows.length);
  let checkpoint = 8;
  for (let i = 0; i < rows.length; i++) {
    data[i] = project(ctx, collection, rows[i]!, tree, related);
    if (i + 1 === checkpoint) {
      checkpoint *= 8;
      const projected = own + ((cost.spent - own) / (i + 1)) * rows.length;
      if (projected > cost.budget) throw new BudgetSpent(Math.round(projected));
    }
  }
  return data;
};

/** Conditions a read tests per candidate row: the filter's operators, one per searched field, the item rule's. */
const scanConditions = (ctx: QueryContext, collection: string, query: Query, limits: QueryLimits): number => {
  const cap = limits.maxQueryCost + 1;
  let n = 0;
  try {
    n = query.filter === undefined ? 0 : filterConditions(query.filter, cap);
  } catch {
    // A hostile getter: compileFilter has refused this filter already.
  }
  if (query.search) n += ctx.schema.collections[collection]!.fieldOrder.length;
  return n;
};

/** A query compiled once for a collection and caller: run it against any keys (or all rows). */
export interface PreparedRead {
  /**
   * The rows the query selects now (`keys` restricts to those primary keys), projected and paged.
   * `defaultLimit` applies where the query sets none (nested lists too); `limit` overrides the top level's.
   */
  run(keys: readonly PrimaryKey[] | undefined, defaultLimit: number, paging?: PageOverride): ReadResult | Failure;
  /** `run` over rows already looked up (`rowsByKeys` of the context's data), e.g. once for many subscriptions. */
  runOn(rows: readonly Item[], defaultLimit: number, paging?: PageOverride): ReadResult | Failure;
  /** Whether a row passes the query's filter, search and the caller's item permissions. */
  readonly matches: Predicate;
}

/**
 * Compiles everything about a read that does not depend on which rows exist: the field tree, deep
 * levels, filter, search, sort. FORBIDDEN when the caller may not read the collection or asks for a
 * field that does not exist or is not readable. The context's `data` is read at `run` time.
 */
export const prepareRead = (ctx: QueryContext, collection: string, asked: Query): PreparedRead | Failure => {
  if (!Object.hasOwn(ctx.schema.collections, collection)) return forbiddenCollection(collection);
  const query = isAggregateQuery(asked) ? asked : sortThroughAlias(ctx, collection, asked);
  // processAst collects the aggregate's fields before it checks any path, and throws a TypeError there.
  if (query.aggregateNotIterable) return new Silent('fields is not iterable');
  const missing = checkPathsExist(ctx, collection, query);
  if (missing) return missing;
  if (ctx.readable(collection) === null) return forbiddenCollection(collection);
  const aggregating = isAggregateQuery(query);
  let tree: FieldNode[] = [];
  const levels = new Map<object, Level>();
  if (!aggregating && query.aggregate === undefined) {
    const built = buildFieldTree(ctx, collection, query.fields ?? ['*'], { deep: query.deep, alias: query.alias, backlink: query.backlink });
    if (isFailure(built)) return built;
    tree = built;
    const invalid = compileLevels(ctx, tree, levels);
    if (invalid) return invalid;
  }
  const levelFails = levels.size > 0 && [...levels.values()].some((level) => level.failure !== undefined);
  // Postgres's json columns hold only JSON: no row can be malformed there, but any JSON other than
  // an array fails its json_array_length.
  const arrayLengths = dialectOfContext(ctx).typedColumns;
  const counts = aggregating ? undefined : jsonCounts(ctx, collection, query);
  const faults = counts?.inFilter && !arrayLengths ? { malformed: false } : undefined;
  // Grouped rows are ordered after grouping (runOn), but a kept sort's paths are checked like any read's.
  let groupedSort: Failure | null = null;
  if (aggregating && keepsSort(query) && query.sort?.length) {
    const sortable = query.sort.filter((s) => !Object.hasOwn(query.aggregate ?? {}, s.replace(/^-/, '').split('.')[0]!));
    const checked = compileSort(ctx, collection, sortable);
    if (typeof checked !== 'function') groupedSort = checked;
  }
  // Aggregates are ordered after grouping (see runOn), never by the rows' default order.
  // Only a PATCH or DELETE body's query (never validated) has a negative offset: knex refuses it as
  // the statement is built, before any column of the sort or condition of the filter.
  const offsetRefused = query.offset !== undefined && query.offset < 0 ? new Silent('A non-negative integer must be provided to offset.') : null;
  const selection = compileSelection(faults ? extendContext(ctx, { jsonFaults: faults }) : ctx, collection, query, !aggregating, offsetRefused ?? groupedSort);
  if (isFailure(selection)) return selection;
  const limits = ctx.limits ?? DEFAULT_LIMITS;
  const conditions = scanConditions(ctx, collection, query, limits);
  // Only relational nodes compile a level (compileLevels): with none, projection reads no related row.
  const flat = levels.size === 0;
  const prepared: PreparedRead = {
    matches: selection.match,
    run(keys, defaultLimit, paging) {
      return prepared.runOn(candidates(ctx, collection, keys), defaultLimit, paging);
    },
    runOn(from, defaultLimit, paging) {
      // The budget, before any work: every candidate row is tested against every condition.
      const scan = from.length * conditions;
      if (scan > limits.maxQueryCost) return costExceeded(scan, limits);
      if (faults) faults.malformed = false;
      const matched = from.filter(selection.match);
      if (faults?.malformed) return MALFORMED_JSON;
      // Nothing matched (and no aggregate to answer with): nothing to page or project.
      if (matched.length === 0 && !aggregating) {
        const refused = counts?.inFilter && arrayLengths ? postgresArrayLengthFault(ctx, collection, query, counts, from, [], []) : undefined;
        return refused ?? { data: [], rows: matched };
      }
      const window = pageWindow(query, defaultLimit, paging);
      if (aggregating) {
        const ungrouped = dialectOfContext(ctx).strictGroupBy ? ungroupedSortFailure(ctx, collection, query) : undefined;
        if (ungrouped !== undefined) return new DatabaseFailure(ungrouped);
        const weight = query.filter !== undefined ? joinWeight(ctx, collection, query.filter) : null;
        const representatives = new Map<JsonValue, Item>();
        const grouped = aggregateRows(ctx, collection, matched, query, weight, representatives);
        if (isFailure(grouped)) return grouped;
        // SQLite hands groups out ordered by every group key; ORDER BY (default: the first key) sorts that.
        const { nullsFirst } = dialectOfContext(ctx);
        if (query.group?.length) grouped.sort(compareAggregateRows(query.group.map(groupKey), ctx.schema.collections[collection]!.fields, nullsFirst));
        const sort = query.sort && query.sort.length > 0 ? query.sort : [];
        if (sort.length > 0) {
          const bare = bareSortValues(ctx, collection, query, representatives);
          grouped.sort(compareAggregateRows(sort, ctx.schema.collections[collection]!.fields, nullsFirst, bare));
        }
        const paged = page(grouped, window);
        return { data: dialectOfContext(ctx).functionsAsText ? paged.map(groupFunctionsAsText(query)) : paged, rows: matched };
      }
      const rows = selection.compare ? sortedPage(matched, selection.compare, window) : page(matched, window);
      if (counts && !arrayLengths && malformedInRows(counts, matched, rows)) return MALFORMED_JSON;
      const refused = counts && arrayLengths ? postgresArrayLengthFault(ctx, collection, query, counts, from, matched, rows) : undefined;
      if (refused) return refused;
      const levelFailure = levelFails ? failedLevel(ctx, levels, tree, rows) : undefined;
      if (levelFailure) return levelFailure;
      // An aggregate with no known function selects no fields: Directus answers one `{}` per row.
      if (query.aggregate !== undefined) return { data: rows.map(() => ({})), rows };
      try {
        const reader = flat ? noRelated : (cost: CostMeter) => relatedReader(ctx, levels, defaultLimit, cost);
        return { data: projectWithin(ctx, collection, rows, tree, reader, limits), rows };
      } catch (error) {
        if (error instanceof BudgetSpent) return costExceeded(error.cost, limits);
        throw error;
      }
    },
  };
  return prepared;
};

/**
 * The query readMany runs: Directus puts the keys and the query's filter side by side in an `_and`
 * (`{_and: [{pk: {_in: keys}}, filter]}`), so every error the filter meets while knex builds it
 * comes after the sort's. The keys themselves are matched by `run`.
 */
export const withKeysFilter = (query: Query): Query =>
  query.filter === undefined ? query : { ...query, filter: { _and: [query.filter] } };

/** readByQuery / readMany: the projected rows of `collection` for `query` (see prepareRead). */
export const readRows = (ctx: QueryContext, collection: string, query: Query, options: ReadOptions): ReadResult | Failure => {
  // readMany (keys and a paging limit) as against readOne (keys, the query's own paging).
  const many = options.keys !== undefined && options.paging !== undefined;
  const prepared = prepareRead(ctx, collection, many ? withKeysFilter(query) : query);
  const result = isFailure(prepared) ? prepared : prepared.run(options.keys, options.defaultLimit, options.paging);
  return result instanceof DatabaseFailure ? inStatement(ctx, collection, query, options, result, many) : result;
};

/** A database's refusal as Directus reports it: the select it sent, then the database's words. */
const inStatement = (ctx: QueryContext, collection: string, query: Query, options: ReadOptions, failure: DatabaseFailure, many: boolean): Failure => {
  const statement = selectStatement(ctx, collection, query, {
    ...(options.keys ? { keys: options.keys } : {}),
    many,
    limit: options.paging?.limit ?? (query.limit === undefined ? options.defaultLimit : undefined),
  });
  return statement === undefined ? failure : new DatabaseFailure(`${statement} - ${failure.reason}`);
};

/** `meta` for a query: total_count (rows the caller may read) and filter_count (after filter and search). */
export const readMeta = (ctx: QueryContext, collection: string, query: Query): Meta | Failure => {
  const meta: Meta = {};
  if (!query.meta || query.meta.length === 0) return meta;
  const rows = candidates(ctx, collection, undefined);
  const access = accessPredicate(ctx, collection);
  if (query.meta.includes('total_count')) meta.total_count = rows.filter(access).length;
  if (query.meta.includes('filter_count')) {
    const selection = compileSelection(ctx, collection, query, false);
    if (isFailure(selection)) return selection;
    meta.filter_count = rows.filter(selection.match).length;
  }
  return meta;
};
