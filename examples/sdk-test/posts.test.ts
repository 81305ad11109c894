// An app's test suite against standin/testing: the real @directus/sdk, no port, no Docker, reset
// between tests. Run it with `node --import tsx --test examples/sdk-test/posts.test.ts`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, beforeEach, it } from 'node:test';
import { readItems } from '@directus/sdk';
import { createStandin } from 'standin/testing';
import { publish, unpublish, watchPublished } from './posts.ts';

// Seed: the json-server style file the standin server reads (an admin with the token `admin-token`).
const seed = JSON.parse(readFileSync(new URL('../db.json', import.meta.url), 'utf8'));
const standin = createStandin({ data: seed });
const seeded = standin.snapshot();
// Ready SDK clients: rest() and realtime() in-process, no reconnect or refresh timers left behind.
const editor = standin.client({ token: 'admin-token' });
const reader = standin.client({ token: 'admin-token' });
/** The id the next new post gets: one past the seed's largest. */
const nextId = Math.max(...seed.posts.map((post: { id: number }) => post.id)) + 1;
const published = seed.posts.filter((post: { status: string }) => post.status === 'published').map((post: { title: string }) => post.title);

/** Waits until `done()` holds (a subscription's events arrive a task or two later). */
const until = async (done: () => boolean) => {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok(done(), 'timed out waiting');
};

before(() => Promise.all([editor.connect(), reader.connect()]));
beforeEach(() => standin.reset(seeded));
after(() => {
  editor.disconnect();
  reader.disconnect();
  standin.close();
});

it('publish() answers with the new post', async () => {
  assert.deepEqual(await publish(editor, 'First!'), { id: nextId, title: 'First!' });
  assert.equal((await editor.request(readItems('posts'))).length, seed.posts.length + 1, 'REST sees the realtime write');
});

it('starts every test from the seed', async () => {
  // The post of the test above is gone, and its id is handed out again.
  assert.deepEqual(await publish(editor, 'Again'), { id: nextId, title: 'Again' });
});

it('the feed follows what another user publishes and unpublishes', async () => {
  const seen: string[][] = [];
  const feed = await watchPublished(reader, (posts) => seen.push(posts.map((p) => p.title)));
  await until(() => seen.length === 1);
  await publish(editor, 'Breaking');
  await until(() => seen.length === 2);
  await unpublish(editor, 1);
  await until(() => seen.length === 3);
  const first = seed.posts.find((post: { id: number }) => post.id === 1).title;
  assert.deepEqual(seen, [
    published,
    [...published, 'Breaking'],
    [...published.filter((title: string) => title !== first), 'Breaking'],
  ]);
  feed.stop();
});

it('shows the error Directus would send when the server fails', async () => {
  standin.failNext('SERVICE_UNAVAILABLE', 'Try later.');
  await assert.rejects(publish(editor, 'Lost'), /SERVICE_UNAVAILABLE: Try later\./);
  assert.deepEqual(await publish(editor, 'Kept'), { id: nextId, title: 'Kept' });
});

it('a slow reply leaves room for a loading state', async () => {
  standin.delayNext(50);
  const started = performance.now();
  let settled = false;
  const pending = publish(editor, 'Slow').then((post) => ((settled = true), post));
  // Without the delay the reply would be here after a few tasks.
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  assert.equal(settled, false);
  assert.deepEqual(await pending, { id: nextId, title: 'Slow' });
  assert.ok(performance.now() - started >= 45);
});
