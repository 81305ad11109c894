// processAst's first pass: every path a query names — filter and sort, then fields, aggregates and
// groupBy — must exist in the schema. Directus checks this before any permission and before it
// compiles a single operator, so an unknown field is reported first, to anyone.
import { DirectusError, forbiddenCollection } from '../../errors.ts';
import { a2oOf, followRelation } from '../../relations.ts';
import { m2oRelation, o2mRelation } from '../../schema.ts';
import { isJsonObject } from '../../json.ts';
import type { QueryContext } from '../shared/context.ts';
import type { Query } from '../shared/sanitize.ts';
import { parseFilterKey } from '../filter/validate.ts';
import { keepsSort } from './aggregate.ts';

type FieldMap = Map<string, { readonly collection: string; readonly fields: Set<string> }>;

const relatedCollection = (ctx: QueryContext, collection: string, key: string): string | null =>
  m2oRelation(ctx.schema, collection, key)?.oneCollection ?? o2mRelation(ctx.schema, collection, key)?.manyCollection
    ?? followRelation(ctx.schema, collection, key)?.manyCollection ?? null;

/** Adds one path's parts to the map, following relations left to right (extractFieldsFromQuery). */
const addPath = (ctx: QueryContext, map: FieldMap, collection: string, parts: readonly string[], fields = false): void => {
  const stack: string[] = [];
  let current = collection;
  for (const part of parts) {
    const id = stack.join('.');
    let info = map.get(id);
    if (!info) map.set(id, (info = { collection: current, fields: new Set() }));
    if (part.includes(':')) {
      const [field = '', scope = ''] = part.split(':');
      info.fields.add(field);
      // In `fields`, a many-to-any scope that is no collection selects nothing (Directus drops it).
      if (fields && !Object.hasOwn(ctx.schema.collections, scope)) return;
      current = scope;
      stack.push(part);
      continue;
    }
    if (part === '*') continue;
    // `$FOLLOW(collection, field)` names no field here, only the way to another collection.
    if (!part.startsWith('$FOLLOW(')) info.fields.add(parseFilterKey(part).field);
    const related = Object.hasOwn(ctx.schema.collections, current) ? relatedCollection(ctx, current, part) : null;
    if (related !== null) {
      current = related;
      stack.push(part);
    }
  }
};

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

/** flattenFilter: the field paths of a filter, in the order Directus's stack walk finds them. */
const filterPaths = (filter: unknown): string[][] => {
  const paths: string[][] = [];
  const stack: { current: unknown; path: string[] }[] = [{ current: filter, path: [] }];
  while (stack.length > 0) {
    const { current, path } = stack.pop()!;
    if (typeof current === 'object' && current !== null) {
      const isArray = Array.isArray(current);
      for (const key of Object.keys(current)) {
        if (!key.startsWith('_') || key === '_and' || key === '_or' || key === '_some' || key === '_none') {
          stack.push({ current: (current as Record<string, unknown>)[key], path: isArray ? path : [...path, key] });
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

const missingIn = (ctx: QueryContext, map: FieldMap): DirectusError | null => {
  for (const [path, info] of map) {
    const schema = Object.hasOwn(ctx.schema.collections, info.collection) ? ctx.schema.collections[info.collection]! : undefined;
    if (!schema) return forbiddenCollection(info.collection, path);
    const missing = [...info.fields].filter((f) => !f.startsWith('$') && !Object.hasOwn(schema.fields, f));
    if (missing.length === 0) continue;
    const where = path === '' ? 'root' : `"${path}"`;
    return new DirectusError('FORBIDDEN', missing.length === 1
      ? `You don't have permission to access field "${missing[0]}" in collection "${info.collection}" or it does not exist. Queried in ${where}.`
      : `You don't have permission to access fields ${missing.map((f) => `"${f}"`).join(', ')} in collection "${info.collection}" or they do not exist. Queried in ${where}.`);
  }
  return null;
};

export const checkPathsExist = (ctx: QueryContext, collection: string, query: Query): DirectusError | null => {
  const read: FieldMap = new Map();
  const other: FieldMap = new Map();
  if (query.filter !== undefined && (isJsonObject(query.filter) || Array.isArray(query.filter))) {
    for (const parts of filterPaths(query.filter)) addPath(ctx, read, collection, parts);
  }
  for (const entry of keepsSort(query) ? query.sort ?? [] : []) {
    const stripped = entry.startsWith('-') ? entry.slice(1) : entry;
    const parts = (query.alias?.[stripped] ?? stripped).split('.');
    if (query.aggregate && Object.hasOwn(query.aggregate, parts[0]!)) continue;
    addPath(ctx, read, collection, parts);
  }
  if (!query.aggregate) {
    for (const field of query.fields ?? ['*']) {
      const [head = '', ...rest] = field.split('.');
      const parts = keptFieldPath(ctx, collection, [query.alias?.[head] ?? head, ...rest]);
      if (parts.length > 0) addPath(ctx, other, collection, parts, true);
    }
  }
  for (const fields of Object.values(query.aggregate ?? {})) for (const f of fields) if (f !== '*') addPath(ctx, other, collection, f.split('.'));
  for (const f of query.group ?? []) addPath(ctx, other, collection, f.split('.'));
  return missingIn(ctx, read) ?? missingIn(ctx, other);
};
