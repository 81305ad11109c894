// Nested many-to-one values as Directus's processM2O reads them: any object, an array included, is a
// related item to create (or update, when it carries an existing key). Every expected frame or reply is
// what Directus 12.4 sent for the same request (tools/differential/probe.ts on the differential fixtures).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { driver, rest } from './differential-driver.ts';

const ADA = 'e0e0e0e0-0000-4000-9000-000000000001';
const BEN = 'e0e0e0e0-0000-4000-9000-000000000002';

describe('an array given for a many-to-one', () => {
  it('creates a related row of default values (its entries are no fields) and stores its key', () => {
    const d = driver('catalog');
    for (const parent of [[1], [], [{ name: 'q' }], ['a', 'b', null], [[1]]]) {
      const created = rest(d, 'POST', '/items/categories', 'admin-token', { name: 'x', parent });
      assert.deepEqual(created, { status: 200, body: { data: { id: 7, name: 'x', parent: 6, children: [], products: [] } } });
      assert.deepEqual(rest(d, 'GET', '/items/categories/6', 'admin-token'),
        { status: 200, body: { data: { id: 6, name: null, parent: null, children: [7], products: [] } } });
      d.state = driver('catalog').state;
    }
  });

  it('an update of several keys creates one related row for all of them', () => {
    const d = driver('registry');
    assert.deepEqual(rest(d, 'PATCH', '/items/people', 'admin-token', { keys: [ADA, BEN], data: { city: [1] } }), {
      status: 200,
      body: { data: [
        { id: ADA, name: 'Ada', born: '1990-05-01T08:00:00', city: 6, mentor: null, score: 12.5, mentees: [BEN, 'e0e0e0e0-0000-4000-9000-000000000003'] },
        { id: BEN, name: 'Ben', born: '1985-11-23T17:45:10', city: 6, mentor: ADA, score: 7.125, mentees: ['e0e0e0e0-0000-4000-9000-000000000004'] },
      ] },
    });
    assert.deepEqual(rest(d, 'GET', '/items/cities/6', 'admin-token'),
      { status: 200, body: { data: { id: 6, name: null, country: null, capital: false, founded: null, timezone: null, coords: null, people: [ADA, BEN] } } });
  });

  it('fires the nested create before the write\'s own event, over WebSocket too (by id and by query)', () => {
    const d = driver('catalog');
    d.frames('A', { type: 'subscribe', collection: 'categories', uid: 's', query: { fields: ['*'] } });
    assert.deepEqual(d.frames('A', { type: 'items', action: 'create', collection: 'categories', uid: 'c', data: [{ name: 'a', parent: [1] }, { name: 'b', parent: [] }] }), [
      { type: 'items', data: [{ id: 7, name: 'a', parent: 6, children: [], products: [] }, { id: 9, name: 'b', parent: 8, children: [], products: [] }], uid: 'c' },
      { type: 'subscription', event: 'create', data: [{ id: 6, name: null, parent: null, children: [7], products: [] }], uid: 's' },
      { type: 'subscription', event: 'create', data: [{ id: 7, name: 'a', parent: 6, children: [], products: [] }], uid: 's' },
      { type: 'subscription', event: 'create', data: [{ id: 8, name: null, parent: null, children: [9], products: [] }], uid: 's' },
      { type: 'subscription', event: 'create', data: [{ id: 9, name: 'b', parent: 8, children: [], products: [] }], uid: 's' },
    ]);
    assert.deepEqual(d.frames('A', { type: 'items', action: 'update', collection: 'categories', uid: 'u', query: { filter: { id: { _eq: 2 } } }, data: { parent: [5] } }), [
      { type: 'items', data: [{ id: 2, name: 'Hand tools', parent: 10, children: [], products: [1] }], uid: 'u' },
      { type: 'subscription', event: 'update', data: [{ id: 2, name: 'Hand tools', parent: 10, children: [], products: [1] }], uid: 's' },
      { type: 'subscription', event: 'create', data: [{ id: 10, name: null, parent: null, children: [2], products: [] }], uid: 's' },
    ]);
  });

  it('a related collection whose key must be given fails validation at the nested path, and nothing is written', () => {
    const d = driver('registry');
    assert.deepEqual(rest(d, 'PATCH', '/items/cities/1', 'admin-token', { country: [1] }), {
      status: 400,
      body: { errors: [{ message: 'Validation failed for field "code" at "country". Value is required.', extensions: { field: 'code', path: ['country'], type: 'required', code: 'FAILED_VALIDATION' } }] },
    });
    assert.equal(rest(d, 'GET', '/items/cities/1?fields=country', 'admin-token').body.data.country, 'DE');
  });
});

describe('the path of a nested write\'s validation error', () => {
  it('names every relational field the failing write is nested in', () => {
    const d = driver('registry');
    assert.deepEqual(rest(d, 'POST', '/items/people', 'admin-token', { city: { country: {} } }), {
      status: 400,
      body: { errors: [{ message: 'Validation failed for field "code" at "city.country". Value is required.', extensions: { field: 'code', path: ['city', 'country'], type: 'required', code: 'FAILED_VALIDATION' } }] },
    });
    assert.deepEqual(rest(d, 'POST', '/items/people', 'admin-token', { city: { country: { code: null } } }), {
      status: 400,
      body: { errors: [{ message: 'Validation failed for field "code" at "city.country". Value can\'t be null.', extensions: { field: 'code', path: ['city', 'country'], type: 'nnull', code: 'FAILED_VALIDATION' } }] },
    });
  });
});
