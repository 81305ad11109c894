// Directus's relational payloads (its PayloadService): m2o and m2a objects are written before the
// row and replaced by their keys; o2m aliases (which carry m2m and m2a links through the junction)
// are applied after the row exists, as a plain array (the full list of children) or as
// `{create, update, delete}`. Every nested write goes through the same service calls in write.ts (`tx.writes`).
import { createDraft, finishDraft, produce } from '../draft.ts';
import { forbidden, invalidPayload, isFailure, type Failure } from '../errors.ts';
import { normalizeKey } from '../keys.ts';
import { allowedCollections, manyRelations, referencingRelations, relatedChildren } from '../relations.ts';
import { getItem, hasItem } from '../store.ts';
import type { Collection, JsonValue, PrimaryKey, Relation } from '../types.ts';
import { nestedAccess, permittedPayload, rowsDenied } from './nested-access.ts';
import { info, isPayload, within, type Payload, type Tx } from './tx.ts';

/**
 * An object for a related row: updated when it carries the key of an existing row (and more than
 * the key), created otherwise. Returns the key to store.
 */
const saveRelated = (tx: Tx, collection: string, record: Payload): JsonValue | Failure => {
  const primary = info(tx, collection).primary;
  const given = Object.hasOwn(record, primary) ? record[primary] : undefined;
  const key = given === undefined ? undefined : normalizeKey(tx.schema, collection, given);
  if (key !== undefined && hasItem(tx.data.collections[collection]!, key)) {
    if (Object.keys(record).some((f) => f !== primary)) {
      const updated = guardedUpdate(tx, collection, [given!], record);
      if (isFailure(updated)) return updated;
    }
    return given!;
  }
  return guardedCreate(tx, collection, record);
};

// Every nested write goes through one of these: the caller's permissions first, then the service call.

const guardedCreate = (tx: Tx, collection: string, record: Payload): PrimaryKey | Failure => {
  const payload = permittedPayload(nestedAccess(tx, collection, 'create'), record);
  return isFailure(payload) ? payload : tx.writes.createOne(tx, collection, payload);
};

const guardedUpdate = (tx: Tx, collection: string, keys: readonly JsonValue[], record: Payload): void | Failure => {
  const denied = rowsDenied(tx, collection, 'update', keys, record);
  if (denied) return denied;
  const payload = permittedPayload(nestedAccess(tx, collection, 'update'), record);
  return isFailure(payload) ? payload : tx.writes.updateMany(tx, collection, keys, payload);
};

const guardedDelete = (tx: Tx, collection: string, keys: readonly PrimaryKey[]): void | Failure =>
  rowsDenied(tx, collection, 'delete', keys) ?? tx.writes.deleteMany(tx, collection, keys, keys);

/** upsertOne (update when the record names an existing row, create otherwise), with that action's permission. */
const guardedUpsert = (tx: Tx, collection: string, record: Payload): PrimaryKey | Failure => {
  const given = record[info(tx, collection).primary];
  const key = given ? normalizeKey(tx.schema, collection, given) : undefined;
  return key !== undefined && hasItem(tx.data.collections[collection]!, key)
    ? guardedUpdate(tx, collection, [given!], record) ?? key
    : guardedCreate(tx, collection, record);
};

/**
 * Whether a relational field's value is a nested item. Directus's processM2O takes any object
 * (lodash `isObject`, so an array too) for an m2o; its processA2O only a plain object.
 */
const isNestedRecord = (relation: Relation, value: JsonValue | undefined): boolean =>
  isPayload(value) || (relation.oneCollection !== null && Array.isArray(value));

/** processM2O then processA2O: nested objects in m2o and m2a fields become keys. */
export const processM2O = (tx: Tx, c: Collection, payload: Payload): Payload | Failure => {
  const relations = manyRelations(tx.schema, c.collection).filter((r) => Object.hasOwn(payload, r.manyField) && isNestedRecord(r, payload[r.manyField]));
  // No nested object: the payload stands as sent (a draft here cost every flat write ≈10%).
  if (relations.length === 0) return payload;
  const out = createDraft(payload);
  for (const relation of relations) {
    if (relation.oneCollection === null || !Object.hasOwn(tx.schema.collections, relation.oneCollection)) continue;
    const given = payload[relation.manyField];
    // An array names no field of the related row (its index keys are no columns): a row of defaults.
    const key = within(tx, relation.manyField, () => saveRelated(tx, relation.oneCollection!, isPayload(given) ? given : {}));
    if (isFailure(key)) return key;
    out[relation.manyField] = key;
  }
  for (const relation of relations) {
    if (relation.oneCollection !== null || relation.oneCollectionField === null) continue;
    const field = `"${c.collection}.${relation.manyField}"`;
    const target = payload[relation.oneCollectionField];
    if (!target) {
      return invalidPayload(`Can't update nested record ${field} without field "${c.collection}.${relation.oneCollectionField}" being set`);
    }
    if (typeof target !== 'string' || !allowedCollections(tx.schema, relation).includes(target)) {
      return invalidPayload(`${field} can't be linked to collection "${String(target)}"`);
    }
    const key = within(tx, relation.manyField, () => saveRelated(tx, target, payload[relation.manyField] as Payload));
    if (isFailure(key)) return key;
    out[relation.manyField] = key;
  }
  return finishDraft(out);
};

/** Joi's message for the first part of `{create, update, delete}` that has the wrong shape. */
const alterationsError = (value: unknown): string | undefined => {
  if (!isPayload(value)) return '"value" must be of type object';
  for (const part of ['create', 'update', 'delete'] as const) {
    const list = value[part];
    if (list === undefined) continue;
    if (!Array.isArray(list)) return `"${part}" must be an array`;
    for (const [i, item] of list.entries()) {
      if (part !== 'delete' && !isPayload(item)) return `"${part}[${i}]" must be of type object`;
      if (part === 'delete' && typeof item !== 'string' && typeof item !== 'number') return `"${part}[${i}]" does not match any of the allowed types`;
    }
  }
  const unknown = Object.keys(value).find((k) => k !== 'create' && k !== 'update' && k !== 'delete');
  return unknown === undefined ? undefined : `"${unknown}" is not allowed`;
};

/** The deselect action on some of a parent's children: `delete` removes them, `nullify` unlinks them. */
const deselect = (tx: Tx, relation: Relation, parent: PrimaryKey, pick: (key: PrimaryKey) => boolean): void | Failure => {
  const many = info(tx, relation.manyCollection);
  const keys = relatedChildren(tx.schema, tx.data, relation, parent)
    .map((child) => child[many.primary] as PrimaryKey)
    .filter(pick);
  if (keys.length === 0) return;
  return relation.oneDeselectAction === 'delete'
    ? guardedDelete(tx, many.collection, keys)
    : guardedUpdate(tx, many.collection, keys, { [relation.manyField]: null });
};

/** A plain array: the full list of children (new objects, keys or objects of existing rows). */
const replaceChildren = (tx: Tx, relation: Relation, parent: PrimaryKey, list: readonly JsonValue[]): void | Failure => {
  const many = info(tx, relation.manyCollection);
  const fk = relation.manyField;
  const saved = new Set<PrimaryKey>();
  const records: Payload[] = [];
  for (const entry of list) {
    let record: Payload;
    if (typeof entry === 'string' || typeof entry === 'number') {
      const key = normalizeKey(tx.schema, many.collection, entry);
      const existing = key === undefined ? undefined : getItem(tx.data.collections[many.collection]!, key);
      if (!existing) return forbidden();
      // Already a child and nothing else to change: left alone (no update, no event).
      if (normalizeKey(tx.schema, relation.oneCollection!, existing[fk]) === parent) {
        saved.add(key!);
        continue;
      }
      record = { [many.primary]: entry };
    } else record = isPayload(entry) ? entry : {};
    records.push(produce(record, (draft) => {
      draft[fk] = parent;
    }));
  }
  for (const record of records) {
    const key = guardedUpsert(tx, many.collection, record);
    if (isFailure(key)) return key;
    saved.add(key);
  }
  return deselect(tx, relation, parent, (key) => !saved.has(key));
};

/** `{create, update, delete}`: creates get the next sort values, updates move rows here, deletes deselect. */
const alterChildren = (tx: Tx, relation: Relation, parent: PrimaryKey, value: unknown): void | Failure => {
  const error = alterationsError(value);
  if (error) return invalidPayload(`Invalid one-to-many update structure: ${error}`);
  const alterations = value as { create?: Payload[]; update?: Payload[]; delete?: (string | number)[] };
  const many = info(tx, relation.manyCollection);
  const fk = relation.manyField;
  if (alterations.create) {
    const sortField = relation.sortField;
    let max: number | null = null;
    if (sortField !== null) {
      for (const child of relatedChildren(tx.schema, tx.data, relation, parent)) {
        const n = child[sortField];
        if (typeof n === 'number' && (max === null || n > max)) max = n;
      }
    }
    for (const [index, item] of alterations.create.entries()) {
      const record = produce(item, (draft) => {
        draft[fk] = parent;
        // Appended after the parent's current maximum (Directus treats a maximum of 0 as none).
        if (sortField !== null && item[sortField] === undefined) draft[sortField] = (max || 0) + index + 1;
      });
      const created = guardedCreate(tx, many.collection, record);
      if (isFailure(created)) return created;
    }
  }
  for (const item of alterations.update ?? []) {
    const key = item[many.primary];
    if (key === undefined || key === null || normalizeKey(tx.schema, many.collection, key) === undefined) return forbidden();
    const updated = guardedUpdate(tx, many.collection, [key], produce(item, (draft) => {
      draft[fk] = parent;
    }));
    if (isFailure(updated)) return updated;
  }
  if (alterations.delete) {
    const wanted = new Set(alterations.delete.map((k) => normalizeKey(tx.schema, many.collection, k)));
    return deselect(tx, relation, parent, (key) => wanted.has(key));
  }
};

/** processO2M: every o2m alias of `c` in the payload, for the row `parent`. */
export const processO2M = (tx: Tx, c: Collection, payload: Payload, parent: PrimaryKey): void | Failure => {
  for (const relation of referencingRelations(tx.schema, c.collection)) {
    const alias = relation.oneField;
    if (alias === null || !Object.hasOwn(payload, alias) || !Object.hasOwn(tx.schema.collections, relation.manyCollection)) continue;
    const value = payload[alias];
    // A falsy value removes every child, like an empty list.
    const result = within(tx, alias, () => !value || Array.isArray(value)
      ? replaceChildren(tx, relation, parent, Array.isArray(value) ? value : [])
      : alterChildren(tx, relation, parent, value));
    if (isFailure(result)) return result;
  }
};
