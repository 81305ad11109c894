// `*` in an aggregate: only count takes it (count(*)); any other function over `*` is SQL that SQLite
// refuses before reading a row, so Directus 12.4 sends nothing over WebSocket, even when no row
// matches (tools/differential/probe.ts, catalog fixture).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { driver } from './differential-driver.ts';

describe('aggregates over *', () => {
  it('fails without a reply for any function but count, whether or not a row matches', () => {
    const d = driver('catalog');
    const read = (ids: number[] | undefined, query: unknown) => d.frames('A', { type: 'items', collection: 'tags', action: 'read', ids, query, uid: 'q' });
    assert.deepEqual(read([999], { aggregate: { countDistinct: '*' }, groupBy: ['label'] }), []);
    assert.deepEqual(read(undefined, { aggregate: { countDistinct: '*' }, groupBy: ['label'] }), []);
    assert.deepEqual(read([999], { aggregate: { countAll: '*', max: '*' } }), []);
    assert.deepEqual(read([999], { aggregate: { count: '*' }, groupBy: ['label'] }), [{ type: 'items', data: [], uid: 'q' }]);
    assert.deepEqual(read(undefined, { aggregate: { countAll: '*' } }), [{ type: 'items', data: [{}], uid: 'q' }]);
  });
});
