// standin/testing's ready SDK client, REST faults, and open data in-process: tests that end by themselves.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createItem, readItem, readItems } from '@directus/sdk';
import { createStandin } from 'standin/testing';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const options = () => ({ data: fixture('db.json'), schema: fixture('schema.json') });

/** The next subscription message that carries rows. */
const nextRows = async (subscription: AsyncGenerator<any>) => {
  for (;;) {
    const { value, done } = await subscription.next();
    if (done) throw new Error('the subscription ended');
    if ('data' in value) return value;
  }
};

describe('standin.client()', () => {
  it('talks REST and realtime to one standin: a REST create reaches a subscription', async () => {
    const standin = createStandin(options());
    const client = standin.client({ token: 'admin-static-token' });
    await client.connect();
    const { subscription } = await client.subscribe('articles', { query: { fields: ['id', 'title'] } });
    await nextRows(subscription); // init
    const event = nextRows(subscription);
    const created = await client.request(createItem('articles', { title: 'Over REST' }, { fields: ['id', 'title'] }));
    assert.deepEqual((await event).data, [created]);
    assert.equal(created['title'], 'Over REST');
    client.disconnect();
    standin.close();
  });

  it('without a token is public: open data lets it do everything', async () => {
    const standin = createStandin({ data: { posts: [{ id: 1, title: 'Hello' }] } });
    const client = standin.client();
    await client.connect();
    assert.deepEqual(await client.request(readItems('posts')), [{ id: 1, title: 'Hello' }]);
    const { subscription } = await client.subscribe('posts');
    assert.deepEqual((await nextRows(subscription)).data, [{ id: 1, title: 'Hello' }]);
    client.disconnect();
    standin.close();
  });

  it('follows a strict server: the token goes in the URL', async () => {
    const standin = createStandin({ ...options(), auth: 'strict' });
    const client = standin.client({ token: 'admin-static-token' });
    await client.connect();
    const { subscription } = await client.subscribe('articles', { query: { fields: ['id'], limit: 1 } });
    assert.deepEqual((await nextRows(subscription)).data, [{ id: 1 }]);
    client.disconnect();
    standin.close();
  });

  it('a test file whose client never disconnects still ends by itself', async () => {
    // A node:test file run in a child: it must exit on its own (nothing keeps the loop alive).
    const script = `
      import { test } from 'node:test';
      import assert from 'node:assert/strict';
      import { readItems } from '@directus/sdk';
      import { createStandin } from 'standin/testing';
      const standin = createStandin({ data: { posts: [{ id: 1 }] } });
      test('reads', async () => {
        const client = standin.client();
        await client.connect();
        assert.deepEqual(await client.request(readItems('posts')), [{ id: 1 }]);
        standin.close();
      });`;
    const started = performance.now();
    const code = await new Promise<number | null>((resolve) => {
      const env = { ...process.env };
      delete env['NODE_TEST_CONTEXT'];
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: new URL('..', import.meta.url).pathname, env, stdio: 'ignore',
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.on('close', (exit) => {
        clearTimeout(timer);
        resolve(exit);
      });
    });
    assert.equal(code, 0, `the test process ended by itself (${Math.round(performance.now() - started)} ms)`);
  });
});

describe('failNext / delayNext over REST', () => {
  it('failNext() answers the next /items request with Directus\'s status and body, once', async () => {
    const standin = createStandin(options());
    standin.failNext('SERVICE_UNAVAILABLE', 'Try later.');
    const failed = await standin.fetch('http://standin.test/items/articles/1', { headers: { authorization: 'Bearer admin-static-token' } });
    assert.equal(failed.status, 503);
    assert.deepEqual(await failed.json(), { errors: [{ message: 'Try later.', extensions: { code: 'SERVICE_UNAVAILABLE' } }] });
    const client = standin.client({ token: 'admin-static-token' });
    assert.deepEqual(await client.request(readItem('articles', 1, { fields: ['id'] })), { id: 1 });
    standin.failNext('MY_OWN_CODE', 'Custom.');
    await assert.rejects(client.request(readItems('articles')), (error: any) => {
      assert.equal(error.response.status, 500);
      assert.deepEqual(error.errors, [{ message: 'Custom.', extensions: { code: 'MY_OWN_CODE' } }]);
      return true;
    });
    standin.close();
  });

  it('a fault waits for an items operation: /server/ping passes through untouched', async () => {
    const standin = createStandin(options());
    standin.failNext();
    assert.equal((await standin.fetch('http://standin.test/server/ping')).status, 200);
    assert.equal((await standin.fetch('http://standin.test/items/articles/1')).status, 500);
    standin.close();
  });

  it('delayNext() holds the next /items request back; close() lets a held request fail', async () => {
    const standin = createStandin(options());
    const client = standin.client({ token: 'admin-static-token' });
    standin.delayNext(60);
    const started = performance.now();
    const order: number[] = [];
    const slow = client.request(readItem('articles', 1, { fields: ['id'] })).then((item) => (order.push(1), item));
    const fast = client.request(readItem('articles', 2, { fields: ['id'] })).then((item) => (order.push(2), item));
    assert.deepEqual(await Promise.all([slow, fast]), [{ id: 1 }, { id: 2 }]);
    assert.deepEqual(order, [2, 1], 'the next request overtakes the held one');
    assert.ok(performance.now() - started >= 55);
    standin.delayNext(60_000);
    const held = client.request(readItems('articles'));
    standin.close();
    await assert.rejects(held, /standin is closed/);
  });
});
