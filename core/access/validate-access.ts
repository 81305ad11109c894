// Directus's validateAccess for an update or delete by keys: before anything is written, the payload's
// fields must exist and be writable, and every key must name a row the caller may write, as many rows
// as distinct keys were sent (a key of no row, or two spellings of one key, refuses the whole call).
import { forbiddenAction, forbiddenCollection, forbiddenFields, type DirectusError } from '../errors.ts';
import { normalizeKey } from '../keys.ts';
import { getItem, orderedItems } from '../store.ts';
import type { Accountability, Data, Item, JsonValue, PrimaryKey, Schema } from '../types.ts';
import { permissionsFor } from './permissions.ts';
import { compileRule, ruleContext } from './write-access.ts';

/** One permission row as validateAccess uses it: the rows it opens and the fields it opens in them. */
interface Grant {
  readonly matches: (item: Item) => boolean;
  readonly fields: readonly string[];
}

const opens = (grant: Grant, field: string): boolean => grant.fields.includes('*') || grant.fields.includes(field);

/** Whether some grant's item rule admits the row (module-level: no named closures, see keep-names.test.ts). */
const admitted = (grants: readonly Grant[], row: Item | undefined): row is Item => row !== undefined && grants.some((g) => g.matches(row));

/**
 * Why `who` may not `action` the rows named by `keys` with a payload of `fields` (the payload's own
 * keys, in order; none for a delete), or undefined when they may. In Directus's order: no keys at all,
 * unknown fields, no permission for the action, fields outside every permission, then the rows (each
 * distinct key must find a row one of the permissions' item rules admits, and in it every field must
 * be opened by a permission whose rule admits that row). Admins are never refused.
 */
export const validateAccess = (
  schema: Schema, data: Data, who: Accountability, collection: string, action: 'update' | 'delete',
  keys: readonly JsonValue[], fields: readonly string[], now: number,
): DirectusError | undefined => {
  if (who.admin) return undefined;
  const info = schema.collections[collection]!;
  const refused = forbiddenAction(action, collection, fields);
  // A singleton without keys stands for its one row.
  if (keys.length === 0 && !info.singleton) return refused;
  const unknown = fields.filter((f) => !Object.hasOwn(info.fields, f));
  if (unknown.length > 0) return forbiddenFields(unknown, collection);
  const perms = permissionsFor(data, who, collection, action);
  if (perms.length === 0) return forbiddenCollection(collection);
  const ctx = ruleContext(schema, data, who, action, now);
  const grants: Grant[] = perms.map((p) => ({ matches: compileRule(p.permissions, collection, ctx), fields: p.fields ?? [] }));
  const outside = fields.filter((f) => !grants.some((g) => opens(g, f)));
  if (outside.length > 0) return forbiddenFields(outside, collection);
  const store = data.collections[collection]!;
  const rows = new Map<PrimaryKey, Item>();
  if (keys.length === 0) {
    const first = orderedItems(store, info.primary).find((row) => admitted(grants, row));
    if (first) rows.set(first[info.primary] as PrimaryKey, first);
  }
  for (const sent of keys) {
    const key = normalizeKey(schema, collection, sent);
    const row = key === undefined ? undefined : getItem(store, key);
    if (admitted(grants, row)) rows.set(key!, row);
  }
  // Directus counts the rows its `IN (keys)` query finds against the distinct keys as sent.
  if (rows.size !== (keys.length === 0 ? 1 : new Set(keys).size)) return refused;
  for (const row of rows.values()) {
    const applying = grants.filter((g) => g.matches(row));
    if (!fields.every((f) => applying.some((g) => opens(g, f)))) return refused;
  }
  return undefined;
};
