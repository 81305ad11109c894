// The QueryContext for one caller: which collections and fields they may read, and which rows.
import { compileFilter } from '../query/filter.ts';
import type { FieldAccess, QueryContext } from '../query/context.ts';
import type { Accountability, Data, Item, Schema } from '../types.ts';
import { allowedFields, permissionsFor, type Action } from './permissions.ts';

const none = () => false;

/** A union (OR) of the item rules of every permission row; undefined when some row allows all rows. */
const rowRuleFor = (ctx: QueryContext, collection: string, action: Action): ((item: Item) => boolean) | undefined => {
  if (ctx.accountability.admin) return undefined;
  const rules = permissionsFor(ctx.data, ctx.accountability, collection, action).map((p) => p.permissions);
  if (rules.length === 0) return none;
  if (rules.some((r) => r === null || (typeof r === 'object' && !Array.isArray(r) && Object.keys(r).length === 0))) return undefined;
  // Rules are compiled as admin would see them (a rule may name fields the caller cannot read).
  const adminCtx: QueryContext = { ...ctx, readable: () => '*', rowRule: undefined };
  const predicates = rules.map((r) => compileFilter(r, collection, adminCtx));
  const usable = predicates.filter((p): p is (item: Item) => boolean => typeof p === 'function');
  if (usable.length === 0) return none;
  return (item) => usable.some((p) => p(item));
};

export const queryContext = (schema: Schema, data: Data, accountability: Accountability, now: number, action: Action = 'read'): QueryContext => {
  const readable = new Map<string, FieldAccess>();
  const rules = new Map<string, ((item: Item) => boolean) | undefined>();
  const ctx: QueryContext = {
    schema,
    data,
    now,
    accountability,
    readable: (collection) => {
      if (!readable.has(collection)) readable.set(collection, allowedFields(data, accountability, collection, 'read'));
      return readable.get(collection)!;
    },
    rowRule: (collection) => {
      if (!rules.has(collection)) rules.set(collection, rowRuleFor(ctx, collection, action));
      return rules.get(collection);
    },
  };
  return ctx;
};

/** Whether the caller may perform `action` on `collection` at all. */
export const mayPerform = (data: Data, who: Accountability, collection: string, action: Action): boolean =>
  who.admin || permissionsFor(data, who, collection, action).length > 0;
