// What a storage adapter needs to save only what changed: the rows written between two data values.
import { getItem, keysWrittenSince } from './store.ts';
import type { Data, Item, PrimaryKey, Schema } from './types.ts';

/** One row as it is now: `item` null when it was deleted; `existed` whether it was there before. */
export interface DataChange {
  readonly collection: string;
  readonly key: PrimaryKey;
  readonly item: Item | null;
  readonly existed: boolean;
}

/**
 * The rows that differ between `before` and `after` (O(rows written)), or undefined when only a full
 * save can tell: system records changed, collections appeared, or a store's history is unknown.
 */
export const dataChanges = (before: Data, after: Data): DataChange[] | undefined => {
  if (before === after) return [];
  if (before.system !== after.system) return undefined;
  const names = Object.keys(after.collections);
  if (names.length !== Object.keys(before.collections).length) return undefined;
  const changes: DataChange[] = [];
  for (const collection of names) {
    const was = before.collections[collection];
    const now = after.collections[collection]!;
    if (!was) return undefined;
    if (was === now) continue;
    const keys = keysWrittenSince(was, now);
    if (!keys) return undefined;
    for (const key of keys) changes.push({ collection, key, item: getItem(now, key) ?? null, existed: getItem(was, key) !== undefined });
  }
  return changes;
};

/** Each collection's primary-key field, for storage that keys rows. */
export const primaryKeyFields = (schema: Schema): Record<string, string> =>
  Object.fromEntries(Object.entries(schema.collections).map(([name, c]) => [name, c.primary]));
