// The write half of the items service: one immutable transaction over `Data`. A write that fails
// anywhere returns a Failure and the caller keeps the old state, so nested writes are all-or-nothing.
import {
  DirectusError, invalidForeignKey, isFailure, notUnique, Silent, type Failure,
} from '../errors.ts';
import { normalizeKey, relatedChildren } from '../relations.ts';
import { m2oRelation, o2mRelation } from '../schema.ts';
import { getItem, hasItem, removeItem, setItem, storeSize } from '../store.ts';
import type { Collection, Data, Item, JsonValue, PrimaryKey, Relation, Schema } from '../types.ts';
import { nextUuid } from '../random.ts';

/** A change for subscribers: `keys` exactly as the writer passed them (Directus compares them as is). */
export interface ChangeEvent {
  readonly collection: string;
  readonly action: 'create' | 'update' | 'delete';
  readonly keys: readonly JsonValue[];
}

export interface Tx {
  readonly schema: Schema;
  readonly data: Data;
  readonly seed: number;
  readonly events: readonly ChangeEvent[];
}

const isObject = (v: unknown): v is Record<string, JsonValue> => v !== null && typeof v === 'object' && !Array.isArray(v);

const withStore = (tx: Tx, collection: string, update: (store: Data['collections'][string]) => Data['collections'][string]): Tx => ({
  ...tx,
  data: { ...tx.data, collections: { ...tx.data.collections, [collection]: update(tx.data.collections[collection]!) } },
});

const emit = (tx: Tx, event: ChangeEvent): Tx => ({ ...tx, events: [...tx.events, event] });

const info = (tx: Tx, collection: string): Collection => tx.schema.collections[collection]!;

/** Stored columns only (alias fields are derived). */
const columns = (c: Collection): string[] => c.fieldOrder.filter((f) => !c.fields[f]!.alias);

const NOT_NULL = (field: string, collection: string) =>
  new DirectusError('NOT_NULL_VIOLATION', `Value for field "${field}" in collection "${collection}" can't be null.`);

/** Checks unique columns (other than the key itself) against every other row. */
const checkUnique = (tx: Tx, c: Collection, row: Item, key: PrimaryKey): DirectusError | undefined => {
  const store = tx.data.collections[c.collection]!;
  for (const f of columns(c)) {
    const def = c.fields[f]!;
    if (!def.unique || def.primaryKey || row[f] === null || row[f] === undefined) continue;
    for (const other of (storeSize(store) ? [...iterate(store)] : [])) {
      if (other[c.primary] !== key && other[f] === row[f]) return notUnique(row[f]!, f, c.collection);
    }
  }
  return undefined;
};

function* iterate(store: Data['collections'][string]): Iterable<Item> {
  for (const [, v] of store.items) yield v;
}

/**
 * Resolves the relational parts of a payload: an m2o given as an object is created (or updated when
 * it carries its key) first and replaced by its key; o2m lists are applied after the row exists.
 */
const resolveM2o = (tx: Tx, c: Collection, payload: Record<string, JsonValue>): [Tx, Record<string, JsonValue>] | Failure => {
  let out = payload;
  for (const [field, value] of Object.entries(payload)) {
    const relation = m2oRelation(tx.schema, c.collection, field);
    if (!relation?.oneCollection || !isObject(value)) continue;
    const related = info(tx, relation.oneCollection);
    const key = value[related.primary];
    const existing = key !== undefined && key !== null ? normalizeKey(tx.schema, related.collection, key) : undefined;
    const result = existing !== undefined && hasItem(tx.data.collections[related.collection]!, existing)
      ? updateOne(tx, related.collection, existing, value, key!)
      : createOne(tx, related.collection, value);
    if (isFailure(result)) return result;
    tx = result[0];
    out = { ...out, [field]: result[1] };
  }
  return [tx, out];
};

/** Foreign keys must point at an existing row (SQLite enforces them in Directus's setup). */
const checkForeignKeys = (tx: Tx, c: Collection, row: Item): Failure | undefined => {
  for (const field of columns(c)) {
    const relation = m2oRelation(tx.schema, c.collection, field);
    const value = row[field];
    if (!relation?.oneCollection || value === null || value === undefined) continue;
    const key = normalizeKey(tx.schema, relation.oneCollection, value);
    if (key === undefined || !hasItem(tx.data.collections[relation.oneCollection]!, key)) return invalidForeignKey();
  }
  return undefined;
};

/** Applies an o2m alias payload: a list of child keys/objects becomes the full set of children. */
const applyO2m = (tx: Tx, c: Collection, key: PrimaryKey, payload: Record<string, JsonValue>): Tx | Failure => {
  for (const [field, value] of Object.entries(payload)) {
    const relation = o2mRelation(tx.schema, c.collection, field);
    if (!relation) continue;
    const many = info(tx, relation.manyCollection);
    const wanted: PrimaryKey[] = [];
    const list = Array.isArray(value) ? value : isObject(value) ? [] : [];
    for (const entry of list) {
      const childKey = isObject(entry) ? entry[many.primary] : entry;
      const normalized = childKey !== undefined && childKey !== null ? normalizeKey(tx.schema, many.collection, childKey) : undefined;
      const exists = normalized !== undefined && hasItem(tx.data.collections[many.collection]!, normalized);
      const data = { ...(isObject(entry) ? entry : {}), [relation.manyField]: key };
      const result = exists ? updateOne(tx, many.collection, normalized!, data, childKey!) : createOne(tx, many.collection, data);
      if (isFailure(result)) return result;
      tx = result[0];
      wanted.push(exists ? normalized! : (result[1] as PrimaryKey));
    }
    if (Array.isArray(value)) {
      for (const child of relatedChildren(tx.schema, tx.data, relation, key)) {
        const childKey = child[many.primary] as PrimaryKey;
        if (wanted.includes(childKey)) continue;
        const result = relation.oneDeselectAction === 'delete'
          ? deleteKeys(tx, many.collection, [childKey], [childKey])
          : updateOne(tx, many.collection, childKey, { [relation.manyField]: null }, childKey);
        if (isFailure(result)) return result;
        tx = Array.isArray(result) ? result[0] : result;
      }
    }
  }
  return tx;
};

/** createOne: defaults, generated key, nested relations, constraints. Returns the new key. */
export const createOne = (tx: Tx, collection: string, input: unknown): [Tx, PrimaryKey] | Failure => {
  const c = info(tx, collection);
  const resolved = resolveM2o(tx, c, isObject(input) ? input : {});
  if (isFailure(resolved)) return resolved;
  let [next, payload] = resolved;
  const row: Record<string, JsonValue> = {};
  for (const f of columns(c)) {
    row[f] = Object.hasOwn(payload, f) ? payload[f]! : c.fields[f]!.defaultValue;
  }
  let key = row[c.primary];
  const pk = c.fields[c.primary]!;
  if (key === null || key === undefined) {
    const store = next.data.collections[collection]!;
    if (pk.autoIncrement || pk.type === 'integer') key = store.lastId + 1;
    else if (pk.type === 'uuid' || pk.special.includes('uuid')) {
      const [uuid, seed] = nextUuid(next.seed);
      key = uuid;
      next = { ...next, seed };
    } else return new Silent(`missing primary key "${c.primary}"`);
    row[c.primary] = key;
  }
  const stored = normalizeKey(next.schema, collection, key);
  // SQLite refuses a non-integer INTEGER PRIMARY KEY ("datatype mismatch"); Directus answers nothing.
  if (stored === undefined) return new Silent(`primary key ${JSON.stringify(key)} does not fit "${c.primary}"`);
  const storedKey: PrimaryKey = stored;
  row[c.primary] = stored;
  if (hasItem(next.data.collections[collection]!, storedKey)) return notUnique(key, c.primary, collection);
  for (const f of columns(c)) {
    if (row[f] === null && !c.fields[f]!.nullable && f !== c.primary) return NOT_NULL(f, collection);
  }
  const unique = checkUnique(next, c, row, storedKey);
  if (unique) return unique;
  const fk = checkForeignKeys(next, c, row);
  if (fk) return fk;
  next = withStore(next, collection, (s) => setItem(s, storedKey, row));
  const o2m = applyO2m(next, c, storedKey, payload);
  if (isFailure(o2m)) return o2m;
  return [emit(o2m, { collection, action: 'create', keys: [storedKey] }), storedKey];
};

/** updateOne: merges the payload into an existing row (the primary key itself is never changed). */
export const updateOne = (tx: Tx, collection: string, key: PrimaryKey, input: unknown, sentKey: JsonValue): [Tx, JsonValue] | Failure => {
  const c = info(tx, collection);
  const current = getItem(tx.data.collections[collection]!, key);
  if (!current) return [tx, sentKey];
  const resolved = resolveM2o(tx, c, isObject(input) ? input : {});
  if (isFailure(resolved)) return resolved;
  let [next, payload] = resolved;
  const row: Record<string, JsonValue> = { ...current };
  for (const f of columns(c)) if (f !== c.primary && Object.hasOwn(payload, f)) row[f] = payload[f]!;
  for (const f of columns(c)) {
    if (row[f] === null && !c.fields[f]!.nullable && f !== c.primary) return NOT_NULL(f, collection);
  }
  const unique = checkUnique(next, c, row, key);
  if (unique) return unique;
  const fk = checkForeignKeys(next, c, row);
  if (fk) return fk;
  next = withStore(next, collection, (s) => setItem(s, key, row));
  const o2m = applyO2m(next, c, key, payload);
  if (isFailure(o2m)) return o2m;
  return [o2m, sentKey];
};

/** Relations whose many side points at `collection` (for on-delete actions). */
const referencing = (schema: Schema, collection: string): Relation[] =>
  schema.relations.filter((r) => r.oneCollection === collection && schema.collections[r.manyCollection] !== undefined);

/** Deletes rows by key, applying each referencing relation's ON DELETE action. */
export const deleteKeys = (tx: Tx, collection: string, keys: readonly PrimaryKey[], sent: readonly JsonValue[]): Tx | Failure => {
  let next = tx;
  for (const key of keys) {
    if (!hasItem(next.data.collections[collection]!, key)) continue;
    for (const relation of referencing(next.schema, collection)) {
      const many = info(next, relation.manyCollection);
      for (const child of relatedChildren(next.schema, next.data, relation, key)) {
        const childKey = child[many.primary] as PrimaryKey;
        if (relation.onDelete === 'CASCADE') {
          const result = deleteKeys(next, many.collection, [childKey], [childKey]);
          if (isFailure(result)) return result;
          next = result;
        } else if (relation.onDelete === 'SET NULL' || relation.onDelete === 'SET DEFAULT') {
          const value = relation.onDelete === 'SET NULL' ? null : many.fields[relation.manyField]!.defaultValue;
          next = withStore(next, many.collection, (s) => setItem(s, childKey, { ...child, [relation.manyField]: value }));
        } else return invalidForeignKey();
      }
    }
    next = withStore(next, collection, (s) => removeItem(s, key));
  }
  return emit(next, { collection, action: 'delete', keys: sent });
};

export const emitUpdate = (tx: Tx, collection: string, keys: readonly JsonValue[]): Tx =>
  emit(tx, { collection, action: 'update', keys });


