// The file server itself (the real CLI, a real port) is killed with SIGKILL at random moments under
// write load, 50 times; after each kill the data file loads and holds every write whose reply a
// client had received. Lanes run in parallel, each on its own file.
import { startCli } from './cli-server.ts';
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import WebSocket from 'ws';
import { createJournaledFileStorage } from '../adapters/storage/journal-file.ts';

const LANES = 5;
const KILLS_PER_LANE = 10;
const root = path.resolve(import.meta.dirname, '..');
const fixture = path.join(root, 'test/fixtures/db.json');
const schema = path.join(root, 'test/fixtures/schema.json');

/** Starts the CLI on a free port; resolves with the child and its port once it serves. */
const startServer = (file: string) => startCli([file, '--schema', schema], { SECRET: 'crash-test' });

/** Writes as fast as replies come (10 in flight) until the server dies; returns the acknowledged titles. */
const writeUntilKilled = (port: number, lane: number, round: number, kill: () => void): Promise<string[]> =>
  new Promise((resolve) => {
    const acked: string[] = [];
    const ws = new WebSocket(`ws://127.0.0.1:${port}/websocket?access_token=admin-static-token`);
    let sent = 0;
    const send = () => {
      const title = `lane ${lane} round ${round} write ${sent++}`;
      ws.send(JSON.stringify({ type: 'items', collection: 'articles', action: 'create', data: { title }, query: { fields: ['title'] }, uid: title }));
    };
    ws.on('open', () => {
      for (let i = 0; i < 10; i++) send();
      setTimeout(kill, 50 + Math.random() * 250);
    });
    ws.on('message', (data) => {
      const reply = JSON.parse(String(data));
      if (reply.type === 'items' && reply.data?.title === reply.uid) acked.push(reply.uid);
      if (ws.readyState === ws.OPEN) send();
    });
    ws.on('close', () => resolve(acked));
    ws.on('error', () => {});
  });

const lane = async (index: number, dir: string) => {
  const file = path.join(dir, `lane-${index}.json`);
  await copyFile(fixture, file);
  const everAcked: string[] = [];
  for (let round = 0; round < KILLS_PER_LANE; round++) {
    const { child, port } = await startServer(file);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const acked = await writeUntilKilled(port, index, round, () => child.kill('SIGKILL'));
    await exited;
    everAcked.push(...acked);
    const data = (await createJournaledFileStorage(file).load()) as { articles: { title: string }[] };
    const titles = new Set(data.articles.map((a) => a.title));
    const lost = everAcked.filter((t) => !titles.has(t));
    assert.deepEqual(lost, [], `lane ${index}, kill ${round + 1}: acknowledged writes missing after SIGKILL`);
  }
  return everAcked.length;
};

test(`the file server loses no acknowledged write across ${LANES * KILLS_PER_LANE} SIGKILLs`, async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'standin-crash-'));
  try {
    const counts = await Promise.all(Array.from({ length: LANES }, (_, i) => lane(i, dir)));
    // The test only means something if writes were acknowledged before the kills.
    assert.ok(counts.every((n) => n > 0), `every lane had acknowledged writes: ${counts.join(', ')}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
