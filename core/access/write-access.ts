// Permission checks for writes (Directus 11 model): which fields a payload may set, the presets it
// starts from, the validation rule the result must pass, and which existing rows may be touched.
import { forbiddenCollection, forbiddenFields, Silent, type Failure } from '../errors.ts';
import type { QueryContext } from '../query/shared/context.ts';
import { compileFilter } from '../query/filter/pipeline.ts';
import type { Accountability, Data, Item, JsonValue, Schema } from '../types.ts';
import { queryContext } from './context.ts';
import { permissionsFor, type Action } from './permissions.ts';
import { isJsonObject as isObject } from '../json.ts';

export interface WriteAccess {
  /** Applies presets and checks fields and validation for one payload (create/update). */
  payload(input: unknown): Record<string, JsonValue> | Failure;
  /** Whether an existing row may be updated or deleted (the permission's item rule). */
  row(item: Item): boolean;
}

const unrestricted: WriteAccess = { payload: (input) => (isObject(input) ? input : {}), row: () => true };

const readEverything = () => '*' as const;

/** A permission's item rule or validation as a predicate: an empty rule allows every row, an invalid one none. */
export const compileRule = (rule: JsonValue, collection: string, ctx: QueryContext): ((item: Item) => boolean) => {
  if (rule === null || (isObject(rule) && Object.keys(rule).length === 0)) return () => true;
  const predicate = compileFilter(rule, collection, ctx);
  return typeof predicate === 'function' ? predicate : () => false;
};

/** Rules and validations are evaluated as an admin would (they may name any field). */
export const ruleContext = (schema: Schema, data: Data, who: Accountability, action: Action, now: number): QueryContext =>
  ({ ...queryContext(schema, data, who, now, action), readable: readEverything, rowRule: undefined });

/**
 * The write rules for `action` on `collection`. Admins are unrestricted. Several permission rows
 * (from several policies) widen each other: a field, a row or a validation passes if any row allows it.
 */
export const writeAccess = (schema: Schema, data: Data, who: Accountability, collection: string, action: Action, now: number): WriteAccess => {
  if (who.admin) return unrestricted;
  const perms = permissionsFor(data, who, collection, action);
  const ctx = ruleContext(schema, data, who, action, now);
  const rowRules = perms.map((p) => compileRule(p.permissions, collection, ctx));
  const validations = perms.map((p) => compileRule(p.validation, collection, ctx));
  const fields = new Set(perms.flatMap((p) => p.fields ?? []));
  const presets = Object.assign({}, ...perms.map((p) => (isObject(p.presets) ? p.presets : {}))) as Record<string, JsonValue>;
  return {
    payload(input) {
      // Directus's processPayload: the action must be permitted, then every field of the payload.
      if (perms.length === 0) return forbiddenCollection(collection);
      const body = isObject(input) ? input : {};
      if (!fields.has('*')) {
        const denied = Object.keys(body).filter((field) => !fields.has(field));
        if (denied.length > 0) return forbiddenFields(denied, collection);
      }
      const merged = action === 'create' ? { ...presets, ...body } : body;
      // A failed validation is thrown as an array by Directus: no WebSocket reply at all.
      if (!validations.some((v) => v(merged as Item))) return new Silent('FAILED_VALIDATION');
      return merged;
    },
    row(item) {
      return rowRules.some((rule) => rule(item));
    },
  };
};
