import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readdir, readFile, rm, writeFile, rename, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { StorageLoadError, type Storage } from '../adapters/storage/port.ts';
import { createMemoryStorage } from '../adapters/storage/memory.ts';
import { createJsonFileStorage } from '../adapters/storage/json-file.ts';
import { CommitterClosedError, createCommitter } from '../adapters/storage/committer.ts';
import { watchFile } from '../adapters/storage/watch.ts';

const tempDir = async (t: TestContext): Promise<string> => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'standin-storage-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const waitUntil = async (condition: () => boolean, what: string, timeoutMs = 3000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(10);
  }
};

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}
const deferred = (): Deferred => {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};

/** Wraps a storage to record every save's data, and optionally hold each save until released. */
const recordingStorage = (inner: Storage, options: { gated?: boolean } = {}) => {
  const started: unknown[] = [];
  const finished: unknown[] = [];
  const gates: Deferred[] = [];
  const storage: Storage = {
    load: () => inner.load(),
    async save(data) {
      started.push(data);
      if (options.gated) {
        const gate = deferred();
        gates.push(gate);
        await gate.promise;
      }
      await inner.save(data);
      finished.push(data);
    },
  };
  return { storage, started, finished, gates };
};

// ---------------------------------------------------------------------------------------------
// Loading

test('loading a missing file names it and does not create it', async (t) => {
  const file = path.join(await tempDir(t), 'db.json');
  const error = await createJsonFileStorage(file).load().then(
    () => assert.fail('load should reject'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof StorageLoadError);
  assert.equal(error.problem, 'missing');
  assert.equal(error.path, file);
  assert.match(error.message, new RegExp(`^Cannot load ${file}: file not found`));
  assert.ok(!error.message.includes('\n'));
  await assert.rejects(stat(file), { code: 'ENOENT' });
});

test('loading invalid JSON names the file, line and column and leaves the file untouched', async (t) => {
  const file = path.join(await tempDir(t), 'db.json');
  const text = '{\n  "posts": [\n    { "id": 1, }\n  ]\n}\n';
  await writeFile(file, text);
  await assert.rejects(createJsonFileStorage(file).load(), (error: unknown) => {
    assert.ok(error instanceof StorageLoadError);
    assert.equal(error.problem, 'invalid-json');
    assert.match(error.message, new RegExp(`^Cannot load ${file}: invalid JSON at line 3, column 16 \\(position 30\\): `));
    assert.ok(!error.message.includes('\n'));
    return true;
  });
  assert.equal(await readFile(file, 'utf8'), text);
});

test('loading a file whose top level is an array says so and leaves it untouched', async (t) => {
  const file = path.join(await tempDir(t), 'db.json');
  await writeFile(file, '[{"id": 1}]');
  await assert.rejects(createJsonFileStorage(file).load(), {
    name: 'StorageLoadError',
    problem: 'not-an-object',
    message: `Cannot load ${file}: the top level must be a JSON object ({ "collection": [...] }), found an array`,
  });
  assert.equal(await readFile(file, 'utf8'), '[{"id": 1}]');
});

test('loading something that is not a readable file is an unreadable error', async (t) => {
  const file = path.join(await tempDir(t), 'db.json');
  await mkdir(file);
  await assert.rejects(createJsonFileStorage(file).load(), {
    name: 'StorageLoadError',
    problem: 'unreadable',
    message: `Cannot load ${file}: cannot read the file (EISDIR)`,
  });
});

// ---------------------------------------------------------------------------------------------
// Saving

test('save writes pretty-printed JSON that loads back, and leaves no temp files', async (t) => {
  const dir = await tempDir(t);
  const file = path.join(dir, 'db.json');
  await writeFile(file, '{}');
  const storage = createJsonFileStorage(file);
  assert.deepEqual(await storage.load(), {});
  const data = { posts: [{ id: 1, title: 'Hello', tags: ['a'] }], directus_users: [] };
  await storage.save(data);
  assert.equal(await readFile(file, 'utf8'), `${JSON.stringify(data, null, 2)}\n`);
  assert.deepEqual(await createJsonFileStorage(file).load(), data);
  assert.deepEqual(await readdir(dir), ['db.json']);
});

test('save refuses data whose top level is not an object and keeps the file', async (t) => {
  const file = path.join(await tempDir(t), 'db.json');
  await writeFile(file, '{"posts": []}');
  const storage = createJsonFileStorage(file);
  await assert.rejects(storage.save([1, 2]), TypeError);
  await assert.rejects(storage.save(undefined), TypeError);
  assert.equal(await readFile(file, 'utf8'), '{"posts": []}');
});

test('concurrent saves are atomic: a reader never sees a partial file', async (t) => {
  const dir = await tempDir(t);
  const file = path.join(dir, 'db.json');
  const version = (n: number) => ({
    version: n,
    items: Array.from({ length: 2000 }, (_, id) => ({ id, title: `item ${id} of version ${n}`, body: 'x'.repeat(50) })),
  });
  const storage = createJsonFileStorage(file);
  await storage.save(version(0));

  let saving = true;
  let reads = 0;
  const seen = new Set<number>();
  const reader = (async () => {
    while (saving) {
      const data = JSON.parse(await readFile(file, 'utf8')) as { version: number; items: unknown[] };
      assert.equal(data.items.length, 2000);
      seen.add(data.version);
      reads++;
    }
  })();
  // Overlapping saves (three at a time) until the reader has parsed the file many times.
  let n = 0;
  const deadline = Date.now() + 10_000;
  while (reads < 100 && Date.now() < deadline) {
    await Promise.all([storage.save(version(++n)), storage.save(version(++n)), storage.save(version(++n))]);
  }
  saving = false;
  await reader;

  assert.ok(reads >= 100, `the reader ran only ${reads} times`);
  assert.ok(seen.size > 10, `the reader saw only ${seen.size} versions`);
  const final = (await storage.load()) as { version: number };
  assert.ok(final.version > n - 3 && final.version <= n, 'the file holds one of the last overlapping saves');
  assert.deepEqual(await readdir(dir), ['db.json']);
});

// ---------------------------------------------------------------------------------------------
// Group commit

test('200 commits issued at once share a save, and each resolves after a save with its state', async (t) => {
  const file = path.join(await tempDir(t), 'db.json');
  const recorded = recordingStorage(createJsonFileStorage(file));
  const committer = createCommitter(recorded.storage, { durable: true });
  let state = { count: 0 };
  const savedCounts = () => recorded.finished.map((data) => (data as { count: number }).count);

  const commits = [];
  for (let i = 1; i <= 200; i++) {
    state = { count: i };
    commits.push(
      committer.commit(() => state).then(() => {
        assert.ok(Math.max(...savedCounts()) >= i, `commit ${i} resolved before a save containing it`);
      }),
    );
  }
  await Promise.all(commits);
  assert.ok(recorded.started.length <= 2, `${recorded.started.length} saves for 200 commits`);
  assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), { count: 200 });
});

test('commits made while a save runs wait for the next save, which holds only the latest state', async () => {
  const recorded = recordingStorage(createMemoryStorage({}), { gated: true });
  const committer = createCommitter(recorded.storage, { durable: true });
  const settled: string[] = [];
  const first = committer.commit(() => ({ v: 'a' })).then(() => settled.push('a'));
  await waitUntil(() => recorded.gates.length === 1, 'the first save');
  const second = committer.commit(() => ({ v: 'b' })).then(() => settled.push('b'));
  const third = committer.commit(() => ({ v: 'c' })).then(() => settled.push('c'));
  await sleep(20);
  assert.equal(recorded.started.length, 1, 'no second save while the first runs');

  recorded.gates[0]!.resolve();
  await first;
  assert.deepEqual(settled, ['a']);
  await waitUntil(() => recorded.gates.length === 2, 'the second save');
  assert.deepEqual(recorded.started, [{ v: 'a' }, { v: 'c' }]);
  assert.deepEqual(settled, ['a'], 'b and c wait for the save that contains them');

  recorded.gates[1]!.resolve();
  await Promise.all([second, third]);
  assert.deepEqual(settled, ['a', 'b', 'c']);
  assert.deepEqual(await recorded.storage.load(), { v: 'c' });
});

test('with durable:false a commit resolves before its save, and flush waits for it', async () => {
  const recorded = recordingStorage(createMemoryStorage({}), { gated: true });
  const committer = createCommitter(recorded.storage, { durable: false });
  await committer.commit(() => ({ v: 1 }));
  await committer.commit(() => ({ v: 2 }));
  await waitUntil(() => recorded.gates.length === 1, 'the background save');
  assert.equal(recorded.finished.length, 0, 'commits resolved while nothing was saved');

  let flushed = false;
  const flushing = committer.flush().then(() => (flushed = true));
  recorded.gates[0]!.resolve();
  await waitUntil(() => recorded.gates.length === 2, 'the coalesced second save');
  assert.equal(flushed, false);
  recorded.gates[1]!.resolve();
  await flushing;
  assert.equal(recorded.started.length, 2);
  assert.deepEqual(await recorded.storage.load(), { v: 2 });
});

test('a failed save rejects its waiters, is reported, and a later commit saves the latest state', async () => {
  const inner = createMemoryStorage({});
  let failNext = true;
  const failure = new Error('disk full');
  const storage: Storage = {
    load: () => inner.load(),
    async save(data) {
      if (failNext) {
        failNext = false;
        throw failure;
      }
      await inner.save(data);
    },
  };
  const errors: unknown[] = [];
  const committer = createCommitter(storage, { durable: true, onError: (e) => errors.push(e) });
  await assert.rejects(committer.commit(() => ({ v: 1 })), failure);
  assert.deepEqual(errors, [failure]);
  assert.deepEqual(await inner.load(), {}, 'nothing was acknowledged that is not stored');

  await committer.commit(() => ({ v: 2 }));
  assert.deepEqual(await inner.load(), { v: 2 });
  assert.equal(errors.length, 1);
});

test('flush retries a save that failed when no commit followed', async () => {
  const inner = createMemoryStorage({});
  let attempts = 0;
  const storage: Storage = {
    load: () => inner.load(),
    async save(data) {
      if (++attempts === 1) throw new Error('EIO');
      await inner.save(data);
    },
  };
  const errors: unknown[] = [];
  const committer = createCommitter(storage, { durable: false, onError: (e) => errors.push(e) });
  await committer.commit(() => ({ v: 1 }));
  await waitUntil(() => errors.length === 1, 'the failure report');
  await committer.flush();
  assert.equal(attempts, 2);
  assert.deepEqual(await inner.load(), { v: 1 });
});

test('close flushes pending commits and then refuses new ones', async (t) => {
  const file = path.join(await tempDir(t), 'db.json');
  const committer = createCommitter(createJsonFileStorage(file), { durable: false });
  await committer.commit(() => ({ posts: [{ id: 1 }] }));
  await committer.close();
  assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), { posts: [{ id: 1 }] });
  await assert.rejects(committer.commit(() => ({})), CommitterClosedError);
});

test('a commit made as soon as the previous one resolves gets its own save', async () => {
  const recorded = recordingStorage(createMemoryStorage({}));
  const committer = createCommitter(recorded.storage, { durable: true });
  for (let v = 1; v <= 5; v++) {
    await committer.commit(() => ({ v }));
    await committer.flush(); // nothing pending: resolves at once rather than hanging
  }
  assert.deepEqual(recorded.finished, [1, 2, 3, 4, 5].map((v) => ({ v })));
});

// ---------------------------------------------------------------------------------------------
// Watching

test('watch reloads on outside edits, ignores our own saves and waits out invalid JSON', async (t) => {
  const dir = await tempDir(t);
  const file = path.join(dir, 'db.json');
  await writeFile(file, '{"posts": []}');
  const storage = createJsonFileStorage(file);
  await storage.load();
  const changes: unknown[] = [];
  const errors: unknown[] = [];
  const watcher = watchFile(file, (data) => changes.push(data), {
    debounceMs: 20,
    ownWrites: storage.ownWrites,
    onError: (e) => errors.push(e),
  });
  t.after(() => watcher.close());

  for (let id = 1; id <= 10; id++) {
    await storage.save({ posts: [{ id }] });
    await sleep(id % 3 === 0 ? 60 : 0); // let some debounced checks run between our saves
  }
  await sleep(150);
  assert.deepEqual(changes, [], 'our own saves are not changes');

  await writeFile(file, '{"posts": [{"id": 99, "title": "edited by hand"'); // an editor mid-save
  await sleep(150);
  assert.deepEqual(changes, []);
  assert.ok(errors.some((e) => e instanceof StorageLoadError && e.problem === 'invalid-json'));

  await writeFile(file, '{"posts": [{"id": 99, "title": "edited by hand"}]}');
  await waitUntil(() => changes.length === 1, 'the in-place edit');
  assert.deepEqual(changes[0], { posts: [{ id: 99, title: 'edited by hand' }] });

  // Editors that save by writing a new file and renaming it over the old one.
  await writeFile(path.join(dir, 'db.json.new'), '{"posts": [{"id": 100}]}');
  await rename(path.join(dir, 'db.json.new'), file);
  await waitUntil(() => changes.length === 2, 'the replacing edit');
  assert.deepEqual(changes[1], { posts: [{ id: 100 }] });

  await storage.save({ posts: [{ id: 101 }] });
  await sleep(150);
  assert.equal(changes.length, 2, 'a save after an outside edit is still ours');
});

// ---------------------------------------------------------------------------------------------
// Memory

test('memory storage round-trips JSON copies, so later mutation does not leak in or out', async () => {
  const initial = { posts: [{ id: 1 }] };
  const storage = createMemoryStorage(initial);
  initial.posts.push({ id: 2 });
  const loaded = (await storage.load()) as { posts: { id: number }[] };
  assert.deepEqual(loaded, { posts: [{ id: 1 }] });
  loaded.posts.length = 0;
  assert.deepEqual(await storage.load(), { posts: [{ id: 1 }] });

  const saved = { posts: [{ id: 3, at: new Date(0) }] };
  await storage.save(saved);
  saved.posts.length = 0;
  assert.deepEqual(await storage.load(), { posts: [{ id: 3, at: '1970-01-01T00:00:00.000Z' }] });
  await assert.rejects(storage.save(['not', 'an', 'object']), TypeError);
  await assert.rejects(createMemoryStorage([1]).load(), { name: 'StorageLoadError', problem: 'not-an-object' });
});
