// `*` in an aggregate: only count takes it (count(*)); any other function over `*` is SQL that SQLite
// refuses before reading a row, so Directus 12.4 sends nothing over WebSocket, even when no row
// matches (tools/differential/probe.ts, catalog fixture).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { driver, rest } from './differential-driver.ts';

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

describe('count over * beside other fields', () => {
  it('count(*) is `count` only when counted alone: each count(field) is nested under `count` and replaces it', () => {
    const d = driver('catalog');
    const get = (query: string) => rest(d, 'GET', `/items/reviews?${query}`, 'admin-token');
    assert.deepEqual(get('aggregate[count][0]=id&aggregate[count][1]=*'), { status: 200, body: { data: [{ count: { id: 5 } }] } });
    assert.deepEqual(get('aggregate[count][0]=*&aggregate[count][1]=*'), { status: 200, body: { data: [{ count: 5 }] } });
    assert.deepEqual(get('aggregate[count][0]=id&aggregate[count][1]=*&groupBy[]=product'),
      { status: 200, body: { data: [{ product: 1, count: { id: 2 } }, { product: 2, count: { id: 1 } }, { product: 3, count: { id: 1 } }, { product: 6, count: { id: 1 } }] } });
    // count(rating) skips the null rating.
    assert.deepEqual(get('aggregate[countDistinct][0]=id&aggregate[count][0]=*&aggregate[count][1]=rating'), { status: 200, body: { data: [{ countDistinct: { id: 5 }, count: { rating: 4 } }] } });
    assert.deepEqual(get('aggregate[count][0]=*&aggregate[count][1]=rating&filter[id][_eq]=999'), { status: 200, body: { data: [{ count: { rating: 0 } }] } });
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'reviews', action: 'read', query: { aggregate: { count: ['*', 'body'] } }, uid: 'a2' }),
      { type: 'items', data: [{ count: { body: 5 } }], uid: 'a2' });
  });
});
