// Walking relations over the stored data: the parent of an m2o, the children of an o2m.
import * as HashMap from 'effect/HashMap';
import { getItem, orderedItems } from './store.ts';
import type { CollectionStore, Data, Item, PrimaryKey, Relation, Schema } from './types.ts';

/** The item an m2o foreign key points at, or undefined. */
export const relatedParent = (schema: Schema, data: Data, relation: Relation, foreignKey: unknown): Item | undefined => {
  if (relation.oneCollection === null || foreignKey === null || foreignKey === undefined) return undefined;
  const store = data.collections[relation.oneCollection];
  if (!store) return undefined;
  const key = normalizeKey(schema, relation.oneCollection, foreignKey);
  return key === undefined ? undefined : getItem(store, key);
};

const childIndex = new WeakMap<object, Map<string, Map<PrimaryKey, Item[]>>>();

/**
 * The rows of `relation.manyCollection` whose `manyField` points at `parentKey`, in primary-key order.
 * Built as one index per (store value, field) and memoised, so listing children of every parent is O(n).
 */
export const relatedChildren = (schema: Schema, data: Data, relation: Relation, parentKey: PrimaryKey): readonly Item[] => {
  const store = data.collections[relation.manyCollection];
  const many = schema.collections[relation.manyCollection];
  if (!store || !many) return [];
  return childrenIndex(store, many.primary, relation.manyField).get(parentKey) ?? [];
};

const childrenIndex = (store: CollectionStore, primary: string, field: string): Map<PrimaryKey, Item[]> => {
  let perField = childIndex.get(store.items);
  if (!perField) childIndex.set(store.items, (perField = new Map()));
  let index = perField.get(field);
  if (index) return index;
  index = new Map();
  for (const row of orderedItems(store, primary)) {
    const fk = row[field];
    if (typeof fk !== 'number' && typeof fk !== 'string') continue;
    const list = index.get(fk);
    if (list) list.push(row);
    else index.set(fk, [row]);
  }
  perField.set(field, index);
  return index;
};

/**
 * A client-supplied key in the stored form for `collection`'s primary key: integer keys accept
 * numbers and canonical numeric strings ("1" → 1); anything else is undefined (no such row).
 */
export const normalizeKey = (schema: Schema, collection: string, key: unknown): PrimaryKey | undefined => {
  const info = schema.collections[collection];
  if (!info) return undefined;
  const type = info.fields[info.primary]?.type;
  if (type === 'integer' || type === 'bigInteger') {
    if (typeof key === 'number') return Number.isInteger(key) ? key : undefined;
    if (typeof key === 'string' && /^-?\d+$/.test(key.trim())) return Number(key);
    return undefined;
  }
  if (typeof key === 'string') return key;
  if (typeof key === 'number') return String(key);
  return undefined;
};

export const hasKey = (data: Data, collection: string, key: PrimaryKey): boolean => {
  const store = data.collections[collection];
  return store !== undefined && HashMap.has(store.items, key);
};
