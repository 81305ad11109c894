// A store's primary-key order is derived from an earlier store's order and the keys written since;
// it must always equal a full sort of the rows, whatever the writes and wherever it is asked for.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import * as HashMap from 'effect/HashMap';
import { compareKeys, orderedItems, removeItem, setItem, storeFromRows } from '../core/store.ts';
import type { CollectionStore, Item, PrimaryKey } from '../core/types.ts';

const fullSort = (store: CollectionStore): Item[] =>
  [...HashMap.values(store.items)].sort((a, b) => compareKeys(a['id'] as PrimaryKey, b['id'] as PrimaryKey));

const key = fc.oneof(fc.integer({ min: 0, max: 300 }), fc.constantFrom('a', 'b', 'zz', '10'));
const step = fc.oneof(
  fc.record({ op: fc.constant('set' as const), key, value: fc.integer() }),
  fc.record({ op: fc.constant('remove' as const), key }),
  fc.record({ op: fc.constant('order' as const) }),
);

describe('orderedItems', () => {
  it('always equals a full sort, for any writes between any reads (few or many keys at once)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 100 }), fc.array(step, { maxLength: 300 }), (initial, steps) => {
        let store = storeFromRows(initial.map((id) => ({ id, v: 0 })), 'id');
        const versions: CollectionStore[] = [store];
        for (const s of steps) {
          if (s.op === 'set') store = setItem(store, s.key, { id: s.key, v: s.value });
          else if (s.op === 'remove') store = removeItem(store, s.key);
          else assert.deepEqual(orderedItems(store, 'id'), fullSort(store));
          versions.push(store);
        }
        // Earlier versions still answer their own order (states are values: a reset goes back to them).
        for (const version of versions.filter((_, i) => i % 7 === 0)) assert.deepEqual(orderedItems(version, 'id'), fullSort(version));
      }),
      { numRuns: 300 },
    );
  });
});
