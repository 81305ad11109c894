// Keys that do not fit the primary key's type are FORBIDDEN and change nothing; keys that do are
// matched as SQLite compares them. Expected frames are what a live Directus 12.4 (SQLite) sent for the
// same messages on the typed fixture.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Driver, typedState } from './driver.ts';

const FORBIDDEN = { code: 'FORBIDDEN', message: "You don't have permission to access this." };
const RANKED = [
  { id: 1, sort: 3, name: 'one', score: 10 }, { id: 2, sort: 1, name: 'two', score: 20 },
  { id: 3, sort: 2, name: 'three', score: 10 }, { id: 4, sort: null, name: 'four', score: 30 },
  { id: 5, sort: 1, name: 'five', score: 20 }, { id: 6, sort: 5, name: 'six', score: null },
];
const U1 = 'a1b2c3d4-0000-4000-8000-000000000001';

const admin = () => {
  const d = new Driver(typedState()).admin();
  const ws = (message: object) => d.reply('A', { type: 'items', uid: 'u', ...message });
  const rest = (method: string, path: string, body?: unknown) => {
    const out = d.input({
      type: 'request', id: 'r', method, path, query: '', now: 0,
      headers: { authorization: 'Bearer admin-static-token', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const reply = out.find((o) => o.type === 'respond') as { status: number; body: string };
    return { status: reply.status, body: reply.body ? JSON.parse(reply.body) : null };
  };
  /** Every row, in primary-key order. */
  const rows = (collection: string) => (rest('GET', `/items/${collection}`) as { body: { data: { id: unknown }[] } }).body.data
    .sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1));
  return { ws, rest, rows };
};

const byId = (rows: readonly { id: unknown }[]) => [...rows].sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1));

describe('keys that do not fit the primary key', () => {
  it('an update by ids with one bad key is FORBIDDEN and updates nothing', () => {
    const { ws, rows } = admin();
    assert.deepEqual(ws({ collection: 'ranked', action: 'update', ids: [1, 'abc'], data: { name: 'X' } }), { type: 'items', status: 'error', error: FORBIDDEN, uid: 'u' });
    assert.deepEqual(rows('ranked'), byId(RANKED));
  });

  it('a delete by ids with one bad key is FORBIDDEN and deletes nothing', () => {
    const { ws, rows } = admin();
    assert.deepEqual(ws({ collection: 'ranked', action: 'delete', ids: ['abc', 1] }), { type: 'items', status: 'error', error: FORBIDDEN, uid: 'u' });
    assert.deepEqual(ws({ collection: 'tokens', action: 'delete', ids: [U1, 'abc'] }), { type: 'items', status: 'error', error: FORBIDDEN, uid: 'u' });
    assert.deepEqual(rows('ranked'), byId(RANKED));
    assert.equal(rows('tokens').length, 3);
  });

  it('a batch update stops at a bad key and keeps the rows written before it', () => {
    const { ws, rows } = admin();
    assert.deepEqual(ws({ collection: 'ranked', action: 'update', data: [{ id: 1, name: 'X' }, { id: 'abc', name: 'Y' }] }), { type: 'items', status: 'error', error: FORBIDDEN, uid: 'u' });
    assert.deepEqual(rows('ranked'), byId(RANKED));
    // Directus tests a batch entry's key for truthiness: 0 is a missing key.
    assert.deepEqual(ws({ collection: 'ranked', action: 'update', data: [{ id: 0, name: 'X' }] }), {
      type: 'items', status: 'error', error: { code: 'INVALID_PAYLOAD', message: 'Invalid payload. Item in update misses primary key.' }, uid: 'u',
    });
  });

  it('a create with a key the integer key cannot take is FORBIDDEN; numeric text is stored as its number', () => {
    const { ws, rows } = admin();
    assert.deepEqual(ws({ collection: 'ranked', action: 'create', data: { id: 'abc', name: 'new' } }), { type: 'items', status: 'error', error: FORBIDDEN, uid: 'u' });
    assert.equal(rows('ranked').length, 6);
    assert.deepEqual(ws({ collection: 'ranked', action: 'create', data: { id: '7', name: 'new' } }), { type: 'items', data: { id: 7, sort: null, name: 'new', score: null }, uid: 'u' });
  });

  it('REST path ids are checked the same way: FORBIDDEN, nothing changed', () => {
    const { rest, rows } = admin();
    const body = { errors: [{ message: FORBIDDEN.message, extensions: { code: 'FORBIDDEN' } }] };
    assert.deepEqual(rest('PATCH', '/items/ranked/1.5', { name: 'X' }), { status: 403, body });
    assert.deepEqual(rest('DELETE', '/items/ranked/abc'), { status: 403, body });
    assert.deepEqual(rest('GET', `/items/tokens/${U1}x`), { status: 403, body });
    assert.deepEqual(rows('ranked'), byId(RANKED));
  });
});

describe('keys that fit are matched as SQLite compares them', () => {
  it('numeric text finds the integer key ("1.0", " 2 ", "1e0")', () => {
    const { ws, rows } = admin();
    assert.deepEqual(ws({ collection: 'ranked', action: 'read', id: '1.0' }), { type: 'items', data: RANKED[0], uid: 'u' });
    assert.deepEqual(ws({ collection: 'ranked', action: 'read', id: ' 2 ' }), { type: 'items', data: RANKED[1], uid: 'u' });
    assert.deepEqual(ws({ collection: 'ranked', action: 'update', id: '1e0', data: { name: 'X' } }), { type: 'items', data: { ...RANKED[0], name: 'X' }, uid: 'u' });
    assert.equal((rows('ranked')[0] as unknown as { name: string }).name, 'X');
  });

  it('a number finds the string key of its text; a uuid in upper case finds nothing', () => {
    const { ws } = admin();
    assert.deepEqual(ws({ collection: 'codes', action: 'read', id: 10 }), { type: 'items', data: { id: '10', name: 'ten' }, uid: 'u' });
    assert.deepEqual(ws({ collection: 'tokens', action: 'read', id: U1.toUpperCase() }), { type: 'items', status: 'error', error: FORBIDDEN, uid: 'u' });
  });
});
