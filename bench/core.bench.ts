// Per-message cost of `handle` at 1k / 10k / 100k items, beside the baselines measured in the same
// run: JSON parse + stringify of the same messages, and a hand-written predicate for the same filter.
import { readFileSync } from 'node:fs';
import * as thisCore from '../core/index.ts';
import type { Input, State } from '../core/index.ts';

/** The two functions a bench drives: this tree's core, or another checkout's (bench/against.ts). */
export interface BenchedCore {
  readonly createState: typeof thisCore.createState;
  readonly handle: typeof thisCore.handle;
}

const schema = JSON.parse(readFileSync(new URL('../test/fixtures/schema.json', import.meta.url), 'utf8'));
const users = JSON.parse(readFileSync(new URL('../test/fixtures/db.json', import.meta.url), 'utf8'));
const STATUSES = ['draft', 'published', 'review', 'archived'];

export const articles = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    title: `Article ${i + 1}`,
    body: i % 7 === 0 ? null : `Body of article ${i + 1}`,
    status: STATUSES[i % 4],
    rating: i % 6,
    price: (i % 100) + 0.5,
    published_at: i % 3 === 0 ? null : new Date(Date.UTC(2020, 0, 1) + i * 3_600_000).toISOString(),
    tags: ['t'],
    author: (i % 3) + 1,
  }));

export const stateWith = (n: number, { createState, handle }: BenchedCore = thisCore): State => {
  const data = { ...users, articles: articles(n) };
  const state = createState({ data, schema, seed: 1, config: { heartbeatPeriod: 0 } });
  if (!('connections' in state)) throw new Error(state.message);
  return handle(state, { type: 'open', conn: 'A', query: '?access_token=admin-static-token', now: 0 })[0];
};

/**
 * Median of per-op microseconds over `rounds` rounds of `ops` calls, after unrecorded rounds for at
 * least `warmupMs` (the first thousands of calls measure the JIT compiling and the collector sizing
 * its heap, not the steady state that a running server or a test suite past its start sees).
 */
export const measure = (ops: number, rounds: number, fn: (i: number) => void, warmupMs = 300): number =>
  measureTurns(ops, rounds, [fn], warmupMs)[0]!;

/**
 * `measure` for several functions that take turns round by round, so that a change in the machine's
 * load during the run weighs on each of them alike (their ratios are what the bench reports).
 */
export const measureTurns = (ops: number, rounds: number, fns: readonly ((i: number) => void)[], warmupMs = 300): number[] => {
  for (const fn of fns) for (const until = performance.now() + warmupMs; performance.now() < until;) for (let i = 0; i < ops; i++) fn(i);
  const samples: number[][] = fns.map(() => []);
  for (let r = 0; r < rounds; r++) {
    fns.forEach((fn, at) => {
      const t0 = performance.now();
      for (let i = 0; i < ops; i++) fn(i);
      samples[at]!.push(((performance.now() - t0) * 1000) / ops);
    });
  }
  return samples.map((list) => list.sort((x, y) => x - y)[Math.floor(list.length / 2)]!);
};

const msg = (conn: string, body: object, now = 0): Input => ({ type: 'message', conn, text: JSON.stringify(body), now });

export interface CoreFigures {
  readonly size: number;
  readonly [name: string]: number;
}

const FILTER_QUERY = {
  filter: { _and: [{ status: { _eq: 'published' } }, { rating: { _gte: 3 } }] }, sort: ['-rating', 'id'], limit: 20, page: 2, fields: ['id', 'title', 'rating'],
};

/** One size's operations, each a function of the call's index; write operations carry their own state. */
export const operations = (size: number, core: BenchedCore = thisCore) => {
  const { handle } = core;
  const base = stateWith(size, core);
  const read = (i: number) => msg('A', { type: 'items', collection: 'articles', action: 'read', id: (i % size) + 1, uid: 'r' });
  const update = (i: number) => msg('A', { type: 'items', collection: 'articles', action: 'update', id: (i % size) + 1, data: { rating: i % 5 }, uid: 'u' });
  const query = msg('A', { type: 'items', collection: 'articles', action: 'read', query: FILTER_QUERY, uid: 'q' });
  // Writes start again from `base` (free: states are values) so the collection stays near `size`:
  // creates every 1,000 calls, deletes when every row is gone.
  let created = base;
  let count = 0;
  let updated = base;
  let deleted = base;
  let next = 1;
  let queried = base;
  const reply = JSON.stringify({ type: 'items', data: articles(1)[0], uid: 'r' });
  const rows = articles(size);
  let snapshotted = base;
  return {
    base,
    read_by_id_us: (i: number) => handle(base, read(i)),
    create_us: () => {
      if (++count % 1000 === 0) created = base;
      created = handle(created, msg('A', { type: 'items', collection: 'articles', action: 'create', data: { title: 'x', rating: 1 }, query: { fields: ['id'] }, uid: 'c' }))[0];
    },
    update_by_id_us: (i: number) => {
      updated = handle(updated, update(i))[0];
    },
    delete_by_id_us: () => {
      if (next > size) [deleted, next] = [base, 1];
      deleted = handle(deleted, msg('A', { type: 'items', collection: 'articles', action: 'delete', id: next++, uid: 'd' }))[0];
    },
    filtered_query_us: () => handle(base, query),
    // The same query right after a write: the primary-key order is carried over, not rebuilt.
    write_then_query_us: (i: number) => {
      queried = handle(queried, update(i))[0];
      handle(queried, query);
    },
    // Baselines: the JSON work any server does for the same message, and the same filter by hand.
    json_baseline_us: (i: number) => {
      JSON.parse((read(i) as { text: string }).text);
      JSON.stringify(JSON.parse(reply));
    },
    hand_filter_us: () => {
      const matched = rows.filter((r) => r.status === 'published' && r.rating >= 3);
      matched.sort((a, b) => b.rating - a.rating || a.id - b.id);
      matched.slice(20, 40).map((r) => ({ id: r.id, title: r.title, rating: r.rating }));
    },
    snapshot_reset_us: () => {
      const snapshot = snapshotted.data;
      snapshotted = { ...snapshotted, data: base.data };
      snapshotted = { ...snapshotted, data: snapshot };
    },
  };
};

/** Calls per round and rounds for the per-message figures; the sizes take turns on each. */
export const PER_MESSAGE: Record<string, { ops: number; rounds: number }> = {
  read_by_id_us: { ops: 2000, rounds: 15 },
  create_us: { ops: 500, rounds: 15 },
  update_by_id_us: { ops: 500, rounds: 15 },
  delete_by_id_us: { ops: 100, rounds: 15 },
  json_baseline_us: { ops: 2000, rounds: 15 },
  snapshot_reset_us: { ops: 1000, rounds: 5 },
};

/** The whole-collection figures, which take turns with each other at one size (their ratio is the point). */
export const SCANS = ['filtered_query_us', 'write_then_query_us', 'hand_filter_us'] as const;

/**
 * Every figure at each size. Per-message figures: the sizes take turns round by round (see
 * `measureTurns`), so the ratios between sizes do not depend on when each size happened to run.
 */
export const benchCore = (sizes: readonly number[]): CoreFigures[] => {
  const cases = sizes.map((size) => operations(size));
  const figures: Record<string, number>[] = sizes.map((size) => ({ size }));
  for (const [name, { ops, rounds }] of Object.entries(PER_MESSAGE)) {
    const fns = cases.map((c) => c[name as keyof typeof c] as (i: number) => void);
    measureTurns(ops, rounds, fns).forEach((value, at) => (figures[at]![name] = value));
  }
  cases.forEach((c, at) => {
    const ops = sizes[at]! >= 100_000 ? 3 : 20;
    measureTurns(ops, 7, SCANS.map((name) => c[name])).forEach((value, i) => (figures[at]![SCANS[i]!] = value));
  });
  return figures as CoreFigures[];
};

/** One write against `subs` filtered subscriptions on other connections, as a function of the call's index. */
export const fanoutWrite = (subs: number, core: BenchedCore = thisCore): ((i: number) => void) => {
  const { handle } = core;
  let s = stateWith(1000, core);
  for (let i = 0; i < subs; i++) {
    s = handle(s, { type: 'open', conn: `S${i}`, query: '?access_token=admin-static-token', now: 0 })[0];
    s = handle(s, msg(`S${i}`, { type: 'subscribe', collection: 'articles', uid: `s${i}`, event: 'update', query: { fields: ['id', 'rating'], filter: { rating: { _eq: i % 6 } } } }))[0];
  }
  return (i) => {
    s = handle(s, msg('A', { type: 'items', collection: 'articles', action: 'update', id: (i % 1000) + 1, data: { rating: i % 6 }, uid: 'u' }))[0];
  };
};

/** Core time per write against `subs` filtered subscriptions. */
export const benchFanout = (subs: number): number => measure(200, 5, fanoutWrite(subs));
