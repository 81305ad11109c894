// Which refusal a write gets, and when: Directus checks a key's type first (plain FORBIDDEN), then
// asks validateAccess once the keys are known (the payload's fields exist, the action is permitted,
// every distinct key finds a writable row), and a create's payload in processPayload. Expected replies
// are the ones Directus 12.4 sent for the same requests (tools/differential/probe.ts on the
// differential fixtures: catalog, content, registry).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createState, type Output, type State } from '../core/index.ts';
import { Driver, NOW } from './driver.ts';

const TOKENS = { catalog: 'editor-token', content: 'writer-token', registry: 'clerk-token' } as const;
type Fixture = keyof typeof TOKENS;

/** A differential fixture with A (admin), R (its restricted role) and P (public) connected. */
const open = (name: Fixture) => {
  const file = (f: string): unknown => JSON.parse(readFileSync(new URL(`./fixtures/differential/${name}/${f}`, import.meta.url), 'utf8'));
  const state = createState({ data: file('db.json'), schema: file('schema.json'), seed: 7, config: { authMode: 'public', heartbeatPeriod: 0 } });
  if (!('connections' in state)) throw new Error(state.message);
  const d = new Driver(state as State);
  d.open('A', '?access_token=admin-token');
  d.open('R', `?access_token=${TOKENS[name]}`);
  d.open('P');
  const tokens: Record<string, string | undefined> = { A: 'admin-token', R: TOKENS[name], P: undefined };
  const ws = (conn: string, message: object) => d.reply(conn, { type: 'items', uid: 'u', ...message });
  const rest = (conn: string, method: string, url: string, body?: unknown) => {
    const [path, query = ''] = url.split('?') as [string, string?];
    const headers: Record<string, string> = { ...(tokens[conn] ? { authorization: `Bearer ${tokens[conn]}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
    const outputs = d.input({ type: 'request', id: 'r', method, path, query, headers, now: NOW, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const reply = outputs.find((o): o is Extract<Output, { type: 'respond' }> => o.type === 'respond')!;
    return { status: reply.status, body: reply.body ? JSON.parse(reply.body) : null };
  };
  return { d, ws, rest };
};

const PLAIN = "You don't have permission to access this.";
const wsError = (message: string, code = 'FORBIDDEN') => ({ type: 'items', status: 'error', error: { code, message }, uid: 'u' });
/** A 403 as Directus sends it: the plain message has no `reason`, every other one repeats itself there. */
const refused = (message: string) => ({
  status: 403,
  body: { errors: [{ message, extensions: message === PLAIN ? { code: 'FORBIDDEN' } : { reason: message, code: 'FORBIDDEN' } }] },
});
const perform = (action: string, collection: string, fields: string[] = []) => fields.length > 0
  ? `You don't have permissions to perform "${action}" for the field(s) ${fields.map((f) => `"${f}"`).join(', ')} in collection "${collection}" or it does not exist.`
  : `You don't have permission to perform "${action}" for collection "${collection}" or it does not exist.`;
const noCollection = (collection: string) => `You don't have permission to access collection "${collection}" or it does not exist. Queried in root.`;
const noField = (field: string, collection: string) => `You don't have permission to access field "${field}" in collection "${collection}" or it does not exist. Queried in root.`;

describe('validateAccess: an update or delete by keys', () => {
  it('names the payload\'s fields when a key finds no row, or two spellings of one key are sent', () => {
    const { d, rest } = open('catalog');
    const before = d.state.data;
    assert.deepEqual(rest('R', 'PATCH', '/items/products/999', { description: 'x', qty: 1 }), refused(perform('update', 'products', ['description', 'qty'])));
    assert.deepEqual(rest('R', 'PATCH', '/items/products', { keys: [1, 999], data: { qty: 1 } }), refused(perform('update', 'products', ['qty'])));
    assert.deepEqual(rest('R', 'PATCH', '/items/products', { keys: [1, '1'], data: { qty: 1 } }), refused(perform('update', 'products', ['qty'])));
    assert.deepEqual(rest('R', 'PATCH', '/items/products', { keys: [], data: { qty: 1 } }), refused(perform('update', 'products', ['qty'])));
    assert.deepEqual(rest('R', 'PATCH', '/items/products', [{ id: 1, qty: 5 }, { id: 999, qty: 3 }]), refused(perform('update', 'products', ['qty'])));
    assert.equal(d.state.data, before, 'nothing was written, not even the batch item before the refused one');
    // The same key twice is one key.
    assert.equal(rest('R', 'PATCH', '/items/products?fields=id,qty', { keys: [1, 1], data: { qty: 1 } }).status, 200);
  });

  it('names the collection when the payload is empty or the write is a delete', () => {
    const { d, rest } = open('catalog');
    const before = d.state.data;
    assert.deepEqual(rest('R', 'PATCH', '/items/products', { keys: [999], data: {} }), refused(perform('update', 'products')));
    assert.deepEqual(rest('R', 'DELETE', '/items/products', [1, 999]), refused(perform('delete', 'products')));
    assert.deepEqual(rest('R', 'DELETE', '/items/products', []), refused(perform('delete', 'products')));
    // No keys at all is refused before the permission is looked at.
    assert.deepEqual(rest('R', 'DELETE', '/items/reviews', []), refused(perform('delete', 'reviews')));
    assert.deepEqual(rest('R', 'PATCH', '/items/reviews', { keys: [], data: { body: 'x' } }), refused(perform('update', 'reviews', ['body'])));
    assert.equal(d.state.data, before);
  });

  it('reports an unknown payload field first, then a missing permission on the collection', () => {
    const { rest } = open('catalog');
    assert.deepEqual(rest('R', 'PATCH', '/items/products', { keys: [1], data: { nope: 1, qty: 2 } }), refused(noField('nope', 'products')));
    assert.deepEqual(rest('R', 'PATCH', '/items/reviews', { keys: [999], data: { nope: 'x' } }), refused(noField('nope', 'reviews')));
    assert.deepEqual(rest('R', 'PATCH', '/items/reviews', { keys: [1], data: { body: 'x' } }), refused(noCollection('reviews')));
    assert.deepEqual(rest('R', 'PATCH', '/items/reviews', [{ id: 1, body: 'x' }]), refused(noCollection('reviews')));
    assert.deepEqual(rest('R', 'DELETE', '/items/reviews/999'), refused(noCollection('reviews')));
    assert.deepEqual(rest('P', 'PATCH', '/items/products/999', { qty: 1 }), refused(noCollection('products')));
  });

  it('checks a key\'s type before any permission: plain FORBIDDEN, whoever asks', () => {
    const { d, rest, ws } = open('catalog');
    const before = d.state.data;
    assert.deepEqual(rest('R', 'PATCH', '/items/products/2x', { qty: 1 }), refused(PLAIN));
    assert.deepEqual(rest('P', 'PATCH', '/items/products/2x', { qty: 1 }), refused(PLAIN));
    assert.deepEqual(ws('R', { collection: 'tags', action: 'delete', ids: [2, 1, 1.5] }), wsError(PLAIN));
    assert.deepEqual(ws('R', { collection: 'products_tags', action: 'delete', id: '2x' }), wsError(PLAIN));
    assert.deepEqual(rest('P', 'DELETE', '/items/reviews/2x'), refused(PLAIN));
    assert.equal(d.state.data, before);
  });

  it('a by-query write that finds no row writes nothing and asks for no permission', () => {
    const { rest } = open('catalog');
    assert.deepEqual(rest('P', 'DELETE', '/items/products', { query: { filter: { id: { _eq: 999 } } } }), { status: 204, body: null });
    assert.deepEqual(rest('R', 'PATCH', '/items/reviews', { query: { filter: { id: { _eq: 999 } } }, data: { body: 'x' } }), { status: 200, body: { data: [] } });
    assert.deepEqual(rest('R', 'PATCH', '/items/reviews', { query: { filter: { id: { _eq: 1 } } }, data: { body: 'x' } }), refused(noCollection('reviews')));
    assert.deepEqual(rest('P', 'DELETE', '/items/products', { query: { filter: { id: { _eq: 1 } } } }), refused(noCollection('products')));
  });

  it('over WebSocket: ids, singletons and batches', () => {
    const { d, ws } = open('content');
    const before = d.state.data;
    assert.deepEqual(ws('R', { collection: 'pages', action: 'update', id: '99999999-0000-4000-8000-000000000000', data: { title: 'x' } }), wsError(perform('update', 'pages', ['title'])));
    // A uuid in upper case is a valid uuid that finds no row.
    assert.deepEqual(ws('R', { collection: 'pages', action: 'update', ids: ['00000001-A000-4000-8000-000000000000'], data: { title: 'x' } }), wsError(perform('update', 'pages', ['title'])));
    assert.deepEqual(ws('R', { collection: 'pages', action: 'delete', ids: ['00000001-a000-4000-8000-000000000000'] }), wsError(noCollection('pages')));
    assert.deepEqual(ws('P', { collection: 'pages', action: 'delete', ids: [] }), wsError(perform('delete', 'pages')));
    assert.deepEqual(ws('P', { collection: 'pages', action: 'update', ids: [], data: {} }), wsError(perform('update', 'pages')));
    assert.deepEqual(ws('R', { collection: 'pages_blocks', action: 'delete', ids: [1, '1'] }), wsError(perform('delete', 'pages_blocks')));
    assert.deepEqual(ws('R', { collection: 'site', action: 'update', data: { nope: 'New' } }), wsError(noField('nope', 'site')));
    assert.deepEqual(ws('R', { collection: 'site', action: 'update', id: 2, data: { title: 'New' } }), wsError(perform('update', 'site', ['title'])));
    assert.deepEqual(ws('P', { collection: 'site', action: 'update', data: { title: 'New' } }), wsError(noCollection('site')));
    assert.deepEqual(ws('R', { collection: 'pages_blocks', action: 'update', data: [{ id: 2, item: 'x' }, { id: 999, item: 'y' }] }), wsError(perform('update', 'pages_blocks', ['item'])));
    assert.deepEqual(ws('R', { collection: 'pages_blocks', action: 'update', data: [{ id: 2, item: 'x' }, 'str'] }),
      wsError('Invalid payload. Item in update misses primary key.', 'INVALID_PAYLOAD'));
    assert.equal(d.state.data, before);
    assert.deepEqual(ws('R', { collection: 'site', action: 'update', data: { title: 'New' } }),
      { type: 'items', data: { id: 1, title: 'New', tagline: 'Things we write', maintenance: false }, uid: 'u' });
  });

  it('a batch item whose key is `true` updates and reads back row 1', () => {
    const { rest } = open('catalog');
    assert.deepEqual(rest('R', 'PATCH', '/items/products?fields=id,sort', [{ id: 4, qty: 2 }, { id: true, sort: 6 }]),
      { status: 200, body: { data: [{ id: 4, sort: 2 }, { id: 1, sort: 6 }] } });
  });

  it('a null batch item is an internal error; earlier items are undone', () => {
    const { d, rest } = open('catalog');
    const before = d.state.data;
    assert.deepEqual(rest('R', 'PATCH', '/items/products', [{ id: 1, qty: 5 }, null]),
      { status: 500, body: { errors: [{ message: 'An unexpected error occurred.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] } });
    assert.equal(d.state.data, before);
  });
});

describe('processPayload: a create', () => {
  it('needs the create permission for each item; an empty list needs none', () => {
    const { rest } = open('catalog');
    assert.deepEqual(rest('R', 'POST', '/items/categories', { name: 'x' }), refused(noCollection('categories')));
    assert.deepEqual(rest('P', 'POST', '/items/categories', []), { status: 200, body: { data: [] } });
  });
});
