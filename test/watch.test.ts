// --watch against a real server on real files: outside edits are merged while clients write, no
// acknowledged write is lost (in memory or in db.json), subscribers hear every applied edit, and a
// half-written edit is waited for, never written over.
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { dataToJson } from '../core/index.ts';
import { serveFile, type FileServer } from '../adapters/serve-file.ts';

const root = path.resolve(import.meta.dirname, '..');
const schema = JSON.parse(await readFile(path.join(root, 'test/fixtures/schema.json'), 'utf8'));
let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'standin-watch-'));
});
after(() => rm(dir, { recursive: true, force: true }));

type Json = Record<string, any>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const serve = async (name: string, lines: string[]) => {
  const file = path.join(dir, name);
  await copyFile(path.join(root, 'test/fixtures/db.json'), file);
  const served = await serveFile({ file, schema, watch: true, port: 0, config: { heartbeatPeriod: 0 }, log: (l) => { lines.push(l); if (process.env.WATCH_DEBUG) console.error(Date.now() % 100000, l); } });
  return { file, served };
};

/** An admin WebSocket client that sends requests and resolves each reply by uid. */
const client = async (port: number) => {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/websocket?access_token=admin-static-token`);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const waiting = new Map<string, (reply: Json) => void>();
  const events: Json[] = [];
  let uid = 0;
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as Json;
    if (message['type'] === 'subscription' && message['event'] !== 'init') events.push(message);
    const resolve = waiting.get(String(message['uid']));
    if (resolve && (message['type'] !== 'subscription' || message['event'] === 'init')) {
      waiting.delete(String(message['uid']));
      resolve(message);
    }
  });
  return {
    events,
    ask(message: Json): Promise<Json> {
      const id = `m${++uid}`;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        ws.send(JSON.stringify({ ...message, uid: id }));
      });
    },
    send: (message: Json) => ws.send(JSON.stringify(message)),
    close: () => ws.close(),
  };
};

const articleTitles = (data: Json): Map<number, string> => new Map((data['articles'] as Json[]).map((a) => [a['id'], a['title']]));
const memoryOf = (served: FileServer): Json => dataToJson(served.server.state().schema, served.server.state().data) as Json;
const until = async (what: string, check: () => boolean | Promise<boolean>, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(20);
  }
};

describe('--watch', () => {
  it('waits out a half-written edit without writing over it, then merges it with the writes made meanwhile', async () => {
    const lines: string[] = [];
    const { file, served } = await serve('half-written.json', lines);
    const writer = await client(served.server.port);
    const edited = JSON.parse(await readFile(file, 'utf8')) as Json;
    edited['authors'].push({ id: 50, name: 'Typed by hand', email: null });
    const complete = JSON.stringify(edited, null, 2);
    const half = complete.slice(0, complete.length >> 1);
    await writeFile(file, half); // an editor part way through a save
    await until('the invalid edit to be noticed', () => lines.some((l) => l.includes('invalid JSON')));
    // Writes go on and are acknowledged; the idle compaction (after 1 s) must not replace the file.
    const acknowledged: number[] = [];
    for (let i = 0; i < 20; i++) {
      const reply = await writer.ask({ type: 'items', collection: 'articles', action: 'create', data: { title: `meanwhile ${i}` }, query: { fields: ['id'] } });
      acknowledged.push(reply['data']['id']);
    }
    await sleep(1300);
    assert.equal(await readFile(file, 'utf8'), half, 'the half-written file is left as it is');
    await writeFile(file, complete); // the editor finishes
    await until('the edit to be merged', () => lines.some((l) => l.startsWith('merged an outside edit: 1 created')));
    await until('db.json to hold the edit and the writes', async () => {
      const text = await readFile(file, 'utf8');
      if (text === complete) return false;
      const data = JSON.parse(text) as Json;
      return (data['authors'] as Json[]).some((a) => a['id'] === 50) && acknowledged.every((id) => articleTitles(data).has(id));
    });
    writer.close();
    await served.close();
    const data = JSON.parse(await readFile(file, 'utf8')) as Json;
    assert.ok((data['authors'] as Json[]).some((a) => a['name'] === 'Typed by hand'));
    for (const [i, id] of acknowledged.entries()) assert.equal(articleTitles(data).get(id), `meanwhile ${i}`);
    assert.equal(lines.filter((l) => l.includes('invalid JSON')).length, 1, 'reported once, retried quietly');
  });

  it('soak: outside edits every 300 ms against a write storm lose no acknowledged write, and every edit is heard', async () => {
    const lines: string[] = [];
    const { file, served } = await serve('soak.json', lines);
    const port = served.server.port;
    const listener = await client(port);
    await listener.ask({ type: 'subscribe', collection: 'authors', query: { fields: ['id', 'name'] } });
    const writers = await Promise.all([1, 2, 3, 4].map(() => client(port)));

    // The storm: each writer keeps 8 creates in flight (and updates article 1's rating as it goes).
    const acknowledged = new Map<number, string>();
    let storming = true;
    let sent = 0;
    const storm = writers.map(async (w, n) => {
      const inFlight = new Set<Promise<void>>();
      while (storming && sent < 30_000) {
        const title = `w${n}-${sent++}`;
        const p: Promise<void> = w.ask({ type: 'items', collection: 'articles', action: 'create', data: { title }, query: { fields: ['id'] } })
          .then((reply) => {
            assert.equal(reply['status'], undefined, JSON.stringify(reply));
            acknowledged.set(reply['data']['id'], title);
          })
          .finally(() => inFlight.delete(p));
        inFlight.add(p);
        if (inFlight.size >= 8) await Promise.race(inFlight);
      }
      await Promise.all(inFlight);
    });

    // The editor: every 300 ms a read-modify-write of db.json, saved in place, by rename, or in two
    // halves (invalid JSON for a moment). Edit k adds author 100+k, renames author 1, drops author 100+k-2.
    const edits = 12;
    let slowestMerge = 0;
    for (let k = 1; k <= edits; k++) {
      await sleep(300);
      const data = JSON.parse(await readFile(file, 'utf8')) as Json;
      data['authors'] = (data['authors'] as Json[]).filter((a) => a['id'] !== 100 + k - 2);
      data['authors'].push({ id: 100 + k, name: `added by edit ${k}`, email: null });
      data['authors'].find((a: Json) => a['id'] === 1).name = `renamed by edit ${k}`;
      const text = JSON.stringify(data, null, 2);
      const saving = performance.now();
      if (k % 3 === 0) {
        await writeFile(file, text.slice(0, 200));
        await sleep(40);
        await writeFile(file, text);
      } else if (k % 3 === 1) {
        await writeFile(`${file}.edit`, text);
        await rename(`${file}.edit`, file);
      } else {
        await writeFile(file, text);
      }
      // The next edit starts from a file that holds this one (merged, or still the edit itself).
      await until(`edit ${k} to be merged`, () => lines.filter((l) => l.startsWith('merged an outside edit')).length >= k);
      slowestMerge = Math.max(slowestMerge, performance.now() - saving);
    }
    storming = false;
    await Promise.all(storm);

    // Every applied edit was heard: its create, its update and (from edit 3 on) its delete.
    await until('the last edit\'s events', () => listener.events.some((e) => e['event'] === 'update' && e['data'].some((a: Json) => a['name'] === `renamed by edit ${edits}`)));
    for (let k = 1; k <= edits; k++) {
      assert.ok(listener.events.some((e) => e['event'] === 'create' && e['data'].some((a: Json) => a['id'] === 100 + k && a['name'] === `added by edit ${k}`)), `create of edit ${k}`);
      assert.ok(listener.events.some((e) => e['event'] === 'update' && e['data'].some((a: Json) => a['id'] === 1 && a['name'] === `renamed by edit ${k}`)), `update of edit ${k}`);
      if (k > 2) assert.ok(listener.events.some((e) => e['event'] === 'delete' && e['data'].includes(100 + k - 2)), `delete of edit ${k}`);
    }

    // Nothing acknowledged is missing, in memory or (after a clean stop) in db.json.
    assert.ok(acknowledged.size > 500, `the storm wrote ${acknowledged.size} items`);
    const inMemory = articleTitles(memoryOf(served));
    for (const [id, title] of acknowledged) assert.equal(inMemory.get(id), title, `article ${id} in memory`);
    const authorsInMemory = memoryOf(served)['authors'] as Json[];
    listener.close();
    writers.forEach((w) => w.close());
    await served.close();
    const stored = JSON.parse(await readFile(file, 'utf8')) as Json;
    const inFile = articleTitles(stored);
    const lost = [...acknowledged].filter(([id, title]) => inFile.get(id) !== title);
    assert.deepEqual(lost, [], 'acknowledged writes missing from db.json');
    assert.deepEqual(stored['authors'], authorsInMemory);
    assert.deepEqual((stored['authors'] as Json[]).filter((a) => a['id'] >= 100).map((a) => a['id']), [100 + edits - 1, 100 + edits]);
    assert.equal((stored['authors'] as Json[]).find((a) => a['id'] === 1)?.['name'], `renamed by edit ${edits}`);
    console.log(`soak: ${acknowledged.size} acknowledged creates, ${edits} edits (slowest merged ${slowestMerge.toFixed(0)} ms after its save), 0 lost`);
  });
});
