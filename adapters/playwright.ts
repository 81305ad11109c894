// `standin/playwright`: routes a page's (or a context's) Directus REST calls (`route`) and WebSocket
// (`routeWebSocket`, Playwright >= 1.48) to a standin living in the test process. No server, no port:
// each routed page or context has its own state, which the test reads, resets and writes to.
import type { BrowserContext, Page, Route, WebSocketRoute } from 'playwright-core';
import { createStandin, type Peer, type StandinOptions } from './testing.ts';

export interface RouteStandinOptions extends StandinOptions {
  /** The Directus URL the page talks to (`createDirectus(url)`), e.g. `http://directus.test`. */
  readonly url: string;
}

/** What a fulfilled route needs from a Fetch `Response`; repeated headers (each `set-cookie`) join with `\n`, as Playwright reads them. */
const fulfillmentOf = async (response: Response) => {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = name in headers ? `${headers[name]}\n${value}` : value;
  });
  return { status: response.status, headers, body: Buffer.from(await response.arrayBuffer()) };
};

/** Each `send` is its own protocol message, which the page dispatches as its own task. */
const socketPeer = (socket: WebSocketRoute): Peer => ({
  deliver: (text) => socket.send(text),
  closedByServer: () => void socket.close().catch(() => {}),
  // 1006 ("abnormal closure") is what a page sees when an upgrade is refused.
  refused: () => void socket.close({ code: 1006 }).catch(() => {}),
});

/**
 * Routes `target`'s requests to `url` (REST) and to its `/websocket` to one new standin, and returns
 * it (`state`, `snapshot`/`reset`, `failNext`/`delayNext`, `log`, and `fetch`/`WebSocket` for the test's
 * own client). Routes added later take precedence, so an app served from the same origin is routed after.
 */
export const routeStandin = async (target: Page | BrowserContext, options: RouteStandinOptions) => {
  const standin = createStandin(options);
  const base = new URL(options.url);
  const serveRest = async (route: Route) => {
    const request = route.request();
    const body = request.postDataBuffer();
    const response = await standin.fetch(request.url(), {
      method: request.method(), headers: await request.allHeaders(), ...(body === null ? {} : { body: new Uint8Array(body) }),
    });
    await route.fulfill(await fulfillmentOf(response));
  };
  await target.route((url) => url.host === base.host, serveRest);
  await target.routeWebSocket((url) => url.host === base.host && url.pathname === '/websocket', (socket) => {
    const connection = standin.accept(socketPeer(socket), new URL(socket.url()).search);
    socket.onMessage((message) => connection.send(String(message)));
    // With an onClose handler Playwright leaves the closing handshake to us: finish it for the page.
    socket.onClose((code, reason) => {
      connection.close();
      void socket.close({ code, reason }).catch(() => {});
    });
  });
  return standin;
};

export type RoutedStandin = Awaited<ReturnType<typeof routeStandin>>;
