// The real @directus/sdk realtime() client against the real server over 127.0.0.1, in every auth mode.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { afterEach, describe, it } from 'node:test';
import { auth, createDirectus, realtime, staticToken } from '@directus/sdk';
import { createState, type AuthMode, type State } from '../core/index.ts';
import { next, NodeWebSocket, request, take } from './sdk-helpers.ts';
import { startServer, type RunningServer } from '../adapters/ws-server.ts';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const serve = async (authMode: AuthMode, port = 0, state?: State): Promise<RunningServer> => {
  const initial = state ?? (createState({ data: fixture('db.json'), schema: fixture('schema.json'), seed: 3, config: { authMode, heartbeatPeriod: 0 } }) as State);
  const server = await startServer({ state: initial, port, host: '127.0.0.1' });
  servers.push(server);
  return server;
};

const client = (port: number, mode: AuthMode, token?: string, reconnect: false | { delay: number; retries: number } = false) => {
  const base = createDirectus(`http://127.0.0.1:${port}`, { globals: { WebSocket: NodeWebSocket } });
  return (token ? base.with(staticToken(token)) : base).with(realtime({ authMode: mode, reconnect }));
};

describe('@directus/sdk realtime() over a real socket', () => {
  it('strict mode: the token travels in the URL; a client without one is refused', async () => {
    const server = await serve('strict');
    const ok = client(server.port, 'strict', 'reader-static-token');
    await ok.connect();
    const read = await request(ok, { type: 'items', collection: 'articles', action: 'read', id: 2, query: { fields: ['id', 'status'] } });
    assert.deepEqual(read['data'], { id: 2, status: 'draft' });
    ok.disconnect();
    const anonymous = client(server.port, 'strict');
    await assert.rejects(anonymous.connect());
  });

  it('public mode: reads are public until the app authenticates with email and password', async () => {
    const server = await serve('public');
    const c = client(server.port, 'public');
    await c.connect();
    const denied = await request(c, { type: 'items', collection: 'articles', action: 'read', id: 1 });
    assert.equal(denied['error'].code, 'FORBIDDEN');
    const ok = next(c, (m) => m['type'] === 'auth');
    c.sendMessage(auth({ email: 'admin@example.com', password: 'admin' }));
    const reply = await ok;
    assert.equal(reply['status'], 'ok');
    assert.equal(typeof reply['refresh_token'], 'string');
    const allowed = await request(c, { type: 'items', collection: 'authors', action: 'read', id: 2, query: { fields: ['name'] } });
    assert.deepEqual(allowed['data'], { name: 'bob stone' });
    c.disconnect();
  });

  it('handshake mode: a filtered subscription gets exactly the matching events from another connection', async () => {
    const server = await serve('handshake');
    const watcher = client(server.port, 'handshake', 'reader-static-token');
    const writer = client(server.port, 'handshake', 'admin-static-token');
    await watcher.connect();
    await writer.connect();
    const { subscription, unsubscribe } = await watcher.subscribe('articles', {
      query: { fields: ['id', 'status'], filter: { status: { _eq: 'review' } } },
    });
    const [init] = await take(subscription, 1);
    assert.deepEqual(init!['data'], [{ id: 9, status: 'review' }]);
    // The SDK's generator only sees messages while it is being pulled: pull before writing.
    const pending = take(subscription, 2);
    await request(writer, { type: 'items', collection: 'articles', action: 'update', id: 1, data: { title: 'ignored: not in review' } });
    await request(writer, { type: 'items', collection: 'articles', action: 'update', id: 2, data: { status: 'review' } });
    await request(writer, { type: 'items', collection: 'articles', action: 'delete', id: 9 });
    const events = await pending;
    assert.deepEqual(events.map((e) => [e['event'], e['data']]), [
      ['update', [{ id: 2, status: 'review' }]],
      ['delete', [9]],
    ]);
    unsubscribe();
    const afterUnsubscribe = await request(writer, { type: 'items', collection: 'articles', action: 'create', data: { status: 'review' }, query: { fields: ['id'] } });
    assert.deepEqual(afterUnsubscribe['data'], { id: 13 });
    writer.disconnect();
    watcher.disconnect();
  });

  it('survives a server restart: the SDK reconnects and re-subscribes without duplicate events', async () => {
    const first = await serve('handshake');
    const port = first.port;
    const watcher = client(port, 'handshake', 'admin-static-token', { delay: 100, retries: 20 });
    await watcher.connect();
    const { subscription } = await watcher.subscribe('authors', { event: 'create', query: { fields: ['name'] } });
    await take(subscription, 1);
    // Restart on the same port with the same data; connections are gone.
    const kept = { ...first.state(), connections: {}, heartbeatScheduled: false };
    await first.close();
    servers.splice(servers.indexOf(first), 1);
    const second = await serve('handshake', port, kept);
    // The SDK re-sends each subscription (twice, same uid): standin replaces, so one init is enough.
    await take(subscription, 1);
    await new Promise((r) => setTimeout(r, 200));
    const writer = client(port, 'handshake', 'admin-static-token');
    await writer.connect();
    const pending = take(subscription, 1);
    await request(writer, { type: 'items', collection: 'authors', action: 'create', data: { name: 'After restart' } });
    const [event] = await pending;
    assert.deepEqual(event!['data'], [{ name: 'After restart' }]);
    const subs = Object.values(second.state().connections).flatMap((c) => c.subscriptions);
    assert.equal(subs.length, 1, 'one subscription on the server, not one per re-send');
    const extra = await Promise.race([take(subscription, 1), new Promise((r) => setTimeout(() => r('none'), 300))]);
    assert.equal(extra, 'none', 'no duplicate event');
    writer.disconnect();
    watcher.disconnect();
  });
});
