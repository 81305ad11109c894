// Which problem Directus reports for a query, and when: its sanitize + validate order runs before any
// permission is looked at. Expected frames are the ones Directus 12.4 sent for the same messages
// (tools/differential/probe.ts on the differential `catalog` fixture).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createState, type Output, type State } from '../core/index.ts';
import { Driver, NOW } from './driver.ts';

const fixture = (file: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/differential/catalog/${file}`, import.meta.url), 'utf8'));

const catalog = (): Driver => {
  const state = createState({ data: fixture('db.json'), schema: fixture('schema.json'), seed: 7, config: { authMode: 'public', heartbeatPeriod: 0 } });
  if (!('connections' in state)) throw new Error(state.message);
  const d = new Driver(state as State);
  d.open('A', '?access_token=admin-token');
  d.open('P');
  return d;
};

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
    const d = catalog();
    assert.deepEqual(d.reply('P', { type: 'items', collection: 'reviews', action: 'read', query: { filter: { id: { _nnull: 'x' } } }, uid: 'a' }),
      invalid('Invalid query. "_nnull" has to be a boolean.', 'a'));
    assert.deepEqual(d.reply('P', { type: 'items', collection: 'reviews', action: 'read', query: { filter: { id: { _in: [] } } }, uid: 'j' }),
      invalid('Invalid query. "_in" has to be an array of values.', 'j'));
  });

  it('a delete with neither id, ids nor query is INVALID_PAYLOAD whoever asks', () => {
    const d = catalog();
    assert.deepEqual(d.reply('P', { type: 'items', collection: 'tags', action: 'delete', id: '', uid: 'g' }),
      { type: 'items', status: 'error', error: { code: 'INVALID_PAYLOAD', message: "Either 'ids', 'id' or 'query' is required for a DELETE request." }, uid: 'g' });
  });

  it('reports filter values before Joi, and Joi in its key order (fields, sort, limit)', () => {
    const d = catalog();
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'tags', action: 'read', query: { sort: ['', 'id'], limit: 'abc' }, uid: 'b' }),
      invalid('Invalid query. "sort[0]" is not allowed to be empty.', 'b'));
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'tags', action: 'read', query: { fields: ['id', ''] }, uid: 'c' }),
      invalid('Invalid query. "fields[1]" is not allowed to be empty.', 'c'));
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'tags', action: 'read', query: { filter: { label: { _eq: '' } }, limit: 'x' }, uid: 'm' }),
      invalid('Invalid query. You can\'t filter for an empty string in "_eq". Use "_empty" or "_nempty" instead.', 'm'));
  });

  it('validates alias keys and values with Directus\'s messages', () => {
    const d = catalog();
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'tags', action: 'read', query: { alias: { 'a.b': 'id' } }, uid: 'e' }),
      invalid('Invalid query. "alias" key can\'t contain a period character `.`.', 'e'));
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'tags', action: 'read', query: { alias: { x: 5 } }, uid: 'f' }),
      invalid('Invalid query. "alias" value has to be a string. "string" given.', 'f'));
  });

  it('coerces limit as Number() does: true is 1, an empty limit= is 0', () => {
    const d = catalog();
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'tags', action: 'read', query: { fields: ['id'], limit: true }, uid: 'd' }),
      { type: 'items', data: [{ id: 1 }], uid: 'd' });
    assert.deepEqual(get(d, '/items/tags?fields=id&limit=', 'admin-token'), { status: 200, body: { data: [] } });
  });

  it('reads one item through the query\'s page: an offset past it is FORBIDDEN', () => {
    const d = catalog();
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'tags', action: 'read', id: 1, query: { offset: 1 }, uid: 'o' }),
      { type: 'items', status: 'error', error: { code: 'FORBIDDEN', message: "You don't have permission to access this." }, uid: 'o' });
    assert.deepEqual(get(d, '/items/tags/1?fields=id&offset=1', 'admin-token'),
      { status: 403, body: { errors: [{ message: "You don't have permission to access this.", extensions: { code: 'FORBIDDEN' } }] } });
  });

  it('REST: the query middleware answers before the route looks at permissions', () => {
    const d = catalog();
    assert.deepEqual(get(d, '/items/reviews?filter[id][_in]=&sort=,id'), {
      status: 400,
      body: { errors: [{ message: 'Invalid query. "sort[0]" is not allowed to be empty.', extensions: { reason: '"sort[0]" is not allowed to be empty', code: 'INVALID_QUERY' } }] },
    });
  });

  it('finds every path a query names before it asks for permissions or compiles operators', () => {
    const d = catalog();
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
    const d = catalog();
    d.open('R', '?access_token=editor-token');
    assert.deepEqual(d.reply('R', { type: 'items', collection: 'tags', action: 'update', query: { filter: { id: { _eq: 99 } } }, data: { label: 'x' }, uid: 'r1' }),
      { type: 'items', data: [], uid: 'r1' });
    assert.deepEqual(d.reply('R', { type: 'items', collection: 'tags', action: 'delete', query: { filter: { id: { _eq: 99 } } }, uid: 'r2' }),
      { type: 'items', data: [], uid: 'r2' });
    assert.deepEqual(d.reply('R', { type: 'items', collection: 'tags', action: 'delete', query: { filter: { id: { _eq: 1 } } }, uid: 'r3' }),
      { type: 'items', status: 'error', error: { code: 'FORBIDDEN', message: 'You don\'t have permission to access collection "tags" or it does not exist. Queried in root.' }, uid: 'r3' });
  });

  it('sorts by an o2m path as the joined rows sort: ascending by the smallest value (null first), descending by the largest', () => {
    const d = catalog();
    const ids = (sort: string[]) => (d.reply('A', { type: 'items', collection: 'categories', action: 'read', query: { fields: ['id'], sort }, uid: 's' }) as any).data.map((r: any) => r.id);
    assert.deepEqual(ids(['products.price']), [1, 4, 5, 2, 3]);
    assert.deepEqual(ids(['-products.price']), [1, 3, 2, 4, 5]);
    const products = (d.reply('A', { type: 'items', collection: 'products', action: 'read', query: { fields: ['id'], sort: ['-tags.tags_id.label', 'id'] }, uid: 's3' }) as any).data;
    assert.deepEqual(products, [{ id: 1 }, { id: 6 }, { id: 4 }, { id: 2 }, { id: 3 }, { id: 5 }]);
  });
});

describe('a singleton without a row (Directus frames)', () => {
  it('reads as its primary key null plus the fields that have defaults, limited to a field list', () => {
    const file = (name: string): unknown => JSON.parse(readFileSync(new URL(`./fixtures/differential/registry/${name}`, import.meta.url), 'utf8'));
    const state = createState({ data: file('db.json'), schema: file('schema.json'), seed: 7, config: { authMode: 'public', heartbeatPeriod: 0 } });
    if (!('connections' in state)) throw new Error(state.message);
    const d = new Driver(state as State);
    d.open('A', '?access_token=admin-token');
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'prefs', action: 'read', uid: 'a' }),
      { type: 'items', data: { id: null, theme: 'light', page_size: 20 }, uid: 'a' });
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'prefs', action: 'read', query: { fields: ['id', 'page_size'] }, uid: 'b' }),
      { type: 'items', data: { id: null, page_size: 20 }, uid: 'b' });
  });
});
