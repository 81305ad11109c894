// Query and filter checks in Directus's words and order: `export`, geometry values, the `_json`
// operator, which error a filter meets first. Every expected frame or reply is what Directus 12.4 sent
// for the same request (tools/differential/probe.ts on the differential fixtures).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Driver } from './driver.ts';
import { driver, rest } from './differential-driver.ts';

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

describe('filters validateQuery never sees', () => {
  it('a `deep` filter\'s values go unchecked: `_in: []` and `_eq: ""` simply match nothing', () => {
    const d = driver('registry');
    const none = (uid: string) => ({ type: 'items', data: ['CH', 'DE', 'FR', 'NO'].map((code) => ({ code, cities: [] })), uid });
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'countries', action: 'read', query: { fields: ['code', 'cities.id'], deep: { cities: { _filter: { id: { _in: [] } } } } }, uid: 'a' }), none('a'));
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'countries', action: 'read', query: { fields: ['code', 'cities.id'], deep: { cities: { _filter: { name: { _eq: '' } } } } }, uid: 'b' }), none('b'));
  });
});

describe('a filter given twice in a query string', () => {
  const unknownFields = (fields: string, collection: string) => {
    const message = `You don't have permission to access fields ${fields} in collection "${collection}" or they do not exist. Queried in root.`;
    return { status: 403, body: { errors: [{ message, extensions: { reason: message, code: 'FORBIDDEN' } }] } };
  };

  it('is the list qs makes of it, which parseFilter keys "0", "1"…: unknown fields, named with the sort\'s, last first', () => {
    const d = driver('registry');
    const json = encodeURIComponent(JSON.stringify({ name: { _eq: 'Berlin' } }));
    assert.deepEqual(rest(d, 'GET', `/items/cities?fields=id&filter=${json}&filter[id][_in][0]=1&sort=nope`, 'admin-token'), unknownFields('"1", "0", "nope"', 'cities'));
    // `fields` is checked after filter and sort.
    assert.deepEqual(rest(d, 'GET', `/items/cities?fields=id,nope2&filter[id][_in][0]=1&filter=${json}&sort=nope`, 'admin-token'), unknownFields('"1", "0", "nope"', 'cities'));
    assert.deepEqual(rest(d, 'GET', '/items/cities?fields=id&filter[0][id][_eq]=1&sort=nopeB', 'admin-token'), unknownFields('"0", "nopeB"', 'cities'));
    assert.deepEqual(rest(d, 'GET', '/items/countries?fields=code&filter[cities][_none][1][name][_eq]=1&filter[name][0]=x&sort=nopeB', 'admin-token'), unknownFields('"0", "nopeB"', 'countries'));
    // Only `_and` and `_or` hold lists of filters.
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'cities', action: 'read', query: { fields: ['id'], filter: [{ id: { _eq: 1 } }], sort: 'nope' }, uid: 'r3' }),
      { type: 'items', status: 'error', error: { code: 'FORBIDDEN', message: 'You don\'t have permission to access fields "0", "nope" in collection "cities" or they do not exist. Queried in root.' }, uid: 'r3' });
  });
});

describe('fields of a collection the caller may read nothing of', () => {
  it('are dropped before the existence check (convertWildcards): the collection is refused, while the filter\'s and sort\'s unknown fields are still named', () => {
    const d = driver('registry');
    const refused = (collection: string) => {
      const message = `You don't have permission to access collection "${collection}" or it does not exist. Queried in root.`;
      return { status: 403, body: { errors: [{ message, extensions: { reason: message, code: 'FORBIDDEN' } }] } };
    };
    const unknown = (field: string, collection: string) => {
      const message = `You don't have permission to access field "${field}" in collection "${collection}" or it does not exist. Queried in root.`;
      return { status: 403, body: { errors: [{ message, extensions: { reason: message, code: 'FORBIDDEN' } }] } };
    };
    assert.deepEqual(rest(d, 'GET', '/items/prefs?fields=theme%2Cnope&filter=%7B%22page_size%22%3A%7B%22_neq%22%3A1%7D%7D'), refused('prefs'));
    assert.deepEqual(rest(d, 'GET', '/items/people?fields=nope.x'), refused('people'));
    assert.deepEqual(rest(d, 'GET', '/items/prefs?fields=theme&filter[nope][_eq]=1'), unknown('nope', 'prefs'));
    assert.deepEqual(rest(d, 'GET', '/items/prefs?fields=theme%2Cnope&sort=nope2'), unknown('nope2', 'prefs'));
    // The public may read cities: its unknown field is named.
    assert.deepEqual(rest(d, 'GET', '/items/cities?fields=name%2Cnope'), unknown('nope', 'cities'));
  });
});

describe('an operator right on an o2m alias', () => {
  it('tests the related keys through a LEFT JOIN over every related row: a parent without children is NULL; the related collection needs no permission', () => {
    const d = driver('content');
    const titles = (token: string | undefined, query: string) => rest(d, 'GET', `/items/pages?fields=title&${query}`, token);
    const data = (...names: string[]) => ({ status: 200, body: { data: names.map((title) => ({ title })) } });
    assert.deepEqual(titles('admin-token', 'filter[blocks][_null]=true'), data('Draft page'));
    assert.deepEqual(titles('admin-token', 'filter[blocks][_neq]=1'), data('Home', 'About', 'Contact'));
    assert.deepEqual(titles('admin-token', 'filter[blocks][_in][0]=1&filter[blocks][_in][1]=3'), data('Home', 'About'));
    // The public may read pages but not pages_blocks.
    assert.deepEqual(titles(undefined, 'filter[blocks][_nnull]=true&meta=*&sort=-views'),
      { status: 200, body: { meta: { total_count: 4, filter_count: 3 }, data: [{ title: 'Home' }, { title: 'About' }, { title: 'Contact' }] } });
    assert.deepEqual(titles(undefined, 'filter[_or][0][blocks][_null]=true&filter[_or][1][views][_gt]=100'), data('Home', 'Draft page'));
    assert.deepEqual(rest(d, 'GET', '/items/pages?aggregate[count]=*&filter[blocks][_nnull]=true', 'admin-token'), { status: 200, body: { data: [{ count: 3 }] } });
  });
});
