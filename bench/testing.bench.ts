// standin/testing: snapshot()+reset() must cost the same at 1k and 100k items (the state is a value,
// nothing is copied), and a suite's set-up (createStandin + an SDK connect) must stay in milliseconds.
import { readFileSync } from 'node:fs';
import { createDirectus, realtime, staticToken } from '@directus/sdk';
import { createStandin } from '../adapters/testing.ts';
import { articles, measure } from './core.bench.ts';

const schema = JSON.parse(readFileSync(new URL('../test/fixtures/schema.json', import.meta.url), 'utf8'));
const users = JSON.parse(readFileSync(new URL('../test/fixtures/db.json', import.meta.url), 'utf8'));

const standinWith = (n: number) => createStandin({ data: { ...users, articles: articles(n) }, schema });

/** µs for one `reset(snapshot())` with `n` items. */
const snapshotReset = (n: number): number => {
  const standin = standinWith(n);
  const us = measure(100_000, 7, () => standin.reset(standin.snapshot()));
  standin.close();
  return us;
};

/** ms from createStandin() with `n` items to a connected, authenticated SDK client (median of 5). */
const createAndConnect = async (n: number): Promise<number> => {
  const samples: number[] = [];
  const rows = articles(n);
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const standin = createStandin({ data: { ...users, articles: rows }, schema });
    const client = createDirectus('http://standin.invalid', { globals: { WebSocket: standin.WebSocket } })
      .with(staticToken('admin-static-token'))
      .with(realtime({ reconnect: false }));
    await client.connect();
    samples.push(performance.now() - t0);
    client.disconnect();
    standin.close();
  }
  samples.sort((a, b) => a - b);
  return samples[2]!;
};

export interface TestingFigures {
  readonly snapshot_reset_1k_us: number;
  readonly snapshot_reset_100k_us: number;
  /** ~1 when the cost does not grow with the data. */
  readonly snapshot_reset_100k_vs_1k: number;
  readonly create_1k_and_sdk_connect_ms: number;
}

export const benchTesting = async (): Promise<TestingFigures> => {
  const small = snapshotReset(1_000);
  const large = snapshotReset(100_000);
  return {
    snapshot_reset_1k_us: small,
    snapshot_reset_100k_us: large,
    snapshot_reset_100k_vs_1k: large / small,
    create_1k_and_sdk_connect_ms: await createAndConnect(1_000),
  };
};
