// Every example runs as a user would run it, and prints or passes what its README says.
// (examples/live-list/index.html runs in Chromium: test/browser.test.ts.)
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const root = new URL('..', import.meta.url).pathname;

/** The environment of a fresh shell: no marker that would make a nested `node --test` report to us. */
const env = () => {
  const copy = { ...process.env };
  delete copy['NODE_TEST_CONTEXT'];
  return copy;
};

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Runs a command to its end. It must end by itself: after `limit` ms it is killed and the test fails. */
const run = (command: string, args: string[], limit = 60_000): Promise<Run> =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: root, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} still running after ${limit} ms\n${stdout}\n${stderr}`));
    }, limit);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });

describe('examples', { concurrency: true }, () => {
  it('sdk-test: an app suite with the real SDK against standin/testing passes and exits on its own', async () => {
    const result = await run(process.execPath, ['--import', 'tsx', '--test', 'examples/sdk-test/posts.test.ts']);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /^# tests 5$/m);
    assert.match(result.stdout, /^# pass 5$/m);
    assert.match(result.stdout, /^# fail 0$/m);
  });

  it('file-server: `npm start -- db.json` serves the file and client.ts talks to it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'standin-example-'));
    const file = join(dir, 'db.json');
    copyFileSync(new URL('../examples/db.json', import.meta.url), file);
    // Its own process group, so the server under `npm start` can be stopped with npm.
    const server = spawn('npm', ['start', '--', file, '--port', '0'], { cwd: root, env: env(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no "serving" line within 30 s: ${out}`)), 30_000);
        server.stdout.on('data', (chunk) => {
          out += chunk;
          const found = /ws:\/\/127\.0\.0\.1:(\d+)\/websocket/.exec(out);
          if (found) {
            clearTimeout(timer);
            resolve(`http://127.0.0.1:${found[1]}`);
          }
        });
        server.once('exit', (code) => reject(new Error(`npm start exited (${code}): ${out}`)));
      });
      const client = await run(process.execPath, ['--import', 'tsx', 'examples/file-server/client.ts', url], 30_000);
      assert.equal(client.stdout, 'published: Hello standin | Realtime with Directus SDK\ncreate: [{"id":4,"title":"Sent from client.ts"}]\n', client.stderr);
      assert.equal(client.code, 0);
    } finally {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      process.kill(-server.pid!, 'SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('broadcast-channel: two workers share one store, and both end on their own', async () => {
    const result = await run(process.execPath, ['--import', 'tsx', 'examples/broadcast-channel/main.ts']);
    assert.equal(result.stderr, '');
    assert.equal(result.code, 0);
    assert.deepEqual(result.stdout.trimEnd().split('\n'), [
      'writer: hosting "standin-example" with 3 posts',
      'reader: init [{"id":1,"title":"Hello standin"},{"id":2,"title":"Draft notes"},{"id":3,"title":"Realtime with Directus SDK"}]',
      'writer: created post 4',
      'reader: create [{"id":4,"title":"Written by worker 1"}]',
      'writer: renamed post 1',
      'reader: update [{"id":1,"title":"Hello from worker 1"}]',
      'reader: mirror at version 2 has 4 posts: Hello from worker 1 | Draft notes | Realtime with Directus SDK | Written by worker 1',
      'both workers ended on their own',
    ]);
  });
});
