// Acknowledged writes per second and acknowledgement latency of the file server (durable, the
// default) beside the same workload in --memory mode, for files of 1k, 10k and 100k items.
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { serveFile } from '../adapters/serve-file.ts';
import { articles } from './core.bench.ts';

const schema = JSON.parse(readFileSync(new URL('../test/fixtures/schema.json', import.meta.url), 'utf8'));
const users = JSON.parse(readFileSync(new URL('../test/fixtures/db.json', import.meta.url), 'utf8'));

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

/** 10 clients × 10 creates in flight for `ms`; returns acks/s and latency percentiles (ms). */
const load = async (port: number, ms: number) => {
  const latencies: number[] = [];
  const until = performance.now() + ms;
  await Promise.all(Array.from({ length: 10 }, () => new Promise<void>((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/websocket?access_token=admin-static-token`);
    const sentAt = new Map<string, number>();
    let n = 0;
    const send = () => {
      const uid = String(n++);
      sentAt.set(uid, performance.now());
      ws.send(JSON.stringify({ type: 'items', collection: 'articles', action: 'create', data: { title: 'bench' }, query: { fields: ['id'] }, uid }));
    };
    ws.on('open', () => { for (let i = 0; i < 10; i++) send(); });
    ws.on('message', (data) => {
      const uid = JSON.parse(String(data)).uid as string;
      latencies.push(performance.now() - sentAt.get(uid)!);
      sentAt.delete(uid);
      if (performance.now() < until) send();
      else if (sentAt.size === 0) ws.close();
    });
    ws.on('close', () => resolve());
    ws.on('error', reject);
  })));
  latencies.sort((a, b) => a - b);
  return { acks_per_s: latencies.length / (ms / 1000), p50_ms: percentile(latencies, 0.5), p99_ms: percentile(latencies, 0.99) };
};

export const benchFileServer = async (sizes = [1_000, 10_000, 100_000], ms = 2000) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'standin-bench-'));
  const rows: Record<string, number | string>[] = [];
  try {
    for (const size of sizes) {
      for (const mode of ['memory', 'durable'] as const) {
        const file = path.join(dir, `db-${size}-${mode}.json`);
        await writeFile(file, JSON.stringify({ ...users, articles: articles(size) }));
        // Flush the new file first: otherwise the first fsyncs under load also wait for its writeback.
        const handle = await open(file, 'r+');
        await handle.sync();
        await handle.close();
        const served = await serveFile({ file, schema, mode, port: 0, host: '127.0.0.1', config: { heartbeatPeriod: 0 } });
        const figures = await load(served.server.port, ms);
        await served.close();
        rows.push({ size, mode, ...figures });
      }
      const memory = rows.at(-2)!;
      const durable = rows.at(-1)!;
      durable['vs_memory'] = Number(durable['acks_per_s']) / Number(memory['acks_per_s']);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
};
