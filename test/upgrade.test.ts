// The WebSocket upgrade on the real server (127.0.0.1): Directus's session cookie authenticates the
// socket like `?access_token=` does, in every mode; a stale one is refused with 401 even in public mode.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { createState, type State } from '../core/index.ts';
import { startServer, type RunningServer } from '../adapters/ws-server.ts';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const publicState = () =>
  createState({ data: fixture('db.json'), schema: fixture('schema.json'), seed: 3, config: { heartbeatPeriod: 0, authMode: 'public' } }) as State;

/** Opens a socket with these headers: the open socket, or the HTTP status it was refused with. */
const upgrade = (port: number, headers: Record<string, string>) =>
  new Promise<WebSocket | number>((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/websocket`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', reject);
  });

const ask = (ws: WebSocket, message: object) =>
  new Promise<Record<string, any>>((resolve) => {
    ws.once('message', (data) => resolve(JSON.parse(String(data))));
    ws.send(JSON.stringify(message));
  });

describe('the upgrade with a session cookie (public mode)', () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer({ state: publicState(), port: 0 });
  });
  after(() => server.close());

  const readAuthors = { type: 'items', collection: 'authors', action: 'read', query: { fields: ['id'], limit: 1 }, uid: 'a' };

  it('authenticates the socket as the cookie\'s user', async () => {
    const ws = await upgrade(server.port, { cookie: 'other=1; directus_session_token=admin-static-token' });
    assert.ok(ws instanceof WebSocket);
    const reply = await ask(ws, readAuthors);
    assert.deepEqual(reply['data'], [{ id: 1 }], 'admin reads authors, which the public cannot');
    ws.close();
  });

  it('stays public without the cookie', async () => {
    const ws = await upgrade(server.port, {});
    assert.ok(ws instanceof WebSocket);
    assert.equal((await ask(ws, readAuthors))['error']?.code, 'FORBIDDEN');
    ws.close();
  });

  it('refuses a stale cookie with 401, even though the endpoint is public', async () => {
    assert.equal(await upgrade(server.port, { cookie: 'directus_session_token=expired-or-forged' }), 401);
  });
});
