// The real @directus/sdk `rest()` against standin, in-process (standin's `fetch`) and over a real port,
// and `rest()` writes seen by a `realtime()` subscription of the same client.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
  aggregate, authentication, createDirectus, createItem, createItems, deleteItem, deleteItems, readItem, readItems,
  readSingleton, realtime, rest, staticToken, updateItem, updateItems, updateItemsBatch, updateSingleton,
} from '@directus/sdk';
import { createState, type State } from '../core/index.ts';
import { NodeWebSocket, take } from './sdk-helpers.ts';
import { createStandin } from '../adapters/testing.ts';
import { startServer, type RunningServer } from '../adapters/ws-server.ts';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

/** The first Directus error code of a failed SDK call. */
const codeOf = async (call: Promise<unknown>): Promise<string> => {
  try {
    await call;
  } catch (error) {
    return (error as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code;
  }
  return 'no error';
};

interface Target {
  readonly url: string;
  readonly globals: { fetch?: typeof fetch; WebSocket: typeof globalThis.WebSocket };
  /** A raw request, for what the SDK does not surface (`meta`). */
  readonly fetch: typeof fetch;
}

/** Every `rest()` command the issue names, against one standin (fresh data). */
const restSuite = (target: () => Target) => {
  const admin = () => createDirectus(target().url, { globals: target().globals }).with(staticToken('admin-static-token')).with(rest());

  it('reads with filter, sort, limit, deep, aggregate and groupBy; meta is answered too', async () => {
    const client = admin();
    assert.deepEqual(await client.request(readItems('articles', { filter: { status: { _eq: 'draft' } }, sort: ['-id'], limit: 2, fields: ['id', 'status'] })),
      [{ id: 11, status: 'draft' }, { id: 6, status: 'draft' }]);
    assert.deepEqual(await client.request(readItems('authors', { fields: ['id', { articles: ['id'] }], deep: { articles: { _limit: 1, _sort: ['-id'] } } })),
      [{ id: 1, articles: [{ id: 12 }] }, { id: 2, articles: [{ id: 10 }] }, { id: 3, articles: [{ id: 11 }] }]);
    assert.deepEqual(await client.request(aggregate('articles', { aggregate: { count: '*' }, groupBy: ['status'], query: { sort: ['status'] } } as any)),
      [{ status: 'archived', count: 1 }, { status: 'draft', count: 4 }, { status: 'published', count: 6 }, { status: 'review', count: 1 }]);
    assert.deepEqual(await client.request(readItems('articles', { meta: 'total_count', limit: 1, fields: ['id'] } as any)), [{ id: 1 }]);
    const raw = await target().fetch(`${target().url}/items/articles?meta=total_count,filter_count&filter[rating][_gte]=4&fields=id`, { headers: { Authorization: 'Bearer admin-static-token' } });
    assert.deepEqual(await raw.json(), { meta: { total_count: 12, filter_count: 3 }, data: [{ id: 1 }, { id: 7 }, { id: 8 }] });
  });

  it('reads one item and the singleton; a missing item is FORBIDDEN', async () => {
    const client = admin();
    assert.deepEqual(await client.request(readItem('articles', 3, { fields: ['id', 'title', { author: ['name'] }] })), { id: 3, title: 'Ümlaut Überschrift', author: { name: 'Zoë Ünicode' } });
    assert.deepEqual(await client.request(readSingleton('settings')), { id: 1, site_name: 'Oracle Site' });
    assert.equal(await codeOf(client.request(readItem('articles', 999))), 'FORBIDDEN');
  });

  it('creates, updates (one, keys, query, batch, singleton) and deletes (one, keys, query)', async () => {
    const client = admin();
    assert.deepEqual(await client.request(createItem('articles', { title: 'One' }, { fields: ['id', 'title', 'status'] })), { id: 13, title: 'One', status: 'draft' });
    assert.deepEqual(await client.request(createItems('articles', [{ title: 'Two' }, { title: 'Three' }], { fields: ['id'] })), [{ id: 14 }, { id: 15 }]);
    assert.deepEqual(await client.request(updateItem('articles', 13, { rating: 3 }, { fields: ['id', 'rating'] })), { id: 13, rating: 3 });
    assert.deepEqual(await client.request(updateItems('articles', [14, 15], { status: 'review' }, { fields: ['id', 'status'] })), [{ id: 14, status: 'review' }, { id: 15, status: 'review' }]);
    assert.deepEqual(await client.request(updateItems('articles', { filter: { status: { _eq: 'review' } } }, { rating: 1 }, { fields: ['id', 'rating'] })),
      [{ id: 9, rating: 1 }, { id: 14, rating: 1 }, { id: 15, rating: 1 }]);
    assert.deepEqual(await client.request(updateItemsBatch('articles', [{ id: 13, title: 'Uno' }, { id: 14, title: 'Dos' }], { fields: ['id', 'title'] })), [{ id: 13, title: 'Uno' }, { id: 14, title: 'Dos' }]);
    assert.deepEqual(await client.request(updateSingleton('settings', { site_name: 'Renamed' })), { id: 1, site_name: 'Renamed' });
    assert.equal(await client.request(deleteItem('articles', 13)), null);
    assert.equal(await client.request(deleteItems('articles', [14])), null);
    assert.equal(await client.request(deleteItems('articles', { filter: { title: { _eq: 'Three' } } })), null);
    assert.deepEqual(await client.request(readItems('articles', { filter: { id: { _gte: 13 } }, fields: ['id'] })), []);
  });

  it('logs in (json mode), refreshes and logs out; the JWT works until the session ends', async () => {
    const client = createDirectus(target().url, { globals: target().globals }).with(authentication('json', { autoRefresh: false })).with(rest());
    const login = await client.login({ email: 'reader@example.com', password: 'reader' });
    assert.match(login.access_token!, /^eyJ/);
    assert.deepEqual(await client.request(readItem('articles', 1, { fields: ['id'] })), { id: 1 });
    assert.equal(await codeOf(client.request(readItems('authors'))), 'FORBIDDEN');
    const refreshed = await client.refresh();
    assert.notEqual(refreshed.refresh_token, login.refresh_token);
    assert.deepEqual(await client.request(readItem('articles', 2, { fields: ['id'] })), { id: 2 });
    await client.logout();
    // The SDK forgets its tokens at logout; the ended session refuses the old refresh token.
    assert.equal(await codeOf(client.refresh()), 'INVALID_PAYLOAD');
    const reused = await target().fetch(`${target().url}/auth/refresh`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ refresh_token: refreshed.refresh_token }),
    });
    assert.deepEqual([reused.status, (await reused.json()).errors[0].extensions.code], [401, 'INVALID_CREDENTIALS']);
    assert.equal(await codeOf(client.login({ email: 'reader@example.com', password: 'wrong' })), 'INVALID_CREDENTIALS');
  });

  it('delivers rest() writes to a realtime() subscription of the same client (JWT over WebSocket)', async () => {
    const client = createDirectus(target().url, { globals: target().globals })
      .with(authentication('json', { autoRefresh: false }))
      .with(rest())
      .with(realtime({ authMode: 'handshake', reconnect: false }));
    await client.login({ email: 'admin@example.com', password: 'admin' });
    await client.connect();
    const { subscription, unsubscribe } = await client.subscribe('articles', { query: { fields: ['id', 'title'] } });
    assert.equal((await take(subscription, 1))[0]!['event'], 'init');
    const created = await client.request(createItem('articles', { title: 'Live' }, { fields: ['id'] }));
    const [event] = await take(subscription, 1);
    assert.deepEqual([event!['event'], event!['data']], ['create', [{ id: created['id'], title: 'Live' }]]);
    await client.request(updateItem('articles', created['id'], { title: 'Live, edited' }));
    const [updated] = await take(subscription, 1);
    assert.deepEqual([updated!['event'], updated!['data']], ['update', [{ id: created['id'], title: 'Live, edited' }]]);
    await client.request(deleteItem('articles', created['id']));
    const [deleted] = await take(subscription, 1);
    assert.deepEqual([deleted!['event'], deleted!['data']], ['delete', [String(created['id'])]]);
    unsubscribe();
    client.disconnect();
  });
};

describe('@directus/sdk rest() in-process (standin/testing fetch)', () => {
  let standin: ReturnType<typeof createStandin>;
  before(() => {
    standin = createStandin({ data: fixture('db.json'), schema: fixture('schema.json') });
  });
  after(() => standin.close());
  restSuite(() => ({ url: 'http://standin.test', globals: { fetch: standin.fetch, WebSocket: standin.WebSocket }, fetch: standin.fetch }));
});

describe('@directus/sdk rest() over a real port', () => {
  let server: RunningServer;
  before(async () => {
    const state = createState({ data: fixture('db.json'), schema: fixture('schema.json'), seed: 9 }) as State;
    server = await startServer({ state, port: 0, host: '127.0.0.1' });
  });
  after(() => server.close());
  restSuite(() => ({
    url: `http://127.0.0.1:${server.port}`,
    globals: { WebSocket: NodeWebSocket },
    fetch: globalThis.fetch,
  }));
});
