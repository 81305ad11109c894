// `deep` levels as Directus 12.4 applies them: only sanitized (a bad `_limit` is no error, it slices
// as JavaScript does), and their paths checked before the root query's, named from the root
// ("Queried in \"cities\""). Expected frames are the ones Directus sent for the same messages
// (tools/differential/probe.ts on the differential fixtures).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { driver, rest } from './differential-driver.ts';

const forbidden = (field: string, collection: string, path: string, uid: string) => ({
  type: 'items', status: 'error', uid,
  error: { code: 'FORBIDDEN', message: `You don't have permission to access field "${field}" in collection "${collection}" or it does not exist. Queried in "${path}".` },
});

describe('deep levels', () => {
  it('sanitizes a level without validating it: NaN, fractional and negative limits slice like JavaScript', () => {
    const d = driver('registry');
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'countries', action: 'read', id: 'FR', query: { fields: ['code', 'cities.*'], deep: { cities: { _limit: 'x' } } }, uid: 'q1' }),
      { type: 'items', data: { code: 'FR', cities: [] }, uid: 'q1' });
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'countries', action: 'read', query: { fields: ['code', 'cities.id'], deep: { cities: { _limit: '1.5', _offset: 'x', _page: 'y', _sort: 5 } } }, uid: 'q3' }),
      { type: 'items', data: [{ code: 'CH', cities: [] }, { code: 'DE', cities: [{ id: 1 }] }, { code: 'FR', cities: [{ id: 3 }] }, { code: 'NO', cities: [{ id: 4 }] }], uid: 'q3' });
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'countries', action: 'read', query: { fields: ['code', 'cities.id'], deep: { cities: { _limit: -2, _offset: -1 } } }, uid: 'q4' }),
      { type: 'items', data: [{ code: 'CH', cities: [] }, { code: 'DE', cities: [] }, { code: 'FR', cities: [] }, { code: 'NO', cities: [] }], uid: 'q4' });
  });

  it('still applies the filter of a level whose limit is not a number', () => {
    const d = driver('registry');
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'countries', action: 'read', id: 'FR', query: { limit: -1, search: '', deep: { cities: { _limit: 'x', _filter: { capital: { _nin: [false, true] } } } } }, uid: 'q1' }),
      { type: 'items', status: 'error', error: { code: 'INVALID_QUERY', message: 'Invalid query. "boolean" field type does not contain the "_nin" filter operator.' }, uid: 'q1' });
  });

  it('names a level\'s unknown field from the root, through the level\'s relations and m2a scopes', () => {
    assert.deepEqual(driver('registry').reply('R', { type: 'items', collection: 'countries', action: 'read', query: { fields: ['*', 'code', 'cities.*.*'], filter: { area: { _lt: 357588.5 } }, limit: -1, deep: { cities: { _limit: -1, _filter: { nope: { _eq: 1 } } } } }, uid: 'q1' }),
      forbidden('nope', 'cities', 'cities', 'q1'));
    assert.deepEqual(driver('catalog').reply('A', { type: 'items', collection: 'tags', action: 'read', query: { fields: ['label', '*'], filter: { id: { _null: true } }, sort: ['year(id)'], limit: 2, deep: { products: { _limit: 2, _sort: ['-id'], _filter: { products_id: { nope: { _eq: 1 } } } } } }, uid: 'q1' }),
      forbidden('nope', 'products', 'products.products_id', 'q1'));
    const content = driver('content');
    assert.deepEqual(content.reply('A', { type: 'items', collection: 'pages', action: 'read', query: { fields: ['id', 'blocks.item.*'], deep: { blocks: { 'item:block_image': { _filter: { zzz: { _eq: 1 } } } } } }, uid: 'a2' }),
      forbidden('zzz', 'block_image', 'blocks.item:block_image', 'a2'));
    assert.deepEqual(content.reply('A', { type: 'items', collection: 'pages', action: 'read', query: { fields: ['id', 'b.id'], alias: { b: 'blocks' }, deep: { b: { _filter: { qq: { _eq: 1 } } } } }, uid: 'a3' }),
      forbidden('qq', 'pages_blocks', 'b', 'a3'));
  });

  it('checks a level\'s paths before the root\'s filter and fields, and ignores a level no field selects', () => {
    const d = driver('registry');
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'countries', action: 'read', query: { fields: ['code', 'cities'], filter: { nada: { _eq: 1 } }, deep: { cities: { _filter: { nope: { _eq: 1 } } } } }, uid: 'q7' }),
      forbidden('nope', 'cities', 'cities', 'q7'));
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'countries', action: 'read', query: { fields: ['code', 'zip', 'cities.id'], deep: { cities: { _sort: ['nope'] } } }, uid: 'q8' }),
      forbidden('nope', 'cities', 'cities', 'q8'));
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'countries', action: 'read', query: { fields: ['code'], deep: { cities: { _filter: { nope: { _eq: 1 } } } } }, uid: 'q6' }),
      { type: 'items', data: [{ code: 'CH' }, { code: 'DE' }, { code: 'FR' }, { code: 'NO' }], uid: 'q6' });
  });

  it('fails on what building a level\'s query refuses only when the level runs: under a parent level that returned rows', () => {
    const d = driver('registry');
    const invalid = (message: string) => ({ status: 400, body: { errors: [{ message: `Invalid query. ${message}.`, extensions: { reason: message, code: 'INVALID_QUERY' } }] } });
    const get = (url: string) => rest(d, 'GET', url, 'admin-token');
    // No row: readOne's FORBIDDEN; rows: the level's operator.
    assert.deepEqual(get('/items/countries/ZZ?fields[0]=area&fields[1]=cities.country&filter[_or][0][area][_neq]=true&filter[_or][1][population][_eq]=0&page=1&deep[cities][_filter][coords][_nbetween][0]=text'),
      { status: 403, body: { errors: [{ message: "You don't have permission to access this.", extensions: { code: 'FORBIDDEN' } }] } });
    assert.deepEqual(get('/items/countries/FR?fields[0]=area&fields[1]=cities.country&deep[cities][_filter][coords][_nbetween][0]=text'),
      invalid('"json" field type does not contain the "_nbetween" filter operator'));
    assert.deepEqual(get('/items/countries?fields=code,cities.id&offset=50&deep[cities][_sort]=year(name)'), { status: 200, body: { data: [] } });
    assert.deepEqual(get('/items/countries?fields=code,cities.id&deep[cities][_sort]=year(name)'), invalid('Invalid function specified "year"'));
    // Two levels down: CH has no city, and FR's cities filtered to none run no people level.
    assert.deepEqual(get('/items/countries?fields=code,cities.people.id&filter[code][_eq]=CH&deep[cities][people][_filter][born][_contains]=1'), { status: 200, body: { data: [{ code: 'CH', cities: [] }] } });
    assert.deepEqual(get('/items/countries?fields=code,cities.people.id&filter[code][_eq]=FR&deep[cities][people][_filter][born][_contains]=1'),
      invalid('"dateTime" field type does not contain the "_contains" filter operator'));
    assert.deepEqual(get('/items/countries?fields=code,cities.people.id&filter[code][_eq]=FR&deep[cities][_filter][id][_eq]=999&deep[cities][people][_filter][born][_contains]=1'),
      { status: 200, body: { data: [{ code: 'FR', cities: [] }] } });
    // An m2o level runs for any parent rows, whether or not they point anywhere.
    assert.deepEqual(get('/items/people?fields=id,city.name&filter[city][_null]=true&deep[city][_filter][coords][_gt]=1'), invalid('"json" field type does not contain the "_gt" filter operator'));
  });

  it('checks a nested level\'s functions when that level runs: under a parent level that returned rows', () => {
    const d = driver('registry');
    const invalid = { status: 400, body: { errors: [{ message: 'Invalid query. Invalid function specified "year".', extensions: { reason: 'Invalid function specified "year"', code: 'INVALID_QUERY' } }] } };
    const get = (url: string) => rest(d, 'GET', url, 'admin-token');
    assert.deepEqual(get('/items/people?fields=id,city.country.year(eu)&filter[name][_eq]=Ada'), invalid);
    assert.deepEqual(get('/items/people?fields=id,city.country.year(eu)&filter[name][_eq]=Nobody'), { status: 200, body: { data: [] } });
    // Cy has no city: the city level runs (and returns nothing), its country level does not.
    assert.deepEqual(get('/items/people?fields=id,city.country.year(eu)&filter[name][_eq]=Cy'), { status: 200, body: { data: [{ id: 'e0e0e0e0-0000-4000-9000-000000000003', city: null }] } });
    // An o2m level runs for any parent rows, children or not (CH has no city).
    assert.deepEqual(get('/items/countries?fields=code,cities.year(capital)&filter[code][_eq]=CH'), invalid);
    assert.deepEqual(get('/items/countries?fields=code,cities.year(capital)&filter[code][_eq]=FR&deep[cities][_sort]=year(name)'), invalid);
    // The level's deep filter fails before its fields' function; a root level's function fails with no row.
    assert.deepEqual(get('/items/countries?fields=code,cities.year(capital)&filter[code][_eq]=FR&deep[cities][_filter][coords][_nbetween][0]=text'),
      { status: 400, body: { errors: [{ message: 'Invalid query. "json" field type does not contain the "_nbetween" filter operator.', extensions: { reason: '"json" field type does not contain the "_nbetween" filter operator', code: 'INVALID_QUERY' } }] } });
    assert.deepEqual(get('/items/countries?fields=code,year(eu)&filter[code][_eq]=ZZ'), invalid);
    // A write's read-back: no row read back, no error (the write stands either way).
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'people', action: 'update', query: { fields: ['name', '*', 'city.country.year(eu)'], filter: { name: { _istarts_with: 'Ben' } } }, data: [{ id: 'e0e0e0e0-0000-4000-9000-000000000004', score: 0 }], uid: 'w1' }),
      { type: 'items', data: [], uid: 'w1' });
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'people', action: 'update', query: { fields: ['name', 'city.country.year(eu)'] }, data: [{ id: 'e0e0e0e0-0000-4000-9000-000000000004', score: 1 }], uid: 'w2' }),
      { type: 'items', status: 'error', error: { code: 'INVALID_QUERY', message: 'Invalid query. Invalid function specified "year".' }, uid: 'w2' });
  });

  it('a subscription\'s deep level reads the data of each event, not of the first (its context is extended, never copied)', () => {
    // Directus reads each event's payload with the subscription's query: the same rows a read gives then.
    const d = driver('registry');
    const query = { fields: ['code', 'name', 'cities.name'], deep: { cities: { _filter: { country: { name: { _eq: 'France' } } } } } };
    d.frames('A', { type: 'subscribe', collection: 'countries', uid: 's', query });
    const update = (data: object, uid: string) => d.frames('A', { type: 'items', collection: 'countries', action: 'update', id: 'FR', data, query: { fields: ['code'] }, uid });
    assert.deepEqual(update({ area: 1 }, 'w1')[1], { type: 'subscription', event: 'update', data: [{ code: 'FR', name: 'France', cities: [{ name: 'Paris' }, { name: 'Lyon' }] }], uid: 's' });
    const renamed = update({ name: 'Frankreich' }, 'w2')[1];
    assert.deepEqual(renamed, { type: 'subscription', event: 'update', data: [{ code: 'FR', name: 'Frankreich', cities: [] }], uid: 's' });
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'countries', action: 'read', id: 'FR', query, uid: 'r' }), { type: 'items', data: { code: 'FR', name: 'Frankreich', cities: [] }, uid: 'r' });
  });
});
