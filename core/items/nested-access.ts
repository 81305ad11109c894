// Nested writes run with the caller's permissions, as Directus's nested ItemsService calls do (each is
// made with the request's accountability): the action must be permitted on the related collection,
// the payload's fields, presets and validation apply, and the rows it touches must pass the item rule.
import { mayPerform } from '../access/context.ts';
import { writeAccess, type WriteAccess } from '../access/write-access.ts';
import { forbidden, forbiddenCollection, type Failure } from '../errors.ts';
import { normalizeKey } from '../keys.ts';
import { getItem } from '../store.ts';
import type { Data, JsonValue, Schema } from '../types.ts';
import type { Payload, Tx } from './tx.ts';

type NestedAction = 'create' | 'update' | 'delete';

/** The caller's write rules for a nested `action` on `collection`: none for admins, FORBIDDEN without the permission. */
export const nestedAccess = (tx: Tx, collection: string, action: NestedAction): WriteAccess | Failure | undefined => {
  if (tx.who.admin) return undefined;
  return mayPerform(tx.data, tx.who, collection, action)
    ? writeAccess(tx.schema, tx.data, tx.who, collection, action, tx.now)
    : forbiddenCollection(collection);
};

/** The payload as these rules allow it (presets applied on create), or why not. */
export const permittedPayload = (access: WriteAccess | undefined, input: Payload): Payload | Failure =>
  access ? access.payload(input) : input;

/** Every row among `keys` must exist and pass the rules' item rule, else FORBIDDEN. */
export const rowsDenied = (tx: Tx, collection: string, access: WriteAccess | undefined, keys: readonly JsonValue[]): Failure | undefined =>
  !access || everyRowPasses(tx.schema, tx.data, collection, keys, access) ? undefined : forbidden();

/** Whether every row among `keys` exists and passes `access`'s item rule (a missing row does not). */
export const everyRowPasses = (schema: Schema, data: Data, collection: string, keys: readonly JsonValue[], access: WriteAccess): boolean => {
  const store = data.collections[collection]!;
  return keys.every((k) => {
    const key = normalizeKey(schema, collection, k);
    const row = key === undefined ? undefined : getItem(store, key);
    return row !== undefined && access.row(row);
  });
};
