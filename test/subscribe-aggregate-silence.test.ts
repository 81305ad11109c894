// Subscriptions to missing collections, which error frames carry a uid, aggregates Directus cannot
// run, filters its SQL builder throws on, and readOne's key filter. Every expected frame or reply is
// what Directus 12.4 sent for the same request (tools/differential/probe.ts on the differential fixtures).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Output } from '../core/index.ts';
import { driver, rest } from './differential-driver.ts';

const missing = (collection: string, uid?: string | number) => ({
  type: 'subscribe', status: 'error',
  error: { code: 'FORBIDDEN', message: `You don't have permission to access collection "${collection}" or it does not exist. Queried in root.` },
  ...(uid === undefined ? {} : { uid }),
});

describe('subscribing to a collection that does not exist', () => {
  it('is FORBIDDEN for everyone, with the message\'s uid, and sends no init even with `event`', () => {
    const d = driver('catalog');
    assert.deepEqual(d.frames('A', { type: 'subscribe', collection: 'nope', event: 'create', uid: 's1' }), [missing('nope', 's1')]);
    assert.deepEqual(d.frames('A', { type: 'subscribe', collection: 'nope', uid: 5 }), [missing('nope', 5)]);
    assert.deepEqual(d.frames('R', { type: 'subscribe', collection: 'nope', query: { fields: ['rating'], limit: 5 }, uid: 's1' }), [missing('nope', 's1')]);
    assert.deepEqual(d.frames('P', { type: 'subscribe', collection: 'nope' }), [missing('nope')]);
    // Nothing was registered: a write to another collection sends the admin only its reply.
    assert.deepEqual(d.frames('A', { type: 'items', collection: 'tags', action: 'create', data: { label: 'abc' }, uid: 'w2' }),
      [{ type: 'items', data: { id: 4, label: 'abc', products: [] }, uid: 'w2' }]);
  });
});

describe('an event whose read fails', () => {
  it('is reported with the subscription\'s uid, as a string', () => {
    const d = driver('catalog');
    assert.deepEqual(d.frames('P', { type: 'subscribe', collection: 'tags', query: { filter: { label: { _gte: 'a' } } }, event: 'create', uid: 7 }),
      [{ type: 'subscription', event: 'init', uid: '7' }]);
    d.send('A', { type: 'items', collection: 'tags', action: 'create', data: { label: 'abc' }, uid: 'w2' });
    const toPublic = d.outputs.filter((o): o is Extract<Output, { type: 'send' }> => o.type === 'send' && o.conn === 'P').map((o) => JSON.parse(o.text));
    assert.deepEqual(toPublic.at(-1), { type: 'subscribe', status: 'error', error: { code: 'FORBIDDEN', message: 'You don\'t have permission to access collection "tags" or it does not exist. Queried in root.' }, uid: '7' });
  });

  it('an invalid operator found only when an event is read carries the uid too', () => {
    const d = driver('catalog');
    d.send('P', { type: 'subscribe', collection: 'categories', query: { fields: ['name', '*', 'name'], filter: { _and: [{ id: { _neq: 0 } }, { name: { _gte: 'Hand tools' } }] } }, event: 'create', uid: 's1' });
    assert.deepEqual(rest(d, 'POST', '/items/categories', 'admin-token', { parent: 1 }).status, 200);
    const toPublic = d.outputs.filter((o): o is Extract<Output, { type: 'send' }> => o.type === 'send' && o.conn === 'P').map((o) => JSON.parse(o.text));
    assert.deepEqual(toPublic, [
      { type: 'subscription', event: 'init', uid: 's1' },
      { type: 'subscribe', status: 'error', error: { code: 'INVALID_QUERY', message: 'Invalid query. "string" field type does not contain the "_gte" filter operator.' }, uid: 's1' },
    ]);
  });
});

describe('aggregates Directus cannot run', () => {
  it('an aggregate function given a value that is no list fails as a TypeError: nothing over WebSocket, a 500 over REST', () => {
    const d = driver('registry');
    assert.deepEqual(d.frames('R', { type: 'items', collection: 'countries', action: 'read', query: { aggregate: { median: 5 }, sort: ['-cities.year(capital)'] } }), []);
    assert.deepEqual(d.frames('A', { type: 'items', collection: 'cities', action: 'read', query: { aggregate: { count: 5 }, groupBy: ['id'], limit: true }, uid: 'q1' }), []);
    assert.deepEqual(rest(d, 'GET', '/items/cities/3?aggregate=%7B%22countAll%22%3Atrue%7D&filter=%7B%22id%22%3A%7B%22_eq%22%3A2147483647%7D%7D', 'admin-token'),
      { status: 500, body: { errors: [{ message: 'fields is not iterable', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] } });
    assert.deepEqual(rest(d, 'GET', '/items/cities?aggregate=%7B%22countAll%22%3Atrue%7D', 'clerk-token'),
      { status: 500, body: { errors: [{ message: 'An unexpected error occurred.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] } });
  });

  it('a grouped aggregate checks its sort paths against permissions; without groupBy the sort is dropped unchecked', () => {
    const d = driver('catalog');
    assert.deepEqual(d.reply('P', { type: 'items', collection: 'products', action: 'read', query: { aggregate: { sum: ['big', 'price'] }, groupBy: ['price', 'day'], sort: ['reviews.year(rating)'], limit: 100, search: 5 }, uid: 'q2' }),
      { type: 'items', status: 'error', error: { code: 'FORBIDDEN', message: 'You don\'t have permission to access collection "reviews" or it does not exist. Queried in "reviews".' }, uid: 'q2' });
    assert.deepEqual(d.reply('P', { type: 'items', collection: 'products', action: 'read', query: { aggregate: { sum: ['price'] }, sort: ['reviews.year(rating)', 'nope'] }, uid: 'q3' }),
      { type: 'items', data: [{ sum: { price: 184.5 } }], uid: 'q3' });
  });
});

describe('filters Directus\'s SQL builder throws on', () => {
  it('a case-insensitive string operator with a value that is not a string: a 500 over REST (the write before it stands), nothing over WebSocket', () => {
    const d = driver('catalog');
    const patch = rest(d, 'PATCH', '/items/products?fields=stamp%2Cday&filter=%7B%22category%22%3A%7B%22name%22%3A%7B%22_iends_with%22%3Atrue%7D%7D%7D&offset=1', 'admin-token',
      [{ id: 2, description: '' }, { id: 6, name: 'Saw', sort: 12 }]);
    assert.deepEqual(patch, { status: 500, body: { errors: [{ message: 'compareValue.toLowerCase is not a function', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] } });
    assert.deepEqual(rest(d, 'GET', '/items/products/6?fields=name', 'admin-token'), { status: 200, body: { data: { name: 'Saw' } } });
    assert.deepEqual(rest(d, 'GET', '/items/products?filter[name][_istarts_with]=null', 'admin-token'),
      { status: 500, body: { errors: [{ message: 'Cannot read properties of null (reading \'toLowerCase\')', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] } });
    assert.deepEqual(d.frames('A', { type: 'items', collection: 'products', action: 'read', query: { filter: { name: { _icontains: 5 } } }, uid: 'q4' }), []);
    // A string that is not "null", "true" or "false" is lower-cased as usual.
    assert.deepEqual(rest(d, 'GET', '/items/products?filter[name][_istarts_with]=1', 'editor-token'), { status: 200, body: { data: [] } });
  });

  it('a write over WebSocket whose read-back throws is kept and fires its events, with no reply', () => {
    const d = driver('catalog');
    d.send('A', { type: 'subscribe', collection: 'tags', event: 'update', uid: 's1' });
    const frames = d.frames('A', { type: 'items', collection: 'tags', action: 'update', ids: [1], query: { filter: { label: { _icontains: 1 } } }, data: { label: 'abc' }, uid: 'w1' });
    assert.deepEqual(frames, [{ type: 'subscription', event: 'update', data: [{ id: 1, label: 'abc', products: [1, 5] }], uid: 's1' }]);
  });
});

describe('readOne and readMany', () => {
  it('readOne replaces a filter that is a single condition on the primary key; several conditions keep it', () => {
    const d = driver('registry');
    const hamburg = { id: 2, name: 'Hamburg', country: 'DE', capital: false, founded: '0808-01-01', timezone: 'Europe/Berlin', coords: null, people: [] };
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'cities', action: 'read', id: 2, query: { filter: { id: { _gt: 'x' } } }, uid: 'c1' }),
      { type: 'items', data: hamburg, uid: 'c1' });
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'cities', action: 'read', id: 2, query: { filter: { id: { _gt: 'x' }, name: { _eq: 'Hamburg' } } }, uid: 'c2' }),
      { type: 'items', status: 'error', error: { code: 'INVALID_QUERY', message: 'Invalid query. Invalid numeric value.' }, uid: 'c2' });
    // `meta` is computed from the query as sent.
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'cities', action: 'read', id: 2, query: { filter: { id: { _nnull: false } }, meta: '*' }, uid: 'c4' }),
      { type: 'items', data: hamburg, meta: { total_count: 5, filter_count: 0 }, uid: 'c4' });
    // REST reads an updated item back with readOne as well.
    assert.deepEqual(rest(d, 'PATCH', '/items/cities/2?filter[id][_null]=true', 'admin-token', { name: 'H' }), { status: 200, body: { data: { ...hamburg, name: 'H' } } });
  });

  it('readMany takes `limit: 0` as no limit: the number of keys', () => {
    const d = driver('catalog');
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'tags', action: 'read', ids: [1, 2], query: { limit: 0 }, uid: 'a' }),
      { type: 'items', data: [{ id: 1, label: 'sale', products: [1, 5] }, { id: 2, label: 'new', products: [2] }], uid: 'a' });
  });
});

describe('delete events', () => {
  it('carry `meta` when the subscription\'s query asks for it, counted after the delete', () => {
    const d = driver('catalog');
    d.send('A', { type: 'subscribe', collection: 'tags', query: { meta: '*', filter: { id: { _gt: 1 } } }, event: 'delete', uid: 's1' });
    assert.deepEqual(d.frames('A', { type: 'items', collection: 'tags', action: 'delete', id: 3, uid: 'w1' }), [
      { type: 'items', data: 3, uid: 'w1' },
      { type: 'subscription', event: 'delete', data: [3], meta: { total_count: 2, filter_count: 1 }, uid: 's1' },
    ]);
  });
});
