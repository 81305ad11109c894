// One collection's rows: a persistent hash map keyed by primary key, so a write costs O(log n)
// and never copies the collection. The primary-key order (Directus's default order) is derived
// lazily and memoised per map value, which is safe because the maps are immutable.
import * as HashMap from 'effect/HashMap';
import type { ChangeLog, CollectionStore, Item, JsonValue, PrimaryKey } from './types.ts';

export const emptyStore: CollectionStore = { items: HashMap.empty(), lastId: 0, log: null };

/**
 * How many written keys a store remembers (about 3 MB at most); older history is cut, and a storage
 * whose last save lies beyond the cut writes the whole file once. Large enough that this is rare.
 */
const LOG_LIMIT = 65_536;

const logWrite = (log: ChangeLog | null, key: PrimaryKey): ChangeLog =>
  log !== null && log.depth >= LOG_LIMIT
    ? { key, prev: null, depth: 1, cut: true }
    : { key, prev: log, depth: (log?.depth ?? 0) + 1, cut: false };

/** Binary collation, as SQLite compares text; numbers before strings. */
export const compareKeys = (a: PrimaryKey, b: PrimaryKey): number => {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
};

export const storeFromRows = (rows: readonly Item[], primary: string): CollectionStore => {
  let lastId = 0;
  const items = HashMap.mutate(HashMap.empty<PrimaryKey, Item>(), (map) => {
    for (const row of rows) {
      const key = row[primary];
      if (typeof key !== 'number' && typeof key !== 'string') continue;
      if (typeof key === 'number' && key > lastId) lastId = key;
      HashMap.set(map, key, row);
    }
  });
  return { items, lastId, log: null };
};

export const getItem = (store: CollectionStore, key: PrimaryKey): Item | undefined => {
  const found = HashMap.get(store.items, key);
  return found._tag === 'Some' ? found.value : undefined;
};

export const hasItem = (store: CollectionStore, key: PrimaryKey): boolean => HashMap.has(store.items, key);

export const setItem = (store: CollectionStore, key: PrimaryKey, item: Item): CollectionStore => ({
  items: HashMap.set(store.items, key, item),
  lastId: typeof key === 'number' && key > store.lastId ? key : store.lastId,
  log: logWrite(store.log, key),
});

export const removeItem = (store: CollectionStore, key: PrimaryKey): CollectionStore => ({
  items: HashMap.remove(store.items, key),
  lastId: store.lastId,
  log: logWrite(store.log, key),
});

/**
 * The keys written between two versions of a store, or undefined when that cannot be told from the
 * log (unrelated stores, or history cut): the caller then treats everything as changed.
 */
export const keysWrittenSince = (before: CollectionStore, after: CollectionStore): Set<PrimaryKey> | undefined => {
  const keys = new Set<PrimaryKey>();
  for (let node = after.log; node !== before.log; node = node.prev) {
    if (node === null || node.cut) return undefined;
    keys.add(node.key);
  }
  return keys;
};

const ordered = new WeakMap<object, readonly Item[]>();

/** All rows in primary-key order. */
export const orderedItems = (store: CollectionStore, primary: string): readonly Item[] => {
  const cached = ordered.get(store.items);
  if (cached) return cached;
  const rows = [...HashMap.values(store.items)];
  rows.sort((a, b) => compareKeys(a[primary] as PrimaryKey, b[primary] as PrimaryKey));
  ordered.set(store.items, rows);
  return rows;
};

/** The plain rows of a store, for persistence. */
export const storeRows = (store: CollectionStore, primary: string): JsonValue[] =>
  orderedItems(store, primary) as JsonValue[];
