// processAst's first pass: every path a query names — filter and sort, then fields, aggregates and
// groupBy — must exist in the schema. Directus checks this before any permission and before it
// compiles a single operator, so an unknown field is reported first, to anyone.
import type { DirectusError } from '../../errors.ts';
import { a2oOf } from '../../relations.ts';
import { isJsonObject } from '../../json.ts';
import type { QueryContext } from '../shared/context.ts';
import { addPath, missingIn, relatedCollection, type FieldMap } from '../shared/field-paths.ts';
import type { Query } from '../shared/sanitize.ts';
import { isAggregateQuery, keepsSort } from './aggregate.ts';
import { selectedDeepLevels } from './deep-levels.ts';

// Every part of a query reads `*` as a selection; `fields` also drops an m2a scope that is no collection.
const SELECTING = { starSelects: true };
const FIELDS = { starSelects: true, dropUnknownScope: true };

/**
 * The part of a `fields` path Directus's parseFields keeps: it follows the path while each segment
 * before the last is a relation, and drops the rest without a word (`id.nope`, `a..b`,
 * `category.name.x` keeps `category`; an m2a scope `item:x` stands for its collection).
 */
const keptFieldPath = (ctx: QueryContext, collection: string, parts: readonly string[]): readonly string[] => {
  let current = collection;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i]!;
    if (part === '*') continue;
    if (!Object.hasOwn(ctx.schema.collections, current)) return parts;
    const [field = '', scope] = part.split(':');
    const related = relatedCollection(ctx, current, field) ?? (scope !== undefined && a2oOf(ctx.schema, current, field) ? scope : null);
    if (related === null) return parts.slice(0, i);
    current = scope ?? related;
  }
  // A scope on a field that is no relation (`name:x`, `nope:x`) selects nothing.
  const [last = '', scope] = parts[parts.length - 1]!.split(':');
  const relational = !Object.hasOwn(ctx.schema.collections, current) || relatedCollection(ctx, current, last) !== null || a2oOf(ctx.schema, current, last);
  return scope !== undefined && !relational ? parts.slice(0, -1) : parts;
};

/**
 * flattenFilter: the field paths of a filter, in the order Directus's stack walk finds them. It walks
 * the filter parseFilter made, where only `_and` / `_or` hold lists: any other list (a filter given
 * twice in a query string, which qs makes a list) became an object keyed "0", "1"…, naming fields.
 */
const filterPaths = (filter: unknown): string[][] => {
  const paths: string[][] = [];
  const stack: { current: unknown; path: string[]; operands: boolean }[] = [{ current: filter, path: [], operands: false }];
  while (stack.length > 0) {
    const { current, path, operands } = stack.pop()!;
    if (typeof current === 'object' && current !== null) {
      for (const key of Object.keys(current)) {
        if (!key.startsWith('_') || key === '_and' || key === '_or' || key === '_some' || key === '_none') {
          const next = (current as Record<string, unknown>)[key];
          stack.push({ current: next, path: operands ? path : [...path, key], operands: (key === '_and' || key === '_or') && Array.isArray(next) });
        } else {
          const parts = path.filter((p) => !p.startsWith('_'));
          if (parts.length > 0) paths.push(parts);
        }
      }
    } else {
      const parts = path.filter((p) => !p.startsWith('_'));
      if (parts.length > 0) paths.push(parts);
    }
  }
  return paths;
};

// A field name that addPath takes as itself: no relation step, m2a scope, function or blank.
const PLAIN_FIELD = /^[^.:()\s]+$/;

const LOGICAL = new Set(['_and', '_or']);
const QUANTIFIERS = new Set(['_some', '_none']);

/** Whether `name` is a field of the collection that addPath takes as itself. */
const ownField = (fields: object, name: string): boolean => Object.hasOwn(fields, name) && PLAIN_FIELD.test(name);

/**
 * Whether a filter names only fields of the collection itself, each with operators (no relation, no
 * function, no `_some`): every path it has exists. False when unsure; the full walk decides then.
 */
const ownFieldFilter = (fields: object, filter: unknown, depth = 0): boolean => {
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter) || depth > 20) return false;
  for (const key in filter) {
    if (!Object.hasOwn(filter, key)) continue;
    const value = (filter as Record<string, unknown>)[key];
    if (LOGICAL.has(key)) {
      if (!Array.isArray(value) || !value.every((item) => ownFieldFilter(fields, item, depth + 1))) return false;
      continue;
    }
    if (!ownField(fields, key) || typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    for (const op in value) if (!op.startsWith('_') || LOGICAL.has(op) || QUANTIFIERS.has(op)) return false;
  }
  return true;
};

/**
 * The common read: fields, a filter and a sort that name fields of the collection itself and nothing
 * else (no relation, alias, function, aggregate or groupBy). No path of it can be missing.
 */
const onlyOwnFields = (ctx: QueryContext, collection: string, query: Query): boolean => {
  if (query.aggregate || query.group || query.alias || query.deep) return false;
  const fields = ctx.schema.collections[collection]!.fields;
  for (const f of query.fields ?? ['*']) if (f !== '*' && !ownField(fields, f)) return false;
  for (const entry of query.sort ?? []) if (!ownField(fields, entry.startsWith('-') ? entry.slice(1) : entry)) return false;
  return query.filter === undefined || ownFieldFilter(fields, query.filter);
};

/** extractPathsFromQuery's read-only paths (filter, sort) of one query, into `read`. */
const addReadPaths = (ctx: QueryContext, read: FieldMap, collection: string, query: Query, prefix: readonly string[]): void => {
  if (query.filter !== undefined && (isJsonObject(query.filter) || Array.isArray(query.filter))) {
    for (const parts of filterPaths(query.filter)) addPath(ctx, read, collection, parts, SELECTING, prefix);
  }
  for (const entry of keepsSort(query) ? query.sort ?? [] : []) {
    const stripped = entry.startsWith('-') ? entry.slice(1) : entry;
    const parts = (query.alias?.[stripped] ?? stripped).split('.');
    if (query.aggregate && Object.hasOwn(query.aggregate, parts[0]!)) continue;
    addPath(ctx, read, collection, parts, SELECTING, prefix);
  }
};

/** extractPathsFromQuery's other paths (aggregate, groupBy) of one query, into `other`. */
const addAggregatePaths = (ctx: QueryContext, other: FieldMap, collection: string, query: Query, prefix: readonly string[]): void => {
  for (const fields of Object.values(query.aggregate ?? {})) for (const f of fields) if (f !== '*') addPath(ctx, other, collection, f.split('.'), SELECTING, prefix);
  for (const f of query.group ?? []) addPath(ctx, other, collection, f.split('.'), SELECTING, prefix);
};

/**
 * processAst's existence check: the `deep` levels' paths and the root query's filter and sort (read
 * paths, levels first as Directus collects them), then fields, aggregates and groupBy.
 */
export const checkPathsExist = (ctx: QueryContext, collection: string, query: Query): DirectusError | null => {
  if (onlyOwnFields(ctx, collection, query)) return null;
  const read: FieldMap = new Map();
  const other: FieldMap = new Map();
  const levels = query.aggregate || isAggregateQuery(query) ? [] : selectedDeepLevels(ctx, collection, query);
  for (const level of levels) addReadPaths(ctx, read, level.collection, level.query, level.path);
  addReadPaths(ctx, read, collection, query, []);
  // convertWildcards keeps no field of a collection the caller may read nothing of: its unknown
  // fields go unnoticed, and the permission check refuses the collection instead.
  if (!query.aggregate && ctx.readable(collection) !== null) {
    for (const field of query.fields ?? ['*']) {
      const [head = '', ...rest] = field.split('.');
      const parts = keptFieldPath(ctx, collection, [query.alias?.[head] ?? head, ...rest]);
      if (parts.length > 0) addPath(ctx, other, collection, parts, FIELDS);
    }
  }
  for (const level of levels) addAggregatePaths(ctx, other, level.collection, level.query, level.path);
  addAggregatePaths(ctx, other, collection, query, []);
  return missingIn(ctx, read) ?? missingIn(ctx, other);
};
