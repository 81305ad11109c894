// The top-k pick behind sorted pages must give exactly what a stable full sort and a slice give.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { firstSorted } from '../core/query/read/sort.ts';

describe('firstSorted', () => {
  it('equals a stable sort sliced to the first `count`, ties in input order', () => {
    // Rows with few distinct sort values, so ties are common; `id` tells equal rows apart.
    const rows = fc.array(fc.record({ v: fc.integer({ min: 0, max: 5 }), id: fc.nat() }), { maxLength: 200 });
    fc.assert(
      fc.property(rows, fc.integer({ min: 0, max: 220 }), fc.boolean(), (list, count, descending) => {
        const compare = (a: { v: number }, b: { v: number }) => (descending ? b.v - a.v : a.v - b.v);
        assert.deepEqual(firstSorted(list, compare, count), [...list].sort(compare).slice(0, count));
      }),
      { numRuns: 2_000 },
    );
  });

  it('leaves its input as it was', () => {
    const list = [3, 1, 2];
    assert.deepEqual(firstSorted(list, (a, b) => a - b, 2), [1, 2]);
    assert.deepEqual(list, [3, 1, 2]);
  });
});
