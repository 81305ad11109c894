// Per-message cost of `handle` at 1k / 10k / 100k items, beside the baselines measured in the same
// run: JSON parse + stringify of the same messages, and a hand-written predicate for the same filter.
import { readFileSync } from 'node:fs';
import { createState, handle, type Input, type State } from '../core/index.ts';

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

export const stateWith = (n: number): State => {
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
export const measure = (ops: number, rounds: number, fn: (i: number) => void, warmupMs = 300): number => {
  for (const until = performance.now() + warmupMs; performance.now() < until;) for (let i = 0; i < ops; i++) fn(i);
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < ops; i++) fn(i);
    samples.push(((performance.now() - t0) * 1000) / ops);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
};

const msg = (conn: string, body: object, now = 0): Input => ({ type: 'message', conn, text: JSON.stringify(body), now });

export interface CoreFigures {
  readonly size: number;
  readonly [name: string]: number;
}

export const benchCore = (size: number): CoreFigures => {
  const base = stateWith(size);
  const read = (i: number) => msg('A', { type: 'items', collection: 'articles', action: 'read', id: (i % size) + 1, uid: 'r' });
  const filterQuery = { filter: { _and: [{ status: { _eq: 'published' } }, { rating: { _gte: 3 } }] }, sort: ['-rating', 'id'], limit: 20, page: 2, fields: ['id', 'title', 'rating'] };
  const figures: Record<string, number> = { size };

  figures['read_by_id_us'] = measure(2000, 15, (i) => handle(base, read(i)));
  // Writes start again from `base` (free: states are values) so the collection stays near `size`:
  // creates every 1,000 calls, deletes when every row is gone.
  let s = base;
  let created = 0;
  figures['create_us'] = measure(500, 15, () => {
    if (++created % 1000 === 0) s = base;
    s = handle(s, msg('A', { type: 'items', collection: 'articles', action: 'create', data: { title: 'x', rating: 1 }, query: { fields: ['id'] }, uid: 'c' }))[0];
  });
  s = base;
  figures['update_by_id_us'] = measure(500, 15, (i) => {
    s = handle(s, msg('A', { type: 'items', collection: 'articles', action: 'update', id: (i % size) + 1, data: { rating: i % 5 }, uid: 'u' }))[0];
  });
  s = base;
  let next = 1;
  figures['delete_by_id_us'] = measure(100, 15, () => {
    if (next > size) [s, next] = [base, 1];
    s = handle(s, msg('A', { type: 'items', collection: 'articles', action: 'delete', id: next++, uid: 'd' }))[0];
  });
  const query = msg('A', { type: 'items', collection: 'articles', action: 'read', query: filterQuery, uid: 'q' });
  figures['filtered_query_us'] = measure(size >= 100_000 ? 3 : 20, 5, () => handle(base, query));
  // The same query right after a write: the primary-key order is carried over, not rebuilt.
  s = base;
  figures['write_then_query_us'] = measure(size >= 100_000 ? 3 : 20, 5, (i) => {
    s = handle(s, msg('A', { type: 'items', collection: 'articles', action: 'update', id: (i % size) + 1, data: { rating: i % 5 }, uid: 'u' }))[0];
    handle(s, query);
  });

  // Baselines: the JSON work any server does for the same message, and the same filter by hand.
  const reply = JSON.stringify({ type: 'items', data: articles(1)[0], uid: 'r' });
  figures['json_baseline_us'] = measure(2000, 15, (i) => {
    JSON.parse((read(i) as { text: string }).text);
    JSON.stringify(JSON.parse(reply));
  });
  const rows = articles(size);
  figures['hand_filter_us'] = measure(size >= 100_000 ? 3 : 20, 5, () => {
    const matched = rows.filter((r) => r.status === 'published' && r.rating >= 3);
    matched.sort((a, b) => b.rating - a.rating || a.id - b.id);
    matched.slice(20, 40).map((r) => ({ id: r.id, title: r.title, rating: r.rating }));
  });
  figures['snapshot_reset_us'] = measure(1000, 5, () => {
    const snapshot = s.data;
    s = { ...s, data: base.data };
    s = { ...s, data: snapshot };
  });
  return figures as CoreFigures;
};

/** One write against `subs` filtered subscriptions on other connections: core time per write. */
export const benchFanout = (subs: number): number => {
  let s = stateWith(1000);
  for (let i = 0; i < subs; i++) {
    s = handle(s, { type: 'open', conn: `S${i}`, query: '?access_token=admin-static-token', now: 0 })[0];
    s = handle(s, msg(`S${i}`, { type: 'subscribe', collection: 'articles', uid: `s${i}`, event: 'update', query: { fields: ['id', 'rating'], filter: { rating: { _eq: i % 6 } } } }))[0];
  }
  return measure(200, 5, (i) => {
    s = handle(s, msg('A', { type: 'items', collection: 'articles', action: 'update', id: (i % 1000) + 1, data: { rating: i % 6 }, uid: 'u' }))[0];
  });
};
