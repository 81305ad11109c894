// An app's test suite against standin/testing: the real @directus/sdk, no port, no Docker, reset
// between tests. Run it with `node --import tsx --test examples/sdk-test/posts.test.ts`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, beforeEach, it } from 'node:test';
import { createDirectus, realtime, staticToken } from '@directus/sdk';
import { createStandin } from 'standin/testing';
import { publish, unpublish, watchPublished } from './posts.ts';

// Seed: the json-server style file the standin server reads (an admin with the token `admin-token`).
const standin = createStandin({ data: JSON.parse(readFileSync(new URL('../db.json', import.meta.url), 'utf8')) });
const seeded = standin.snapshot();
const connect = () =>
  createDirectus('http://standin.test', { globals: { WebSocket: standin.WebSocket } })
    .with(staticToken('admin-token'))
    .with(realtime({ reconnect: false }));
const editor = connect();
const reader = connect();

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
  assert.deepEqual(await publish(editor, 'First!'), { id: 4, title: 'First!' });
});

it('starts every test from the seed', async () => {
  // The post of the test above is gone, and its id is handed out again.
  assert.deepEqual(await publish(editor, 'Again'), { id: 4, title: 'Again' });
});

it('the feed follows what another user publishes and unpublishes', async () => {
  const seen: string[][] = [];
  const feed = await watchPublished(reader, (posts) => seen.push(posts.map((p) => p.title)));
  await until(() => seen.length === 1);
  await publish(editor, 'Breaking');
  await until(() => seen.length === 2);
  await unpublish(editor, 1);
  await until(() => seen.length === 3);
  assert.deepEqual(seen, [
    ['Hello standin', 'Realtime with Directus SDK'],
    ['Hello standin', 'Realtime with Directus SDK', 'Breaking'],
    ['Realtime with Directus SDK', 'Breaking'],
  ]);
  feed.stop();
});

it('shows the error Directus would send when the server fails', async () => {
  standin.failNext('SERVICE_UNAVAILABLE', 'Try later.');
  await assert.rejects(publish(editor, 'Lost'), /SERVICE_UNAVAILABLE: Try later\./);
  assert.deepEqual(await publish(editor, 'Kept'), { id: 4, title: 'Kept' });
});

it('a slow reply leaves room for a loading state', async () => {
  standin.delayNext(50);
  const started = performance.now();
  let settled = false;
  const pending = publish(editor, 'Slow').then((post) => ((settled = true), post));
  // Without the delay the reply would be here after a few tasks.
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  assert.equal(settled, false);
  assert.deepEqual(await pending, { id: 4, title: 'Slow' });
  assert.ok(performance.now() - started >= 45);
});
