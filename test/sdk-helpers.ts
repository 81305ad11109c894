// Helpers the @directus/sdk tests share.
import WebSocket from 'ws';

export type Message = Record<string, any>;

/** `ws` dispatching one frame per task: the SDK drops frames that arrive together otherwise. */
export class OneFramePerTask extends WebSocket {
  constructor(url: string | URL, protocols?: string | string[]) {
    super(url, protocols, { allowSynchronousEvents: false });
  }
}

/** The class as the SDK's `globals.WebSocket` wants it typed. */
export const NodeWebSocket = OneFramePerTask as unknown as typeof globalThis.WebSocket;

/** The next message matching `pick`, from the client's onWebSocket('message'). */
export const next = (client: any, pick: (m: Message) => boolean): Promise<Message> =>
  new Promise((resolve) => {
    const off = client.onWebSocket('message', (m: Message) => {
      if (pick(m)) {
        off();
        resolve(m);
      }
    });
  });

/** Sends a message with a fresh uid and resolves with the reply carrying it. */
export const request = (client: any, message: Message): Promise<Message> => {
  const uid = `req-${Math.random().toString(36).slice(2)}`;
  const reply = next(client, (m) => m['uid'] === uid);
  client.sendMessage({ ...message, uid });
  return reply;
};

/**
 * Takes the next `count` messages from a subscription without ending it (as `for await … break`
 * would). The SDK's generator only sees messages while it is being pulled: start taking before writing.
 */
export const take = async (subscription: AsyncGenerator<Message>, count: number): Promise<Message[]> => {
  const out: Message[] = [];
  while (out.length < count) {
    const item = await subscription.next();
    if (item.done) break;
    out.push(item.value);
  }
  return out;
};
