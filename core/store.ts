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

/** Whether the auto-increment moves to `key`: a key beyond 2^53 (from an old file) is not exact, so it never does. */
const advancesAutoIncrement = (key: PrimaryKey, lastId: number): key is number =>
  typeof key === 'number' && key > lastId && Number.isSafeInteger(key);

/**
 * The key a create without one gets: the one after the last handed out (SQLite AUTOINCREMENT), or,
 * once that would pass 2^53 − 1 (someone wrote a key up there), the lowest free positive key, so
 * later creates keep working (found by probing: a cost only a collection in that state pays).
 */
export const nextAutoIncrement = (store: CollectionStore): number => {
  if (store.lastId < Number.MAX_SAFE_INTEGER) return store.lastId + 1;
  let key = 1;
  while (hasItem(store, key)) key++;
  return key;
};

export const storeFromRows = (rows: readonly Item[], primary: string): CollectionStore => {
  let lastId = 0;
  const items = HashMap.mutate(HashMap.empty<PrimaryKey, Item>(), (map) => {
    for (const row of rows) {
      const key = row[primary];
      if (typeof key !== 'number' && typeof key !== 'string') continue;
      if (advancesAutoIncrement(key, lastId)) lastId = key;
      HashMap.set(map, key, row);
    }
  });
  // A root node (no write: `cut`, history starts here) lets later stores find this one's order.
  return { items, lastId, log: { key: '', prev: null, depth: 0, cut: true } };
};

export const getItem = (store: CollectionStore, key: PrimaryKey): Item | undefined => {
  const found = HashMap.get(store.items, key);
  return found._tag === 'Some' ? found.value : undefined;
};

export const hasItem = (store: CollectionStore, key: PrimaryKey): boolean => HashMap.has(store.items, key);

export const setItem = (store: CollectionStore, key: PrimaryKey, item: Item): CollectionStore => ({
  items: HashMap.set(store.items, key, item),
  lastId: advancesAutoIncrement(key, store.lastId) ? key : store.lastId,
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

/** The primary-key order of a store, by its map. */
const ordered = new WeakMap<object, readonly Item[]>();
/**
 * The latest order derived in a lineage of stores, by the log node of the store it belongs to: a
 * later store finds it by walking its log back, and derives its own order from it and the keys
 * written since, instead of sorting every row again (a query after a write at 100k rows: a merge of
 * a few ms, not a 50 ms sort). Besides the roots', one entry per lineage is kept, so old orders are
 * not held alive by the log.
 */
const orderedAt = new WeakMap<ChangeLog, readonly Item[]>();

const byKey = (primary: string) => (a: Item, b: Item) => compareKeys(a[primary] as PrimaryKey, b[primary] as PrimaryKey);

/** All rows in primary-key order. */
export const orderedItems = (store: CollectionStore, primary: string): readonly Item[] => {
  const cached = ordered.get(store.items);
  if (cached) return cached;
  const rows = derivedOrder(store, primary) ?? [...HashMap.values(store.items)].sort(byKey(primary));
  ordered.set(store.items, rows);
  if (store.log) orderedAt.set(store.log, rows);
  return rows;
};

/** The order of an earlier store of this lineage, updated with the keys written since; or undefined. */
const derivedOrder = (store: CollectionStore, primary: string): Item[] | undefined => {
  const written = new Set<PrimaryKey>();
  for (let node = store.log; node !== null; node = node.prev) {
    const earlier = orderedAt.get(node);
    if (earlier) {
      // A root's order stays (a reset to the loaded data branches from it again); others are used once.
      if (!node.cut) orderedAt.delete(node);
      return reorderWritten(earlier, written, (key) => getItem(store, key), primary);
    }
    if (node.cut) return undefined; // history before this node is gone
    written.add(node.key);
  }
  return undefined;
};

/**
 * A primary-key order updated for the keys written since it was taken: each key's row as `current`
 * now has it (undefined: deleted). Few keys are patched in place in a copy (binary search); many
 * are merged in after a filter. Shared by a store's order and the order of a relation's children.
 */
export const reorderWritten = (
  earlier: readonly Item[], written: ReadonlySet<PrimaryKey>, current: (key: PrimaryKey) => Item | undefined, primary: string,
): Item[] => (written.size <= 64 ? patchWritten(earlier, written, current, primary) : sortInWritten(earlier, written, current, primary));

const patchWritten = (earlier: readonly Item[], written: ReadonlySet<PrimaryKey>, current: (key: PrimaryKey) => Item | undefined, primary: string): Item[] => {
  const rows = earlier.slice();
  for (const key of written) {
    // Binary search for the first row whose key is not below `key`.
    let low = 0;
    let high = rows.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (compareKeys(rows[mid]![primary] as PrimaryKey, key) < 0) low = mid + 1;
      else high = mid;
    }
    const present = low < rows.length && compareKeys(rows[low]![primary] as PrimaryKey, key) === 0;
    const row = current(key);
    if (present && row) rows[low] = row;
    else if (present) rows.splice(low, 1);
    else if (row) rows.splice(low, 0, row);
  }
  return rows;
};

const sortInWritten = (earlier: readonly Item[], written: ReadonlySet<PrimaryKey>, current: (key: PrimaryKey) => Item | undefined, primary: string): Item[] => {
  const compare = byKey(primary);
  const kept = earlier.filter((row) => !written.has(row[primary] as PrimaryKey));
  const fresh: Item[] = [];
  for (const key of written) {
    const row = current(key);
    if (row) fresh.push(row);
  }
  fresh.sort(compare);
  const out: Item[] = new Array(kept.length + fresh.length);
  let i = 0;
  let j = 0;
  let at = 0;
  while (i < kept.length && j < fresh.length) out[at++] = compare(kept[i]!, fresh[j]!) <= 0 ? kept[i++]! : fresh[j++]!;
  while (i < kept.length) out[at++] = kept[i++]!;
  while (j < fresh.length) out[at++] = fresh[j++]!;
  return out;
};

/** The plain rows of a store, for persistence. */
export const storeRows = (store: CollectionStore, primary: string): JsonValue[] =>
  orderedItems(store, primary) as JsonValue[];
