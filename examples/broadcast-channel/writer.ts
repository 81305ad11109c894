// Worker 1: hosts the store (the core runs here) and writes to it through the SDK like any peer.
import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { createDirectus, realtime, staticToken } from '@directus/sdk';
import { hostStandin, joinStandin } from 'standin/broadcast-channel';

const data = JSON.parse(readFileSync(new URL('../db.json', import.meta.url), 'utf8'));
const host = hostStandin('standin-example', { data, mirror: true });
const peer = joinStandin('standin-example');
const client = createDirectus('http://standin', { globals: { WebSocket: peer.WebSocket } })
  .with(staticToken('admin-token'))
  .with(realtime({ reconnect: false }));
await client.connect();

/** One items message; resolves with the reply's data. */
const items = (message: Record<string, unknown>, uid: string): Promise<any> =>
  new Promise((resolve) => {
    const off = client.onWebSocket('message', (reply: Record<string, any>) => {
      if (reply['uid'] !== uid) return;
      off();
      resolve(reply['data']);
    });
    client.sendMessage({ type: 'items', collection: 'posts', ...message, uid });
  });

parentPort!.on('message', async (command: string) => {
  if (command === 'create') {
    const post = await items({ action: 'create', data: { title: 'Written by worker 1', status: 'published' } }, 'c');
    parentPort!.postMessage(`writer: created post ${post.id}`);
  } else if (command === 'update') {
    await items({ action: 'update', id: 1, data: { title: 'Hello from worker 1' } }, 'u');
    parentPort!.postMessage('writer: renamed post 1');
  } else if (command === 'stop') {
    client.disconnect();
    peer.close();
    host.close();
    parentPort!.close(); // nothing is left: the worker ends
  }
});
parentPort!.postMessage(`writer: hosting "standin-example" with ${data.posts.length} posts`);
