// `standin/testing`: an in-process fake Directus for test suites. Its `WebSocket` class and its `fetch`
// go into `createDirectus(url, { globals: { WebSocket, fetch } })`; nothing listens on a port.
import {
  createState, DirectusError, handle, type AuthMode, type Config, type Data, type DialectName, type Input, type Output, type State,
} from '../core/index.ts';
import { fetchFor } from './http.ts';
import { createClient, type ClientOptions, type TestClient } from './testing-client.ts';
import { failureFrame, failureResponse, faultableMessage, isItemsRequest, type Fault } from './testing-faults.ts';
import { createTimerTable } from './timers.ts';
import { nextTask, WebSocketLike } from './websocket-like.ts';

export interface StandinOptions {
  /** The data file's content (collections + `directus_*` records). */
  readonly data: unknown;
  /** A Directus schema snapshot; inferred from `data` when absent. */
  readonly schema?: unknown;
  /** The auth mode, or a partial config. The heartbeat is off unless configured. */
  readonly auth?: AuthMode | Partial<Config>;
  readonly seed?: number;
  /** The database to answer like where Directus's replies depend on it (default `sqlite`). */
  readonly dialect?: DialectName;
}

export interface LoggedFrame {
  readonly direction: 'in' | 'out';
  readonly conn: string;
  readonly text: string;
}

/**
 * The far end of one connection: how the standin reaches a client's socket (the in-process
 * `WebSocket`, an MSW `ws.link` client, a Playwright `WebSocketRoute`).
 */
export interface Peer {
  /** A frame from the standin. The peer hands each frame to its client as its own task. */
  deliver(text: string): void;
  /** The standin closed the connection; frames delivered before still arrive first. */
  closedByServer(): void;
  /** The upgrade was refused with this HTTP status (a bad token, or the standin is closed). */
  refused(status: number): void;
}

/** A connection accepted by `standin.accept(peer)`: what its client sends, and its client closing it. */
export interface Connection {
  send(text: string): void;
  close(): void;
}

export const createStandin = (options: StandinOptions) => {
  const dialect = options.dialect === undefined ? {} : { dialect: options.dialect };
  const config: Partial<Config> = typeof options.auth === 'string'
    ? { authMode: options.auth, heartbeatPeriod: 0, ...dialect }
    : { heartbeatPeriod: 0, ...options.auth, ...dialect };
  const initial = createState({ data: options.data, schema: options.schema, config, seed: options.seed ?? 1 });
  if (initial instanceof DirectusError) throw new TypeError(`standin: ${initial.message}`);
  let state: State = initial;
  const peers = new Map<string, Peer>();
  // Timers never keep a test process alive.
  const timers = createTimerTable((key) => run({ type: 'timer', key, now: Date.now() }), { unref: true });
  /** Messages and requests held back by `delayNext`: `close()` drops the messages and lets the requests fail. */
  const delayed = new Map<ReturnType<typeof setTimeout>, () => void>();
  const log: LoggedFrame[] = [];
  let nextId = 0;
  let closed = false;
  let injected: Fault | undefined;

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

  /** Holds `then` back by `ms` (or until `close()`). */
  const hold = (ms: number, then: () => void, onClose: () => void = () => {}): void => {
    const t = setTimeout(() => {
      delayed.delete(t);
      then();
    }, ms);
    delayed.set(t, onClose);
  };

  /** A one-shot injected failure or delay for the next items/subscribe message. */
  const intercept = (conn: string, text: string): boolean => {
    const message = injected && faultableMessage(text);
    if (!injected || !message) return false;
    const fault = injected;
    injected = undefined;
    if (fault.kind === 'delay') hold(fault.ms, () => run({ type: 'message', conn, text, now: Date.now() }));
    else apply({ type: 'send', conn, text: failureFrame(fault, message) });
    return true;
  };

  const restFetch = fetchFor(run);
  /** The REST API in-process; an injected fault applies to the next `/items/…` request. */
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : String(input);
    const fault = injected && isItemsRequest(url) ? injected : undefined;
    if (fault) injected = undefined;
    if (fault?.kind === 'fail') return failureResponse(fault);
    if (fault?.kind === 'delay') await new Promise<void>((resolve) => hold(fault.ms, resolve, resolve));
    return restFetch(input, init);
  };

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
        if (!intercept(conn, text)) run({ type: 'message', conn, text, now: Date.now() });
      },
      close() {
        if (!peers.delete(conn)) return;
        run({ type: 'close', conn, now: Date.now() });
      },
    };
  };

  class FakeWebSocket extends WebSocketLike implements Peer {
    private connection: Connection | undefined;

    constructor(url: string | URL, _protocols?: string | string[]) {
      super(url);
      nextTask(() => {
        if (this.readyState !== 0) return;
        this.connection = accept(this, new URL(this.url, 'ws://standin.invalid').search);
        if (this.readyState !== 0) return;
        this.readyState = 1;
        this.emit('open', { type: 'open' });
      });
    }

    send(data: string): void {
      // As in browsers: an error while connecting, silently dropped once closing.
      if (this.readyState === 0) throw new Error("Failed to execute 'send' on 'WebSocket': Still in CONNECTING state.");
      if (this.readyState !== 1) return;
      this.connection?.send(String(data));
    }

    close(): void {
      if (this.readyState >= 2) return;
      this.readyState = 2;
      this.connection?.close();
      this.finish(1005, '');
    }

    /** @internal a frame from the core, delivered as its own task. */
    deliver(text: string): void {
      nextTask(() => {
        if (this.readyState === 1) this.emit('message', { type: 'message', data: text });
      });
    }

    /** @internal the core closed this connection: frames it sent before are still delivered. */
    closedByServer(): void {
      this.finish(1005, '');
    }

    /** @internal the upgrade was refused (HTTP status): browsers report an error, then a close. */
    refused(status: number): void {
      this.readyState = 3;
      nextTask(() => {
        this.emit('error', { type: 'error', message: `Unexpected server response: ${status}` });
        this.emit('close', { type: 'close', code: 1006, reason: '', wasClean: false });
      });
    }

    private finish(code: number, reason: string): void {
      // Frames already queued are delivered first, then the close.
      nextTask(() => {
        if (this.readyState === 3) return;
        this.readyState = 3;
        this.emit('close', { type: 'close', code, reason, wasClean: true });
      });
    }
  }

  return {
    WebSocket: FakeWebSocket as unknown as typeof globalThis.WebSocket,
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
      injected = undefined;
    },
    /**
     * Makes the next items operation fail with this error instead of running (until `reset()`): an
     * `items`/`subscribe` message, or a REST request to `/items/…` (answered with Directus's status
     * for the code, 500 for a code Directus does not have).
     */
    failNext(code = 'INTERNAL_SERVER_ERROR', message = 'An unexpected error occurred.'): void {
      injected = { kind: 'fail', code, message };
    },
    /** Delays the next items operation (an `items`/`subscribe` message or an `/items/…` request) by `ms`. */
    delayNext(ms: number): void {
      injected = { kind: 'delay', ms };
    },
    accept,
    /** The REST API in-process: pass as `createDirectus(url, { globals: { fetch } })` for `rest()`. */
    fetch: fetch as typeof globalThis.fetch,
    /**
     * A ready `@directus/sdk` client on this standin: `rest()` and `realtime()` in-process, the token
     * as a static token, no reconnects (so the test process ends). Call `connect()` for realtime, and
     * `disconnect()` when done. Needs `@directus/sdk` installed.
     */
    client<Schema extends object = any>(options: ClientOptions = {}): TestClient<Schema> {
      return createClient<Schema>({ WebSocket: FakeWebSocket as unknown as typeof globalThis.WebSocket, fetch: fetch as typeof globalThis.fetch, authMode: () => state.config.authMode }, options);
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
      for (const [t, dropped] of delayed) {
        clearTimeout(t);
        dropped();
      }
      delayed.clear();
      injected = undefined;
    },
  };
};

export type Standin = ReturnType<typeof createStandin>;
