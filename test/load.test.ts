// Load and hostile clients against the real server on 127.0.0.1: 1,000 subscribed connections under a
// steady write load, a client that never reads, oversize frames, a flooding client, connection limits.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { createState, type State } from '../core/index.ts';
import { startServer, type RunningServer } from '../adapters/ws-server.ts';

// A real collection before measuring memory (without --expose-gc on the command line).
v8.setFlagsFromString('--expose_gc');
const gc = vm.runInNewContext('gc') as () => void;

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const freshState = () => createState({ data: fixture('db.json'), schema: fixture('schema.json'), seed: 9, config: { heartbeatPeriod: 0 } }) as State;

const connect = (port: number, options: WebSocket.ClientOptions = {}) =>
  new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/websocket?access_token=admin-static-token`, options);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
  });

/** Sends one message and waits for the reply with its uid. */
const ask = (ws: WebSocket, message: Record<string, unknown>) =>
  new Promise<Record<string, any>>((resolve) => {
    const uid = `q${Math.random()}`;
    const onMessage = (data: WebSocket.RawData) => {
      const reply = JSON.parse(String(data));
      if (reply.uid === uid) {
        ws.off('message', onMessage);
        resolve(reply);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ ...message, uid }));
  });

describe('1,000 subscribed connections under write load', () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer({ state: freshState(), port: 0 });
  });
  after(() => server.close());

  it('delivers every event to every subscriber, in order, and frees the connections afterwards', { timeout: 120_000 }, async () => {
    gc();
    const baseline = process.memoryUsage().heapUsed;
    const clients = await Promise.all(Array.from({ length: 1000 }, () => connect(server.port)));
    const received = clients.map(() => [] as number[]);
    await Promise.all(clients.map(async (ws, i) => {
      const init = await ask(ws, { type: 'subscribe', collection: 'authors', event: 'create', query: { fields: ['id'] } });
      assert.equal(init['event'], 'init');
      ws.on('message', (data) => {
        const frame = JSON.parse(String(data));
        if (frame.type === 'subscription' && frame.event === 'create') received[i]!.push(frame.data[0].id);
      });
    }));
    const writer = await connect(server.port);
    const written: number[] = [];
    const until = Date.now() + 3000;
    while (Date.now() < until) {
      const reply = await ask(writer, { type: 'items', collection: 'authors', action: 'create', data: { name: 'load' }, query: { fields: ['id'] } });
      written.push(reply['data'].id);
    }
    // Let the last events arrive.
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(written.length > 10, `writes made: ${written.length}`);
    const short = received.filter((ids) => ids.length !== written.length).length;
    assert.equal(short, 0, 'every subscriber got every event');
    assert.ok(received.every((ids) => ids.every((id, k) => id === written[k])), 'in write order');
    assert.ok(clients.every((ws) => ws.readyState === ws.OPEN), 'no connection dropped');

    await Promise.all([...clients, writer].map((ws) => new Promise((r) => { ws.once('close', r); ws.close(); })));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(Object.keys(server.state().connections).length, 0, 'the core forgot every closed connection');
    gc();
    const growth = process.memoryUsage().heapUsed - baseline;
    // Loose bound: the data grew by the authors created; connection state must not linger.
    assert.ok(growth < 64 * 1024 * 1024, `heap grew by ${Math.round(growth / 1024 / 1024)} MiB`);
  });
});

describe('slow and hostile clients', () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer({ state: freshState(), port: 0, maxPayload: 64 * 1024, maxConnections: 50, maxBufferedBytes: 256 * 1024 });
  });
  after(() => server.close());

  it('refuses an oversize frame with close 1009 and keeps serving others', async () => {
    const big = await connect(server.port);
    const other = await connect(server.port);
    const closed = new Promise<number>((resolve) => big.once('close', (code) => resolve(code)));
    big.send('x'.repeat(65 * 1024));
    assert.equal(await closed, 1009);
    const pong = await ask(other, { type: 'ping' });
    assert.equal(pong['type'], 'pong');
    other.close();
  });

  it('cuts off a client that never reads, without slowing the others', async () => {
    const lazy = await connect(server.port);
    const closed = new Promise<void>((resolve) => lazy.once('close', () => resolve()));
    // Stop reading from the socket: the server's send buffer for this client grows.
    (lazy as unknown as { _socket: { pause(): void } })._socket.pause();
    const fast = await connect(server.port);
    // Keep asking for replies it never reads until the server gives up on it (bounded: 15 s).
    let cut = false;
    void closed.then(() => (cut = true));
    const deadline = Date.now() + 15_000;
    const request = JSON.stringify({ type: 'items', collection: 'articles', action: 'read', query: { limit: -1 } });
    const pump = () => {
      if (cut || Date.now() > deadline || lazy.readyState !== lazy.OPEN) return;
      for (let i = 0; i < 200; i++) lazy.send(request);
      setTimeout(pump, 5);
    };
    pump();
    const started = Date.now();
    const reply = await ask(fast, { type: 'items', collection: 'articles', action: 'read', id: 1, query: { fields: ['id'] } });
    assert.deepEqual(reply['data'], { id: 1 });
    assert.ok(Date.now() - started < 2000, 'a healthy client is still answered promptly');
    await Promise.race([closed, new Promise((r) => setTimeout(r, 15_000))]);
    assert.ok(cut, 'the server cut off the client that never reads');
    fast.close();
  });

  it('keeps answering others while one connection floods', async () => {
    const flood = await connect(server.port);
    const calm = await connect(server.port);
    let flooding = true;
    const pump = () => {
      for (let i = 0; i < 200 && flooding; i++) flood.send(JSON.stringify({ type: 'ping' }));
      if (flooding) setImmediate(pump);
    };
    pump();
    const started = Date.now();
    const reply = await ask(calm, { type: 'items', collection: 'authors', action: 'read', id: 1, query: { fields: ['name'] } });
    flooding = false;
    assert.deepEqual(reply['data'], { name: 'Alice Martin' });
    assert.ok(Date.now() - started < 2000);
    flood.close();
    calm.close();
  });

  it('refuses connections past the limit cleanly (403) and accepts again once one closes', async () => {
    await new Promise((r) => setTimeout(r, 100));
    const open = Object.keys(server.state().connections).length;
    const clients = await Promise.all(Array.from({ length: 50 - open }, () => connect(server.port)));
    await assert.rejects(connect(server.port), /refused: 403/);
    await new Promise((r) => { clients[0]!.once('close', r); clients[0]!.close(); });
    const again = await connect(server.port);
    again.close();
    clients.slice(1).forEach((ws) => ws.close());
  });
});
