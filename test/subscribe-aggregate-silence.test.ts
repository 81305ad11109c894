// Subscriptions to missing collections, which error frames carry a uid, aggregates Directus cannot
// run, filters its SQL builder throws on, and readOne's key filter. Every expected frame or reply is
// what Directus 12.4 sent for the same request (tools/differential/probe.ts on the differential fixtures).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createState, type Output, type State } from '../core/index.ts';
import { Driver, NOW } from './driver.ts';

const fixture = (schema: string, file: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/differential/${schema}/${file}`, import.meta.url), 'utf8'));

const tokens: Record<string, string> = { catalog: 'editor-token', registry: 'clerk-token', content: 'writer-token' };

/** A driver on a differential fixture: A admin, R the restricted role, P public. */
const driver = (schema: 'catalog' | 'registry' | 'content'): Driver => {
  const state = createState({ data: fixture(schema, 'db.json'), schema: fixture(schema, 'schema.json'), seed: 7, config: { authMode: 'public', heartbeatPeriod: 0 } });
  if (!('connections' in state)) throw new Error(state.message);
  const d = new Driver(state as State);
  d.open('A', '?access_token=admin-token');
  d.open('R', `?access_token=${tokens[schema]}`);
  d.open('P');
  return d;
};

type Respond = Extract<Output, { type: 'respond' }>;
const rest = (d: Driver, method: string, url: string, token?: string, body?: unknown) => {
  const [path, query = ''] = url.split('?') as [string, string?];
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const outputs = d.input({ type: 'request', id: 'r', method, path, query, headers, body: body === undefined ? undefined : JSON.stringify(body), now: NOW });
  const reply = outputs.find((o): o is Respond => o.type === 'respond')!;
  return { status: reply.status, body: reply.body ? JSON.parse(reply.body) : null };
};

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

describe('query checks found in subscriptions and reads', () => {
  it('`export` must be one of Directus\'s formats, checked by Joi after `meta`', () => {
    const d = driver('registry');
    assert.deepEqual(d.frames('P', { type: 'subscribe', collection: 'cities', query: { fields: ['*'], offset: 1, export: 1 }, event: 'update', uid: 's1' }),
      [{ type: 'subscribe', status: 'error', error: { code: 'INVALID_QUERY', message: 'Invalid query. "export" must be one of [csv, csv_utf8, json, xml, yaml].' }, uid: 's1' }]);
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'cities', action: 'read', query: { export: 'json', limit: 1, fields: ['id'] }, uid: 'q4' }),
      { type: 'items', data: [{ id: 1 }], uid: 'q4' });
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'cities', action: 'read', query: { export: 'xml', limit: 'x' }, uid: 'q5' }),
      { type: 'items', status: 'error', error: { code: 'INVALID_QUERY', message: 'Invalid query. "limit" must be a number.' }, uid: 'q5' });
    assert.deepEqual(rest(d, 'GET', '/items/prefs?fields=id&export=true', 'admin-token'),
      { status: 400, body: { errors: [{ message: 'Invalid query. "export" must be one of [csv, csv_utf8, json, xml, yaml].', extensions: { reason: '"export" must be one of [csv, csv_utf8, json, xml, yaml]', code: 'INVALID_QUERY' } }] } });
  });

  it('a geometry operator\'s value must be GeoJSON that converts to WKT, before permissions and operator types', () => {
    const d = driver('registry');
    const notGeoJson = (uid: string, type = 'items') => ({ type, status: 'error', error: { code: 'INVALID_QUERY', message: 'Invalid query. "_intersects" has to be a valid GeoJSON object.' }, uid });
    assert.deepEqual(d.reply('P', { type: 'items', collection: 'prefs', action: 'read', query: { fields: ['*', 'page_size'], filter: { _or: [{ page_size: { _intersects: 1 } }, { id: { _nnull: true } }] }, offset: '1', alias: { other: 'id' } }, uid: 'q1' }),
      notGeoJson('q1'));
    assert.deepEqual(d.frames('R', { type: 'subscribe', collection: 'countries', query: { fields: ['eu', 'population'], filter: { _and: [{ cities: { _some: { id: { _intersects: 1 } } } }, { cities: { _none: { id: { _neq: true } } } }] }, offset: 1 }, uid: 's2' }),
      [notGeoJson('s2', 'subscribe')]);
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'cities', action: 'read', query: { filter: { coords: { _intersects: { type: 'Polygon', coordinates: [1, 2] } } } }, uid: 'q3' }),
      notGeoJson('q3'));
    // A valid geometry passes; its keys are no field names. The json field then lacks the operator.
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'cities', action: 'read', query: { filter: { coords: { _intersects: { type: 'Point', coordinates: [1, 2] } } } }, uid: 'q2' }),
      { type: 'items', status: 'error', error: { code: 'INVALID_QUERY', message: 'Invalid query. "json" field type does not contain the "_intersects" filter operator.' }, uid: 'q2' });
  });
});

describe('the `_json` operator\'s value as parseFilter reads it', () => {
  it('a value parseJsonFilterValue cannot walk (a string, null, a path holding a string, `_and` that is no list) is an invalid filter object', () => {
    const d = driver('content');
    const invalid = (uid: string) => ({ type: 'items', status: 'error', error: { code: 'INVALID_QUERY', message: 'Invalid query. Invalid filter object.' }, uid });
    assert.deepEqual(rest(d, 'GET', '/items/pages?filter[_and][0][views][_json]=1&fields=id', 'admin-token'),
      { status: 400, body: { errors: [{ message: 'Invalid query. Invalid filter object.', extensions: { reason: 'Invalid filter object', code: 'INVALID_QUERY' } }] } });
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'pages', action: 'read', query: { filter: { meta: { _json: null } }, fields: ['id'] }, uid: 'b' }), invalid('b'));
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'pages', action: 'read', query: { filter: { meta: { _json: { nav: 'x' } } }, fields: ['id'] }, uid: 'c' }), invalid('c'));
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'pages', action: 'read', query: { filter: { meta: { _json: { _and: { a: 1 } } } }, fields: ['id'] }, uid: 'e' }), invalid('e'));
    // An operator's value is never read as field names: here the operator does not fit the type.
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'site', action: 'read', query: { filter: { _and: [{ tagline: { _nbetween: [{ a: 1 }, 'a%b'] } }] } }, uid: 'f' }),
      { type: 'items', status: 'error', error: { code: 'INVALID_QUERY', message: 'Invalid query. "string" field type does not contain the "_nbetween" filter operator.' }, uid: 'f' });
  });
});

describe('the `_json` operator', () => {
  const titles = (d: Driver, filter: unknown, uid: string) => d.reply('A', { type: 'items', collection: 'pages', action: 'read', query: { filter, fields: ['title'] }, uid });
  const rows = (uid: string, ...names: string[]) => ({ type: 'items', data: names.map((title) => ({ title })), uid });
  const invalid = (uid: string, message: string) => ({ type: 'items', status: 'error', error: { code: 'INVALID_QUERY', message: `Invalid query. ${message}` }, uid });

  it('compares values inside a json field by path, each path by its first operator, without casts', () => {
    const d = driver('content');
    // Fixture: Home {nav: true}, About null, Draft page {nav: false, order: 3}, Contact [].
    assert.deepEqual(titles(d, { meta: { _json: 1 } }, 'a'), rows('a', 'Home', 'About', 'Draft page', 'Contact'));
    assert.deepEqual(titles(d, { meta: { _json: { nav: { _eq: true } } } }, 'b'), rows('b', 'Home'));
    assert.deepEqual(titles(d, { meta: { _json: { nav: { _eq: 'true' } } } }, 'c'), rows('c', 'Home'));
    assert.deepEqual(titles(d, { meta: { _json: { order: { _gt: 2 } } } }, 'd'), rows('d', 'Draft page'));
    assert.deepEqual(titles(d, { meta: { _json: { nav: { _null: true } } } }, 'e'), rows('e', 'About', 'Contact'));
    assert.deepEqual(titles(d, { meta: { _json: { _or: [{ nav: { _eq: false } }, { order: { _eq: 3 } }] } } }, 'f'), rows('f', 'Draft page'));
    assert.deepEqual(titles(d, { meta: { _json: { nav: { _eq: true }, order: { _eq: 3 } } } }, 'g'), rows('g'));
    assert.deepEqual(titles(d, { meta: { _json: { nav: { _in: [1] } } } }, 'k'), rows('k', 'Home'));
    assert.deepEqual(titles(d, { meta: { _json: { nav: { _contains: 'ru' } } } }, 'l'), rows('l'));
    assert.deepEqual(titles(d, { meta: { _json: { '[0]': { _null: false } } } }, 'm'), rows('m'));
    assert.deepEqual(titles(d, { meta: { _json: { nav: { _neq: true } } } }, 'r'), rows('r', 'Draft page'));
    // A path with an empty inner filter makes Directus's SQL builder throw: no reply.
    assert.deepEqual(d.frames('A', { type: 'items', collection: 'pages', action: 'read', query: { filter: { meta: { _json: { a: {} } } } }, uid: 'j' }), []);
  });

  it('validates paths and inner filters with Directus\'s messages, and only json fields offer it', () => {
    const d = driver('content');
    assert.deepEqual(titles(d, { meta: { _json: { 'a..b': { _eq: 1 } } } }, 'h'), invalid('h', 'Invalid JSON path: unsupported path expression.'));
    assert.deepEqual(titles(d, { meta: { _json: { a: { b: { _eq: 1 } } } } }, 'i'),
      invalid('i', '"_json" path "a" cannot contain a nested path "b"; use a single flat path like "a.b".'));
    assert.deepEqual(titles(d, { views: { _json: { a: { _eq: 1 } } } }, 'n'), invalid('n', '"integer" field type does not contain the "_json" filter operator.'));
    assert.deepEqual(titles(d, { meta: { _json: { nav: { _eq: '' } } } }, 'o'), invalid('o', 'You can\'t filter for an empty string in "_eq". Use "_empty" or "_nempty" instead.'));
    assert.deepEqual(titles(d, { meta: { _json: { '': { _eq: 1 } } } }, 'p'), invalid('p', '"_json" path key must be a non-empty string.'));
    assert.deepEqual(titles(d, { meta: { _json: { 'a.b.c.d.e.f.g.h.i.j.k': { _eq: 1 } } } }, 's'), invalid('s', 'JSON path depth (11) exceeds allowed maximum of 10.'));
  });
});

describe('which filter error Directus meets first', () => {
  const read = (d: Driver, conn: string, collection: string, query: unknown, uid: string) => d.reply(conn, { type: 'items', collection, action: 'read', query, uid });
  const invalid = (uid: string, message: string) => ({ type: 'items', status: 'error', error: { code: 'INVALID_QUERY', message: `Invalid query. ${message}` }, uid });
  const noYear = (uid: string) => invalid(uid, 'Invalid function specified "year".');

  it('an admin\'s plain top-level condition before the sort; conditions in groups and subqueries, and anyone else\'s, after it', () => {
    const d = driver('content');
    const lt = (uid: string) => invalid(uid, '"boolean" field type does not contain the "_lt" filter operator.');
    assert.deepEqual(read(d, 'A', 'pages', { filter: { published: { _lt: true } }, sort: ['-year(title)'] }, 'a'), lt('a'));
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'pages', action: 'read', id: '00000003-a000-4000-8000-000000000000', query: { filter: { published: { _lt: true } }, sort: ['-year(title)'] }, uid: 'b' }), lt('b'));
    assert.deepEqual(read(d, 'R', 'pages', { filter: { published: { _lt: true } }, sort: ['-year(title)'] }, 'c'), noYear('c'));
    assert.deepEqual(read(d, 'A', 'pages', { filter: { _and: [{ published: { _lt: true } }] }, sort: ['-year(title)'] }, 'd'), noYear('d'));
    assert.deepEqual(read(d, 'A', 'pages', { filter: { published: { _lt: true }, views: { _gt: 1 } }, sort: ['-year(title)'], limit: 1 }, 'e'), noYear('e'));
    assert.deepEqual(read(d, 'A', 'pages', { filter: { blocks: { _some: { id: { _contains: 'x' } } } }, sort: ['-year(title)'] }, 'f'), noYear('f'));
  });

  it('a many-to-any field reached along a path needs its collection scope, checked over the whole filter first', () => {
    const d = driver('content');
    const scope = (uid: string) => invalid(uid, 'You have to provide a collection scope when sorting or filtering on a many-to-any item.');
    assert.deepEqual(read(d, 'A', 'pages', { filter: { blocks: { item: { _contains: 'x' } } }, sort: ['-year(title)'] }, 'g'), scope('g'));
    assert.deepEqual(read(d, 'A', 'pages', { filter: { _or: [{ views: { _lt: 'a' } }, { blocks: { item: { _eq: 'x' } } }] }, fields: ['id'] }, 'l'), scope('l'));
    assert.deepEqual(read(d, 'R', 'pages', { filter: { blocks: { item: { _eq: 'x' } } }, fields: ['id'] }, 'm'), scope('m'));
    assert.deepEqual(read(d, 'A', 'pages_blocks', { filter: { item: { _eq: 'x' } }, fields: ['id'] }, 'h'), { type: 'items', data: [], uid: 'h' });
    assert.deepEqual(read(d, 'A', 'pages_blocks', { filter: { 'item:block_text': { body: { _eq: 'Welcome home' } } }, fields: ['id'] }, 'j'), { type: 'items', data: [{ id: 1 }], uid: 'j' });
    assert.deepEqual(read(d, 'A', 'pages', { filter: { blocks: { _some: { item: { _eq: 'x' } } } }, fields: ['id'] }, 'k'), { type: 'items', data: [], uid: 'k' });
  });

  it('`_some`/`_none` anywhere below a path\'s first relation is refused before what is inside it', () => {
    const d = driver('registry');
    assert.deepEqual(read(d, 'A', 'countries', { filter: { _and: [{ code: { _nstarts_with: 'ü-x' } }, { cities: { people: { _none: { id: { _nempty: true } } } } }] } }, 'a'),
      invalid('a', '"_none" can only be used with top level relational alias field.'));
    assert.deepEqual(read(d, 'A', 'countries', { filter: { cities: { name: { _none: { id: { _eq: 1 } } } } }, fields: ['code'] }, 'b'),
      invalid('b', '"_none" can only be used with top level relational alias field.'));
    assert.deepEqual(read(d, 'A', 'countries', { filter: { cities: { _some: { people: { _some: { name: { _eq: 'Ada' } } } } } }, fields: ['code'] }, 'c'),
      { type: 'items', data: [{ code: 'DE' }], uid: 'c' });
    assert.deepEqual(read(d, 'A', 'cities', { filter: { country: { cities: { _some: { id: { _eq: 1 } } } } }, fields: ['id'] }, 'd'),
      invalid('d', '"_some" can only be used with top level relational alias field.'));
  });
});
