// The file server's options end to end, on real files in a temp dir: --memory never touches the file,
// SIGTERM folds everything into db.json, --watch sees outside edits but not its own writes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { serveFile } from '../adapters/serve-file.ts';

const root = path.resolve(import.meta.dirname, '..');
const fixture = path.join(root, 'test/fixtures/db.json');
const schema = JSON.parse(await readFile(path.join(root, 'test/fixtures/schema.json'), 'utf8'));
let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'standin-files-'));
});
after(() => rm(dir, { recursive: true, force: true }));

const copy = async (name: string) => {
  const file = path.join(dir, name);
  await copyFile(fixture, file);
  return file;
};

const ask = (port: number, messages: Record<string, unknown>[]) =>
  new Promise<Record<string, any>[]>((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/websocket?access_token=admin-static-token`);
    const replies: Record<string, any>[] = [];
    ws.on('open', () => messages.forEach((m, i) => ws.send(JSON.stringify({ ...m, uid: i }))));
    ws.on('message', (data) => {
      replies.push(JSON.parse(String(data)));
      if (replies.length === messages.length) ws.close();
    });
    ws.on('close', () => resolve(replies));
    ws.on('error', reject);
  });

const create = (title: string) => ({ type: 'items', collection: 'articles', action: 'create', data: { title }, query: { fields: ['id'] } });
const titles = async (file: string) => (JSON.parse(await readFile(file, 'utf8')).articles as { title: string }[]).map((a) => a.title);

describe('the file server', () => {
  it('--memory serves and accepts writes but never writes the file', async () => {
    const file = await copy('memory.json');
    const before = await stat(file);
    const served = await serveFile({ file, schema, mode: 'memory', port: 0, config: { heartbeatPeriod: 0 } });
    const [created] = await ask(served.server.port, [create('in memory only')]);
    assert.deepEqual(created!['data'], { id: 13 });
    await served.close();
    const afterStat = await stat(file);
    assert.equal(afterStat.mtimeMs, before.mtimeMs);
    assert.ok(!(await titles(file)).includes('in memory only'));
    await assert.rejects(stat(`${file}.journal`), 'no journal either');
  });

  it('on SIGTERM stores pending writes and folds the journal into a complete db.json', async () => {
    const file = await copy('sigterm.json');
    const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/cli.ts', file, '--schema', path.join(root, 'test/fixtures/schema.json'), '--port', '0', '--heartbeat', '0', '--no-durable'], {
      cwd: root, env: { ...process.env, SECRET: 'file-server-test' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk) => {
        out += chunk;
        const match = /127\.0\.0\.1:(\d+)\//.exec(out);
        if (match) resolve(Number(match[1]));
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    const replies = await ask(port, Array.from({ length: 50 }, (_, i) => create(`write ${i}`)));
    assert.equal(replies.length, 50);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    const stored = await titles(file);
    for (let i = 0; i < 50; i++) assert.ok(stored.includes(`write ${i}`), `write ${i} is in db.json itself`);
  });

  it('--watch reloads after an outside edit and does not reload its own writes', async () => {
    const file = await copy('watch.json');
    const lines: string[] = [];
    const served = await serveFile({ file, schema, watch: true, port: 0, config: { heartbeatPeriod: 0 }, log: (l) => lines.push(l) });
    await ask(served.server.port, [create('our own write')]);
    await served.server.state(); // a value: no await needed, kept for clarity
    // Our own write (the journal, then a compaction after a second idle) must not trigger a reload.
    await new Promise((r) => setTimeout(r, 1800));
    assert.equal(lines.filter((l) => l.startsWith('merged')).length, 0, lines.join('\n'));
    const data = JSON.parse(await readFile(file, 'utf8'));
    data.authors.push({ id: 42, name: 'Edited by hand', email: null });
    await writeFile(file, JSON.stringify(data, null, 2));
    const deadline = Date.now() + 5000;
    let seen: Record<string, any> | undefined;
    while (Date.now() < deadline) {
      [seen] = await ask(served.server.port, [{ type: 'items', collection: 'authors', action: 'read', id: 42, query: { fields: ['name'] } }]);
      if (seen?.['data']) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(seen?.['data'], { name: 'Edited by hand' });
    await served.close();
  });
});
