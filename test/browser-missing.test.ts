// Without Chromium, `npm test` still passes the rest: every browser test suite is skipped with one line
// naming what is missing and how to install it, and STANDIN_REQUIRE_BROWSER=1 (CI) makes that a
// failure. Checked by running the browser test files with STANDIN_CHROMIUM pointing at no file.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

const root = new URL('..', import.meta.url);
const MISSING = "Chromium not found at /nonexistent/chromium: the browser tests need it. Install Debian's package "
  + '(apt-get install -y chromium) or point STANDIN_CHROMIUM at a Chromium binary';

const testFiles = readdirSync(new URL('test/', root)).filter((name) => name.endsWith('.test.ts') && name !== 'browser-missing.test.ts');
const text = (name: string) => readFileSync(new URL(`test/${name}`, root), 'utf8');
/** The suites that drive Chromium, found by what they import. */
const browserFiles = testFiles.filter((name) => text(name).includes("from './chromium.ts'")).map((name) => `test/${name}`);

const runBrowserTests = (extra: Record<string, string>) =>
  new Promise<{ code: number | null; output: string }>((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, STANDIN_CHROMIUM: '/nonexistent/chromium' };
    delete env['NODE_TEST_CONTEXT']; // report as a top-level run, not to this test
    delete env['STANDIN_REQUIRE_BROWSER'];
    Object.assign(env, extra);
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', ...browserFiles], { cwd: root, env });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve({ code, output }));
  });

describe('without Chromium', { concurrency: true }, () => {
  it('every test file that drives a browser finds it through test/chromium.ts', () => {
    assert.ok(browserFiles.includes('test/browser.test.ts'));
    const direct = testFiles.filter((name) => /playwright|\/usr\/bin\/chromium/.test(text(name)) && !browserFiles.includes(`test/${name}`));
    assert.deepEqual(direct, []);
  });

  it('skips each browser suite with one line saying what to install', async () => {
    const { code, output } = await runBrowserTests({});
    assert.equal(code, 0, output);
    const skipped = output.split('\n').filter((line) => line.includes(`# SKIP ${MISSING}`));
    assert.equal(skipped.length, browserFiles.length, output);
    assert.equal(output.split('\n').filter((line) => line.includes(MISSING)).length, browserFiles.length, output);
    assert.match(output, /^# fail 0$/m);
  });

  it('fails with the same line when STANDIN_REQUIRE_BROWSER=1', async () => {
    const { code, output } = await runBrowserTests({ STANDIN_REQUIRE_BROWSER: '1' });
    assert.equal(code, 1, output);
    assert.ok(output.includes(`${MISSING} (STANDIN_REQUIRE_BROWSER=1: a missing browser is a failure)`), output);
    assert.match(output, /^not ok \d+ - in headless Chromium$/m);
  });
});
