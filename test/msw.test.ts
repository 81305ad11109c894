// standin/msw under `setupServer` (node --test): the real @directus/sdk, REST and realtime answered
// by one in-process standin through MSW's interceptors; no port anywhere.
import '../examples/live-app/test/node20.ts';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createDirectus, createItem, readItems, realtime, rest, staticToken } from '@directus/sdk';
import { setupServer } from 'msw/node';
import { createMswStandin } from '../adapters/msw.ts';
import { dataToJson } from '../core/index.ts';

const data = JSON.parse(readFileSync(new URL('../examples/db.json', import.meta.url), 'utf8'));
const URL_ = 'http://directus.test';

describe('standin/msw with setupServer', () => {
  const directus = createMswStandin({ url: URL_, data });
  const server = setupServer(...directus.handlers);
  const seeded = directus.snapshot();
  // The SDK reads globalThis.fetch and .WebSocket when it is imported, before MSW patched them.
  const connect = () => createDirectus(URL_, { globals: { fetch: globalThis.fetch, WebSocket: globalThis.WebSocket } })
    .with(staticToken('admin-token')).with(rest()).with(realtime({ reconnect: false }));
  let client: ReturnType<typeof connect>;

  before(() => server.listen({ onUnhandledFrame: 'error' }));
  beforeEach(() => directus.reset(seeded));
  after(() => {
    client?.disconnect();
    server.close();
    directus.close();
  });

  it('answers REST reads and writes with Directus semantics', async () => {
    client = connect();
    const posts = await client.request(readItems('posts', { fields: ['id', 'title'], filter: { status: { _eq: 'published' } } }));
    assert.deepEqual(posts, [{ id: 1, title: 'Hello standin' }, { id: 3, title: 'Realtime with Directus SDK' }]);
    assert.deepEqual(await client.request(createItem('posts', { title: 'Via MSW' }, { fields: ['id', 'title'] })), { id: 4, title: 'Via MSW' });
    assert.equal((dataToJson(directus.state.schema, directus.snapshot())['posts'] as unknown[]).length, 4);
  });

  it('starts each test from the seed again', async () => {
    assert.deepEqual(await client.request(createItem('posts', { title: 'Again' }, { fields: ['id'] })), { id: 4 });
  });

  it('a subscription sees 1,000 creates (REST and in-process) in order, none lost', async () => {
    await client.connect();
    const { subscription } = await client.subscribe('posts', { query: { fields: ['id'] } });
    const seen: number[] = [];
    const done = (async () => {
      for await (const message of subscription) {
        if (message.event === 'create') seen.push(...(message.data as { id: number }[]).map((post) => post.id));
        if (seen.length === 1000) return;
      }
    })();
    // Half through MSW's fetch, half straight into the standin, interleaved and all in flight at once.
    const writes = Array.from({ length: 1000 }, (_, i) => i % 2 === 0
      ? client.request(createItem('posts', { title: `msw ${i}` }))
      : directus.fetch(`${URL_}/items/posts`, {
        method: 'POST', headers: { authorization: 'Bearer admin-token', 'content-type': 'application/json' }, body: JSON.stringify({ title: `test ${i}` }),
      }));
    await Promise.all(writes);
    await done;
    assert.deepEqual(seen, Array.from({ length: 1000 }, (_, i) => i + 4));
  });

  it('failNext answers the next realtime request with the given Directus error', async () => {
    directus.failNext('SERVICE_UNAVAILABLE', 'Try later.');
    // The SDK's generator throws the error frame on its first pull.
    const { subscription } = await client.subscribe('posts');
    await assert.rejects(subscription.next(), { type: 'subscribe', status: 'error', error: { code: 'SERVICE_UNAVAILABLE', message: 'Try later.' } });
  });

  it('refuses a socket whose token is wrong, as Directus refuses the upgrade', async () => {
    const socket = new globalThis.WebSocket(`${URL_.replace('http', 'ws')}/websocket?access_token=wrong`);
    const closed = await new Promise<{ code: number; opened: boolean }>((resolve) => {
      let opened = false;
      socket.onopen = () => (opened = true);
      socket.onclose = (event) => resolve({ code: event.code, opened });
    });
    assert.deepEqual(closed, { code: 1006, opened: false });
  });
});
