// Related rows as the caller may see them. Every path from a query into another collection (a filter
// through a relation, `_some`/`_none`, `count()`, a sort or aggregate over a relation) goes through
// here, so a row the related collection's item rules hide looks exactly like a row that is not
// there, as Directus 11+ applies the related collection's permissions in its subqueries and joins.
import { relatedChildren, relatedParent } from '../../relations.ts';
import type { Item, PrimaryKey, Relation } from '../../types.ts';
import type { QueryContext } from './context.ts';

/** The caller's row rule for `collection` (undefined: every row), looked up once per compile. */
const ruleOf = (ctx: QueryContext, collection: string) => ctx.rowRule?.(collection);

/** The m2o parent a foreign key points at, if the caller may read it. */
export const visibleParentOf = (ctx: QueryContext, relation: Relation) => {
  const rule = ruleOf(ctx, relation.oneCollection!);
  return (foreignKey: unknown): Item | undefined => {
    const parent = relatedParent(ctx.schema, ctx.data, relation, foreignKey);
    return parent === undefined || rule === undefined || rule(parent) ? parent : undefined;
  };
};

/** The o2m children of a parent key the caller may read (in primary-key order). */
export const visibleChildrenOf = (ctx: QueryContext, relation: Relation) => {
  const rule = ruleOf(ctx, relation.manyCollection);
  return (parentKey: PrimaryKey): readonly Item[] => {
    const rows = relatedChildren(ctx.schema, ctx.data, relation, parentKey);
    return rule === undefined || rows.length === 0 ? rows : rows.filter(rule);
  };
};

/** A row of `collection` (found some other way, e.g. an m2a key), if the caller may read it. */
export const visibleIn = (ctx: QueryContext, collection: string) => {
  const rule = ruleOf(ctx, collection);
  return (row: Item | undefined): Item | undefined => (row === undefined || rule === undefined || rule(row) ? row : undefined);
};
