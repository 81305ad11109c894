// standin/testing: the in-process fake Directus, imported by its package name as a user would.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { describe, it, mock } from 'node:test';
import { createDirectus, realtime, staticToken } from '@directus/sdk';
import { createStandin } from 'standin/testing';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const options = () => ({ data: fixture('db.json'), schema: fixture('schema.json') });
type Message = Record<string, any>;

const clientFor = (WebSocket: typeof globalThis.WebSocket, token = 'admin-static-token') =>
  createDirectus('http://standin.invalid', { globals: { WebSocket } })
    .with(staticToken(token))
    .with(realtime({ authMode: 'handshake', reconnect: false }));

/** Sends a message with a uid and resolves with the reply carrying it. */
const request = (client: ReturnType<typeof clientFor>, message: Message): Promise<Message> =>
  new Promise((resolve) => {
    const off = client.onWebSocket('message', (reply: Message) => {
      if (reply['uid'] === message['uid']) {
        off();
        resolve(reply);
      }
    });
    client.sendMessage(message);
  });

/** A raw socket's frames, and a promise for the next one. */
const raw = (socket: WebSocket) => {
  const frames: string[] = [];
  const waiting: ((text: string) => void)[] = [];
  socket.addEventListener('message', (event) => {
    frames.push(event.data);
    waiting.shift()?.(event.data);
  });
  return {
    frames,
    next: () => new Promise<string>((resolve) => waiting.push(resolve)),
    opened: new Promise((resolve) => socket.addEventListener('open', resolve)),
    closed: new Promise<CloseEvent>((resolve) => socket.addEventListener('close', resolve)),
  };
};

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

/** TCP and UDP handles: what would show a port or a connection. */
const network = () => process.getActiveResourcesInfo().filter((r) => /TCP|UDP/.test(r)).sort();

describe('standin/testing', () => {
  it('runs the SDK with no port and no connection', async () => {
    const listen = mock.method(net.Server.prototype, 'listen');
    const connect = mock.method(net.Socket.prototype, 'connect');
    const networkBefore = network();
    const standin = createStandin(options());
    const client = clientFor(standin.WebSocket);
    try {
      await client.connect();
      const created = await request(client, { type: 'items', collection: 'authors', action: 'create', data: { name: 'Nobody' }, uid: 'c' });
      assert.equal(created['data'].name, 'Nobody');
      assert.deepEqual(network(), networkBefore);
      assert.equal(listen.mock.callCount(), 0);
      assert.equal(connect.mock.callCount(), 0);
    } finally {
      client.disconnect();
      standin.close();
      listen.mock.restore();
      connect.mock.restore();
    }
  });

  it('close() stops its timers, held-back messages and sockets: nothing is left running', async (t) => {
    // Every timer set from here on, until it fires or is cleared (other tests' SDK timers may still run).
    const live = new Set<ReturnType<typeof setTimeout>>();
    const { setTimeout: realSet, clearTimeout: realClear } = globalThis;
    t.mock.method(globalThis, 'setTimeout', (fn: () => void, ms?: number) => {
      const timer = realSet(() => {
        live.delete(timer);
        fn();
      }, ms);
      live.add(timer);
      return timer;
    });
    t.mock.method(globalThis, 'clearTimeout', (timer: ReturnType<typeof setTimeout>) => {
      live.delete(timer);
      realClear(timer);
    });
    const standin = createStandin({ ...options(), auth: { authMode: 'handshake', heartbeatPeriod: 50, authTimeout: 60_000 } });
    const authed = new standin.WebSocket('ws://standin.invalid/websocket');
    const a = raw(authed);
    const pending = new standin.WebSocket('ws://standin.invalid/websocket');
    await a.opened;
    authed.send('{"type":"auth","access_token":"admin-static-token"}');
    await a.next();
    standin.delayNext(60_000);
    authed.send('{"type":"items","collection":"articles","action":"read","uid":"held"}');
    assert.ok([...live].some((timer) => timer.hasRef()), 'the held-back message waits on a timer');
    assert.ok([...live].some((timer) => !timer.hasRef()), 'the heartbeat timer never keeps a process alive');
    standin.close();
    const [closedA, closedB] = await Promise.all([a.closed, raw(pending).closed]);
    assert.equal(closedA.code, 1005);
    assert.equal(closedB.code, 1005);
    assert.equal(live.size, 0);
    await turns(2);
    assert.equal(a.frames.length, 1);
  });

  it('lets a script that uses it end on its own, without process.exit', () => {
    const script = `
      import { createDirectus, realtime, staticToken } from '@directus/sdk';
      import { readFileSync } from 'node:fs';
      import { createStandin } from 'standin/testing';
      const data = JSON.parse(readFileSync('test/fixtures/db.json', 'utf8'));
      const standin = createStandin({ data, auth: 'strict' });
      const client = createDirectus('http://x', { globals: { WebSocket: standin.WebSocket } })
        .with(staticToken('admin-static-token')).with(realtime({ authMode: 'strict' }));
      await client.connect();
      const { subscription } = await client.subscribe('authors', { query: { fields: ['id'] } });
      console.log(JSON.stringify((await subscription.next()).value.data));
      standin.failNext();
      standin.delayNext(60_000);
      client.disconnect();
      standin.close();`;
    const started = Date.now();
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: new URL('..', import.meta.url), encoding: 'utf8', timeout: 20_000,
    });
    assert.equal(result.stderr, '');
    assert.equal(result.stdout, '[{"id":1},{"id":2},{"id":3}]\n');
    assert.equal(result.status, 0);
    assert.ok(Date.now() - started < 15_000, 'exits without waiting for any timer');
  });

  it('delivers every frame as its own task, as a browser does', async () => {
    const standin = createStandin({ ...options(), auth: { authMode: 'strict' } });
    const socket = new standin.WebSocket('ws://standin.invalid/websocket?access_token=admin-static-token');
    const order: string[] = [];
    socket.addEventListener('message', (event) => {
      order.push(JSON.parse(event.data).uid);
      queueMicrotask(() => order.push('microtask'));
    });
    await new Promise((resolve) => socket.addEventListener('open', resolve));
    for (const uid of ['a', 'b', 'c']) socket.send(JSON.stringify({ type: 'ping', uid }));
    await turns(5);
    assert.deepEqual(order, ['a', 'microtask', 'b', 'microtask', 'c', 'microtask']);
    standin.close();
  });

  it('logs every frame exchanged, in order, with its connection', async () => {
    const standin = createStandin(options());
    const socket = new standin.WebSocket('ws://standin.invalid/websocket');
    const s = raw(socket);
    await s.opened;
    socket.send('{"type":"auth","access_token":"reader-static-token"}');
    await s.next();
    socket.send('{"type":"items","collection":"articles","action":"read","id":1,"query":{"fields":["title"]},"uid":1}');
    await s.next();
    assert.deepEqual(standin.log, [
      { direction: 'in', conn: 't1', text: '{"type":"auth","access_token":"reader-static-token"}' },
      { direction: 'out', conn: 't1', text: '{"type":"auth","status":"ok"}' },
      { direction: 'in', conn: 't1', text: '{"type":"items","collection":"articles","action":"read","id":1,"query":{"fields":["title"]},"uid":1}' },
      { direction: 'out', conn: 't1', text: '{"type":"items","data":{"title":"Hello World"},"uid":1}' },
    ]);
    standin.close();
  });

  it('snapshot() is the data value itself and reset() puts one back: no copy, whatever the size', async () => {
    const big = { ...fixture('db.json'), articles: Array.from({ length: 100_000 }, (_, i) => ({ id: i + 1, title: `a${i}` })) };
    const standin = createStandin({ data: big });
    const initial = standin.snapshot();
    assert.equal(initial, standin.state.data);
    const client = clientFor(standin.WebSocket);
    await client.connect();
    await request(client, { type: 'items', collection: 'articles', action: 'delete', id: 5, uid: 'd' });
    const afterDelete = standin.snapshot();
    assert.notEqual(afterDelete, initial);
    standin.reset();
    assert.equal(standin.state.data, initial);
    const read = await request(client, { type: 'items', collection: 'articles', action: 'read', id: 5, query: { fields: ['id'] }, uid: 'r' });
    assert.deepEqual(read['data'], { id: 5 });
    standin.reset(afterDelete);
    assert.equal(standin.state.data, afterDelete);
    const gone = await request(client, { type: 'items', collection: 'articles', action: 'read', id: 5, uid: 'g' });
    assert.equal(gone['error'].code, 'FORBIDDEN');
    // A reset keeps the connection and its auth: the same client goes on.
    assert.equal(Object.keys(standin.state.connections).length, 1);
    client.disconnect();
    standin.close();
  });

  it('failNext() answers the next items or subscribe message with an error, once; reset() cancels it', async () => {
    const standin = createStandin(options());
    const client = clientFor(standin.WebSocket);
    await client.connect();
    standin.failNext('FORBIDDEN', 'Nope.');
    await assert.rejects(client.subscribe('articles').then(({ subscription }) => subscription.next()), (error: Message) => {
      assert.deepEqual(error, { type: 'subscribe', status: 'error', error: { code: 'FORBIDDEN', message: 'Nope.' }, uid: error['uid'] });
      return true;
    });
    const ok = await request(client, { type: 'items', collection: 'articles', action: 'read', id: 1, query: { fields: ['id'] }, uid: 'ok' });
    assert.deepEqual(ok, { type: 'items', data: { id: 1 }, uid: 'ok' });
    standin.failNext();
    standin.reset();
    const still = await request(client, { type: 'items', collection: 'articles', action: 'read', id: 1, query: { fields: ['id'] }, uid: 'still' });
    assert.deepEqual(still['data'], { id: 1 });
    client.disconnect();
    standin.close();
  });

  it('delayNext() holds the next message back: later ones overtake it', async () => {
    const standin = createStandin(options());
    const client = clientFor(standin.WebSocket);
    await client.connect();
    const arrived: string[] = [];
    client.onWebSocket('message', (m: Message) => arrived.push(m['uid']));
    standin.delayNext(80);
    const started = performance.now();
    const slow = request(client, { type: 'items', collection: 'articles', action: 'read', id: 1, query: { fields: ['id'] }, uid: 'slow' });
    await request(client, { type: 'items', collection: 'articles', action: 'read', id: 2, query: { fields: ['id'] }, uid: 'fast' });
    assert.deepEqual((await slow)['data'], { id: 1 });
    assert.ok(performance.now() - started >= 75);
    assert.deepEqual(arrived.slice(-2), ['fast', 'slow']);
    client.disconnect();
    standin.close();
  });

  it('refuses a bad token in strict mode, and every connection after close()', async () => {
    const standin = createStandin({ ...options(), auth: 'strict' });
    const events = (socket: WebSocket) => {
      const seen: string[] = [];
      for (const type of ['open', 'error', 'close']) socket.addEventListener(type, () => seen.push(type));
      return seen;
    };
    const bad = new standin.WebSocket('ws://standin.invalid/websocket?access_token=wrong');
    const badSeen = events(bad);
    const s = raw(bad);
    assert.equal((await s.closed).code, 1006);
    assert.deepEqual(badSeen, ['error', 'close']);
    standin.close();
    const late = new standin.WebSocket('ws://standin.invalid/websocket?access_token=admin-static-token');
    const lateSeen = events(late);
    await raw(late).closed;
    assert.deepEqual(lateSeen, ['error', 'close']);
    assert.equal(late.readyState, 3);
  });

  it('delivers the frames the core sent before closing a connection, then the close', async () => {
    const standin = createStandin({ ...options(), auth: { authMode: 'handshake', authTimeout: 20 } });
    const socket = new standin.WebSocket('ws://standin.invalid/websocket');
    const s = raw(socket);
    const close = await s.closed;
    assert.deepEqual(s.frames.map((f) => JSON.parse(f).error?.code), ['AUTH_FAILED']);
    assert.equal(close.code, 1005);
    standin.close();
  });
});
