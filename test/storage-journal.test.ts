import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { StorageLoadError } from '../adapters/storage/port.ts';
import { createJournaledFileStorage } from '../adapters/storage/journal-file.ts';
import { toDataFileText } from '../adapters/storage/json-file.ts';
import { createCommitter } from '../adapters/storage/committer.ts';
import { diffJson } from '../adapters/storage/json-diff.ts';
import jsonpatch from 'fast-json-patch';

const tempFile = async (t: TestContext): Promise<string> => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'standin-journal-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return path.join(dir, 'db.json');
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const journalLines = async (file: string) => (await readFile(`${file}.journal`, 'utf8')).split('\n').filter(Boolean);

// Immutable snapshots, as the core hands them over: unchanged rows keep their identity.
const v1 = { posts: [{ id: 1, title: 'one' }, { id: 2, title: 'two' }], directus_users: [] };
const v2 = { ...v1, posts: [v1.posts[0]!, { id: 2, title: 'TWO' }, { id: 3, title: 'three' }] };
const v3 = { ...v2, posts: [v2.posts[0]!, v2.posts[2]!] };

test('diffJson produces patches that turn one snapshot into the next', () => {
  for (const [before, after] of [[v1, v2], [v2, v3], [v3, v1], [{ a: 1, 'x/y~z': [1, 2] }, { 'x/y~z': [2], b: null }]] as const) {
    const ops = diffJson(before, after);
    assert.deepEqual(jsonpatch.applyPatch(structuredClone(before), ops, true, true).newDocument, after);
  }
  assert.deepEqual(diffJson(v2, v3), [
    { op: 'replace', path: '/posts/1/id', value: 3 },
    { op: 'replace', path: '/posts/1/title', value: 'three' },
    { op: 'remove', path: '/posts/2' },
  ]);
  const rows = Array.from({ length: 100 }, (_, id) => ({ id }));
  assert.deepEqual(diffJson({ rows }, { rows: rows.slice(1) }), [{ op: 'replace', path: '/rows', value: rows.slice(1) }],
    'a removal that shifts every row replaces the array instead of patching each row');
  assert.deepEqual(diffJson(v1, { ...v1 }), [], 'shared rows are not looked into');
});

test('saves after the first append one patch each, and a new storage replays them', async (t) => {
  const file = await tempFile(t);
  const storage = createJournaledFileStorage(file);
  await storage.save(v1);
  await storage.save(v2);
  await storage.save(v3);
  assert.equal(await readFile(file, 'utf8'), toDataFileText(v1), 'db.json holds the last compaction');
  const lines = await journalLines(file);
  assert.equal(lines.length, 3);
  assert.match(lines[0]!, /^\{"format":"standin-journal\/1","base":"[0-9a-f]{40}"\}$/);
  assert.deepEqual(await createJournaledFileStorage(file).load(), v3);
});

test('a torn last journal line is dropped; a bad line before it names the journal', async (t) => {
  const file = await tempFile(t);
  const storage = createJournaledFileStorage(file);
  await storage.save(v1);
  await storage.save(v2);
  await appendFile(`${file}.journal`, '[{"op":"replace","path":"/posts/0/title","val'); // crash mid-append
  assert.deepEqual(await createJournaledFileStorage(file).load(), v2);

  const lines = await journalLines(file);
  const broken = [lines[0], 'not json', lines[1], ''].join('\n');
  await writeFile(`${file}.journal`, broken);
  await assert.rejects(createJournaledFileStorage(file).load(), (error: unknown) => {
    assert.ok(error instanceof StorageLoadError);
    assert.equal(error.problem, 'invalid-journal');
    assert.match(error.message, new RegExp(`^Cannot load ${file}\\.journal: entry on line 2 cannot be applied: `));
    return true;
  });
  assert.equal(await readFile(`${file}.journal`, 'utf8'), broken, 'load leaves the journal as it was');
});

test('a journal that does not continue the current db.json is skipped and kept aside', async (t) => {
  const file = await tempFile(t);
  const storage = createJournaledFileStorage(file);
  await storage.save(v1);
  await storage.save(v2);
  const journal = await readFile(`${file}.journal`, 'utf8');
  await writeFile(file, '{"posts": [{"id": 9}]}'); // replaced by hand while the server was stopped
  const next = createJournaledFileStorage(file);
  assert.deepEqual(await next.load(), { posts: [{ id: 9 }] });
  await next.adopt({ posts: [{ id: 9 }] });
  const aside = (await readdir(path.dirname(file))).filter((name) => name.startsWith(`${path.basename(file)}.journal.stale-`));
  assert.equal(aside.length, 1);
  assert.equal(await readFile(path.join(path.dirname(file), aside[0]!), 'utf8'), journal, 'its writes can still be recovered by hand');
});

test('the first save after a load writes the replayed state whole and starts a new journal', async (t) => {
  const file = await tempFile(t);
  const first = createJournaledFileStorage(file);
  await first.save(v1);
  await first.save(v2);
  const second = createJournaledFileStorage(file);
  assert.deepEqual(await second.load(), v2);
  await second.save(v3);
  assert.equal(await readFile(file, 'utf8'), toDataFileText(v3));
  assert.equal((await journalLines(file)).length, 1);
  assert.deepEqual(await createJournaledFileStorage(file).load(), v3);
});

test('the journal is folded into db.json past its size limit, when writes pause, and on close', async (t) => {
  const file = await tempFile(t);
  const storage = createJournaledFileStorage(file, { compactAtBytes: 300, compactWhenIdleMs: 50 });
  await storage.save(v1);
  await storage.save(v2); // header (~70 bytes) + this patch stay under 300
  assert.equal(await readFile(file, 'utf8'), toDataFileText(v1));
  const big = { ...v2, posts: [...v2.posts, { id: 4, title: 'x'.repeat(300) }] };
  await storage.save(big); // would pass 300 bytes: compacts instead
  assert.equal(await readFile(file, 'utf8'), toDataFileText(big));
  assert.equal((await journalLines(file)).length, 1);

  await storage.save(v3);
  assert.equal(await readFile(file, 'utf8'), toDataFileText(big));
  await sleep(150);
  assert.equal(await readFile(file, 'utf8'), toDataFileText(v3), 'compacted while idle');

  await storage.save(v2);
  await storage.close();
  assert.equal(await readFile(file, 'utf8'), toDataFileText(v2));
  assert.equal((await journalLines(file)).length, 1);
});

test('a db.json changed behind our back is rewritten whole rather than journaled onto', async (t) => {
  const file = await tempFile(t);
  const storage = createJournaledFileStorage(file);
  await storage.save(v1);
  await writeFile(file, '{"posts": []}');
  await storage.save(v2);
  assert.equal(await readFile(file, 'utf8'), toDataFileText(v2));
  assert.deepEqual(await createJournaledFileStorage(file).load(), v2);
});

test('group commit over the journal: every acknowledged state survives a reload', async (t) => {
  const file = await tempFile(t);
  const storage = createJournaledFileStorage(file, { compactAtBytes: 4096 });
  const committer = createCommitter(storage, { durable: true });
  let state: { rows: { id: number }[] } = { rows: [] };
  let acknowledged = 0;
  const writers = Array.from({ length: 10 }, async () => {
    for (let i = 0; i < 30; i++) {
      state = { rows: [...state.rows, { id: state.rows.length + 1 }] };
      const id = state.rows.length;
      await committer.commit(() => state);
      acknowledged = Math.max(acknowledged, id);
    }
  });
  await Promise.all(writers);
  assert.equal(acknowledged, 300);
  const reloaded = (await createJournaledFileStorage(file).load()) as typeof state;
  assert.deepEqual(reloaded, state);
});
