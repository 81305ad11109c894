// The browser build in real headless Chromium (Debian's package, driven by playwright-core; never a
// downloaded browser): core + standin/broadcast-channel bundled by esbuild for the browser, two tabs
// and a worker sharing one store; and examples/live-list against a real `startServer`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import WebSocket from 'ws';
import { createState, type State } from '../core/index.ts';
import { startServer, type RunningServer } from '../adapters/ws-server.ts';
import { assertChromium, chromiumPath, skipWithoutChromium } from './chromium.ts';

const root = new URL('..', import.meta.url);
const file = (path: string) => readFileSync(new URL(path, root), 'utf8');
type Message = Record<string, any>;

/**
 * Bundles one entry for the browser with esbuild's default settings (so sift's ES module build, as
 * Vite or webpack would pick it). esbuild fails on any Node built-in when the platform is browser.
 */
const bundle = async (entry: string) => {
  const result = await esbuild.build({
    entryPoints: [entry], bundle: true, format: 'esm', platform: 'browser', target: 'es2022',
    write: false, metafile: true, absWorkingDir: root.pathname, logLevel: 'silent',
  });
  return { code: result.outputFiles[0]!.text, inputs: Object.keys(result.metafile.inputs) };
};

// A page a test drives: one SDK client over the BroadcastChannel transport, recording every frame.
const APP_HTML = `<!doctype html><meta charset="utf-8"><title>standin tab</title>
<script type="module">
import { joinStandin } from '/standin.js';
import { createDirectus, realtime, staticToken } from '/sdk.js';
const channel = 'standin-browser';
let peer, client;
const seen = [];
window.app = {
  seen,
  startHost: () => new Promise((resolve, reject) => {
    const worker = new Worker('/host-worker.js', { type: 'module' });
    worker.onmessage = (event) => resolve(event.data);
    worker.onerror = (event) => reject(new Error(event.message));
  }),
  async connect(token) {
    peer = joinStandin(channel, { mirror: true });
    await peer.ready;
    client = createDirectus(location.origin, { globals: { WebSocket: peer.WebSocket } })
      .with(staticToken(token)).with(realtime({ reconnect: false }));
    client.onWebSocket('message', (message) => seen.push(message));
    await client.connect();
    return peer.version;
  },
  async subscribe(collection, options) {
    const { subscription } = await client.subscribe(collection, options);
    (async () => { for await (const _ of subscription); })();
  },
  request: (message, item) => new Promise((resolve) => {
    const off = client.onWebSocket('message', (reply) => {
      if (reply.uid !== message.uid) return;
      off();
      resolve({ reply, mirrored: item ? peer.item(item[0], item[1]) ?? null : undefined });
    });
    client.sendMessage(message);
  }),
  waitFor: (count) => new Promise((resolve) => {
    const check = () => (seen.length >= count ? resolve(seen) : setTimeout(check, 5));
    check();
  }),
  mirror: () => ({ version: peer.version, doc: peer.doc }),
  close() { client.disconnect(); peer.close(); },
};
</script>`;

const HOST_WORKER = `import { hostStandin } from '/standin.js';
const [data, schema] = await Promise.all(['/db.json', '/schema.json'].map((u) => fetch(u).then((r) => r.json())));
hostStandin('standin-browser', { data, schema, seed: 5, mirror: true });
postMessage('hosting');`;

const serve = async (routes: Record<string, [type: string, body: string]>): Promise<Server> => {
  const server = createServer((req, res) => {
    const route = routes[new URL(req.url ?? '/', 'http://x').pathname];
    if (!route) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': route[0], 'cache-control': 'no-store' }).end(route[1]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
};
const origin = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

describe('in headless Chromium', { timeout: 90_000, skip: skipWithoutChromium }, () => {
  let browser: Browser;
  let server: Server;
  let standin: { code: string; inputs: string[] };

  before(async () => {
    assertChromium();
    standin = await bundle('adapters/broadcast-channel.ts');
    const sdk = await bundle('@directus/sdk');
    server = await serve({
      '/app.html': ['text/html', APP_HTML],
      '/host-worker.js': ['text/javascript', HOST_WORKER],
      '/standin.js': ['text/javascript', standin.code],
      '/sdk.js': ['text/javascript', sdk.code],
      '/db.json': ['application/json', file('test/fixtures/db.json')],
      '/schema.json': ['application/json', file('test/fixtures/schema.json')],
      '/live-list/': ['text/html', file('examples/live-list/index.html')],
    });
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  after(async () => {
    await browser?.close();
    // `before` may have failed before the server started: awaiting its close would never end.
    if (server) await new Promise((resolve) => server.close(resolve));
  });

  /** Uncaught errors of every page, worker included: each test ends with none. */
  const errors: string[] = [];
  const watch = (page: Page): Page => {
    page.on('pageerror', (error) => errors.push(String(error)));
    page.on('worker', (worker) => worker.on('console', (m) => m.type() === 'error' && errors.push(m.text())));
    return page;
  };

  it('bundles core and the BroadcastChannel transport with nothing Node-only', () => {
    assert.deepEqual(standin.inputs.filter((input) => input.startsWith('node:') || /^(fs|path|net|http|worker_threads)$/.test(input)), []);
    for (const part of ['core/handle.ts', 'adapters/broadcast-channel-host.ts', 'adapters/broadcast-channel-peer.ts']) assert.ok(standin.inputs.includes(part), part);
    assert.ok(!standin.inputs.some((input) => input.includes('node_modules/ws/')));
  });

  it('two tabs and a worker share one store: create in one tab, read and subscribe in the other', { timeout: 30_000 }, async () => {
    const context = await browser.newContext();
    const [a, b] = [watch(await context.newPage()), watch(await context.newPage())];
    for (const page of [a, b]) {
      await page.goto(`${origin(server)}/app.html`);
      await page.waitForFunction(() => 'app' in window);
    }
    // Tab A starts a worker that hosts the core; both tabs join it with the real SDK.
    assert.equal(await a.evaluate(() => (window as any).app.startHost()), 'hosting');
    assert.equal(await a.evaluate(() => (window as any).app.connect('admin-static-token')), 0);
    assert.equal(await b.evaluate(() => (window as any).app.connect('reader-static-token')), 0);
    await b.evaluate(() => (window as any).app.subscribe('articles', { uid: 'live', query: { fields: ['id', 'title'], filter: { status: { _eq: 'published' } } } }));
    await b.evaluate(() => (window as any).app.waitFor(2));

    const created = await a.evaluate(() => (window as any).app.request(
      { type: 'items', collection: 'articles', action: 'create', data: { title: 'From tab A', status: 'published' }, query: { fields: ['id'] }, uid: 'c1' },
      ['articles', 13],
    ));
    assert.deepEqual(created.reply, { type: 'items', data: { id: 13 }, uid: 'c1' });
    assert.equal(created.mirrored.title, 'From tab A');
    await b.evaluate(() => (window as any).app.waitFor(3));
    const read = await b.evaluate(() => (window as any).app.request(
      { type: 'items', collection: 'articles', action: 'read', id: 13, query: { fields: ['id', 'title'] }, uid: 'r1' },
      ['articles', 13],
    ));
    assert.deepEqual(read.reply, { type: 'items', data: { id: 13, title: 'From tab A' }, uid: 'r1' });
    assert.equal(read.mirrored.status, 'published');

    const authOk = { type: 'auth', status: 'ok' };
    const published = JSON.parse(file('test/fixtures/db.json')).articles
      .filter((row: Message) => row['status'] === 'published').map((row: Message) => ({ id: row['id'], title: row['title'] }));
    assert.deepEqual(await a.evaluate(() => (window as any).app.seen), [authOk, { type: 'items', data: { id: 13 }, uid: 'c1' }]);
    assert.deepEqual(await b.evaluate(() => (window as any).app.seen), [
      authOk,
      { type: 'subscription', event: 'init', data: published, uid: 'live' },
      { type: 'subscription', event: 'create', data: [{ id: 13, title: 'From tab A' }], uid: 'live' },
      { type: 'items', data: { id: 13, title: 'From tab A' }, uid: 'r1' },
    ]);
    const mirrorA = await a.evaluate(() => (window as any).app.mirror());
    const mirrorB = await b.evaluate(() => (window as any).app.mirror());
    assert.equal(mirrorB.version, 1);
    assert.deepEqual(mirrorB, mirrorA);
    await a.evaluate(() => (window as any).app.close());
    await b.evaluate(() => (window as any).app.close());
    await context.close();
    assert.deepEqual(errors, []);
  });

  it('examples/live-list lists and live-updates the items of a running standin server', { timeout: 30_000 }, async () => {
    const state = createState({ data: JSON.parse(file('examples/db.json')), seed: 1 }) as State;
    const running: RunningServer = await startServer({ state, port: 0, host: '127.0.0.1' });
    const writer = new WebSocket(`ws://127.0.0.1:${running.port}/websocket`);
    writer.on('error', () => {}); // only seen if the test failed early and closes it while connecting
    const writerOpen = new Promise((resolve) => writer.once('open', resolve));
    try {
      const page = watch(await browser.newPage());
      await page.goto(`${origin(server)}/live-list/?ws=ws://127.0.0.1:${running.port}/websocket&token=admin-token`);
      const titles = () => page.$$eval('#items li', (items) => items.map((li) => `${(li as HTMLElement).dataset['id']} ${li.textContent}`));
      await page.waitForFunction(() => document.querySelector('#status')?.textContent === 'live: 3 posts');
      assert.deepEqual(await titles(), ['1 Hello standin', '2 Draft notes', '3 Realtime with Directus SDK']);

      await writerOpen;
      const replies: Message[] = [];
      writer.on('message', (data) => replies.push(JSON.parse(String(data))));
      writer.send(JSON.stringify({ type: 'auth', access_token: 'admin-token' }));
      writer.send(JSON.stringify({ type: 'items', collection: 'posts', action: 'create', data: { title: 'Typed in Node', status: 'draft' }, uid: 'c' }));
      writer.send(JSON.stringify({ type: 'items', collection: 'posts', action: 'update', id: 1, data: { title: 'Hello again' }, uid: 'u' }));
      writer.send(JSON.stringify({ type: 'items', collection: 'posts', action: 'delete', id: 2, uid: 'd' }));
      await page.waitForFunction(() => document.querySelectorAll('#items li').length === 3 && document.querySelector('#items li')?.textContent === 'Hello again');
      assert.deepEqual(await titles(), ['1 Hello again', '3 Realtime with Directus SDK', '4 Typed in Node']);
      assert.equal(await page.textContent('#status'), 'live: 3 posts');
      assert.deepEqual(replies.map((r) => r['uid'] ?? r['type']), ['auth', 'c', 'u', 'd']);
      await page.close();
      assert.deepEqual(errors, []);
    } finally {
      writer.close();
      await running.close();
    }
  });
});
