// A grouped read sorted by a column that is neither grouped nor aggregated: SQLite's bare column, read
// from one row of each group (the first scanned, or the row of the query's only min()/max()).
// Expected replies are what Directus 12.4 on SQLite sent (tools/differential/probe.ts, catalog fixture).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { driver, rest } from './differential-driver.ts';

const get = (query: string, token = 'admin-token') => rest(driver('catalog'), 'GET', `/items/reviews?${query}`, token);

describe('grouped reads sorted by a bare column', () => {
  it('orders groups by the first row\'s value', () => {
    assert.deepEqual(get('groupBy=id&sort=body'), { status: 200, body: { data: [{ id: 2 }, { id: 5 }, { id: 4 }, { id: 3 }, { id: 1 }] } });
    assert.deepEqual(get('groupBy=product&sort=body'), { status: 200, body: { data: [{ product: 6 }, { product: 3 }, { product: 2 }, { product: 1 }] } });
    assert.deepEqual(get('groupBy=product&sort=-rating'), { status: 200, body: { data: [{ product: 1 }, { product: 2 }, { product: 6 }, { product: 3 }] } });
    assert.deepEqual(get('aggregate=%7B%22sumDistinct%22%3A%5B%22product%22%2C%22rating%22%5D%7D&groupBy=id%2Cproduct&sort=body%2C-id', 'editor-token'), {
      status: 200,
      body: { data: [
        { id: 2, product: 1, sumDistinct: { product: 1, rating: 3 } }, { id: 5, product: 6, sumDistinct: { product: 6, rating: 1 } },
        { id: 4, product: 3, sumDistinct: { product: 3, rating: null } }, { id: 3, product: 2, sumDistinct: { product: 2, rating: 4 } },
        { id: 1, product: 1, sumDistinct: { product: 1, rating: 5 } },
      ] },
    });
  });

  it('reads the row of the only min() or max() instead', () => {
    assert.deepEqual(get('groupBy=product&aggregate[min]=rating&sort=body'), { status: 200, body: { data: [
      { product: 1, min: { rating: 3 } }, { product: 6, min: { rating: 1 } }, { product: 3, min: { rating: null } }, { product: 2, min: { rating: 4 } },
    ] } });
    assert.deepEqual(get('groupBy=product&aggregate[max]=rating&aggregate[count]=*&sort=-body'), { status: 200, body: { data: [
      { product: 1, max: { rating: 5 }, count: 2 }, { product: 2, max: { rating: 4 }, count: 1 }, { product: 3, max: { rating: null }, count: 1 }, { product: 6, max: { rating: 1 }, count: 1 },
    ] } });
  });
});
