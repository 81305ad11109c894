// The home page (`/` redirects to /admin) in real headless Chromium against the file server: the
// collections with their counts, one collection's rows as a live table with paging and a filter box.
// STANDIN_SCREENSHOT=docs/home-page.png also saves the README's screenshot.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { assertChromium, chromiumPath, skipWithoutChromium } from './chromium.ts';
import { serveFile, type FileServer } from '../adapters/serve-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'standin-home-'));

const openData = {
  posts: Array.from({ length: 30 }, (_, i) => ({ id: i + 1, title: `Post ${i + 1}`, status: i % 3 === 0 ? 'draft' : 'published' })),
  authors: [{ id: 1, name: 'Ada' }, { id: 2, name: 'Linus' }],
  settings: { id: 1, site_name: 'demo' },
};

const serve = async (name: string, data: unknown): Promise<{ served: FileServer; url: string }> => {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(data));
  const served = await serveFile({ file, mode: 'memory', port: 0, homePage: true, config: { heartbeatPeriod: 0 } });
  return { served, url: `http://127.0.0.1:${served.server.port}` };
};

const post = (url: string, body: unknown) =>
  fetch(`${url}/items/posts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('the home page in Chromium', { skip: skipWithoutChromium }, () => {
  let browser: Browser;
  const errors: string[] = [];

  before(async () => {
    assertChromium();
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  after(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const open = async (url: string): Promise<Page> => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 640 } });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(url);
    return page;
  };
  const nav = (page: Page) => page.$$eval('nav button', (buttons) => buttons.map((b) => b.textContent!.trim().replace(/\s+/g, ' ')));
  const column = (page: Page, n: number) => page.$$eval(`tbody tr td:nth-child(${n})`, (cells) => cells.map((c) => c.textContent));
  const pageLine = (page: Page) => page.textContent('#page');
  /** Waits until column `n` reads `expected`: the table, the page line and the counts each re-render on their own event. */
  const columnBecomes = (page: Page, n: number, expected: string[]) =>
    page.waitForFunction(([at, want]) =>
      JSON.stringify([...document.querySelectorAll(`tbody tr td:nth-child(${at})`)].map((c) => c.textContent)) === JSON.stringify(want), [n, expected] as const);

  it('lists the collections with counts and pages through one, primary key first', async () => {
    const { served, url } = await serve('paging.json', openData);
    try {
      const page = await open(`${url}/`);
      assert.equal(new URL(page.url()).pathname, '/admin', '/ redirects to the home page');
      await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 25);
      assert.deepEqual(await nav(page), ['posts30', 'authors2', 'settingssingleton']);
      assert.deepEqual(await page.$$eval('thead th', (ths) => ths.map((th) => th.textContent)), ['id', 'title', 'status']);
      assert.equal(await pageLine(page), 'page 1 of 2 · 30 rows');
      await page.click('#next');
      await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 5);
      assert.deepEqual(await column(page, 1), ['26', '27', '28', '29', '30']);
      assert.equal(await pageLine(page), 'page 2 of 2 · 30 rows');
      await page.click('nav button[data-collection="authors"]');
      await page.waitForFunction(() => document.querySelector('#title')!.textContent === 'authors' && document.querySelectorAll('tbody tr').length === 2);
      assert.deepEqual(await column(page, 2), ['Ada', 'Linus']);
      await page.close();
    } finally {
      await served.close();
    }
    assert.deepEqual(errors, []);
  });

  it('filters with a Directus filter or search text, and tells a bad filter apart', async () => {
    const { served, url } = await serve('filter.json', openData);
    try {
      const page = await open(`${url}/admin?collection=posts`);
      await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 25);
      await page.fill('#filter', '{"status":{"_eq":"draft"},"id":{"_lt":10}}');
      await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 3);
      assert.deepEqual(await column(page, 1), ['1', '4', '7']);
      assert.equal(await pageLine(page), 'page 1 of 1 · 3 rows');
      await page.fill('#filter', 'Post 2');
      await page.waitForFunction(() => document.querySelector('#page')!.textContent === 'page 1 of 1 · 11 rows');
      await page.fill('#filter', '{"status":');
      await page.waitForFunction(() => document.querySelector('#error')!.textContent!.startsWith('the filter is not valid JSON'));
      await page.fill('#filter', '{"nope":{"_eq":1}}');
      await page.waitForFunction(() => document.querySelector('#error')!.textContent!.startsWith('FORBIDDEN: You don\'t have permission to access field "nope"'));
      await page.close();
    } finally {
      await served.close();
    }
    assert.deepEqual(errors, []);
  });

  it('updates live: a write over REST changes the counts and the table on screen', async () => {
    const { served, url } = await serve('live.json', openData);
    try {
      const page = await open(`${url}/admin?collection=posts`);
      await page.fill('#filter', '{"id":{"_gt":28}}');
      await page.waitForFunction(() => document.querySelector('#page')!.textContent === 'page 1 of 1 · 2 rows');
      assert.equal((await post(url, { title: 'Live one', status: 'published' })).status, 200);
      await page.waitForFunction(() => document.querySelector('#page')!.textContent === 'page 1 of 1 · 3 rows');
      await columnBecomes(page, 2, ['Post 29', 'Post 30', 'Live one']);
      assert.deepEqual(await page.$$eval('tbody tr.changed td:first-child', (cells) => cells.map((c) => c.textContent)), ['31']);
      await page.waitForFunction(() => document.querySelector('nav button[data-collection="posts"] .count')!.textContent === '31');
      await fetch(`${url}/items/posts/29`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"title":"Renamed"}' });
      await page.waitForFunction(() => document.querySelector('tbody tr td:nth-child(2)')!.textContent === 'Renamed');
      await fetch(`${url}/items/posts/30`, { method: 'DELETE' });
      await page.waitForFunction(() => document.querySelector('nav button[data-collection="posts"] .count')!.textContent === '30');
      await columnBecomes(page, 1, ['29', '31']);
      await page.close();
    } finally {
      await served.close();
    }
    assert.deepEqual(errors, []);
  });

  it('asks for a token when the file has users, and shows the rows with one', async () => {
    const example = JSON.parse((await import('node:fs')).readFileSync(new URL('../examples/db.json', import.meta.url), 'utf8'));
    const { served, url } = await serve('example.json', example);
    try {
      const anonymous = await open(`${url}/admin`);
      await anonymous.waitForFunction(() => document.querySelector('#status')!.textContent!.includes('wants a token'));
      assert.equal(await anonymous.textContent('#status'), 'this server wants a token (handshake auth): paste one above');
      await anonymous.close();
      const page = await open(`${url}/admin?collection=posts&token=admin-token`);
      await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 3);
      assert.equal(await page.textContent('#status'), 'connected (token)');
      assert.deepEqual(await nav(page), ['posts3', 'authors2', 'settingssingleton']);
      assert.deepEqual(await column(page, 2), ['Hello standin', 'Draft notes', 'Realtime with Directus SDK']);
      const screenshot = process.env['STANDIN_SCREENSHOT'];
      if (screenshot) {
        await page.setViewportSize({ width: 1000, height: 300 });
        await page.screenshot({ path: screenshot });
      }
      await page.close();
    } finally {
      await served.close();
    }
    assert.deepEqual(errors, []);
  });
});
