// The `query` of a REST PATCH or DELETE body: Directus's items controller sanitizes it but never runs
// validateQuery, so what Joi would refuse reaches knex. Expected replies are Directus 12.4's
// (tools/differential/probe.ts on the differential `registry` fixture).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { driver, rest } from './differential-driver.ts';

describe('a PATCH or DELETE body query', () => {
  it('is not validated: an offset that is no number, an invalid alias pass', () => {
    const d = driver('registry');
    assert.deepEqual(rest(d, 'PATCH', '/items/cities', undefined, { query: { fields: ['*', 'coords'], filter: { capital: { _null: true } }, sort: ['name', '-country.code'], offset: 'x' }, data: { coords: [1, 2], timezone: 'abc', country: { code: 'K785' } } }),
      { status: 200, body: { data: [] } });
    assert.deepEqual(rest(d, 'DELETE', '/items/cities', 'admin-token', { query: { filter: { name: { _eq: 'Lyon' } }, alias: { 'a.b': 'id' } } }), { status: 204, body: null });
    assert.deepEqual(rest(d, 'GET', '/items/cities?fields=id', 'admin-token').body.data.map((c: { id: number }) => c.id), [1, 2, 3, 4]);
  });

  it('pages as knex does: a limit that is no number is none, fractions are cut, a negative offset fails', () => {
    const d = driver('registry');
    assert.deepEqual(rest(d, 'PATCH', '/items/cities?fields=id,name', 'admin-token', { query: { limit: 'x', sort: ['id'] }, data: { timezone: 'T' } }),
      { status: 200, body: { data: [{ id: 1, name: 'Berlin' }, { id: 2, name: 'Hamburg' }, { id: 3, name: 'Paris' }, { id: 4, name: 'Oslo' }, { id: 5, name: 'Lyon' }] } });
    assert.deepEqual(rest(d, 'PATCH', '/items/cities?fields=id', 'admin-token', { query: { limit: 1.7, offset: 1.2, sort: ['id'] }, data: { timezone: 'U' } }),
      { status: 200, body: { data: [{ id: 2 }] } });
    assert.deepEqual(rest(d, 'PATCH', '/items/cities?fields=id', 'admin-token', { query: { limit: -3, offset: -1, sort: ['id'] }, data: { timezone: 'V' } }),
      { status: 500, body: { errors: [{ message: 'A non-negative integer must be provided to offset.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] } });
    assert.deepEqual(rest(d, 'PATCH', '/items/cities?fields=id', 'admin-token', { query: { limit: 2, page: 2, sort: ['id'] }, data: { timezone: 'W' } }),
      { status: 200, body: { data: [{ id: 3 }, { id: 4 }] } });
    // Nothing was written by the request that failed.
    assert.deepEqual(rest(d, 'GET', '/items/cities?fields=timezone&sort=id', 'admin-token').body.data.map((c: { timezone: string }) => c.timezone), ['T', 'U', 'W', 'W', 'T']);
  });

  it('pages over the default limit (100) when it gives a page without a limit; page 1 replaces the offset', () => {
    const d = driver('registry');
    assert.deepEqual(rest(d, 'DELETE', '/items/cities', 'admin-token', { query: { page: 2 } }), { status: 204, body: null });
    assert.deepEqual(rest(d, 'PATCH', '/items/cities?fields=id', 'admin-token', { query: { page: 1, offset: 3, sort: ['id'] }, data: { timezone: 'A' } }),
      { status: 200, body: { data: [{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }, { id: 5 }] } });
    assert.deepEqual(rest(d, 'PATCH', '/items/cities?fields=id', 'admin-token', { query: { limit: 2, page: 1, offset: 3, sort: ['id'] }, data: { timezone: 'B' } }),
      { status: 200, body: { data: [{ id: 1 }, { id: 2 }] } });
    // A fraction below 1 makes the page's offset negative: knex throws.
    assert.deepEqual(rest(d, 'PATCH', '/items/cities?fields=id', 'admin-token', { query: { page: 0.99, sort: ['id'] }, data: { timezone: 'C' } }),
      { status: 500, body: { errors: [{ message: 'A non-negative integer must be provided to offset.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] } });
    assert.deepEqual(rest(d, 'PATCH', '/items/cities?fields=id', 'admin-token', { query: { page: '1.01', limit: 200, sort: ['id'] }, data: { timezone: 'D' } }),
      { status: 200, body: { data: [{ id: 3 }, { id: 4 }, { id: 5 }] } });
    assert.deepEqual(rest(d, 'GET', '/items/cities?fields=timezone&sort=id', 'admin-token').body.data.map((c: { timezone: string }) => c.timezone), ['B', 'B', 'D', 'D', 'D']);
  });

  it('reaches the operator check with values validateQuery would refuse', () => {
    const d = driver('registry');
    assert.deepEqual(rest(d, 'PATCH', '/items/cities', 'admin-token', { query: { fields: ['capital', 'name', 'country', 'people.city.timezone'], filter: { coords: { _gte: { lat: 48.8 } } }, sort: ['coords', 'country.name'], limit: 5 }, data: { capital: true, coords: [] } }),
      { status: 400, body: { errors: [{ message: 'Invalid query. "json" field type does not contain the "_gte" filter operator.', extensions: { reason: '"json" field type does not contain the "_gte" filter operator', code: 'INVALID_QUERY' } }] } });
  });

  it('fails on a negative offset as the statement is built: after processAst\'s path and permission checks, before the sort\'s functions and the filter\'s operators', () => {
    const d = driver('catalog');
    const negativeOffset = (message = 'A non-negative integer must be provided to offset.') => ({ status: 500, body: { errors: [{ message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }] } });
    assert.deepEqual(rest(d, 'DELETE', '/items/reviews', 'editor-token', { query: { fields: ['*', 'rating', 'id', 'body'], filter: { _or: [{ nope: { _eq: 1 } }, { product: { _between: [1, 2] } }] }, limit: -1, offset: -1 } }),
      { status: 403, body: { errors: [{ message: 'You don\'t have permission to access field "nope" in collection "reviews" or it does not exist. Queried in root.', extensions: { reason: 'You don\'t have permission to access field "nope" in collection "reviews" or it does not exist. Queried in root.', code: 'FORBIDDEN' } }] } });
    assert.deepEqual(rest(d, 'PATCH', '/items/products', 'admin-token', { query: { filter: { _and: { a: 1 } }, offset: -1 }, data: { qty: 1 } }),
      { status: 400, body: { errors: [{ message: 'Invalid query. Invalid filter object.', extensions: { reason: 'Invalid filter object', code: 'INVALID_QUERY' } }] } });
    assert.deepEqual(rest(d, 'DELETE', '/items/products', 'admin-token', { query: { filter: { id: { _eq: 999 } }, sort: ['year(name)'], offset: -1 } }), negativeOffset());
    assert.deepEqual(rest(d, 'DELETE', '/items/products', 'admin-token', { query: { filter: { name: { _between: 'abc' } }, offset: -1 } }), negativeOffset());
    assert.deepEqual(rest(d, 'DELETE', '/items/products', 'admin-token', { query: { search: 'x', filter: { qty: { _eq: 'abc' } }, offset: -1 } }), negativeOffset());
    assert.deepEqual(rest(d, 'DELETE', '/items/products', 'editor-token', { query: { filter: { qty: { _eq: 'abc' } }, offset: -1 } }), negativeOffset('An unexpected error occurred.'));
    // The page's offset is applied after the query's: the first negative one fails.
    assert.deepEqual(rest(d, 'PATCH', '/items/products', 'admin-token', { query: { filter: { id: { _eq: 999 } }, offset: 1, page: -1, limit: 1 }, data: { qty: 1 } }), negativeOffset());
  });
});
