// A write that could not be stored is never acknowledged: the real server on 127.0.0.1 with a store
// that fails on demand. REST answers 503 SERVICE_UNAVAILABLE; a WebSocket writer is closed with 1011
// and gets no reply; subscribers get no event. Reads and later (stored) writes carry on.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { createState, type State } from '../core/index.ts';
import { startServer, type RunningServer } from '../adapters/ws-server.ts';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const freshState = () => createState({ data: fixture('db.json'), schema: fixture('schema.json'), seed: 9, config: { heartbeatPeriod: 0 } }) as State;
const ADMIN = 'admin-static-token';

const connect = (port: number) =>
  new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/websocket?access_token=${ADMIN}`);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });

/** Every frame a socket receives, parsed, in order. */
const collect = (ws: WebSocket): Record<string, unknown>[] => {
  const frames: Record<string, unknown>[] = [];
  ws.on('message', (data) => frames.push(JSON.parse(String(data))));
  return frames;
};

describe('a server whose store fails', () => {
  let server: RunningServer;
  let failing = false;
  const logged: string[] = [];
  before(async () => {
    server = await startServer({
      state: freshState(),
      port: 0,
      persist: async () => {
        if (failing) throw new Error('disk full');
      },
      log: (line) => logged.push(line),
    });
  });
  after(() => server.close());

  const post = (title: string) =>
    fetch(`http://127.0.0.1:${server.port}/items/articles`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
      body: JSON.stringify({ title }),
    });

  it('answers a REST write 503 SERVICE_UNAVAILABLE, and the next stored write 200', async () => {
    failing = true;
    const refused = await post('unsaved');
    assert.equal(refused.status, 503);
    const body = await refused.json() as { errors: { extensions: { code: string } }[] };
    assert.equal(body.errors[0]!.extensions.code, 'SERVICE_UNAVAILABLE');
    assert.ok(logged.some((line) => line.includes('disk full')));
    failing = false;
    const stored = await post('saved');
    assert.equal(stored.status, 200);
    assert.equal(((await stored.json()) as { data: { title: string } }).data.title, 'saved');
  });

  it('closes a WebSocket writer with 1011 without a reply, and sends subscribers no event', async () => {
    const subscriber = await connect(server.port);
    const events = collect(subscriber);
    subscriber.send(JSON.stringify({ type: 'subscribe', collection: 'articles', uid: 's' }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const writer = await connect(server.port);
    const replies = collect(writer);
    failing = true;
    const closed = new Promise<number>((resolve) => writer.once('close', (code) => resolve(code)));
    writer.send(JSON.stringify({ type: 'items', collection: 'articles', action: 'create', data: { title: 'lost' }, uid: 'w' }));
    assert.equal(await closed, 1011);
    assert.deepEqual(replies, []);
    failing = false;
    // A read on the subscriber's socket still answers, and no create event arrived before it.
    const answered = new Promise((resolve) => subscriber.on('message', (data) => JSON.parse(String(data))['uid'] === 'r' && resolve(null)));
    subscriber.send(JSON.stringify({ type: 'items', collection: 'articles', action: 'read', id: 1, query: { fields: ['id'] }, uid: 'r' }));
    await answered;
    assert.deepEqual(events.map((e) => e['event'] ?? e['uid']), ['init', 'r']);
    subscriber.close();
  });
});
