// Acknowledged writes per second and commit latency for the file storage, against the same workload
// in memory mode, in one run. Each of CLIENTS writers loops: wait for the event loop (a message
// arriving), spend SERVER_WORK_US of CPU (what the transport and core cost per message, from
// shared/facts.md), change one item, commit, and wait for the acknowledgement.
//
//   node --import tsx bench/storage.bench.ts
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Storage } from '../adapters/storage/port.ts';
import { createJsonFileStorage } from '../adapters/storage/json-file.ts';
import { createJournaledFileStorage } from '../adapters/storage/journal-file.ts';
import { createCommitter, type Committer } from '../adapters/storage/committer.ts';

// Sizes can be narrowed from the command line: `... bench/storage.bench.ts 100000`.
const SIZES = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [1_000, 10_000, 100_000];
const CLIENTS = 100; // 10 connections x 10 messages in flight
const SERVER_WORK_US = 10;
const secondsPerCase = (size: number) => (size >= 100_000 ? 3 : size >= 10_000 ? 1.5 : 1);

interface Item {
  id: number;
  title: string;
  status: string;
  rating: number;
  body: string;
}

const makeItems = (count: number): Item[] =>
  Array.from({ length: count }, (_, i) => ({
    id: i + 1,
    title: `Item ${i + 1}`,
    status: ['draft', 'published', 'archived'][i % 3]!,
    rating: i % 5,
    body: 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt.',
  }));

const busyWait = (microseconds: number) => {
  const end = performance.now() + microseconds / 1000;
  while (performance.now() < end);
};

const countingSaves = (inner: Storage) => {
  const counter = { saves: 0 };
  const storage: Storage = {
    load: () => inner.load(),
    save: async (data) => {
      counter.saves++;
      await inner.save(data);
    },
  };
  return { storage, counter };
};

interface Mode {
  name: string;
  /** undefined: memory mode, no storage at all (what --memory does). */
  open?: (dir: string, data: unknown) => Promise<{ storage: Storage; durable: boolean; close?: () => Promise<void> }>;
}

const fileStorage = async (dir: string, data: unknown) => {
  const storage = createJsonFileStorage(path.join(dir, 'db.json'));
  await storage.save(data);
  return storage;
};

const journaledStorage = async (dir: string, data: unknown) => {
  const storage = createJournaledFileStorage(path.join(dir, 'journaled.json'));
  await storage.save(data); // the first save writes db.json whole and starts the journal
  return { storage, durable: true, close: storage.close };
};

// The baseline is memory mode as --memory runs it: no storage at all. (The memory storage of the
// tests JSON-copies the whole data on every save, so it is no baseline.)
const MODES: Mode[] = [
  { name: 'memory (no storage)' },
  { name: 'file, non-durable', open: async (dir, data) => ({ storage: await fileStorage(dir, data), durable: false }) },
  { name: 'file, durable', open: async (dir, data) => ({ storage: await fileStorage(dir, data), durable: true }) },
  { name: 'journal, durable', open: journaledStorage },
];

interface Result {
  items: number;
  mode: string;
  writesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  saves: number;
}

const percentile = (sorted: Float64Array, p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

const runCase = async (size: number, mode: Mode, dir: string): Promise<Result> => {
  const items = makeItems(size);
  // Item objects are replaced, never mutated, and each snapshot is a fresh array, as an immutable
  // core would hand over its state.
  const snapshot = () => ({ items: items.slice() });
  const opened = mode.open ? await mode.open(dir, snapshot()) : undefined;
  const counted = opened ? countingSaves(opened.storage) : undefined;
  const committer: Committer | undefined =
    counted && opened ? createCommitter(counted.storage, { durable: opened.durable }) : undefined;

  const latencies: number[] = [];
  let writes = 0;
  const start = performance.now();
  const end = start + secondsPerCase(size) * 1000;
  const client = async () => {
    while (performance.now() < end) {
      await nextTurn();
      const issued = performance.now();
      busyWait(SERVER_WORK_US);
      const index = Math.floor(Math.random() * size);
      items[index] = { ...items[index]!, rating: (items[index]!.rating + 1) % 5 };
      if (committer) await committer.commit(snapshot);
      latencies.push(performance.now() - issued);
      writes++;
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const elapsed = (performance.now() - start) / 1000;
  await committer?.close();
  await opened?.close?.();

  const sorted = Float64Array.from(latencies).sort();
  return {
    items: size,
    mode: mode.name,
    writesPerSecond: Math.round(writes / elapsed),
    p50Ms: Number(percentile(sorted, 0.5).toFixed(2)),
    p99Ms: Number(percentile(sorted, 0.99).toFixed(2)),
    saves: counted?.counter.saves ?? 0,
  };
};

const wholeFileSaveMs = async (size: number, dir: string) => {
  const storage = createJsonFileStorage(path.join(dir, 'probe.json'));
  const data = { items: makeItems(size) };
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    await storage.save(data);
    times.push(performance.now() - started);
  }
  return Number(times.sort((a, b) => a - b)[1]!.toFixed(1));
};

const main = async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'standin-bench-'));
  const results: Result[] = [];
  const saveMs: Record<number, number> = {};
  try {
    for (const size of SIZES) {
      saveMs[size] = await wholeFileSaveMs(size, dir);
      for (const mode of MODES) results.push(await runCase(size, mode, dir));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  const memoryRate = (size: number) => results.find((r) => r.items === size && !MODES.find((m) => m.name === r.mode)?.open)!.writesPerSecond;
  console.log(`${CLIENTS} writers, ${SERVER_WORK_US} µs simulated server work per write, Node ${process.version}\n`);
  console.log('\nitems    mode                    writes/s   vs memory   p50 ms   p99 ms   saves   one file save ms');
  for (const r of results) {
    const ratio = `${((100 * r.writesPerSecond) / memoryRate(r.items)).toFixed(1)}%`;
    console.log(
      `${String(r.items).padEnd(8)} ${r.mode.padEnd(23)} ${String(r.writesPerSecond).padStart(8)}   ${ratio.padStart(9)}   ${r.p50Ms.toFixed(2).padStart(6)}   ${r.p99Ms.toFixed(2).padStart(6)}   ${String(r.saves).padStart(5)}   ${String(saveMs[r.items]).padStart(6)}`,
    );
  }
  // The target: at 100k items, durable throughput >= 50% of memory mode and p99 < 50 ms.
  const targetMet: Record<string, boolean> = {};
  for (const mode of ['file, durable', 'journal, durable']) {
    const r = results.find((x) => x.items === 100_000 && x.mode === mode);
    if (!r) continue;
    targetMet[mode] = r.writesPerSecond >= 0.5 * memoryRate(100_000) && r.p99Ms < 50;
    console.log(`target at 100k items (>= 50% of memory, p99 < 50 ms), ${mode}: ${targetMet[mode] ? 'met' : 'NOT met'}`);
  }
  console.log(JSON.stringify({ bench: 'storage', clients: CLIENTS, serverWorkUs: SERVER_WORK_US, wholeFileSaveMs: saveMs, targetMet, results }));
};

await main();
