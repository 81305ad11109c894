// Without Chromium, `npm test` still passes the rest: the browser tests are skipped with one line
// naming what is missing and how to install it, and STANDIN_REQUIRE_BROWSER=1 (CI) makes that a
// failure. Checked by running test/browser.test.ts with STANDIN_CHROMIUM pointing at no file.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';

const root = new URL('..', import.meta.url);
const MISSING = "Chromium not found at /nonexistent/chromium: the browser tests need it. Install Debian's package "
  + '(apt-get install -y chromium) or point STANDIN_CHROMIUM at a Chromium binary';

const runBrowserTests = (extra: Record<string, string>) =>
  new Promise<{ code: number | null; output: string }>((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, STANDIN_CHROMIUM: '/nonexistent/chromium' };
    delete env['NODE_TEST_CONTEXT']; // report as a top-level run, not to this test
    delete env['STANDIN_REQUIRE_BROWSER'];
    Object.assign(env, extra);
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', 'test/browser.test.ts'], { cwd: root, env });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve({ code, output }));
  });

describe('without Chromium', { concurrency: true }, () => {
  it('skips the browser tests with one line saying what to install', async () => {
    const { code, output } = await runBrowserTests({});
    assert.equal(code, 0, output);
    assert.equal(output.split('\n').filter((line) => line.includes(MISSING)).length, 1, output);
    assert.match(output, /^ok 1 - in headless Chromium # SKIP Chromium not found at \/nonexistent\/chromium/m);
    assert.match(output, /^# fail 0$/m);
  });

  it('fails with the same line when STANDIN_REQUIRE_BROWSER=1', async () => {
    const { code, output } = await runBrowserTests({ STANDIN_REQUIRE_BROWSER: '1' });
    assert.equal(code, 1, output);
    assert.ok(output.includes(`${MISSING} (STANDIN_REQUIRE_BROWSER=1: a missing browser is a failure)`), output);
    assert.match(output, /^not ok 1 - in headless Chromium$/m);
  });
});
