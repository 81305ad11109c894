// The real @directus/sdk against standin: in-process (fake WebSocket, no port) and over a real socket.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { createDirectus, realtime, staticToken } from '@directus/sdk';
import { createState, type State } from '../core/index.ts';
import { OneFramePerTask, request, take } from './sdk-helpers.ts';
import { createStandin } from '../adapters/testing.ts';
import { startServer, type RunningServer } from '../adapters/ws-server.ts';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

const clientFor = (url: string, WebSocketClass: unknown, token = 'admin-static-token') =>
  createDirectus(url, { globals: { WebSocket: WebSocketClass as typeof globalThis.WebSocket } })
    .with(staticToken(token))
    .with(realtime({ authMode: 'handshake', reconnect: false }));

describe('@directus/sdk in-process (standin/testing)', () => {
  it('authenticates, runs CRUD, receives subscription events, and resets between tests', async () => {
    const standin = createStandin({ data: fixture('db.json'), schema: fixture('schema.json') });
    const clean = standin.snapshot();
    const writer = clientFor('http://standin.test', standin.WebSocket);
    const watcher = clientFor('http://standin.test', standin.WebSocket);
    await writer.connect();
    await watcher.connect();

    const { subscription, unsubscribe } = await watcher.subscribe('articles', {
      query: { fields: ['id', 'title'], filter: { status: { _eq: 'published' } } },
    });
    const init = await take(subscription, 1);
    assert.equal(init[0]!['event'], 'init');
    assert.equal(init[0]!['data'].length, 6);

    // The SDK's generator only sees messages while it is being pulled: pull before writing.
    const pending = take(subscription, 1);
    const created = await request(writer, { type: 'items', collection: 'articles', action: 'create', data: { title: 'Live', status: 'published' }, query: { fields: ['id'] } });
    assert.deepEqual(created['data'], { id: 13 });
    const [event] = await pending;
    assert.deepEqual(event, { type: 'subscription', event: 'create', data: [{ id: 13, title: 'Live' }], uid: init[0]!['uid'] });

    const read = await request(writer, { type: 'items', collection: 'articles', action: 'read', query: { filter: { title: { _eq: 'Live' } }, fields: ['id'] } });
    assert.deepEqual(read['data'], [{ id: 13 }]);
    unsubscribe();

    standin.reset(clean);
    const afterReset = await request(writer, { type: 'items', collection: 'articles', action: 'read', query: { filter: { title: { _eq: 'Live' } }, fields: ['id'] } });
    assert.deepEqual(afterReset['data'], []);
    assert.ok(standin.log.some((f) => f.direction === 'in' && f.text.includes('"create"')));

    writer.disconnect();
    watcher.disconnect();
    standin.close();
  });

  it('can make the next reply fail, for testing error paths', async () => {
    const standin = createStandin({ data: fixture('db.json'), schema: fixture('schema.json') });
    const client = clientFor('http://standin.test', standin.WebSocket);
    await client.connect();
    standin.failNext('SERVICE_UNAVAILABLE', 'Down for the test.');
    const reply = await request(client, { type: 'items', collection: 'articles', action: 'read' });
    assert.deepEqual(reply['error'], { code: 'SERVICE_UNAVAILABLE', message: 'Down for the test.' });
    const next = await request(client, { type: 'items', collection: 'articles', action: 'read', id: 1, query: { fields: ['id'] } });
    assert.deepEqual(next['data'], { id: 1 });
    client.disconnect();
    standin.close();
  });
});

describe('@directus/sdk over a real socket', () => {
  let server: RunningServer;
  before(async () => {
    const state = createState({ data: fixture('db.json'), schema: fixture('schema.json'), seed: 7 }) as State;
    server = await startServer({ state, port: 0, host: '127.0.0.1' });
  });
  after(() => server.close());

  it('sees writes made on another connection as subscription events', async () => {
    const url = `http://127.0.0.1:${server.port}`;
    const writer = clientFor(url, OneFramePerTask);
    const reader = clientFor(url, OneFramePerTask, 'reader-static-token');
    await writer.connect();
    await reader.connect();
    const { subscription } = await reader.subscribe('articles', { event: 'update', query: { fields: ['id', 'rating'] } });
    assert.equal((await take(subscription, 1))[0]!['event'], 'init');
    const pending = take(subscription, 1);
    await request(writer, { type: 'items', collection: 'articles', action: 'update', id: 3, data: { rating: 5 } });
    const [event] = await pending;
    assert.deepEqual(event!['data'], [{ id: 3, rating: 5 }]);
    const denied = await request(reader, { type: 'items', collection: 'authors', action: 'read' });
    assert.equal(denied['error'].code, 'FORBIDDEN');
    writer.disconnect();
    reader.disconnect();
  });
});
