// The fixtures the suites share: `directus` (where the page's Directus is, and a client for the test's
// own writes) and `app` (the page, opened on the app). `directusMode` picks routed or served.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, type Page } from '@playwright/test';
import { createDirectus, createItem, rest, staticToken } from '@directus/sdk';
import * as esbuild from 'esbuild';
import { routeStandin, type RoutedStandin } from 'standin/playwright';
import type { LiveList, Post } from '../app.ts';

const here = new URL('.', import.meta.url);
const seedFile = new URL('../../db.json', here);
export const seed = () => JSON.parse(readFileSync(seedFile, 'utf8'));

export interface DirectusOptions {
  readonly directusMode: 'routed' | 'served';
}

export interface Directus {
  readonly url: string;
  /** A post created by the test, as another user would (through the routed state, or over HTTP). */
  create(title: string): Promise<Post>;
  /** The routed standin (state, reset, failNext, …); undefined when served. */
  readonly standin: RoutedStandin | undefined;
}

const TOKEN = 'admin-token';

/** The standin CLI on a free port, serving a copy of the seed in memory. */
const serve = async (): Promise<{ url: string; stop(): Promise<void> }> => {
  const dir = mkdtempSync(join(tmpdir(), 'live-app-'));
  const file = join(dir, 'db.json');
  copyFileSync(seedFile, file);
  const cli = new URL('../../../adapters/cli.ts', here).pathname;
  const child = spawn(process.execPath, ['--import', 'tsx', cli, file, '--port', '0', '--memory'], {
    stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, SECRET: 'live-app-e2e-secret' },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const port = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1];
      if (port) resolve(`http://127.0.0.1:${port}`);
    });
    child.once('exit', (code) => reject(new Error(`standin exited (${code}): ${out}`)));
  });
  return {
    url,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

/** The app as a browser gets it: index.html and its esbuild bundle, served under `/live-app/` by a route. */
const bundle = async () => {
  const built = await esbuild.build({
    entryPoints: [new URL('../main.ts', here).pathname], bundle: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent',
  });
  return { html: readFileSync(new URL('../index.html', here), 'utf8'), js: built.outputFiles[0]!.text };
};

/** Routes `/live-app/` at `url` to the app. Registered after routeStandin, so it wins for those paths. */
export const serveApp = async (page: Page, url: string, app: { html: string; js: string }) => {
  await page.route((u) => u.origin === new URL(url).origin && u.pathname.startsWith('/live-app/'), (route) => {
    const js = route.request().url().endsWith('.js');
    return route.fulfill({ contentType: js ? 'text/javascript' : 'text/html', body: js ? app.js : app.html });
  });
};

/** Opens the app and waits until its list is loaded and its subscription live. */
export const openApp = async (page: Page, url: string) => {
  await page.goto(`${url}/live-app/`);
  await page.waitForFunction(() => (window as unknown as { liveApp?: LiveList }).liveApp);
  await page.evaluate(() => (window as unknown as { liveApp: LiveList }).liveApp.ready);
};

export const test = base.extend<DirectusOptions & { directus: Directus; app: Page }, { appBundle: { html: string; js: string } }>({
  directusMode: ['routed', { option: true }],
  appBundle: [async ({}, use) => use(await bundle()), { scope: 'worker' }],
  directus: async ({ directusMode, page }, use) => {
    if (directusMode === 'routed') {
      const url = 'http://directus.test';
      const standin = await routeStandin(page, { url, data: seed() });
      // The test's own client reaches the same standin in-process.
      const client = createDirectus(url, { globals: { fetch: standin.fetch } }).with(staticToken(TOKEN)).with(rest());
      await use({ url, standin, create: (title) => client.request(createItem('posts', { title, status: 'published' }, { fields: ['id', 'title'] })) as Promise<Post> });
      standin.close();
      return;
    }
    const server = await serve();
    const client = createDirectus(server.url).with(staticToken(TOKEN)).with(rest());
    await use({ url: server.url, standin: undefined, create: (title) => client.request(createItem('posts', { title, status: 'published' }, { fields: ['id', 'title'] })) as Promise<Post> });
    await page.close(); // its sockets first, so the server stops at once
    await server.stop();
  },
  app: async ({ page, directus, appBundle }, use) => {
    await serveApp(page, directus.url, appBundle);
    await openApp(page, directus.url);
    await use(page);
  },
});

export { expect } from '@playwright/test';
