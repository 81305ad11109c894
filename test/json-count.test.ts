// `count()` over a json field is SQLite's json_array_length in fields, sort and filter alike, and a
// row whose text is no JSON fails the query where SQLite reads it. Every expected reply is what
// Directus 12.4 sent for the same request (tools/differential/probe.ts on the `content` fixture);
// a 500's message is Directus's without the select statement it names.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { driver, rest } from './differential-driver.ts';

// Directus's 500 names the select knex sent, its values inlined, before SQLite's words.
const malformed = (statement: string) =>
  ({ status: 500, body: { errors: [{ message: `${statement} - SQLITE_ERROR: malformed JSON`, extensions: { code: 'INTERNAL_SERVER_ERROR' } }] } });
const titles = (...names: string[]) => ({ status: 200, body: { data: names.map((title) => ({ title })) } });

describe('count() over a json field', () => {
  const withValues = () => {
    const d = driver('content');
    // Fixture: Home {nav: true}, About null, Draft page {nav: false, order: 3}, Contact [].
    const created = rest(d, 'POST', '/items/pages?fields=title', 'admin-token', [
      { title: 'num', meta: 5 }, { title: 'o1', meta: { a: [1] } }, { title: 'n1', meta: [[1], [2], 3, 4, 5] },
      { title: 's2', meta: '[1,2,3]' }, { title: 't', meta: true }, { title: 'q', meta: '"[1]"' }, { title: 'f', meta: 1.5 },
    ]);
    assert.equal(created.status, 200);
    return d;
  };

  it('is null for null, the length of an array, 0 for any other JSON (objects, numbers, booleans, strings)', () => {
    const d = withValues();
    assert.deepEqual(rest(d, 'GET', '/items/pages?fields=title,count(meta)&sort=count(meta),title', 'admin-token'), {
      status: 200,
      body: { data: [
        { title: 'About', meta_count: null }, { title: 'Contact', meta_count: 0 }, { title: 'Draft page', meta_count: 0 },
        { title: 'Home', meta_count: 0 }, { title: 'f', meta_count: 0 }, { title: 'num', meta_count: 0 }, { title: 'o1', meta_count: 0 },
        { title: 'q', meta_count: 0 }, { title: 't', meta_count: 0 }, { title: 's2', meta_count: 3 }, { title: 'n1', meta_count: 5 },
      ] },
    });
    assert.deepEqual(rest(d, 'GET', '/items/pages?fields=title&sort=-count(meta),title', 'admin-token'),
      titles('n1', 's2', 'Contact', 'Draft page', 'Home', 'f', 'num', 'o1', 'q', 't', 'About'));
  });

  it('filters by the same values', () => {
    const d = withValues();
    assert.deepEqual(rest(d, 'GET', '/items/pages?fields=title&filter[count(meta)][_eq]=0&sort=title', 'admin-token'),
      titles('Contact', 'Draft page', 'Home', 'f', 'num', 'o1', 'q', 't'));
    assert.deepEqual(rest(d, 'GET', '/items/pages?fields=title&filter[count(meta)][_null]=true&sort=title', 'admin-token'), titles('About'));
  });

  it('fails on text that is no JSON where SQLite reads it: the page\'s fields, every row sorted, filter terms in order', () => {
    const d = driver('content');
    assert.deepEqual(rest(d, 'POST', '/items/pages?fields=title', 'admin-token', { title: 'bad', meta: 'abc' }), { status: 200, body: { data: { title: 'bad' } } });
    // Fields are computed for the page only.
    assert.deepEqual(rest(d, 'GET', '/items/pages?fields=title,count(meta)&limit=1&sort=title', 'admin-token'),
      { status: 200, body: { data: [{ title: 'About', meta_count: null }] } });
    assert.deepEqual(rest(d, 'GET', '/items/pages?fields=title,count(meta)&filter[title][_eq]=bad', 'admin-token'),
      malformed("select `pages`.`title`, json_array_length(`pages`.`meta`, '$') AS `meta_count`, `pages`.`id` from `pages` where `pages`.`title` = 'bad' order by `pages`.`id` asc limit 100"));
    // A sort reads every row the filter kept.
    assert.deepEqual(rest(d, 'GET', '/items/pages?fields=title&sort=count(meta)', 'admin-token'),
      malformed("select `pages`.`title`, `pages`.`id` from `pages` order by json_array_length(`pages`.`meta`, '$') asc limit 100"));
    assert.deepEqual(rest(d, 'GET', '/items/pages?fields=title&sort=count(meta)&filter[title][_neq]=bad', 'admin-token'),
      titles('About', 'Home', 'Draft page', 'Contact'));
    // Filter terms are read in order and short-circuit.
    assert.deepEqual(rest(d, 'GET', '/items/pages?fields=title&filter[_and][0][title][_eq]=Home&filter[_and][1][count(meta)][_eq]=0', 'admin-token'), titles('Home'));
    assert.deepEqual(rest(d, 'GET', '/items/pages?fields=title&filter[title][_eq]=Home&filter[count(meta)][_eq]=0', 'admin-token'), titles('Home'));
    assert.deepEqual(rest(d, 'GET', '/items/pages?fields=title&filter[_and][0][count(meta)][_eq]=0&filter[_and][1][title][_eq]=Home', 'admin-token'),
      malformed("select `pages`.`title`, `pages`.`id` from `pages` where (json_array_length(`pages`.`meta`, '$') = 0 and `pages`.`title` = 'Home') order by `pages`.`id` asc limit 100"));
    assert.deepEqual(rest(d, 'GET', '/items/pages?fields=title&filter[_or][0][title][_eq]=bad&filter[_or][1][count(meta)][_eq]=1', 'admin-token'), titles('bad'));
    // Over WebSocket the failed query answers nothing.
    assert.deepEqual(d.frames('A', { type: 'items', action: 'read', collection: 'pages', uid: 'r', query: { sort: ['count(meta)'], fields: ['title'] } }), []);
  });
});

describe('count() over a json field in a subscription\'s filter', () => {
  it('reads related rows as they are at each event, not as they were when the subscription was made', () => {
    const d = driver('content');
    const filter = { 'count(meta)': { _eq: 2 }, blocks: { _some: { collection: { _eq: 'block_text' } } } };
    assert.deepEqual(d.frames('A', { type: 'subscribe', collection: 'pages', query: { fields: ['title'], filter }, uid: 's1' }),
      [{ type: 'subscription', event: 'init', data: [], uid: 's1' }]);
    // The page and its block are created together: only the data after the write holds the block.
    const frames = d.frames('A', {
      type: 'items', collection: 'pages', action: 'create', uid: 'w1', query: { fields: ['title'] },
      data: { title: 'New', meta: [1, 2], blocks: [{ collection: 'block_text', item: '00000001-b000-4000-8000-000000000000' }] },
    });
    assert.deepEqual(frames, [
      { type: 'items', data: { title: 'New' }, uid: 'w1' },
      { type: 'subscription', event: 'create', data: [{ title: 'New' }], uid: 's1' },
    ]);
  });
});
