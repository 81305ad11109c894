// A writer process is killed with SIGKILL at random moments; after each kill the file must load and
// hold every write the writer had acknowledged. (SIGKILL tests process crashes: what the page cache
// holds survives it, so fsync's part, surviving power loss, is not tested here.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createJsonFileStorage } from '../adapters/storage/json-file.ts';
import { createJournaledFileStorage } from '../adapters/storage/journal-file.ts';

const KILLS_PER_STORAGE = 10; // the server-level test (server-crash.test.ts) adds 50 kills of the real CLI
const storageDir = path.resolve(import.meta.dirname, '../adapters/storage');

// The child: load the file, then 20 writers append rows and print each row's id once its commit resolves.
const writerSource = (kind: 'file' | 'journal', file: string) => `
  const { createCommitter } = await import(${JSON.stringify(path.join(storageDir, 'committer.ts'))});
  const { createJsonFileStorage } = await import(${JSON.stringify(path.join(storageDir, 'json-file.ts'))});
  const { createJournaledFileStorage } = await import(${JSON.stringify(path.join(storageDir, 'journal-file.ts'))});
  const storage = ${kind === 'file' ? `createJsonFileStorage(${JSON.stringify(file)})` : `createJournaledFileStorage(${JSON.stringify(file)}, { compactAtBytes: 8192, compactWhenIdleMs: 20 })`};
  let state = await storage.load();
  const committer = createCommitter(storage, { durable: true });
  let next = state.rows.length ? state.rows[state.rows.length - 1].id + 1 : 1;
  process.stdout.write('ready\\n');
  await Promise.all(Array.from({ length: 20 }, async () => {
    for (;;) {
      const id = next++;
      state = { rows: [...state.rows, { id, title: 'row ' + id }] };
      await committer.commit(() => state);
      process.stdout.write(id + '\\n');
    }
  }));
`;

const runAndKill = (kind: 'file' | 'journal', file: string): Promise<number[]> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', writerSource(kind, file)], {
      cwd: path.resolve(import.meta.dirname, '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const first = !out.includes('ready\n');
      out += chunk;
      if (first && out.includes('ready\n')) setTimeout(() => child.kill('SIGKILL'), 5 + Math.random() * 150);
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`writer exited on its own: ${err}`));
      const lines = out.split('\n');
      lines.pop(); // a line cut off by the kill was not fully reported
      resolve(lines.filter((line) => line !== 'ready').map(Number));
    });
  });

for (const kind of ['file', 'journal'] as const) {
  test(`${kind} storage: after ${KILLS_PER_STORAGE} SIGKILLs under write load every acknowledged write loads`, async (t) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'standin-crash-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'db.json');
    await writeFile(file, '{"rows": []}');
    let totalAcknowledged = 0;
    for (let kill = 0; kill < KILLS_PER_STORAGE; kill++) {
      const acknowledged = await runAndKill(kind, file);
      const storage = kind === 'file' ? createJsonFileStorage(file) : createJournaledFileStorage(file);
      const data = (await storage.load()) as { rows: { id: number }[] };
      const ids = new Set(data.rows.map((row) => row.id));
      const lost = acknowledged.filter((id) => !ids.has(id));
      assert.deepEqual(lost, [], `after kill ${kill + 1}, acknowledged writes are missing`);
      assert.equal(ids.size, data.rows.length, 'no row is stored twice');
      totalAcknowledged += acknowledged.length;
    }
    assert.ok(totalAcknowledged > KILLS_PER_STORAGE * 10, `only ${totalAcknowledged} writes were acknowledged in all`);
  });
}
