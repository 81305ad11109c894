// examples/live-app's three suites run as a user runs them (vitest + MSW; Playwright routed; Playwright
// against the file server on a port), and give the same results test for test.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { assertChromium, chromiumPath, skipWithoutChromium } from './chromium.ts';

const root = new URL('..', import.meta.url).pathname;
const out = mkdtempSync(join(tmpdir(), 'live-app-results-'));
after(() => rmSync(out, { recursive: true, force: true }));

/** Runs a command to its end (killed after `limit` ms) with a clean environment for nested runners. */
const run = (args: string[], env: Record<string, string>, limit = 1_200_000) =>
  new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
    delete childEnv['NODE_TEST_CONTEXT'];
    const child = spawn(process.execPath, args, { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} still running after ${limit} ms\n${output}`));
    }, limit);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });

type Outcomes = Record<string, string>;

/** title -> status from vitest's JSON report. */
const vitestOutcomes = (file: string): Outcomes => {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  return Object.fromEntries(report.testResults.flatMap((f: any) => f.assertionResults.map((t: any) => [t.title, t.status])));
};

/** project -> file -> title -> status from Playwright's JSON report. */
const playwrightOutcomes = (file: string): Record<string, Record<string, Outcomes>> => {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const result: Record<string, Record<string, Outcomes>> = {};
  const walk = (suite: any) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        const byFile = (result[test.projectName] ??= {});
        (byFile[spec.file] ??= {})[spec.title] = test.results.at(-1)?.status ?? 'not run';
      }
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of report.suites) walk(suite);
  return result;
};

const passed = (titles: string[]) => Object.fromEntries(titles.map((title) => [title, 'passed']));

const SHARED = [
  'lists the posts it reads over REST',
  'adds a post from the form and lists it once',
  'shows a post another user creates, live',
  'starts every test from the seed',
  'sees 1,000 creates from the test and from the page, in order, none lost',
];

describe('examples/live-app', { timeout: 1_300_000, skip: skipWithoutChromium }, () => {
  it('the vitest + MSW suite and the Playwright suite (routed, and served on a port) pass with the same results', async () => {
    assertChromium();
    const vitestJson = join(out, 'vitest.json');
    const playwrightJson = join(out, 'playwright.json');
    const [vitest, playwright] = await Promise.all([
      run(['node_modules/vitest/vitest.mjs', 'run', '--config', 'examples/live-app/vitest.config.ts', '--reporter=json', `--outputFile=${vitestJson}`], {}),
      run(['node_modules/@playwright/test/cli.js', 'test', '-c', 'examples/live-app/playwright.config.ts', '--reporter=json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson, CHROMIUM: chromiumPath }),
    ]);
    assert.equal(vitest.code, 0, vitest.output);
    assert.equal(playwright.code, 0, playwright.output);
    const e2e = playwrightOutcomes(playwrightJson);
    assert.deepEqual(vitestOutcomes(vitestJson), passed(SHARED));
    assert.deepEqual(e2e['routed']?.['live-list.spec.ts'], passed(SHARED));
    assert.deepEqual(e2e['served']?.['live-list.spec.ts'], passed(SHARED));
    assert.deepEqual(e2e['routed']?.['routed.spec.ts'], passed([
      'opens no port: every response comes from a route and nothing listens in the test process',
      'two pages in one test each see their own data',
    ]));
    assert.deepEqual(Object.keys(e2e['served'] ?? {}), ['live-list.spec.ts']);
  });
});
