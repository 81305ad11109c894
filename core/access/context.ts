// The QueryContext for one caller: which collections and fields they may read, and which rows.
import { compileFilter } from '../query/filter/pipeline.ts';
import { extendContext, type FieldAccess, type QueryContext } from '../query/shared/context.ts';
import type { QueryLimits } from '../query/shared/limits.ts';
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
  const adminCtx = withAdminRules(ctx);
  const predicates = rules.map((r) => compileFilter(r, collection, adminCtx));
  const usable = predicates.filter((p): p is (item: Item) => boolean => typeof p === 'function');
  if (usable.length === 0) return none;
  return (item) => usable.some((p) => p(item));
};

export const queryContext = (
  schema: Schema, data: Data, accountability: Accountability, now: number, action: Action = 'read', limits?: QueryLimits,
): QueryContext => contextOver(schema, data, null, accountability, now, action, limits);

/**
 * A context whose data is read from a cell, so what is compiled against it (filters, field trees,
 * permission rules) can be reused for later data. Only for data with the same `system` records:
 * permissions are read from them once.
 */
export const liveQueryContext = (schema: Schema, data: Data, accountability: Accountability, now: number, limits?: QueryLimits) => {
  const cell = { data };
  return { ctx: contextOver(schema, data, cell, accountability, now, 'read', limits), use(next: Data) { cell.data = next; } };
};

const ADMIN: FieldAccess = '*';
const readsEverything = (): FieldAccess => ADMIN;
const noRowRule = (): undefined => undefined;
// Module-level, not closures: named closures cost a defineProperty each under keepNames loaders (tsx).
const withAdminRules = (ctx: QueryContext): QueryContext => extendContext(ctx, { readable: readsEverything, rowRule: undefined });
const liveData = (cell: { data: Data }): PropertyDescriptorMap => ({ data: { get() { return cell.data; }, enumerable: true }, live: { value: true, enumerable: true } });

const contextOver = (
  schema: Schema, data: Data, cell: { data: Data } | null, accountability: Accountability, now: number, action: Action,
  limits: QueryLimits | undefined,
): QueryContext => {
  // Admins read everything: no permission lookups, no caches.
  if (accountability.admin) {
    const ctx: QueryContext = { schema, data, now, accountability, readable: readsEverything, rowRule: noRowRule, limits };
    if (cell) Object.defineProperties(ctx, liveData(cell));
    return ctx;
  }
  const access = new Map<string, FieldAccess>();
  const rules = new Map<string, ((item: Item) => boolean) | undefined>();
  const ctx: QueryContext = {
    schema, data, now, accountability, limits,
    readable(collection) {
      if (!access.has(collection)) access.set(collection, allowedFields(ctx.data, accountability, collection, 'read'));
      return access.get(collection)!;
    },
    rowRule(collection) {
      if (!rules.has(collection)) rules.set(collection, rowRuleFor(ctx, collection, action));
      return rules.get(collection);
    },
  };
  // A live context reads its data from the cell (extendContext keeps the getter for derived contexts).
  if (cell) Object.defineProperties(ctx, liveData(cell));
  return ctx;
};

/** Whether the caller may perform `action` on `collection` at all. */
export const mayPerform = (data: Data, who: Accountability, collection: string, action: Action): boolean =>
  who.admin || permissionsFor(data, who, collection, action).length > 0;
