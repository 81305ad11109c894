// `standin/testing`: an in-process fake Directus for test suites. Its `WebSocket` class and its `fetch`
// go into `createDirectus(url, { globals: { WebSocket, fetch } })`; nothing listens on a port.
// This file holds the standin's state and connections; testing-socket.ts is the in-process socket,
// testing-faults.ts the injected failures and delays, testing-client.ts the ready SDK client.
import { handle, type Data, type Input, type Output, type State } from '../core/index.ts';
import { fetchFor } from './http.ts';
import { initialState, type InProcessOptions } from './in-process-state.ts';
import { createClient, type ClientOptions, type TestClient } from './testing-client.ts';
import { createFaultInjector } from './testing-faults.ts';
import { fakeWebSocketClass, type Connection, type Peer } from './testing-socket.ts';
import { createTimerTable } from './timers.ts';

export type { Connection, Peer } from './testing-socket.ts';

/** The data, schema, auth and seed (default 1) of an in-process standin. */
export type StandinOptions = InProcessOptions;

export interface LoggedFrame {
  readonly direction: 'in' | 'out';
  readonly conn: string;
  readonly text: string;
}

export const createStandin = (options: StandinOptions) => {
  const initial = initialState(options, 1);
  let state: State = initial;
  const peers = new Map<string, Peer>();
  // Timers never keep a test process alive.
  const timers = createTimerTable((key) => run({ type: 'timer', key, now: Date.now() }), { unref: true });
  const faults = createFaultInjector();
  const log: LoggedFrame[] = [];
  let nextId = 0;
  let closed = false;

  const apply = (output: Output): void => {
    switch (output.type) {
      case 'send': {
        log.push({ direction: 'out', conn: output.conn, text: output.text });
        peers.get(output.conn)?.deliver(output.text);
        break;
      }
      case 'close':
        peers.get(output.conn)?.closedByServer();
        peers.delete(output.conn);
        break;
      case 'timer':
      case 'cancel-timer':
        timers.apply(output);
        break;
      case 'refuse':
        peers.get(output.conn)?.refused(output.status);
        peers.delete(output.conn);
        break;
    }
  };

  const run = (input: Input): readonly Output[] => {
    if (closed) return [];
    const [next, outputs] = handle(state, input);
    state = next;
    outputs.forEach(apply);
    return outputs;
  };

  /** The REST API in-process; an injected fault applies to the next `/items/…` request. */
  const fetch = faults.wrapFetch(fetchFor(run));

  /**
   * Opens a connection for a client the standin reaches through `peer`; `query` is the upgrade URL's
   * query string (`?access_token=…`). The peer hears of a refusal or a close through its methods.
   */
  const accept = (peer: Peer, query = ''): Connection => {
    if (closed) {
      // Like a server that is gone: the connection fails instead of hanging.
      peer.refused(503);
      return { send: () => {}, close: () => {} };
    }
    const conn = `t${++nextId}`;
    peers.set(conn, peer);
    run({ type: 'open', conn, query, now: Date.now() });
    return {
      send(text) {
        if (!peers.has(conn)) return;
        log.push({ direction: 'in', conn, text });
        const deliver = () => void run({ type: 'message', conn, text, now: Date.now() });
        if (!faults.intercept(text, deliver, (frame) => apply({ type: 'send', conn, text: frame }))) deliver();
      },
      close() {
        if (!peers.delete(conn)) return;
        run({ type: 'close', conn, now: Date.now() });
      },
    };
  };

  const WebSocket = fakeWebSocketClass(accept);

  return {
    WebSocket,
    /** The current state (a value; keep it for assertions). */
    get state(): State {
      return state;
    },
    /** The data right now, to restore later with `reset(snapshot)`. O(1): the data is immutable. */
    snapshot(): Data {
      return state.data;
    },
    /** Restores the data (the initial data by default). Connections and their subscriptions stay. */
    reset(snapshot: Data = initial.data): void {
      state = { ...state, data: snapshot };
      faults.disarm();
    },
    /**
     * Makes the next items operation fail with this error instead of running (until `reset()`): an
     * `items`/`subscribe` message, or a REST request to `/items/…` (answered with Directus's status
     * for the code, 500 for a code Directus does not have).
     */
    failNext(code = 'INTERNAL_SERVER_ERROR', message = 'An unexpected error occurred.'): void {
      faults.arm({ kind: 'fail', code, message });
    },
    /** Delays the next items operation (an `items`/`subscribe` message or an `/items/…` request) by `ms`. */
    delayNext(ms: number): void {
      faults.arm({ kind: 'delay', ms });
    },
    accept,
    /** The REST API in-process: pass as `createDirectus(url, { globals: { fetch } })` for `rest()`. */
    fetch,
    /**
     * A ready `@directus/sdk` client on this standin: `rest()` and `realtime()` in-process, the token
     * as a static token, no reconnects (so the test process ends). Call `connect()` for realtime, and
     * `disconnect()` when done. Needs `@directus/sdk` installed.
     */
    client<Schema extends object = any>(options: ClientOptions = {}): TestClient<Schema> {
      return createClient<Schema>({ WebSocket, fetch, authMode: () => state.config.authMode }, options);
    },
    /** Every frame exchanged, in order (`in`: from a client, `out`: to a client). */
    log,
    /** Closes every socket and stops every timer; nothing is left running. */
    close(): void {
      for (const [conn, peer] of [...peers]) {
        peers.delete(conn);
        run({ type: 'close', conn, now: Date.now() });
        peer.closedByServer();
      }
      timers.clear();
      closed = true;
      faults.close();
    },
  };
};

export type Standin = ReturnType<typeof createStandin>;
