// The command line as a user meets it: start-up lines, the request log, --help, --version, a taken
// port, open data, and `npm start` with no file serving the example without ever writing it.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import WebSocket from 'ws';
import { bannerLines } from '../adapters/cli-banner.ts';
import { createState, summarize, type State } from '../core/index.ts';

const root = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'standin-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A clean environment: no nested-test marker, no npm variables from the runner. */
const env = (): NodeJS.ProcessEnv => {
  const copy: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (name !== 'NODE_TEST_CONTEXT' && !name.startsWith('npm_')) copy[name] = value;
  return { ...copy, SECRET: 'cli-test-secret' };
};

const cli = ['--import', 'tsx', 'adapters/cli.ts'];

/** Runs the command to its end. */
const run = (command: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });

interface Served {
  readonly child: ChildProcess;
  readonly url: string;
  /** Everything printed to stdout so far. */
  out(): string;
  err(): string;
  /** Resolves once stdout holds a line matching `pattern`. */
  waitFor(pattern: RegExp): Promise<void>;
  stop(): Promise<void>;
}

/** Starts a server (in its own process group, so `npm start` can be stopped with its child). */
const serve = (command: string, args: string[]): Promise<Served> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env: env(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const waiters: (() => void)[] = [];
    child.stderr.on('data', (chunk) => (err += chunk));
    const timer = setTimeout(() => reject(new Error(`no WebSocket line within 60 s:\n${out}\n${err}`)), 60_000);
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.once('exit', (code) => reject(new Error(`exited (${code}):\n${out}\n${err}`)));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      waiters.splice(0).forEach((wake) => wake());
      const found = /WebSocket +ws:\/\/127\.0\.0\.1:(\d+)\/websocket/.exec(out);
      if (!found) return;
      clearTimeout(timer);
      resolve({
        child,
        url: `http://127.0.0.1:${found[1]}`,
        out: () => out,
        err: () => err,
        waitFor: async (pattern) => {
          while (!pattern.test(out)) await new Promise<void>((wake) => waiters.push(wake));
        },
        stop: async () => {
          process.kill(-child.pid!, 'SIGTERM');
          await exited;
        },
      });
    });
  });

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

const post = (url: string, body: unknown, token?: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });

describe('the command line', { concurrency: true }, () => {
  it('`npm start` with no file serves the example in memory, says so, and leaves it untouched', async () => {
    const example = join(root, 'examples/db.json');
    const before = sha(example);
    const served = await serve('npm', ['start', '--', '--port', '0']);
    try {
      assert.match(served.out(), /Data +examples\/db\.json \(the bundled example, in memory: changes are never written/);
      assert.match(served.out(), /^ +posts +3 rows +http:\/\/127\.0\.0\.1:\d+\/items\/posts$/m);
      assert.match(served.out(), /^ +settings +singleton /m);
      assert.match(served.out(), /admin static token: admin-token/);
      const created = await post(`${served.url}/items/posts`, { title: 'not written' }, 'admin-token');
      assert.equal(created.status, 200);
    } finally {
      await served.stop();
    }
    assert.equal(sha(example), before, 'examples/db.json is unchanged');
    assert.equal(existsSync(`${example}.journal`), false, 'no journal beside it');
  });

  it('naming the example explicitly serves it in memory too', async () => {
    const example = join(root, 'examples/db.json');
    const before = sha(example);
    const served = await serve(process.execPath, [...cli, 'examples/db.json', '--port', '0', '--quiet']);
    try {
      assert.equal((await post(`${served.url}/items/posts`, { title: 'x' }, 'admin-token')).status, 200);
    } finally {
      await served.stop();
    }
    assert.equal(sha(example), before);
    assert.equal(existsSync(`${example}.journal`), false);
  });

  it('serves a json-server file openly, warns about values it cannot serve, and logs each request', async () => {
    const file = join(dir, 'open.json');
    writeFileSync(file, JSON.stringify({ posts: [{ id: 1, title: 'Hello' }], count: 5 }));
    const served = await serve(process.execPath, [...cli, file, '--port', '0']);
    try {
      assert.match(served.out(), /Access +open: the file has no directus_\* records, so anyone may read and write everything\./);
      assert.match(served.out(), /To restrict it, add directus_users/);
      assert.match(served.out(), /Auth +public/);
      assert.match(served.err(), /warning: "count" in .*open\.json is not served: its value 5 is neither an array of items nor an object/);
      const created = await post(`${served.url}/items/posts`, { title: 'Second' });
      assert.deepEqual(await created.json(), { data: { id: 2, title: 'Second' } });
      await served.waitFor(/^POST \/items\/posts 200 \d+\.\d ms$/m);
      const socket = new WebSocket(`${served.url.replace('http', 'ws')}/websocket`);
      await new Promise((resolve) => socket.once('open', resolve));
      await served.waitFor(/^WS \/websocket c1 connected$/m);
      socket.close();
      await served.waitFor(/^WS c1 closed \d+ after /m);
    } finally {
      await served.stop();
    }
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).posts.length, 2, 'the write was saved');
  });

  it('--log json writes one JSON object per request; --quiet writes none', async () => {
    const file = join(dir, 'log.json');
    writeFileSync(file, JSON.stringify({ posts: [] }));
    const json = await serve(process.execPath, [...cli, file, '--port', '0', '--log', 'json', '--memory']);
    const quiet = await serve(process.execPath, [...cli, file, '--port', '0', '--quiet', '--memory']);
    try {
      await fetch(`${json.url}/items/posts?access_token=secret-token`);
      await json.waitFor(/^\{.*"kind":"request".*\}$/m);
      const line = JSON.parse(json.out().split('\n').find((l) => l.includes('"kind":"request"'))!);
      assert.deepEqual({ ...line, time: typeof line.time, ms: typeof line.ms }, {
        time: 'string', kind: 'request', method: 'GET', url: '/items/posts?access_token=…', status: 401, ms: 'number',
      });
      const before = quiet.out();
      assert.equal((await fetch(`${quiet.url}/items/posts`)).status, 200);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(quiet.out(), before);
    } finally {
      await Promise.all([json.stop(), quiet.stop()]);
    }
  });

  it('--help is named after how it was started and lists every flag', async () => {
    const direct = await run(process.execPath, [...cli, '--help']);
    assert.equal(direct.code, 0);
    assert.match(direct.stdout, /^usage: standin \[db\.json\] \[options\]$/m);
    const viaNpm = await run('npm', ['start', '--silent', '--', '--help']);
    assert.match(viaNpm.stdout, /^usage: npm start -- \[db\.json\] \[options\]$/m);
    // Every flag the README's Command line section documents is in the help.
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Command line'), readme.indexOf('## The data file'));
    const documented = new Set([...section.matchAll(/`(--[a-z-]+)`/g)].map((m) => m[1]!));
    assert.ok(documented.size >= 15, `the Command line section lists the flags (${documented.size} found)`);
    for (const flag of ['--port', '--host', '--schema', '--auth', '--memory', '--read-only', '--watch', '--quiet', '--log', '--version', '--help']) documented.add(flag);
    for (const flag of documented) assert.match(direct.stdout, new RegExp(`${flag}\\b`), `${flag} is in --help`);
  });

  it('--version prints the package version', async () => {
    const result = await run(process.execPath, [...cli, '--version']);
    assert.equal(result.stdout, `${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version}\n`);
    assert.equal(result.code, 0);
  });

  it('a taken port is one plain line, not a stack', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const result = await run(process.execPath, [...cli, '--port', String(port)]);
      assert.equal(result.code, 1);
      assert.equal(result.stderr, `standin: port ${port} on 127.0.0.1 is in use: stop the program using it, or pass --port <n> (0 picks a free one)\n`);
    } finally {
      blocker.close();
    }
  });

  it('an unknown flag names itself and points at --help', async () => {
    const result = await run(process.execPath, [...cli, '--colour']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^standin: Unknown option '--colour'.*\(standin --help lists every flag\)\n$/);
  });
});

describe('the start-up lines', () => {
  const linesFor = (data: unknown) => {
    const state = createState({ data, seed: 1 }) as State;
    return bannerLines({
      version: '9.9.9', file: 'db.json', storage: 'durable', summary: summarize(state), authMode: state.config.authMode,
      http: 'http://127.0.0.1:1', ws: 'ws://127.0.0.1:1/websocket',
    });
  };

  it('list each collection with its rows, and the URLs, auth and access', () => {
    assert.deepEqual(linesFor({ posts: [{ id: 1 }, { id: 2 }], tags: [{ id: 'a' }], about: { id: 1 } }), [
      'standin 9.9.9',
      '',
      '  Data       db.json (durable)',
      '  Collections',
      '    posts  2 rows     http://127.0.0.1:1/items/posts',
      '    tags   1 row      http://127.0.0.1:1/items/tags',
      '    about  singleton  http://127.0.0.1:1/items/about',
      '',
      '  Home       http://127.0.0.1:1/admin',
      '  REST       http://127.0.0.1:1',
      '  WebSocket  ws://127.0.0.1:1/websocket',
      '  Auth       public (a connection may send an auth message, or not)',
      '  Access     open: the file has no directus_* records, so anyone may read and write everything.',
      '             To restrict it, add directus_users, roles, policies and permissions (README: "The data file").',
      '',
    ]);
  });

  it('name the admin token, and warn about argon2 passwords', () => {
    const example = JSON.parse(readFileSync(join(root, 'examples/db.json'), 'utf8'));
    example.directus_users.push({ id: 'u2', email: 'b@example.com', password: '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaA', role: null });
    const lines = linesFor(example);
    assert.ok(lines.includes("  Access     Directus permissions from the file's directus_* records; admin static token: admin-token"), lines.join('\n'));
    assert.ok(lines.some((line) => line.startsWith('  Passwords  1 user has an argon2 hash')), lines.join('\n'));
  });
});
