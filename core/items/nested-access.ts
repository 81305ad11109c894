// Nested writes run with the caller's permissions, as Directus's nested ItemsService calls do (each is
// made with the request's accountability): the action must be permitted on the related collection,
// the payload's fields, presets and validation apply, and the rows it touches must pass the item rule.
import { mayPerform } from '../access/context.ts';
import { writeAccess, type WriteAccess } from '../access/write-access.ts';
import { forbidden, forbiddenCollection, isFailure, type Failure } from '../errors.ts';
import { normalizeKey } from '../relations.ts';
import { getItem } from '../store.ts';
import type { Data, JsonValue, Schema } from '../types.ts';
import type { Payload, Tx } from './write.ts';

type NestedAction = 'create' | 'update' | 'delete';

const accessFor = (tx: Tx, collection: string, action: NestedAction) =>
  mayPerform(tx.data, tx.who, collection, action)
    ? writeAccess(tx.schema, tx.data, tx.who, collection, action, tx.now)
    : forbiddenCollection(collection);

/** The payload as the caller may write it (presets applied on create), or why not. Admins write anything. */
export const nestedPayload = (tx: Tx, collection: string, action: 'create' | 'update', input: Payload): Payload | Failure => {
  if (tx.who.admin) return input;
  const access = accessFor(tx, collection, action);
  return isFailure(access) ? access : access.payload(input);
};

/** Every row among `keys` must exist and pass the caller's item rule for `action`, else FORBIDDEN. */
export const nestedRowsDenied = (tx: Tx, collection: string, action: 'update' | 'delete', keys: readonly JsonValue[]): Failure | undefined => {
  if (tx.who.admin) return undefined;
  const access = accessFor(tx, collection, action);
  if (isFailure(access)) return access;
  return everyRowPasses(tx.schema, tx.data, collection, keys, access) ? undefined : forbidden();
};

/** Whether every row among `keys` exists and passes `access`'s item rule (a missing row does not). */
export const everyRowPasses = (schema: Schema, data: Data, collection: string, keys: readonly JsonValue[], access: WriteAccess): boolean => {
  const store = data.collections[collection]!;
  return keys.every((k) => {
    const key = normalizeKey(schema, collection, k);
    const row = key === undefined ? undefined : getItem(store, key);
    return row !== undefined && access.row(row);
  });
};
