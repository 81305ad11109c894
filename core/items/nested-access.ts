// Nested writes run with the caller's permissions, as Directus's nested ItemsService calls do (each is
// made with the request's accountability): the action must be permitted on the related collection,
// the payload's fields, presets and validation apply, and the rows it touches must pass the item rule.
import { validateAccess } from '../access/validate-access.ts';
import { writeAccess, type WriteAccess } from '../access/write-access.ts';
import type { Failure } from '../errors.ts';
import type { JsonValue } from '../types.ts';
import type { Payload, Tx } from './tx.ts';

type NestedAction = 'create' | 'update' | 'delete';

/** The caller's write rules for a nested `action` on `collection`: none for admins. */
export const nestedAccess = (tx: Tx, collection: string, action: NestedAction): WriteAccess | undefined =>
  tx.who.admin ? undefined : writeAccess(tx.schema, tx.data, tx.who, collection, action, tx.now);

/** The payload as these rules allow it (presets applied on create), or why not. */
export const permittedPayload = (access: WriteAccess | undefined, input: Payload): Payload | Failure =>
  access ? access.payload(input) : input;

/**
 * validateAccess for a nested update or delete: the payload's fields (its key aside, which Directus
 * strips before the nested call) and every row among `keys`.
 */
export const rowsDenied = (tx: Tx, collection: string, action: 'update' | 'delete', keys: readonly JsonValue[], record: Payload = {}): Failure | undefined => {
  const primary = tx.schema.collections[collection]!.primary;
  const fields = Object.keys(record).filter((f) => f !== primary);
  return validateAccess(tx.schema, tx.data, tx.who, collection, action, keys, fields, tx.now);
};
