// applyFilter's addJoins: before any condition is built, Directus joins every path of the filter that
// goes through a relation, and refuses one that passes a many-to-any field without its scope.
import { invalidQuery, type DirectusError } from '../../errors.ts';
import { a2oOf, followRelation } from '../../relations.ts';
import { m2oRelation, o2mRelation } from '../../schema.ts';
import type { QueryContext } from '../shared/context.ts';
import type { FilterNode } from './parse.ts';
import { parseFilterKey } from '../shared/field-paths.ts';

const isAlias = (ctx: QueryContext, collection: string, key: string): boolean => {
  const info = Object.hasOwn(ctx.schema.collections, collection) ? ctx.schema.collections[collection] : undefined;
  return info !== undefined && Object.hasOwn(info.fields, key) && info.fields[key]!.type === 'alias';
};

/**
 * applyFilter's addJoins, which runs over the whole filter before any condition is built: a path
 * that goes through a relation (or starts at an alias) is joined step by step along its first keys,
 * and a many-to-any field on the way needs its `item:collection` scope, even as the last step.
 */
export const joinError = (ctx: QueryContext, node: FilterNode, collection: string): DirectusError | null => {
  if (node.t === 'logic') {
    for (const item of node.items) {
      const error = joinError(ctx, item, collection);
      if (error) return error;
    }
    return null;
  }
  if (node.t !== 'field') return null;
  const path: string[] = [];
  for (let at: FilterNode = node; at.t === 'field'; at = at.value) path.push(at.key);
  const alias = parseFilterKey(node.key).fn === null && isAlias(ctx, collection, node.key);
  if (path.length === 1 && !alias) return null;
  let current = collection;
  for (const part of path) {
    const [field = '', scope] = part.split(':');
    if (a2oOf(ctx.schema, current, field)) {
      if (!scope) return invalidQuery('You have to provide a collection scope when sorting or filtering on a many-to-any item');
      current = scope;
      continue;
    }
    const m2o = m2oRelation(ctx.schema, current, field);
    const many = m2o ? undefined : o2mRelation(ctx.schema, current, field) ?? followRelation(ctx.schema, current, field);
    if (m2o?.oneCollection) current = m2o.oneCollection;
    else if (many) current = many.manyCollection;
    else return null;
  }
  return null;
};
