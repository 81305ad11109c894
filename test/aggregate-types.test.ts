// Aggregates are computed over the values as SQLite holds them (dates as ms, booleans as 1/0, json
// and csv as text) and read back through the field's type, as Directus does: a count over a timestamp
// comes back as a timestamp. Expected frames are what a live Directus 12.4 (SQLite) sent.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Driver, fixtureState, typedState } from './driver.ts';

const FIELDS = ['id', 's', 't', 'i', 'bi', 'f', 'dec', 'b', 'j', 'c', 'u', 'ts', 'dt', 'd', 'tm'];

const read = (query: object) => {
  const d = new Driver(typedState()).admin();
  return (d.reply('A', { type: 'items', collection: 'typed', action: 'read', uid: 'u', query }) as { data: unknown }).data;
};

describe('aggregates cast through the field type', () => {
  it('count and countDistinct', () => {
    assert.deepEqual(read({ aggregate: { count: FIELDS } }), [{ count: {
      id: 4, s: 4, t: 3, i: 4, bi: 3, f: 3, dec: 3, b: 3, j: 3, c: 3, u: 2,
      ts: '1970-01-01T00:00:00.003Z', dt: '1970-01-01T00:00:00', d: '1970-01-01', tm: 3,
    } }]);
    assert.deepEqual(read({ aggregate: { countDistinct: FIELDS } }), [{ countDistinct: {
      id: 4, s: 3, t: 3, i: 3, bi: 3, f: 3, dec: 3, b: 2, j: 3, c: 3, u: 2,
      ts: '1970-01-01T00:00:00.003Z', dt: '1970-01-01T00:00:00', d: '1970-01-01', tm: 3,
    } }]);
  });

  it('sum and avg read text by its numeric prefix and dates as instants', () => {
    assert.deepEqual(read({ aggregate: { sum: FIELDS } }), [{ sum: {
      id: 10, s: 0, t: 0, i: 19, bi: 12345678911, f: -6, dec: 102.75, b: 2, j: 0, c: 0, u: 8,
      ts: '2132-09-12T09:59:59.500Z', dt: '2132-09-12T18:29:59', d: '2132-09-11', tm: 41,
    } }]);
    assert.deepEqual(read({ aggregate: { avg: FIELDS } }), [{ avg: {
      id: 2.5, s: 0, t: 0, i: 4.75, bi: 4115226303.6666665, f: -2, dec: 34.25, b: 0.6666666666666666, j: 0, c: 0, u: 4,
      ts: '2024-03-26T03:19:59.833Z', dt: '2024-03-26T06:09:59', d: '2024-03-25', tm: 13.666666666666666,
    } }]);
  });

  it('min and max compare as SQLite does and come back in the field type', () => {
    assert.deepEqual(read({ aggregate: { min: FIELDS } }), [{ min: {
      id: 1, s: 'alpha', t: 'first text', i: -3, bi: 3, f: -7.75, dec: 0.5, b: false, j: [1, 'two'], c: [],
      u: '0c9b1a2e-3d4f-4a5b-8c6d-7e8f9a0b1c2d', ts: '2023-06-30T23:59:59.500Z', dt: '2023-06-30T23:59:59', d: '2023-06-30', tm: '08:30:00',
    } }]);
    assert.deepEqual(read({ aggregate: { max: FIELDS } }), [{ max: {
      id: 4, s: 'gamma', t: 'x', i: 12, bi: 12345678901, f: 1.5, dec: 100, b: true, j: { a: 1, list: [1, 2] }, c: ['z'],
      u: '8a6a3b54-2f0e-4b55-9a6a-3e7d1c2b9f10', ts: '2025-03-01T00:00:00.000Z', dt: '2025-03-01T08:30:00', d: '2025-03-01', tm: '23:59:59',
    } }]);
  });

  it('groups order json and csv keys by their stored text', () => {
    assert.deepEqual(read({ groupBy: ['j'], aggregate: { count: '*' } }), [
      { j: null, count: 1 }, { j: [1, 'two'], count: 1 }, { j: 'plain', count: 1 }, { j: { a: 1, list: [1, 2] }, count: 1 },
    ]);
    assert.deepEqual(read({ groupBy: ['c'], aggregate: { count: '*' } }), [
      { c: null, count: 1 }, { c: [], count: 1 }, { c: ['x', 'y'], count: 1 }, { c: ['z'], count: 1 },
    ]);
  });
});

describe('aggregates on the conformance fixture (relations)', () => {
  const ask = (collection: string, query: object) => new Driver(fixtureState()).admin().frames('A', { type: 'items', collection, action: 'read', uid: 'u', query });

  it('a relational filter joins: count(name) counts a row per matching article', () => {
    assert.deepEqual(ask('authors', { aggregate: { count: ['name'] }, filter: { articles: { rating: { _gte: 3 } } } }), [{ type: 'items', data: [{ count: { name: 5 } }], uid: 'u' }]);
  });

  it('a timestamp aggregate comes back as a timestamp, a json one through cast-json', () => {
    assert.deepEqual(ask('articles', { aggregate: { max: ['published_at'], count: ['published_at'], sum: ['published_at'] } }), [{
      type: 'items',
      data: [{ max: { published_at: '2099-12-31T12:00:00.000Z' }, count: { published_at: '1970-01-01T00:00:00.008Z' }, sum: { published_at: '2458-11-22T20:10:09.000Z' } }],
      uid: 'u',
    }]);
    assert.deepEqual(ask('articles', { aggregate: { min: ['tags'], count: ['tags'] } }), [{ type: 'items', data: [{ min: { tags: ['animals'] }, count: { tags: 11 } }], uid: 'u' }]);
  });

  it('an alias field or a relational path is no column: no reply at all', () => {
    assert.deepEqual(ask('authors', { aggregate: { count: ['articles'] } }), []);
    assert.deepEqual(ask('articles', { aggregate: { count: ['author.name'] } }), []);
  });
});
