// A store's primary-key order, and a parent's children, are derived from an earlier order and the
// keys written since; they must always equal a full sort, whatever the writes and wherever asked for.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import * as HashMap from 'effect/HashMap';
import { carryIndexes, rowsWithValue } from '../core/relations.ts';
import { compareKeys, getItem, orderedItems, removeItem, setItem, storeFromRows } from '../core/store.ts';
import type { CollectionStore, Data, Item, PrimaryKey, Schema } from '../core/types.ts';

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

describe('rowsWithValue (a parent\'s children, in primary-key order)', () => {
  it('always equals a filter and a full sort, for any writes between any reads', () => {
    const schema = { collections: { c: { primary: 'id' } }, relations: [] } as unknown as Schema;
    const parent = fc.integer({ min: 0, max: 3 });
    const childStep = fc.oneof(
      fc.record({ op: fc.constant('set' as const), key: fc.integer({ min: 0, max: 200 }), parent, value: fc.integer() }),
      fc.record({ op: fc.constant('remove' as const), key: fc.integer({ min: 0, max: 200 }) }),
      fc.record({ op: fc.constant('read' as const), parent }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 200 }), parent), { maxLength: 150 }), fc.array(childStep, { maxLength: 300 }), (initial, steps) => {
        let store = storeFromRows(initial.map(([id, p]) => ({ id, parent: p, v: 0 })), 'id');
        const data = (): Data => ({ collections: { c: store }, system: {} });
        const expected = (p: number) => fullSort(store).filter((row) => row['parent'] === p);
        for (const s of steps) {
          if (s.op === 'read') {
            assert.deepEqual(rowsWithValue(schema, data(), 'c', 'parent', s.parent), expected(s.parent));
            continue;
          }
          const old = getItem(store, s.key);
          const row = s.op === 'set' ? { id: s.key, parent: s.parent, v: s.value } : undefined;
          const next = row ? setItem(store, s.key, row) : removeItem(store, s.key);
          carryIndexes(store, next, s.key, old, row);
          store = next;
        }
        for (const p of [0, 1, 2, 3]) assert.deepEqual(rowsWithValue(schema, data(), 'c', 'parent', p), expected(p));
      }),
      { numRuns: 300 },
    );
  });
});
