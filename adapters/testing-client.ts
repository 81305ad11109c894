// A ready @directus/sdk client for standin/testing: `rest()` and `realtime()` wired to the in-process
// standin, with the options a test needs so that the test process ends (no reconnect timers; a static
// token, so no refresh timer). The SDK is an optional peer dependency: without it, only `client()`
// is unavailable.
import type { AuthMode } from '../core/index.ts';
import type { DirectusClient, RestClient, StaticTokenClient, WebSocketClient } from '@directus/sdk';

const sdk = await import('@directus/sdk').catch(() => undefined);

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
  if (!sdk) throw new Error('standin: client() needs @directus/sdk; install it (npm i -D @directus/sdk)');
  const { createDirectus, realtime, rest, staticToken } = sdk;
  const token = options.token ?? null;
  // The SDK's auth mode follows the server's: strict puts the token in the URL, handshake sends it first.
  const server = transport.authMode();
  const authMode = server === 'strict' ? 'strict' : token === null ? 'public' : 'handshake';
  return createDirectus<Schema>(options.url ?? 'http://standin.test', { globals: { WebSocket: transport.WebSocket, fetch: transport.fetch } })
    .with(staticToken(token ?? ''))
    .with(rest())
    .with(realtime({ authMode, reconnect: false }));
};
