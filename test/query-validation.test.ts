// Which problem Directus reports for a query, and when: its sanitize + validate order runs before any
// permission is looked at. Expected frames are the ones Directus 12.4 sent for the same messages
// (tools/differential/probe.ts on the differential `catalog` fixture).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Output } from '../core/index.ts';
import { Driver, NOW } from './driver.ts';
import { driver, rest } from './differential-driver.ts';

type Respond = Extract<Output, { type: 'respond' }>;
const get = (d: Driver, url: string, token?: string) => {
  const [path, query = ''] = url.split('?') as [string, string?];
  const outputs = d.input({ type: 'request', id: 'r', method: 'GET', path, query, headers: token ? { authorization: `Bearer ${token}` } : {}, now: NOW });
  const reply = outputs.find((o): o is Respond => o.type === 'respond')!;
  return { status: reply.status, body: JSON.parse(reply.body) };
};

const invalid = (message: string, uid: string) => ({ type: 'items', status: 'error', error: { code: 'INVALID_QUERY', message }, uid });

describe('query validation: Directus order and words', () => {
  it('checks the query before the permission: a public caller without access learns the query is wrong', () => {
    const d = driver('catalog');
    assert.deepEqual(d.reply('P', { type: 'items', collection: 'reviews', action: 'read', query: { filter: { id: { _nnull: 'x' } } }, uid: 'a' }),
      invalid('Invalid query. "_nnull" has to be a boolean.', 'a'));
    assert.deepEqual(d.reply('P', { type: 'items', collection: 'reviews', action: 'read', query: { filter: { id: { _in: [] } } }, uid: 'j' }),
      invalid('Invalid query. "_in" has to be an array of values.', 'j'));
  });

  it('a delete with neither id, ids nor query is INVALID_PAYLOAD whoever asks', () => {
    const d = driver('catalog');
    assert.deepEqual(d.reply('P', { type: 'items', collection: 'tags', action: 'delete', id: '', uid: 'g' }),
      { type: 'items', status: 'error', error: { code: 'INVALID_PAYLOAD', message: "Either 'ids', 'id' or 'query' is required for a DELETE request." }, uid: 'g' });
  });

  it('reports filter values before Joi, and Joi in its key order (fields, sort, limit)', () => {
    const d = driver('catalog');
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'tags', action: 'read', query: { sort: ['', 'id'], limit: 'abc' }, uid: 'b' }),
      invalid('Invalid query. "sort[0]" is not allowed to be empty.', 'b'));
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'tags', action: 'read', query: { fields: ['id', ''] }, uid: 'c' }),
      invalid('Invalid query. "fields[1]" is not allowed to be empty.', 'c'));
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'tags', action: 'read', query: { filter: { label: { _eq: '' } }, limit: 'x' }, uid: 'm' }),
      invalid('Invalid query. You can\'t filter for an empty string in "_eq". Use "_empty" or "_nempty" instead.', 'm'));
  });

  it('validates alias keys and values with Directus\'s messages', () => {
    const d = driver('catalog');
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'tags', action: 'read', query: { alias: { 'a.b': 'id' } }, uid: 'e' }),
      invalid('Invalid query. "alias" key can\'t contain a period character `.`.', 'e'));
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'tags', action: 'read', query: { alias: { x: 5 } }, uid: 'f' }),
      invalid('Invalid query. "alias" value has to be a string. "string" given.', 'f'));
  });

  it('coerces limit as Number() does: true is 1, an empty limit= is 0', () => {
    const d = driver('catalog');
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'tags', action: 'read', query: { fields: ['id'], limit: true }, uid: 'd' }),
      { type: 'items', data: [{ id: 1 }], uid: 'd' });
    assert.deepEqual(get(d, '/items/tags?fields=id&limit=', 'admin-token'), { status: 200, body: { data: [] } });
  });

  it('reads one item through the query\'s page: an offset past it is FORBIDDEN', () => {
    const d = driver('catalog');
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'tags', action: 'read', id: 1, query: { offset: 1 }, uid: 'o' }),
      { type: 'items', status: 'error', error: { code: 'FORBIDDEN', message: "You don't have permission to access this." }, uid: 'o' });
    assert.deepEqual(get(d, '/items/tags/1?fields=id&offset=1', 'admin-token'),
      { status: 403, body: { errors: [{ message: "You don't have permission to access this.", extensions: { code: 'FORBIDDEN' } }] } });
  });

  it('REST: the query middleware answers before the route looks at permissions', () => {
    const d = driver('catalog');
    assert.deepEqual(get(d, '/items/reviews?filter[id][_in]=&sort=,id'), {
      status: 400,
      body: { errors: [{ message: 'Invalid query. "sort[0]" is not allowed to be empty.', extensions: { reason: '"sort[0]" is not allowed to be empty', code: 'INVALID_QUERY' } }] },
    });
  });

  it('finds every path a query names before it asks for permissions or compiles operators', () => {
    const d = driver('catalog');
    const forbidden = (message: string, uid: string) => ({ type: 'items', status: 'error', error: { code: 'FORBIDDEN', message }, uid });
    assert.deepEqual(d.reply('P', { type: 'items', collection: 'tags', action: 'read', query: { fields: ['label'], sort: ['-nope'] }, uid: 'p1' }),
      forbidden('You don\'t have permission to access field "nope" in collection "tags" or it does not exist. Queried in root.', 'p1'));
    assert.deepEqual(d.reply('P', { type: 'items', collection: 'reviews', action: 'read', query: { filter: { product: { nope: { _eq: 1 } } } }, uid: 'p2' }),
      forbidden('You don\'t have permission to access field "nope" in collection "products" or it does not exist. Queried in "product".', 'p2'));
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'tags', action: 'read', query: { filter: { label: { _gt: 'a' } }, sort: ['nope'] }, uid: 'a3' }),
      forbidden('You don\'t have permission to access field "nope" in collection "tags" or it does not exist. Queried in root.', 'a3'));
  });
});

describe('writes by query without matches, and sorting through o2m paths (Directus frames)', () => {
  it('an update or delete by query that matches nothing answers [] without the write permission', () => {
    const d = driver('catalog');
    d.open('R', '?access_token=editor-token');
    assert.deepEqual(d.reply('R', { type: 'items', collection: 'tags', action: 'update', query: { filter: { id: { _eq: 99 } } }, data: { label: 'x' }, uid: 'r1' }),
      { type: 'items', data: [], uid: 'r1' });
    assert.deepEqual(d.reply('R', { type: 'items', collection: 'tags', action: 'delete', query: { filter: { id: { _eq: 99 } } }, uid: 'r2' }),
      { type: 'items', data: [], uid: 'r2' });
    assert.deepEqual(d.reply('R', { type: 'items', collection: 'tags', action: 'delete', query: { filter: { id: { _eq: 1 } } }, uid: 'r3' }),
      { type: 'items', status: 'error', error: { code: 'FORBIDDEN', message: 'You don\'t have permission to access collection "tags" or it does not exist. Queried in root.' }, uid: 'r3' });
  });

  it('sorts by an o2m path as the joined rows sort: ascending by the smallest value (null first), descending by the largest', () => {
    const d = driver('catalog');
    const ids = (sort: string[]) => (d.reply('A', { type: 'items', collection: 'categories', action: 'read', query: { fields: ['id'], sort }, uid: 's' }) as any).data.map((r: any) => r.id);
    assert.deepEqual(ids(['products.price']), [1, 4, 5, 2, 3]);
    assert.deepEqual(ids(['-products.price']), [1, 3, 2, 4, 5]);
    const products = (d.reply('A', { type: 'items', collection: 'products', action: 'read', query: { fields: ['id'], sort: ['-tags.tags_id.label', 'id'] }, uid: 's3' }) as any).data;
    assert.deepEqual(products, [{ id: 1 }, { id: 6 }, { id: 4 }, { id: 2 }, { id: 3 }, { id: 5 }]);
  });
});

describe('a singleton without a row (Directus frames)', () => {
  it('reads as its primary key null plus the fields that have defaults, limited to a field list', () => {
    const d = driver('registry');
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'prefs', action: 'read', uid: 'a' }),
      { type: 'items', data: { id: null, theme: 'light', page_size: 20 }, uid: 'a' });
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'prefs', action: 'read', query: { fields: ['id', 'page_size'] }, uid: 'b' }),
      { type: 'items', data: { id: null, page_size: 20 }, uid: 'b' });
  });
});

/** A REST call with a JSON body as the catalog's admin. */
const send = (d: Driver, method: string, url: string, body: unknown) => {
  const [path, query = ''] = url.split('?') as [string, string?];
  const outputs = d.input({
    type: 'request', id: 'r', method, path, query, now: NOW,
    headers: { authorization: 'Bearer admin-token', 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  const reply = outputs.find((o): o is Respond => o.type === 'respond')!;
  return { status: reply.status, body: reply.body ? JSON.parse(reply.body) : null };
};
const items = (query: object, uid = 'u') => ({ type: 'items', collection: 'tags', action: 'read', query, uid });
const forbidden = (message: string, uid = 'u') => ({ type: 'items', status: 'error', error: { code: 'FORBIDDEN', message }, uid });

describe('fields Directus\'s parseFields drops without a word', () => {
  it('a path whose first segment is no relation, whether that field exists or not', () => {
    const d = driver('catalog');
    assert.deepEqual(d.reply('A', items({ fields: ['id', 'nope.x'], limit: 1 })), { type: 'items', data: [{ id: 1 }], uid: 'u' });
    assert.deepEqual(d.reply('A', items({ fields: ['id', 'a..b'], limit: 1 })), { type: 'items', data: [{ id: 1 }], uid: 'u' });
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'products', action: 'read', query: { fields: ['id', 'q.x'], alias: { q: 'name' }, limit: 1 }, uid: 'u' }),
      { type: 'items', data: [{ id: 2 }], uid: 'u' });
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'products', action: 'read', query: { fields: ['id', 'nope:x'], limit: 1 }, uid: 'u' }),
      { type: 'items', data: [{ id: 2 }], uid: 'u' });
    // Nothing left to read: each row is its primary key, for every read form.
    assert.deepEqual(d.reply('A', items({ fields: ['label.x'], limit: 2, meta: '*' })), { type: 'items', data: [1, 2], meta: { total_count: 3, filter_count: 3 }, uid: 'u' });
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'tags', action: 'read', id: 1, query: { fields: ['label.x'] }, uid: 'u' }), { type: 'items', data: 1, uid: 'u' });
    assert.deepEqual(get(d, '/items/tags/2?fields=label.x', 'admin-token'), { status: 200, body: { data: 2 } });
    // The dropped path is never checked for permission: the collection is.
    assert.deepEqual(d.reply('P', items({ fields: ['id', 'nope.x'], limit: 1 })),
      forbidden('You don\'t have permission to access collection "tags" or it does not exist. Queried in root.'));
  });

  it('below a relation, the relation stays and gives its keys', () => {
    const d = driver('catalog');
    const products = (fields: string[]) => d.reply('A', { type: 'items', collection: 'products', action: 'read', query: { fields, limit: 2 }, uid: 'u' });
    assert.deepEqual(products(['id', 'category.name.x']), { type: 'items', data: [{ id: 2, category: 3 }, { id: 4, category: null }], uid: 'u' });
    assert.deepEqual(products(['id', 'category:x']), { type: 'items', data: [{ id: 2, category: 3 }, { id: 4, category: null }], uid: 'u' });
    assert.deepEqual(products(['id', 'reviews.body.x']), { type: 'items', data: [{ id: 2, reviews: [3] }, { id: 4, reviews: [] }], uid: 'u' });
    assert.deepEqual(products(['id', 'reviews:x']), { type: 'items', data: [{ id: 2, reviews: [3] }, { id: 4, reviews: [] }], uid: 'u' });
    assert.deepEqual(products(['id', 'tags.tags_id.label.x']), { type: 'items', data: [{ id: 2, tags: [] }, { id: 4, tags: [{ tags_id: 3 }] }], uid: 'u' });
    // The last segment is a field like any other: it must exist.
    assert.deepEqual(products(['id', 'category.nope']),
      forbidden('You don\'t have permission to access field "nope" in collection "categories" or it does not exist. Queried in "category".'));
  });
});

describe('filter operators\' values name no field', () => {
  it('an object inside `_in` or `_between` is a value: the type check or the read answers', () => {
    const d = driver('catalog');
    assert.deepEqual(d.reply('A', items({ fields: ['id'], filter: { label: { _in: [{ a: 1 }, 'b'] } }, limit: 1 })), { type: 'items', data: [], uid: 'u' });
    assert.deepEqual(d.reply('A', items({ fields: ['id', 'label.x'], filter: { label: { _between: [{ a: 1 }, 'b'] } }, limit: 1 })),
      invalid('Invalid query. "string" field type does not contain the "_between" filter operator.', 'u'));
  });
});

describe('Joi\'s export and version rules', () => {
  it('an export outside the formats, or a version that is no string, is INVALID_QUERY; a valid export is ignored', () => {
    const d = driver('catalog');
    assert.deepEqual(d.reply('A', items({ fields: ['id'], version: 1, limit: 1 })), invalid('Invalid query. "version" must be a string.', 'u'));
    assert.deepEqual(d.reply('A', items({ fields: ['id'], export: 'CSV', limit: 'x' })), invalid('Invalid query. "limit" must be a number.', 'u'));
    assert.deepEqual(d.reply('A', items({ fields: ['id'], export: 'json', limit: 1 })), { type: 'items', data: [{ id: 1 }], uid: 'u' });
    const exportError = {
      status: 400,
      body: { errors: [{ message: 'Invalid query. "export" must be one of [csv, csv_utf8, json, xml, yaml].', extensions: { reason: '"export" must be one of [csv, csv_utf8, json, xml, yaml]', code: 'INVALID_QUERY' } }] },
    };
    assert.deepEqual(get(d, '/items/tags?fields=id&export=nope&limit=1', 'admin-token'), exportError);
    assert.deepEqual(get(d, '/items/tags?export=true&version=x'), exportError);
    // The URL's query is checked before the route, even for a delete by keys or a missing collection.
    assert.deepEqual(send(d, 'DELETE', '/items/tags?export=true', { keys: [1] }), exportError);
    assert.deepEqual(send(d, 'DELETE', '/items/nope?export=true', { keys: [1] }), exportError);
  });
});

describe('a PATCH or DELETE by a body query: sanitized, never validated', () => {
  it('reads its keys as knex runs the query: bad numbers ignored, a negative offset a 500', () => {
    const d = driver('catalog');
    assert.deepEqual(send(d, 'PATCH', '/items/tags', { query: { fields: [' '], offset: 'x', limit: 1.5, sort: ['nope'] }, data: { label: 'q' } }), {
      status: 403,
      body: { errors: [{ message: 'You don\'t have permission to access field "nope" in collection "tags" or it does not exist. Queried in root.', extensions: {
        reason: 'You don\'t have permission to access field "nope" in collection "tags" or it does not exist. Queried in root.', code: 'FORBIDDEN' } }] },
    });
    assert.deepEqual(send(d, 'PATCH', '/items/tags?fields=id,label', { query: { fields: [' '], offset: 'x', limit: 1.5, sort: ['-id'] }, data: { label: 'q' } }),
      { status: 200, body: { data: [{ id: 3, label: 'q' }] } });
    assert.deepEqual(send(d, 'PATCH', '/items/tags?fields=id,label', { query: { offset: -1, limit: 'x' }, data: { label: 'r' } }),
      { status: 500, body: { errors: [{ message: 'A non-negative integer must be provided to offset.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] } });
    assert.deepEqual(send(d, 'PATCH', '/items/tags?fields=id,label', { query: { offset: 1, limit: 'x', sort: 'id' }, data: { label: 's' } }),
      { status: 200, body: { data: [{ id: 2, label: 's' }, { id: 3, label: 's' }] } });
    assert.deepEqual(send(d, 'PATCH', '/items/tags?fields=id,label', { query: { page: 2, limit: 1, sort: 'id', meta: 'nope', export: 1 }, data: { label: 't' } }),
      { status: 200, body: { data: [{ id: 2, label: 't' }] } });
    assert.deepEqual(send(d, 'DELETE', '/items/tags', { query: { fields: ['nope'], filter: { id: { _eq: 3 } }, meta: 'x', export: 'x' } }), { status: 204, body: null });
    assert.deepEqual(get(d, '/items/tags?fields=id,label', 'admin-token'), { status: 200, body: { data: [{ id: 1, label: 'sale' }, { id: 2, label: 't' }] } });
  });
});

describe('validateGeometry: a geometry operator\'s value is what wellknown can write as WKT', () => {
  it('a number, a list, a type without coordinates or a ring of numbers is no GeoJSON; valid GeoJSON meets the field type', () => {
    const d = driver('registry');
    const cities = (filter: object) => d.reply('A', { type: 'items', collection: 'cities', action: 'read', query: { filter }, uid: 'g' });
    const noGeoJson = (op: string) => invalid(`Invalid query. "${op}" has to be a valid GeoJSON object.`, 'g');
    // Checked before any permission: the public may not read prefs at all.
    assert.deepEqual(d.reply('P', { type: 'items', collection: 'prefs', action: 'read', uid: 'g',
      query: { fields: ['*', 'page_size'], filter: { _or: [{ page_size: { _intersects: 1 } }, { id: { _nnull: true } }] }, offset: '1', alias: { other: 'id' } } }), noGeoJson('_intersects'));
    assert.deepEqual(cities({ coords: { _intersects: { type: 'Point' } } }), noGeoJson('_intersects'));
    assert.deepEqual(cities({ coords: { _intersects: { type: 'Polygon', coordinates: [[1, 2]] } } }), noGeoJson('_intersects'));
    assert.deepEqual(cities({ coords: { _intersects: [1, 2] } }), noGeoJson('_intersects'));
    assert.deepEqual(cities({ coords: { _intersects: { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [] }, { type: 'x' }] } } }), noGeoJson('_intersects'));
    assert.deepEqual(cities({ coords: { _intersects: { type: 'Point', coordinates: [1, 2] } } }),
      invalid('Invalid query. "json" field type does not contain the "_intersects" filter operator.', 'g'));
    assert.deepEqual(cities({ coords: { _nintersects_bbox: { type: 'Feature', geometry: { type: 'LineString', coordinates: [[1, 2], [3, 4]] } } } }),
      invalid('Invalid query. "json" field type does not contain the "_nintersects_bbox" filter operator.', 'g'));
  });
});

describe('grouped reads: the sort is built before the filter is applied', () => {
  it('reports an invalid function in a grouped read\'s sort before an operator the field type lacks', () => {
    const d = driver('registry');
    const read = (who: string, query: unknown, uid: string) => d.reply(who, { type: 'items', collection: 'countries', action: 'read', query, uid });
    assert.deepEqual(read('A', { aggregate: { avgDistinct: ['population', 'area'] }, groupBy: ['population', 'name'], filter: { eu: { _json: 1 } }, sort: ['code', 'year(name)'] }, 'q1'),
      invalid('Invalid query. Invalid function specified "year".', 'q1'));
    assert.deepEqual(read('R', { groupBy: ['name'], filter: { eu: { _nin: [1] } }, sort: ['year(name)'] }, 'q6'),
      invalid('Invalid query. Invalid function specified "year".', 'q6'));
    assert.deepEqual(read('A', { groupBy: ['name'], filter: { cities: { capital: { _nin: [1] } } }, sort: ['year(name)'] }, 'q7'),
      invalid('Invalid query. Invalid function specified "year".', 'q7'));
    // processAst's unknown field still comes first; without groupBy the filter does (and an aggregate alone drops its sort).
    assert.deepEqual(read('A', { aggregate: { count: ['*'] }, groupBy: ['name'], filter: { nope: { _eq: 1 } }, sort: ['year(name)'] }, 'q5'),
      { type: 'items', status: 'error', error: { code: 'FORBIDDEN', message: 'You don\'t have permission to access field "nope" in collection "countries" or it does not exist. Queried in root.' }, uid: 'q5' });
    assert.deepEqual(read('A', { filter: { eu: { _json: 1 } }, sort: ['code', 'year(name)'] }, 'q2'),
      invalid('Invalid query. "boolean" field type does not contain the "_json" filter operator.', 'q2'));
    assert.deepEqual(read('A', { aggregate: { count: ['*'] }, filter: { eu: { _nin: [1] } }, sort: ['year(name)'] }, 'q8'),
      invalid('Invalid query. "boolean" field type does not contain the "_nin" filter operator.', 'q8'));
  });
});

describe('readMany and subscription events put the filter in an `_and` with the keys', () => {
  const query = { sort: ['year(label)'], filter: { id: { _contains: 'x' } } };
  const yearError = (type: string, uid: string) => ({ type, status: 'error', error: { code: 'INVALID_QUERY', message: 'Invalid query. Invalid function specified "year".' }, uid });

  it('an event\'s read meets an invalid sort function before an operator the field type lacks; a query read the operator first', () => {
    const d = driver('catalog');
    // With `event`, nothing is read at subscribe time: the error comes when the event fires.
    assert.deepEqual(d.frames('A', { type: 'subscribe', collection: 'tags', event: 'create', uid: 's', query }), [{ type: 'subscription', event: 'init', uid: 's' }]);
    assert.deepEqual(d.frames('A', { type: 'items', action: 'create', collection: 'tags', uid: 'c', data: { label: 'q' } }),
      [{ type: 'items', data: { id: 4, label: 'q', products: [] }, uid: 'c' }, yearError('subscribe', 's')]);
    assert.deepEqual(d.frames('A', { type: 'subscribe', collection: 'tags', uid: 's3', query }),
      [{ type: 'subscribe', status: 'error', error: { code: 'INVALID_QUERY', message: 'Invalid query. "integer" field type does not contain the "_contains" filter operator.' }, uid: 's3' }]);
    assert.deepEqual(d.frames('A', { type: 'items', action: 'read', collection: 'tags', uid: 'r', ids: [1, 2], query }), [yearError('items', 'r')]);
    assert.deepEqual(rest(d, 'SEARCH', '/items/tags', 'admin-token', { keys: [1, 2], query }),
      { status: 400, body: { errors: [{ message: 'Invalid query. Invalid function specified "year".', extensions: { reason: 'Invalid function specified "year"', code: 'INVALID_QUERY' } }] } });
  });
});

describe('sanitizeFields and sanitizeSort on entries that are no strings', () => {
  const js500 = (message: string) => ({ status: 500, body: { errors: [{ message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }] } });

  it('fail with the TypeError V8 gives (includes for fields, then trim), shown to admins; arrays in fields spread', () => {
    const d = driver('catalog');
    assert.deepEqual(rest(d, 'PATCH', '/items/tags', 'admin-token', { query: { sort: [{ a: 1 }] }, data: { label: 'z' } }), js500('field.trim is not a function'));
    assert.deepEqual(rest(d, 'PATCH', '/items/tags', 'admin-token', { query: { sort: ['label', 5] }, data: { label: 'z' } }), js500('field.trim is not a function'));
    assert.deepEqual(rest(d, 'DELETE', '/items/tags', 'admin-token', { query: { sort: [null] } }), js500("Cannot read properties of null (reading 'trim')"));
    // Every fields entry is asked `includes` before any sort entry is trimmed.
    assert.deepEqual(rest(d, 'PATCH', '/items/tags', 'admin-token', { query: { fields: [{ a: 1 }], sort: [[1]] }, data: { label: 'z' } }), js500('field.includes is not a function'));
    assert.deepEqual(rest(d, 'SEARCH', '/items/tags', 'admin-token', { query: { fields: ['id', [null]] } }), js500("Cannot read properties of null (reading 'trim')"));
    assert.deepEqual(rest(d, 'SEARCH', '/items/tags', 'editor-token', { query: { groupBy: [true] } }), js500('An unexpected error occurred.'));
    assert.deepEqual(d.frames('A', { type: 'items', action: 'read', collection: 'tags', uid: 'c', query: { fields: [[null]] } }), []);
    // lodash's flatten spreads an array entry; one that contains "," is split as splitFields walks it.
    const rows = [{ label: 'sale', id: 1 }, { label: 'new', id: 2 }, { label: 'outdoor', id: 3 }];
    assert.deepEqual(d.reply('A', { type: 'items', action: 'read', collection: 'tags', uid: 'a', query: { fields: [['label'], 'id'] } }), { type: 'items', data: rows, uid: 'a' });
    assert.deepEqual(d.reply('A', { type: 'items', action: 'read', collection: 'tags', uid: 'b', query: { fields: [['label', ',', 'id']], limit: 1 } }), { type: 'items', data: rows.slice(0, 1), uid: 'b' });
    assert.deepEqual(rest(d, 'GET', '/items/tags?fields[0][0]=label&fields[1]=id', 'admin-token'), { status: 200, body: { data: rows } });
    // Nothing was written by the writes that failed.
    assert.deepEqual(rest(d, 'GET', '/items/tags?fields=label', 'admin-token').body.data.map((t: { label: string }) => t.label), ['sale', 'new', 'outdoor']);
  });

  it('count() of an o2m into a collection the caller may not read is FORBIDDEN, named with the fields and before the filter', () => {
    // registry fixture, public role (no access to people); Directus 12.4's replies.
    const d = driver('registry');
    const people = (path: string) => ({ status: 403, body: { errors: [{ message: `You don't have permission to access collection "people" or it does not exist. Queried in ${path}.`, extensions: { reason: `You don't have permission to access collection "people" or it does not exist. Queried in ${path}.`, code: 'FORBIDDEN' } }] } });
    assert.deepEqual(rest(d, 'GET', '/items/cities?fields=count(people)&limit=1'), people('"count(people)"'));
    assert.deepEqual(rest(d, 'GET', '/items/cities?fields=id,count(people)&filter[people][id][_null]=true&limit=1'), people('"count(people)"'));
    assert.deepEqual(rest(d, 'GET', '/items/cities?fields=people.id&filter[people][id][_null]=true&limit=1'), people('"people"'));
    assert.deepEqual(rest(d, 'GET', '/items/countries?fields=code,cities.count(people)&limit=1'), people('"cities.count(people)"'));
    assert.deepEqual(d.frames('P', { type: 'items', collection: 'cities', action: 'read', query: { fields: ['count(people)'] }, uid: 'q' }),
      [{ type: 'items', status: 'error', error: { code: 'FORBIDDEN', message: 'You don\'t have permission to access collection "people" or it does not exist. Queried in "count(people)".' }, uid: 'q' }]);
  });
});
