// The first pass of Directus's processAst, for every check that asks it: the fields a query names,
// grouped by the relational path they are named in, and the first of them that does not exist.
// The read pipeline (paths-exist.ts, every part of a query) and the filter's own check
// (filter/validate.ts, which then also asks for the caller's field permissions) both build this map.
import { DirectusError, forbiddenCollection } from '../../errors.ts';
import { followRelation } from '../../relations.ts';
import { m2oRelation, o2mRelation } from '../../schema.ts';
import type { QueryContext } from './context.ts';

/** The fields named in each relational path (`''` the root, `author`, `items:pages`…) and the collection there. */
export type FieldMap = Map<string, { readonly collection: string; readonly fields: Set<string> }>;

/** How `addPath` reads two parts whose meaning depends on where the path comes from. */
export interface PathReading {
  /** `*` selects fields (skipped), rather than naming a field called `*` (a filter key). */
  readonly starSelects?: boolean;
  /** A many-to-any scope that is no collection selects nothing (Directus drops it in `fields`). */
  readonly dropUnknownScope?: boolean;
}

/** The field name in a filter key: `year(published_at)` → `published_at` (Directus's parseFilterKey). */
export const parseFilterKey = (key: string): { field: string; fn: string | null } => {
  if (!key.includes('(')) return { field: key.trim(), fn: null };
  const m = /^([^()]+)(\(([^)]+)\))?/.exec(key);
  const inner = m?.[3]?.trim();
  return inner ? { field: inner, fn: m![1]!.trim() } : { field: key.trim(), fn: null };
};

/** The collection a relational key leads to from `collection` (m2o, o2m or `$FOLLOW`), or null. */
export const relatedCollection = (ctx: QueryContext, collection: string, key: string): string | null =>
  m2oRelation(ctx.schema, collection, key)?.oneCollection ?? o2mRelation(ctx.schema, collection, key)?.manyCollection
    ?? followRelation(ctx.schema, collection, key)?.manyCollection ?? null;

/**
 * Adds one path's parts to the map, following relations left to right (extractFieldsFromQuery);
 * `prefix` is the relational path of the `deep` level the path was named in.
 */
export const addPath = (
  ctx: QueryContext, map: FieldMap, collection: string, parts: readonly string[], reading: PathReading = {}, prefix: readonly string[] = [],
): void => {
  const stack: string[] = [...prefix];
  let current = collection;
  for (const part of parts) {
    const id = stack.join('.');
    let info = map.get(id);
    if (!info) map.set(id, (info = { collection: current, fields: new Set() }));
    if (part.includes(':')) {
      // A many-to-any scope, `item:collection`: the field here, the rest in that collection.
      const [field = '', scope = ''] = part.split(':');
      info.fields.add(field);
      if (reading.dropUnknownScope && !Object.hasOwn(ctx.schema.collections, scope)) return;
      current = scope;
      stack.push(part);
      continue;
    }
    if (part === '*' && reading.starSelects) continue;
    // `$FOLLOW(collection, field)` names no field here, only the way to another collection.
    if (!part.startsWith('$FOLLOW(')) info.fields.add(parseFilterKey(part).field);
    // (After a path reached an unknown collection, missingIn reports that collection, whatever follows.)
    const related = Object.hasOwn(ctx.schema.collections, current) ? relatedCollection(ctx, current, part) : null;
    if (related !== null) {
      current = related;
      stack.push(part);
    }
  }
};

const queriedIn = (path: string): string => (path === '' ? 'root' : `"${path}"`);

/** FORBIDDEN for fields of `collection` named in `path` that do not exist or may not be read. */
export const fieldsError = (path: string, collection: string, fields: readonly string[]): DirectusError =>
  new DirectusError('FORBIDDEN', fields.length === 1
    ? `You don't have permission to access field "${fields[0]}" in collection "${collection}" or it does not exist. Queried in ${queriedIn(path)}.`
    : `You don't have permission to access fields ${fields.map((f) => `"${f}"`).join(', ')} in collection "${collection}" or they do not exist. Queried in ${queriedIn(path)}.`);

/** The first path (in the order they were named) into a collection that does not exist, or naming fields that do not. */
export const missingIn = (ctx: QueryContext, map: FieldMap): DirectusError | null => {
  for (const [path, info] of map) {
    const schema = Object.hasOwn(ctx.schema.collections, info.collection) ? ctx.schema.collections[info.collection]! : undefined;
    if (!schema) return forbiddenCollection(info.collection, path);
    const missing = [...info.fields].filter((f) => !f.startsWith('$') && !Object.hasOwn(schema.fields, f));
    if (missing.length > 0) return fieldsError(path, info.collection, missing);
  }
  return null;
};
