// A slice of an app: a posts feed over @directus/sdk's realtime client. Nothing here knows about
// standin; posts.test.ts points it at one.
import type { DirectusClient, WebSocketClient } from '@directus/sdk';

export interface Post {
  readonly id: number;
  readonly title: string;
}

type Client = DirectusClient<any> & WebSocketClient<any>;
type Message = Record<string, any>;

let uids = 0;

/** Sends one items message and resolves with its data, or rejects with the Directus error. */
const ask = (client: Client, message: Message): Promise<any> =>
  new Promise((resolve, reject) => {
    const uid = `posts-${++uids}`;
    const off = client.onWebSocket('message', (reply: Message) => {
      if (reply['uid'] !== uid) return;
      off();
      if (reply['status'] === 'error') reject(new Error(`${reply['error'].code}: ${reply['error'].message}`));
      else resolve(reply['data']);
    });
    client.sendMessage({ type: 'items', collection: 'posts', ...message, uid });
  });

export const publish = (client: Client, title: string): Promise<Post> =>
  ask(client, { action: 'create', data: { title, status: 'published' }, query: { fields: ['id', 'title'] } });

export const unpublish = async (client: Client, id: number): Promise<void> => {
  await ask(client, { action: 'update', id, data: { status: 'draft' } });
};

/**
 * The published posts, kept current by a subscription. It subscribes without a filter and filters
 * here: Directus reads each update event through the subscription's query, so a post that stops
 * matching a filter would just vanish from the events instead of being reported as gone.
 */
export const watchPublished = async (client: Client, changed: (posts: Post[]) => void) => {
  const posts = new Map<number, Post>();
  const { subscription, unsubscribe } = await client.subscribe('posts', { query: { fields: ['id', 'title', 'status'] } });
  void (async () => {
    for await (const message of subscription as AsyncGenerator<Message>) {
      if (message['event'] === 'init') posts.clear();
      if (message['event'] === 'delete') for (const id of message['data']) posts.delete(Number(id));
      else {
        for (const { id, title, status } of message['data'] ?? []) {
          if (status === 'published') posts.set(id, { id, title });
          else posts.delete(id);
        }
      }
      changed([...posts.values()].sort((a, b) => a.id - b.id));
    }
  })();
  return { stop: unsubscribe };
};
