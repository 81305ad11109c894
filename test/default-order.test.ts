// Without `sort`, a collection with a sort field (`meta.sort_field`) is read in that field's order
// (NULL first, ties by key), else by primary key: reads, paging, by-query writes, the read-back of
// created items, subscriptions. Expected frames are what a live Directus 12.4 (SQLite) sent.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Driver, typedState } from './driver.ts';

const BY_SORT = [
  { id: 4, sort: null, name: 'four', score: 30 }, { id: 2, sort: 1, name: 'two', score: 20 },
  { id: 5, sort: 1, name: 'five', score: 20 }, { id: 3, sort: 2, name: 'three', score: 10 },
  { id: 1, sort: 3, name: 'one', score: 10 }, { id: 6, sort: 5, name: 'six', score: null },
];

const admin = () => {
  const d = new Driver(typedState()).admin();
  return { d, ws: (message: object) => d.reply('A', { type: 'items', uid: 'u', ...message }) };
};

describe('default order of a collection with a sort field', () => {
  it('reads and pages by the sort field', () => {
    const { ws } = admin();
    assert.deepEqual(ws({ collection: 'ranked', action: 'read' }), { type: 'items', data: BY_SORT, uid: 'u' });
    assert.deepEqual(ws({ collection: 'ranked', action: 'read', query: { limit: 2, page: 2, fields: ['id'] } }), { type: 'items', data: [{ id: 5 }, { id: 3 }], uid: 'u' });
  });

  it('a by-query update touches the first rows in that order and reads them back in it', () => {
    const { ws } = admin();
    assert.deepEqual(ws({ collection: 'ranked', action: 'update', query: { limit: 2 }, data: { name: 'X' } }), {
      type: 'items', data: [{ id: 4, sort: null, name: 'X', score: 30 }, { id: 2, sort: 1, name: 'X', score: 20 }], uid: 'u',
    });
  });

  it('created items are read back in that order', () => {
    const { ws } = admin();
    assert.deepEqual(ws({ collection: 'ranked', action: 'create', data: [{ name: 'a', sort: 9 }, { name: 'b', sort: 0 }, { name: 'c', sort: 4 }] }), {
      type: 'items',
      data: [{ id: 8, sort: 0, name: 'b', score: null }, { id: 9, sort: 4, name: 'c', score: null }, { id: 7, sort: 9, name: 'a', score: null }],
      uid: 'u',
    });
  });

  it('a subscription starts in that order', () => {
    const { d } = admin();
    assert.deepEqual(d.reply('A', { type: 'subscribe', collection: 'ranked', uid: 's', query: { fields: ['id', 'sort'] } }), {
      type: 'subscription', event: 'init', data: BY_SORT.map(({ id, sort }) => ({ id, sort })), uid: 's',
    });
  });

  it('groups come ordered by every group key', () => {
    const { ws } = admin();
    assert.deepEqual(ws({ collection: 'ranked', action: 'read', query: { groupBy: ['score', 'sort'], aggregate: { count: '*' } } }), {
      type: 'items',
      data: [
        { score: null, sort: 5, count: 1 }, { score: 10, sort: 2, count: 1 }, { score: 10, sort: 3, count: 1 },
        { score: 20, sort: 1, count: 2 }, { score: 30, sort: null, count: 1 },
      ],
      uid: 'u',
    });
  });

  it('a collection without a sort field keeps primary-key order', () => {
    const { ws } = admin();
    assert.deepEqual(ws({ collection: 'codes', action: 'read', query: { fields: ['id'] } }), {
      type: 'items', data: [{ id: '10' }, { id: '9' }, { id: 'a' }, { id: 'b' }, { id: 'c' }], uid: 'u',
    });
  });
});
