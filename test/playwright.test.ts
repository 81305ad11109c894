// standin/playwright's edges, with playwright-core and Debian's Chromium: a refused upgrade, an injected
// failure, the frame log, and a context-wide route shared by the context's pages.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { routeStandin } from '../adapters/playwright.ts';
import { assertChromium, chromiumPath, skipWithoutChromium } from './chromium.ts';

const URL_ = 'http://directus.test';
const data = JSON.parse(readFileSync(new URL('../examples/db.json', import.meta.url), 'utf8'));

// Page-side code as a string: tsx's keepNames would wrap its inner functions in a `__name` the page lacks.
const CONVERSE = `([url, messages]) => new Promise((resolve) => {
  const socket = new WebSocket(url);
  const result = { opened: false, replies: [], close: null };
  let next = 0;
  const send = () => (next < messages.length ? socket.send(JSON.stringify(messages[next++])) : socket.close());
  socket.onopen = () => { result.opened = true; send(); };
  socket.onmessage = (event) => { result.replies.push(JSON.parse(event.data)); send(); };
  socket.onclose = (event) => resolve({ ...result, close: event.code });
})`;

/** Opens a socket in the page, sends `messages` one reply at a time, and returns what happened. */
const converse = (page: Page, query: string, messages: object[]) =>
  page.evaluate(`(${CONVERSE})(${JSON.stringify([`${URL_.replace('http', 'ws')}/websocket${query}`, messages])})`) as
    Promise<{ opened: boolean; replies: unknown[]; close: number | null }>;

describe('standin/playwright', { timeout: 120_000, skip: skipWithoutChromium }, () => {
  let browser: Browser;

  before(async () => {
    assertChromium();
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  });
  after(() => browser?.close());

  it('refuses a socket with a wrong token (closed with 1006, never opened), as Directus refuses the upgrade', async () => {
    const page = await browser.newPage();
    const standin = await routeStandin(page, { url: URL_, data });
    await page.goto(`${URL_}/server/ping`);
    assert.deepEqual(await converse(page, '?access_token=wrong', []), { opened: false, replies: [], close: 1006 });
    standin.close();
    await page.close();
  });

  it('failNext reaches the page, and the log holds every frame in and out', async () => {
    const page = await browser.newPage();
    const standin = await routeStandin(page, { url: URL_, data });
    await page.goto(`${URL_}/server/ping`);
    standin.failNext('SERVICE_UNAVAILABLE', 'Try later.');
    const result = await converse(page, '?access_token=admin-token', [
      { type: 'items', collection: 'posts', action: 'read', query: { fields: ['id'], limit: 1 }, uid: 'a' },
      { type: 'items', collection: 'posts', action: 'read', query: { fields: ['id'], limit: 1 }, uid: 'b' },
    ]);
    assert.deepEqual(result.replies, [
      { type: 'items', status: 'error', error: { code: 'SERVICE_UNAVAILABLE', message: 'Try later.' }, uid: 'a' },
      { type: 'items', data: [{ id: 1 }], uid: 'b' },
    ]);
    assert.deepEqual(standin.log.map((frame) => frame.direction), ['in', 'out', 'in', 'out']);
    standin.close();
    await page.close();
  });

  it('routes a whole context: its pages share one standin', async () => {
    const context = await browser.newContext();
    const standin = await routeStandin(context, { url: URL_, data });
    const [first, second] = [await context.newPage(), await context.newPage()];
    await first.goto(`${URL_}/server/ping`);
    await second.goto(`${URL_}/server/ping`);
    const create = await first.evaluate(() => fetch('/items/posts', {
      method: 'POST', headers: { authorization: 'Bearer admin-token', 'content-type': 'application/json' }, body: '{"title":"Shared"}',
    }).then((response) => response.json()));
    const read = await second.evaluate(() => fetch('/items/posts/4?fields=title', { headers: { authorization: 'Bearer admin-token' } }).then((response) => response.json()));
    assert.equal(create.data.id, 4);
    assert.deepEqual(read, { data: { title: 'Shared' } });
    standin.close();
    await context.close();
  });
});
