// Walking relations over the stored data: which relation a field is, the parent of an m2o, the
// children of an o2m, and the field-value indexes behind them. Indexes are persistent maps, built
// once per store lineage and carried forward write by write (see `carryIndexes`), so a lookup after
// a write costs O(log n), never a rebuild.
import * as HashMap from 'effect/HashMap';
import { compareKeys, getItem, reorderWritten } from './store.ts';
import { normalizeKey } from './keys.ts';
import type { CollectionStore, Data, Item, PrimaryKey, Relation, Schema } from './types.ts';

// ------------------------------------------------------------------ relation lookups

/** collection → field → value: two plain lookups, no `collection.field` string built per call. */
type ByField<T> = Map<string, Map<string, T>>;

interface RelationIndex {
  /** The m2o relation stored in each `collection.field`. */
  readonly m2o: ByField<Relation>;
  /** The m2a (a2o) relation stored in each `collection.field`. */
  readonly a2o: ByField<Relation>;
  /** The relation behind each o2m alias `collection.alias` (o2m, m2m and m2a aliases alike). */
  readonly o2m: ByField<Relation>;
  /** collection → relations whose many side is that collection (m2o and a2o), in schema order. */
  readonly many: Map<string, Relation[]>;
  /** collection → relations pointing at that collection (its o2m side), in schema order. */
  readonly one: Map<string, Relation[]>;
}

const relationIndexes = new WeakMap<Schema, RelationIndex>();

const push = <T>(map: Map<string, T[]>, key: string, value: T) => {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
};

/** Sets `collection.field` unless it is set already (the first relation in schema order wins). */
const setFirst = <T>(map: ByField<T>, collection: string, field: string, value: T) => {
  let fields = map.get(collection);
  if (!fields) map.set(collection, (fields = new Map()));
  if (!fields.has(field)) fields.set(field, value);
};

const relationIndex = (schema: Schema): RelationIndex => {
  const cached = relationIndexes.get(schema);
  if (cached) return cached;
  const index: RelationIndex = { m2o: new Map(), a2o: new Map(), o2m: new Map(), many: new Map(), one: new Map() };
  for (const r of schema.relations) {
    if (r.oneCollection !== null) {
      setFirst(index.m2o, r.manyCollection, r.manyField, r);
      push(index.one, r.oneCollection, r);
      if (r.oneField !== null) setFirst(index.o2m, r.oneCollection, r.oneField, r);
    } else if (r.oneCollectionField !== null) setFirst(index.a2o, r.manyCollection, r.manyField, r);
    push(index.many, r.manyCollection, r);
  }
  relationIndexes.set(schema, index);
  return index;
};

/** The m2o relation stored in `collection.field`, if that field is a foreign key. */
export const m2oOf = (schema: Schema, collection: string, field: string): Relation | undefined =>
  relationIndex(schema).m2o.get(collection)?.get(field);

/** The many-to-any relation whose key is stored in `collection.field` (the junction's `item`). */
export const a2oOf = (schema: Schema, collection: string, field: string): Relation | undefined =>
  relationIndex(schema).a2o.get(collection)?.get(field);

/** The relation behind the o2m alias `collection.field` (also the alias of an m2m or m2a). */
export const o2mOf = (schema: Schema, collection: string, field: string): Relation | undefined =>
  relationIndex(schema).o2m.get(collection)?.get(field);

/** Relations stored in `collection` (m2o and a2o), in schema order. */
export const manyRelations = (schema: Schema, collection: string): readonly Relation[] =>
  relationIndex(schema).many.get(collection) ?? [];

/** Relations whose foreign key points at `collection`, in schema order. */
export const referencingRelations = (schema: Schema, collection: string): readonly Relation[] =>
  relationIndex(schema).one.get(collection) ?? [];

const follows = new WeakMap<Schema, Map<string, Relation | null>>();

/**
 * `$FOLLOW(collection, field)` in a filter: the reverse of the m2o `collection.field` pointing at
 * `target`, as an o2m without an alias; `$FOLLOW(collection, item, collectionField)` the reverse of
 * a many-to-any. Directus builds this relation on the spot (no declared relation is needed).
 */
export const followRelation = (schema: Schema, target: string, key: string): Relation | undefined => {
  if (!key.startsWith('$FOLLOW(') || key.length > 500) return undefined;
  let perSchema = follows.get(schema);
  if (!perSchema) follows.set(schema, (perSchema = new Map()));
  const id = `${target}\u0000${key}`;
  if (!perSchema.has(id)) {
    const parts = /^\$FOLLOW\((.*?),(.*?)(?:,(.*?))?\)$/.exec(key)?.slice(1).map((p) => p?.trim());
    perSchema.set(id, parts && parts[0] && parts[1] ? {
      manyCollection: parts[0], manyField: parts[1], oneCollection: target, oneField: null, junctionField: null,
      oneAllowedCollections: null, oneCollectionField: parts[2] || null, sortField: null, onDelete: 'NO ACTION', oneDeselectAction: 'nullify',
    } : null);
  }
  return perSchema.get(id) ?? undefined;
};

/** The collections an m2a may link to that exist in the schema. */
export const allowedCollections = (schema: Schema, relation: Relation): string[] =>
  (relation.oneAllowedCollections ?? []).filter((c) => Object.hasOwn(schema.collections, c));

// ------------------------------------------------------------------ field-value indexes

type Bucket = HashMap.HashMap<PrimaryKey, Item>;
type FieldIndex = HashMap.HashMap<PrimaryKey, Bucket>;

/** store.items → field → index of rows by that field's value (only string and number values). */
const fieldIndexes = new WeakMap<object, Map<string, FieldIndex>>();
const sortedBuckets = new WeakMap<object, readonly Item[]>();

const indexable = (v: unknown): v is PrimaryKey => typeof v === 'number' || typeof v === 'string';

const emptyBucket: Bucket = HashMap.empty();

const fieldIndex = (store: CollectionStore, field: string): FieldIndex => {
  let perField = fieldIndexes.get(store.items);
  if (!perField) fieldIndexes.set(store.items, (perField = new Map()));
  const cached = perField.get(field);
  if (cached) return cached;
  const index = HashMap.mutate(HashMap.empty<PrimaryKey, Bucket>(), (map) => {
    for (const [key, row] of store.items) {
      const value = row[field];
      if (!indexable(value)) continue;
      const bucket = HashMap.get(map, value);
      HashMap.set(map, value, HashMap.set(bucket._tag === 'Some' ? bucket.value : emptyBucket, key, row));
    }
  });
  perField.set(field, index);
  return index;
};

const bucketOf = (index: FieldIndex, value: PrimaryKey): Bucket => {
  const found = HashMap.get(index, value);
  return found._tag === 'Some' ? found.value : emptyBucket;
};

/**
 * Where a bucket came from: the bucket one write earlier and the key written. Recorded while the
 * earlier bucket's order is known or derivable (at most 32 writes back), so that a parent's children
 * are re-ordered from the last order taken, not sorted again (33k children: a patch, not a 30 ms sort).
 */
interface BucketOrigin {
  readonly from: Bucket;
  readonly key: PrimaryKey;
  readonly depth: number;
}
const bucketOrigins = new WeakMap<Bucket, BucketOrigin>();
const MAX_ORIGIN_DEPTH = 32;

const noteOrigin = (from: Bucket, to: Bucket, key: PrimaryKey): void => {
  if (from === to || HashMap.size(to) === 0) return;
  const earlier = sortedBuckets.has(from) ? 0 : bucketOrigins.get(from)?.depth;
  if (earlier !== undefined && earlier < MAX_ORIGIN_DEPTH) bucketOrigins.set(to, { from, key, depth: earlier + 1 });
};

/** A bucket's rows in primary-key order (memoised per bucket value, derived from its origin when it can be). */
const sortedRows = (bucket: Bucket, primary: string): readonly Item[] => {
  const cached = sortedBuckets.get(bucket);
  if (cached) return cached;
  const rows = derivedBucketOrder(bucket, primary)
    ?? [...HashMap.values(bucket)].sort((a, b) => compareKeys(a[primary] as PrimaryKey, b[primary] as PrimaryKey));
  sortedBuckets.set(bucket, rows);
  return rows;
};

const derivedBucketOrder = (bucket: Bucket, primary: string): Item[] | undefined => {
  const written = new Set<PrimaryKey>();
  for (let origin = bucketOrigins.get(bucket); origin; origin = bucketOrigins.get(origin.from)) {
    written.add(origin.key);
    const earlier = sortedBuckets.get(origin.from);
    if (earlier) return reorderWritten(earlier, written, (key) => bucketRow(bucket, key), primary);
  }
  return undefined;
};

const bucketRow = (bucket: Bucket, key: PrimaryKey): Item | undefined => {
  const found = HashMap.get(bucket, key);
  return found._tag === 'Some' ? found.value : undefined;
};

/**
 * Carries the indexes built for `before` over to `after`, the store one row write later (`old` and
 * `row` the row before and after; undefined for an insert or a delete). O(log n) per built index.
 */
export const carryIndexes = (before: CollectionStore, after: CollectionStore, key: PrimaryKey, old: Item | undefined, row: Item | undefined): void => {
  const perField = fieldIndexes.get(before.items);
  if (!perField || before.items === after.items) return;
  const carried = new Map<string, FieldIndex>();
  for (const [field, index] of perField) {
    let next = index;
    const was = old?.[field];
    const now = row?.[field];
    if (indexable(was)) {
      const from = bucketOf(next, was);
      const bucket = HashMap.remove(from, key);
      noteOrigin(from, bucket, key);
      next = HashMap.size(bucket) === 0 ? HashMap.remove(next, was) : HashMap.set(next, was, bucket);
    }
    if (indexable(now)) {
      const from = bucketOf(next, now);
      const bucket = HashMap.set(from, key, row!);
      noteOrigin(from, bucket, key);
      next = HashMap.set(next, now, bucket);
    }
    carried.set(field, next);
  }
  fieldIndexes.set(after.items, carried);
};

/** Rows of `collection` whose `field` holds exactly `value`, in primary-key order. */
export const rowsWithValue = (schema: Schema, data: Data, collection: string, field: string, value: PrimaryKey): readonly Item[] => {
  const store = Object.hasOwn(data.collections, collection) ? data.collections[collection] : undefined;
  const info = Object.hasOwn(schema.collections, collection) ? schema.collections[collection] : undefined;
  if (!store || !info) return [];
  return sortedRows(bucketOf(fieldIndex(store, field), value), info.primary);
};

// ------------------------------------------------------------------ walking relations

/** The item an m2o foreign key points at, or undefined. */
export const relatedParent = (schema: Schema, data: Data, relation: Relation, foreignKey: unknown): Item | undefined => {
  if (relation.oneCollection === null || foreignKey === null || foreignKey === undefined) return undefined;
  const store = data.collections[relation.oneCollection];
  if (!store) return undefined;
  const key = normalizeKey(schema, relation.oneCollection, foreignKey);
  return key === undefined ? undefined : getItem(store, key);
};

/** The item a many-to-any pair points at (`collection` names the collection, `key` its key), or undefined. */
export const relatedAny = (schema: Schema, data: Data, collection: unknown, key: unknown): Item | undefined => {
  if (typeof collection !== 'string' || !Object.hasOwn(schema.collections, collection)) return undefined;
  const store = data.collections[collection];
  const normalized = normalizeKey(schema, collection, key);
  return store && normalized !== undefined ? getItem(store, normalized) : undefined;
};

/** The rows of `relation.manyCollection` whose `manyField` points at `parentKey`, in primary-key order. */
export const relatedChildren = (schema: Schema, data: Data, relation: Relation, parentKey: PrimaryKey): readonly Item[] => {
  const rows = rowsWithValue(schema, data, relation.manyCollection, relation.manyField, parentKey);
  if (relation.oneCollectionField === null || relation.oneCollection === null) return rows;
  // A followed many-to-any: the key is stored as text, next to the name of the collection.
  const field = relation.oneCollectionField;
  const text = typeof parentKey === 'number' ? rowsWithValue(schema, data, relation.manyCollection, relation.manyField, String(parentKey)) : [];
  return [...rows, ...text].filter((row) => row[field] === relation.oneCollection);
};
