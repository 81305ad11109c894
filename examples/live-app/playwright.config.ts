// One end-to-end suite, two ways to reach Directus: `routed` answers the page from a standin in the
// test process (standin/playwright: no server, no port), `served` starts the standin file server on a
// port. e2e/live-list.spec.ts runs in both and must give the same results; e2e/routed.spec.ts holds
// what only routing can do. Chromium is Debian's (`CHROMIUM` overrides the path): no browser download.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import type { DirectusOptions } from './e2e/fixtures.ts';

export default defineConfig<DirectusOptions>({
  testDir: './e2e',
  outputDir: join(tmpdir(), 'standin-live-app-results'),
  timeout: 180_000, // the 1,000-event test takes ~20 s on a quiet machine, minutes on a crowded one
  expect: { timeout: 30_000 }, // what a page shows after a write, given a crowded CI machine
  workers: 1,
  reporter: process.env['CI'] ? 'dot' : 'list',
  use: {
    browserName: 'chromium',
    launchOptions: {
      // LocalNetworkAccessChecks off: a page answered by a route has no address, so Chromium takes it
      // for a public site and blocks its WebSocket to the served standin on 127.0.0.1.
      executablePath: process.env['CHROMIUM'] ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-features=LocalNetworkAccessChecks'],
    },
  },
  projects: [
    { name: 'routed', use: { directusMode: 'routed' } },
    { name: 'served', use: { directusMode: 'served' }, testIgnore: /routed\.spec/ },
  ],
});
