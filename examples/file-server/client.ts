// Talks to a running standin file server with the real @directus/sdk:
//   npm start                                                      (in one terminal)
//   node --import tsx examples/file-server/client.ts [http://127.0.0.1:8055]   (in another)
// It lists the published posts, subscribes to new ones, creates one, and prints what it saw.
import { createDirectus, realtime, staticToken } from '@directus/sdk';
import WebSocket from 'ws';

/** `ws` dispatching one frame per task: the SDK drops frames that arrive together otherwise. */
class OneFramePerTask extends WebSocket {
  constructor(url: string | URL, protocols?: string | string[]) {
    super(url, protocols, { allowSynchronousEvents: false });
  }
}

const url = process.argv[2] ?? 'http://127.0.0.1:8055';
const client = createDirectus(url, { globals: { WebSocket: OneFramePerTask as unknown as typeof globalThis.WebSocket } })
  .with(staticToken('admin-token'))
  .with(realtime({ reconnect: false }));
await client.connect();

const { subscription, unsubscribe } = await client.subscribe('posts', {
  query: { fields: ['id', 'title'], filter: { status: { _eq: 'published' } } },
});
/** The next subscription message that carries rows (init, create, update, delete). */
const next = async () => {
  for (;;) {
    const { value, done } = await subscription.next();
    if (done) throw new Error('the subscription ended');
    if ('data' in value) return value;
  }
};
const init = await next();
console.log('published:', init.data.map((post) => (post as { title: string }).title).join(' | '));

client.sendMessage({ type: 'items', collection: 'posts', action: 'create', data: { title: 'Sent from client.ts', status: 'published' } });
const created = await next();
console.log(`${created.event}:`, JSON.stringify(created.data));

unsubscribe();
client.disconnect();
