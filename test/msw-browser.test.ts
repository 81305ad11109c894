// standin/msw under `setupWorker` in real headless Chromium (Debian's): the app's REST calls go through
// MSW's service worker and its WebSocket through MSW's page-side interceptor, both answered by one
// standin living in the page. The page's own server only serves the page, the bundle and the worker.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import * as esbuild from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { assertChromium, chromiumPath, skipWithoutChromium } from './chromium.ts';

const root = new URL('..', import.meta.url);

const PAGE_SCRIPT = `
import { setupWorker } from 'msw/browser';
import { createDirectus, createItem, readItems, realtime, rest, staticToken } from '@directus/sdk';
import { createMswStandin } from './adapters/msw.ts';

window.run = async (data, creates) => {
  const directus = createMswStandin({ url: 'http://directus.test', data });
  const worker = setupWorker(...directus.handlers);
  await worker.start({ serviceWorker: { url: '/mockServiceWorker.js' }, quiet: true, onUnhandledFrame: 'bypass' });
  const client = createDirectus('http://directus.test', { globals: { WebSocket: globalThis.WebSocket } })
    .with(staticToken('admin-token')).with(rest()).with(realtime({ reconnect: false }));
  const read = await client.request(readItems('posts', { fields: ['id', 'title'], filter: { status: { _eq: 'published' } } }));
  await client.connect();
  const { subscription } = await client.subscribe('posts', { query: { fields: ['id'] } });
  const seen = [];
  const done = (async () => {
    for await (const message of subscription) {
      if (message.event === 'create') seen.push(...message.data.map((post) => post.id));
      if (seen.length === creates) return;
    }
  })();
  await Promise.all(Array.from({ length: creates }, (_, i) => client.request(createItem('posts', { title: 'page ' + i }))));
  await done;
  const controller = navigator.serviceWorker.controller !== null;
  client.disconnect();
  worker.stop();
  directus.close();
  return { read, seen, controller };
};
`;

describe('standin/msw with setupWorker in Chromium', { timeout: 120_000, skip: skipWithoutChromium }, () => {
  let browser: Browser;
  let server: Server;

  before(async () => {
    assertChromium();
    const bundle = await esbuild.build({
      stdin: { contents: PAGE_SCRIPT, resolveDir: root.pathname, loader: 'ts' },
      bundle: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent',
    });
    const files: Record<string, [string, string]> = {
      '/': ['text/html', '<!doctype html><meta charset="utf-8"><script type="module" src="/app.js"></script>'],
      '/app.js': ['text/javascript', bundle.outputFiles[0]!.text],
      '/mockServiceWorker.js': ['text/javascript', readFileSync(new URL('node_modules/msw/lib/mockServiceWorker.js', root), 'utf8')],
    };
    server = createServer((req, res) => {
      const file = files[new URL(req.url ?? '/', 'http://x').pathname];
      if (!file) return res.writeHead(404).end();
      res.writeHead(200, { 'content-type': file[0], 'cache-control': 'no-store' }).end(file[1]);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  });

  after(async () => {
    await browser?.close();
    // `before` may have failed before the server started: awaiting its close would never end.
    if (server) await new Promise((resolve) => server.close(resolve));
  });

  it('answers the SDK over REST (through the service worker) and realtime, 500 creates seen in order', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.waitForFunction(() => 'run' in window);
    const data = JSON.parse(readFileSync(new URL('examples/db.json', root), 'utf8'));
    const result = await page.evaluate(([data, creates]) => (window as any).run(data, creates), [data, 500] as const);
    assert.deepEqual(errors, []);
    assert.deepEqual(result.read, [{ id: 1, title: 'Hello standin' }, { id: 3, title: 'Realtime with Directus SDK' }]);
    assert.equal(result.controller, true, 'the page is controlled by MSW\'s service worker');
    assert.deepEqual(result.seen, Array.from({ length: 500 }, (_, i) => i + 4));
  });
});
