// Messages over a megabyte, or sent in fragments, are read by a worker thread (adapters/large-frames.ts)
// and must be answered exactly as the same message in one small frame would be, in order with the
// messages around them; frames that break the protocol close the connection as `ws` itself would.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { createState, type State } from '../core/index.ts';
import { startServer, type RunningServer } from '../adapters/ws-server.ts';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const adminState = () =>
  createState({ data: fixture('db.json'), schema: fixture('schema.json'), seed: 3, config: { heartbeatPeriod: 0, authMode: 'public' } }) as State;

const open = (port: number) =>
  new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/websocket?access_token=admin-static-token`, { maxPayload: 64 * 1024 * 1024 });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });

/** The next `count` frames the socket receives, parsed. */
const frames = (ws: WebSocket, count: number) =>
  new Promise<Record<string, unknown>[]>((resolve) => {
    const got: Record<string, unknown>[] = [];
    const onMessage = (data: WebSocket.RawData) => {
      got.push(JSON.parse(String(data)));
      if (got.length < count) return;
      ws.off('message', onMessage);
      resolve(got);
    };
    ws.on('message', onMessage);
  });

const closed = (ws: WebSocket) => new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));

/** An items read whose filter holds `padding` bytes and matches every author (a large frame, a small answer). */
const paddedRead = (uid: string, padding: number) =>
  JSON.stringify({ type: 'items', collection: 'authors', action: 'read', query: { fields: ['id'], limit: 2, filter: { name: { _neq: 'x'.repeat(padding) } } }, uid });

describe('messages over a megabyte, and fragmented ones', () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer({ state: adminState(), port: 0 });
  });
  after(() => server.close());

  it('answers a 3 MB message like a small one, in order with the messages sent around it', async () => {
    const ws = await open(server.port);
    const replies = frames(ws, 4);
    ws.send('{"type":"ping","uid":"before"}');
    ws.send(paddedRead('large', 3 * 1024 * 1024));
    ws.send(paddedRead('small', 10));
    ws.send('{"type":"ping","uid":"after"}');
    const [before, large, smallReply, afterReply] = await replies;
    assert.deepEqual(before, { type: 'pong', uid: 'before' });
    assert.deepEqual(large, { ...smallReply, uid: 'large' });
    assert.deepEqual(smallReply, { type: 'items', data: [{ id: 1 }, { id: 2 }], uid: 'small' });
    assert.deepEqual(afterReply, { type: 'pong', uid: 'after' });
    ws.close();
  });

  it('answers a message sent in fragments like the same message in one frame', async () => {
    const ws = await open(server.port);
    const replies = frames(ws, 2);
    const text = paddedRead('fragments', 10);
    ws.send(text.slice(0, 20), { fin: false });
    ws.send(text.slice(20, 50), { fin: false });
    ws.send(text.slice(50), { fin: true });
    ws.send(paddedRead('whole', 10));
    const [fragmented, whole] = await replies;
    assert.deepEqual(fragmented, { ...whole, uid: 'fragments' });
    ws.close();
  });

  it('answers a large frame that is not JSON, or binary, as it answers a small one', async () => {
    const ws = await open(server.port);
    const replies = frames(ws, 4);
    ws.send(`{"type":"ping",${' '.repeat(2 * 1024 * 1024)}`);
    ws.send('{"type":"ping",');
    ws.send(Buffer.alloc(2 * 1024 * 1024, 0x7b), { binary: true });
    ws.send(Buffer.from('{}'), { binary: true });
    const [largeText, smallText, largeBinary, smallBinary] = await replies;
    assert.deepEqual(largeText, smallText);
    assert.deepEqual(largeBinary, smallBinary);
    assert.equal((smallText?.['error'] as { code: string }).code, 'INVALID_PAYLOAD');
    ws.close();
  });

  it('closes with 1007 on a large frame that is not UTF-8, and with 1009 on one past maxPayload, as ws does', async () => {
    const small = await startServer({ state: adminState(), port: 0, maxPayload: 3 * 1024 * 1024 });
    try {
      const ws = await open(small.port);
      const code = closed(ws);
      const bytes = Buffer.alloc(2 * 1024 * 1024, 0x20);
      bytes[1000] = 0xff;
      ws.send(bytes, { binary: false });
      assert.equal(await code, 1007);
      // Fragments of 2 MB each: the message passes the 3 MB limit only together.
      const again = await open(small.port);
      const tooLarge = closed(again);
      const part = 'x'.repeat(2 * 1024 * 1024);
      again.send(part, { fin: false });
      again.send(part, { fin: true });
      assert.equal(await tooLarge, 1009);
      // Other connections go on.
      const other = await open(small.port);
      const pong = frames(other, 1);
      other.send('{"type":"ping","uid":"still"}');
      assert.deepEqual(await pong, [{ type: 'pong', uid: 'still' }]);
      other.close();
    } finally {
      await small.close();
    }
  });
});
