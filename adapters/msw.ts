// `standin/msw`: MSW handlers that answer a Directus at `url` from one in-process standin: an `http`
// handler for the REST API and a `ws.link` handler for `/websocket`. They run wherever MSW runs the
// app's network: `setupServer` in Node, `setupWorker` in a browser page. No query semantics here.
import { http, ws } from 'msw';
import { createStandin, type Peer, type StandinOptions } from './testing.ts';
import { nextTask } from './websocket-like.ts';

export interface MswStandinOptions extends StandinOptions {
  /** The Directus URL the app talks to (`createDirectus(url)`), e.g. `http://directus.test`. */
  readonly url: string;
}

/** The part of an MSW `ws.link` client this adapter uses (MSW's `WebSocketClientHandle`). */
interface LinkClient {
  readonly url: URL;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/**
 * Frames leave one per task: MSW dispatches `client.send()` in a microtask, so two sends in one task
 * reach the page in one task and @directus/sdk keeps only the first (see its one-shot listener).
 */
const pacedPeer = (client: LinkClient): Peer => ({
  deliver: (text) => nextTask(() => client.send(text)),
  closedByServer: () => nextTask(() => client.close()),
  // Called while the connection event is handled, so the socket never opens; MSW cannot fail a
  // handshake, and a close with 1006 ("abnormal") is what a browser reports for a refused upgrade.
  refused: () => client.close(1006, ''),
});

/** A standin (as `createStandin` returns) plus the MSW `handlers` that reach it. */
export const createMswStandin = (options: MswStandinOptions) => {
  const standin = createStandin(options);
  const base = new URL(options.url);
  const socketUrl = `${base.protocol === 'https:' ? 'wss:' : 'ws:'}//${base.host}/websocket`;
  const rest = http.all(`${base.origin}/*`, ({ request }) => standin.fetch(request));
  const realtime = ws.link(socketUrl).addEventListener('connection', ({ client }) => {
    const connection = standin.accept(pacedPeer(client), client.url.search);
    client.addEventListener('message', (event) => connection.send(String(event.data)));
    client.addEventListener('close', () => connection.close());
  });
  // Onto the standin itself: a spread would freeze its `state` getter.
  return Object.assign(standin, { handlers: [rest, realtime] as const });
};

export type MswStandin = ReturnType<typeof createMswStandin>;
