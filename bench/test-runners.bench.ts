// standin inside the test runners: one REST round trip through standin/msw (setupServer, Node) and
// through standin/playwright (routeStandin, a page in Chromium), each beside the same request to the
// file server on a port, measured in the same run, taking turns round by round.
import '../examples/live-app/test/node20.ts';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setupServer } from 'msw/node';
import { chromium, type Page } from 'playwright-core';
import { createMswStandin } from '../adapters/msw.ts';
import { routeStandin } from '../adapters/playwright.ts';
import { serveFile } from '../adapters/serve-file.ts';

const seedFile = new URL('../examples/db.json', import.meta.url);
const REQUEST = '/items/posts/1?fields=id,title';
const HEADERS = { authorization: 'Bearer admin-token' };
const ROUTED = 'http://directus.test';

/** Median µs per call of each batch of `ops` sequential calls; the batches take turns. */
const turns = async (ops: number, rounds: number, batches: readonly ((ops: number) => Promise<number>)[]): Promise<number[]> => {
  for (const batch of batches) await batch(ops); // warm-up
  const samples: number[][] = batches.map(() => []);
  for (let r = 0; r < rounds; r++) for (const [at, batch] of batches.entries()) samples[at]!.push(await batch(ops));
  return samples.map((list) => list.sort((a, b) => a - b)[Math.floor(list.length / 2)]!);
};

/** µs per sequential `fetch` of REQUEST at `base`, timed in Node. */
const nodeFetches = async (base: string, ops: number) => {
  const t0 = performance.now();
  for (let i = 0; i < ops; i++) await (await fetch(`${base}${REQUEST}`, { headers: HEADERS })).text();
  return ((performance.now() - t0) * 1000) / ops;
};

/** µs per sequential `fetch` of REQUEST from the page (same origin), timed in the page. */
const pageFetches = (page: Page, ops: number) =>
  page.evaluate(async ({ ops, request, headers }) => {
    const t0 = performance.now();
    for (let i = 0; i < ops; i++) await (await fetch(request, { headers })).text();
    return ((performance.now() - t0) * 1000) / ops;
  }, { ops, request: REQUEST, headers: HEADERS });

export interface TestRunnerFigures {
  readonly msw_rest_us: number;
  readonly port_rest_from_node_us: number;
  readonly msw_vs_port: number;
  readonly route_standin_rest_us: number;
  readonly port_rest_from_page_us: number;
  readonly route_standin_vs_port: number;
}

export const benchTestRunners = async (): Promise<TestRunnerFigures> => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'standin-bench-runners-'));
  const file = path.join(dir, 'db.json');
  copyFileSync(seedFile, file);
  const served = await serveFile({ file, mode: 'memory', port: 0, host: '127.0.0.1', config: { heartbeatPeriod: 0 } });
  const port = `http://127.0.0.1:${served.server.port}`;
  const data = JSON.parse(readFileSync(seedFile, 'utf8'));
  const browser = await chromium.launch({ executablePath: process.env['STANDIN_CHROMIUM'] || '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    // MSW listens only during its own turns, so the port's requests never pass through its interceptors.
    const directus = createMswStandin({ url: ROUTED, data });
    const msw = setupServer(...directus.handlers);
    const [mswUs, nodePortUs] = await turns(50, 9, [
      async (ops) => {
        msw.listen({ onUnhandledFrame: 'error' });
        try {
          return await nodeFetches(ROUTED, ops);
        } finally {
          msw.close();
        }
      },
      (ops) => nodeFetches(port, ops),
    ]);
    directus.close();

    const routedPage = await browser.newPage();
    const routed = await routeStandin(routedPage, { url: ROUTED, data });
    await routedPage.goto(`${ROUTED}/server/ping`);
    const servedPage = await browser.newPage();
    await servedPage.goto(`${port}/server/ping`);
    const [routedUs, pagePortUs] = await turns(50, 9, [(ops) => pageFetches(routedPage, ops), (ops) => pageFetches(servedPage, ops)]);
    routed.close();
    return {
      msw_rest_us: mswUs!,
      port_rest_from_node_us: nodePortUs!,
      msw_vs_port: mswUs! / nodePortUs!,
      route_standin_rest_us: routedUs!,
      port_rest_from_page_us: pagePortUs!,
      route_standin_vs_port: routedUs! / pagePortUs!,
    };
  } finally {
    await browser.close();
    await served.close();
    rmSync(dir, { recursive: true, force: true });
  }
};
