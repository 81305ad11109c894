// Worker 2: no core here. It subscribes through the SDK over the BroadcastChannel, and keeps a
// mirror of the data (JSON patches from the host) so its reads are local.
import { parentPort } from 'node:worker_threads';
import { createDirectus, realtime, staticToken } from '@directus/sdk';
import { joinStandin } from 'standin/broadcast-channel';

const peer = joinStandin('standin-example', { mirror: true });
await peer.ready;
const client = createDirectus('http://standin', { globals: { WebSocket: peer.WebSocket } })
  .with(staticToken('admin-token'))
  .with(realtime({ reconnect: false }));
await client.connect();

const { subscription } = await client.subscribe('posts', { query: { fields: ['id', 'title'] } });
void (async () => {
  for await (const message of subscription) {
    if ('data' in message) parentPort!.postMessage(`reader: ${message.event} ${JSON.stringify(message.data)}`);
  }
})();

parentPort!.on('message', (command: string) => {
  if (command !== 'stop') return;
  const titles = peer.items('posts').map((post) => post['title']);
  parentPort!.postMessage(`reader: mirror at version ${peer.version} has ${titles.length} posts: ${titles.join(' | ')}`);
  client.disconnect();
  peer.close();
  parentPort!.close();
});
