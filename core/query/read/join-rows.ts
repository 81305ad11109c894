// How many rows of Directus's SQL a row stands for. A filter that walks an o2m (or m2m, m2a) alias
// without `_some`/`_none` becomes a LEFT JOIN, so a row matching through two children is there twice;
// reads de-duplicate, aggregates do not (`sum` counts it twice, `count(*)` counts it once).
import type { Item, Relation } from '../../types.ts';
import type { QueryContext } from '../shared/context.ts';
import { compileNode } from '../filter/compile.ts';
import { siftPredicate } from '../filter/operations.ts';
import { parseFilter, type FilterNode } from '../filter/parse.ts';
import { m2oOf, o2mOf } from '../../relations.ts';
import { visibleChildrenOf, visibleParentOf } from '../shared/visible-rows.ts';

export type Weight = (row: Item) => number;

/** What a LEFT JOIN yields when there is no related row: every column NULL. */
const NULL_ROW: Item = Object.freeze({});

/** Whether the filter joins an o2m path (outside `_some`/`_none`, which are subqueries). */
const joinsToMany = (ctx: QueryContext, node: FilterNode, collection: string): boolean => {
  switch (node.t) {
    case 'logic': return node.items.some((item) => joinsToMany(ctx, item, collection));
    case 'field': {
      if (node.value.t === 'quant') return false;
      if (o2mOf(ctx.schema, collection, node.key)) return true;
      const m2o = m2oOf(ctx.schema, collection, node.key);
      return m2o !== undefined && joinsToMany(ctx, node.value, m2o.oneCollection!);
    }
    default: return false;
  }
};

const predicate = (ctx: QueryContext, node: FilterNode, collection: string): Weight => {
  const query = compileNode(ctx, node, { collection });
  if (query === null) return () => 1;
  const test = siftPredicate(query, ctx);
  return (row) => (test(row) ? 1 : 0);
};

const children = (ctx: QueryContext, relation: Relation) => {
  const primary = ctx.schema.collections[relation.oneCollection!]!.primary;
  const visible = visibleChildrenOf(ctx, relation);
  return (row: Item): readonly Item[] => {
    const key = row[primary];
    return typeof key === 'number' || typeof key === 'string' ? visible(key) : [];
  };
};

/** Joined rows per row: a product over AND-ed conditions, a sum over the children of a joined o2m. */
const weigh = (ctx: QueryContext, node: FilterNode, collection: string): Weight => {
  if (node.t === 'logic' && node.op === '_and') {
    const parts = node.items.map((item) => weigh(ctx, item, collection));
    return (row) => parts.reduce((product, part) => (product === 0 ? 0 : product * part(row)), 1);
  }
  if (node.t === 'field' && node.value.t !== 'quant' && joinsToMany(ctx, node, collection)) {
    const o2m = o2mOf(ctx.schema, collection, node.key);
    if (o2m) {
      const many = o2m.manyCollection;
      // An operator right on the alias compares the related primary key.
      const inner = node.value.t === 'op'
        ? predicate(ctx, { t: 'field', key: ctx.schema.collections[many]!.primary, value: node.value }, many)
        : weigh(ctx, node.value, many);
      const of = children(ctx, o2m);
      return (row) => {
        const rows = of(row);
        if (rows.length === 0) return inner(NULL_ROW);
        let sum = 0;
        for (const child of rows) sum += inner(child);
        return sum;
      };
    }
    const m2o = m2oOf(ctx.schema, collection, node.key)!;
    const inner = weigh(ctx, node.value, m2o.oneCollection!);
    const parent = visibleParentOf(ctx, m2o);
    return (row) => inner(parent(row[node.key]) ?? NULL_ROW);
  }
  // `_or` and plain conditions: one row if it matches (an `_or` over two joins is not multiplied out).
  return predicate(ctx, node, collection);
};

/**
 * The root's o2m aliases a filter names, split by how: through a path (`plain`) or under `_some`/
 * `_none` (`quantified`). addJoins LEFT JOINs both alike, wherever they sit (an `_or` holding `{}`
 * excepted); only the path's conditions are on the joined rows, a quantifier's is a subquery.
 */
const rootToMany = (ctx: QueryContext, node: FilterNode, collection: string, plain: Set<string>, quantified: Set<string>): void => {
  if (node.t === 'logic') {
    if (node.op === '_or' && node.items.some((item) => item.t === 'empty')) return;
    for (const item of node.items) rootToMany(ctx, item, collection, plain, quantified);
  } else if (node.t === 'field' && o2mOf(ctx.schema, collection, node.key)) {
    (node.value.t === 'quant' ? quantified : plain).add(node.key);
  }
};

/** Rows per row for an aggregate with this (already validated) filter, or null when nothing is joined. */
export const joinWeight = (ctx: QueryContext, collection: string, filter: unknown): Weight | null => {
  try {
    const parsed = parseFilter(filter, ctx);
    if (parsed === null || !('t' in parsed)) return null;
    const plain = new Set<string>();
    const quantified = new Set<string>();
    rootToMany(ctx, parsed, collection, plain, quantified);
    // A relation a path joins too is one join (Directus's alias map): the path's weighing covers it.
    const onlyQuantified = [...quantified].filter((key) => !plain.has(key)).map((key) => children(ctx, o2mOf(ctx.schema, collection, key)!));
    const joined = joinsToMany(ctx, parsed, collection);
    if (!joined && onlyQuantified.length === 0) return null;
    const base = joined ? weigh(ctx, parsed, collection) : predicate(ctx, parsed, collection);
    if (onlyQuantified.length === 0) return base;
    // Each such join repeats a matching row once per related row (once when there is none).
    return (row) => onlyQuantified.reduce((weight, of) => (weight === 0 ? 0 : weight * Math.max(1, of(row).length)), base(row));
  } catch {
    return null;
  }
};
