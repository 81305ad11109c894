// A ready @directus/sdk client for standin/testing: `rest()` and `realtime()` wired to the in-process
// standin, with the options a test needs so that the test process ends (no reconnect timers; a static
// token, so no refresh timer). The SDK is an optional peer dependency: without it, only `client()`
// is unavailable. It is loaded when `client()` is first called, never on import: the SDK keeps the
// global fetch and WebSocket it finds when it loads, and a suite may replace them first (MSW).
import type { AuthMode } from '../core/index.ts';
import type * as Sdk from '@directus/sdk';
import type { DirectusClient, RestClient, StaticTokenClient, WebSocketClient } from '@directus/sdk';

let sdk: typeof Sdk | undefined;
const loadSdk = (): typeof Sdk | undefined => {
  try {
    // Synchronous, so that client() returns the client itself (its CommonJS build; every option is passed in).
    // Node's module loader is reached at run time, not imported: standin/testing is also bundled for
    // browsers (standin/msw under setupWorker), where there is no `node:module` and no client().
    const createRequire = globalThis.process?.getBuiltinModule?.('node:module')?.createRequire;
    return createRequire ? (sdk ??= createRequire(import.meta.url)('@directus/sdk') as typeof Sdk) : undefined;
  } catch {
    return undefined;
  }
};

export interface ClientOptions {
  /** A static token or an access token (a JWT); without one, the client is public. */
  readonly token?: string;
  /** The URL the SDK believes it talks to (nothing listens there). */
  readonly url?: string;
}

export type TestClient<Schema extends object = any> =
  DirectusClient<Schema> & RestClient<Schema> & WebSocketClient<Schema> & StaticTokenClient<Schema>;

export interface Transport {
  readonly WebSocket: typeof globalThis.WebSocket;
  readonly fetch: typeof globalThis.fetch;
  readonly authMode: () => AuthMode;
}

export const createClient = <Schema extends object = any>(transport: Transport, options: ClientOptions = {}): TestClient<Schema> => {
  const loaded = loadSdk();
  if (!loaded) throw new Error('standin: client() needs @directus/sdk under Node; install it (npm i -D @directus/sdk), or in a browser build the client with the SDK yourself (globals: { fetch, WebSocket })');
  const { createDirectus, realtime, rest, staticToken } = loaded;
  const token = options.token ?? null;
  // The SDK's auth mode follows the server's: strict puts the token in the URL, handshake sends it first.
  const server = transport.authMode();
  const authMode = server === 'strict' ? 'strict' : token === null ? 'public' : 'handshake';
  return createDirectus<Schema>(options.url ?? 'http://standin.test', { globals: { WebSocket: transport.WebSocket, fetch: transport.fetch } })
    .with(staticToken(token ?? ''))
    .with(rest())
    .with(realtime({ authMode, reconnect: false }));
};
