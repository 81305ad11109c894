// `standin/server`: the core on one HTTP port, REST and WebSocket (as Directus serves them). This file
// wires the parts: the upgrade (path, connection limit, the core's refusal), the HTTP API, timers and
// logs; core-runner.ts runs the inputs, ws-connections.ts binds each socket. No protocol decisions here.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Input, Output, State } from '../core/index.ts';
import type { AccessEvent } from './access-log.ts';
import { createCoreRunner } from './core-runner.ts';
import { serveHttp } from './http.ts';
import { createTimerTable } from './timers.ts';
import { createConnectionTable } from './ws-connections.ts';
import { createLargeFrames } from './large-frames.ts';

export interface ServerOptions {
  readonly state: State;
  readonly port?: number;
  readonly host?: string;
  /** WebSocket endpoint path (Directus: `/websocket`). */
  readonly path?: string;
  /** Largest accepted frame in bytes (default 100 MiB, `ws`'s and so Directus's); larger frames close with 1009. */
  readonly maxPayload?: number;
  /** Most open WebSocket connections; the next upgrade is refused with 403 (default: no limit, as Directus). */
  readonly maxConnections?: number;
  /** A client that lets this many bytes pile up unread is cut off, so it cannot hold memory or slow others. */
  readonly maxBufferedBytes?: number;
  /**
   * Called after an input changed the data, before its outputs are sent: resolve once the state is
   * safely stored (durable acknowledgements). Outputs keep their order across inputs.
   */
  readonly persist?: (state: State) => Promise<void>;
  readonly log?: (line: string) => void;
  /** Told of every answered request and every WebSocket opened, refused or closed (an access log). */
  readonly onAccess?: (event: AccessEvent) => void;
  /** Takes a request before the REST API (e.g. the home page); returns whether it answered it. */
  readonly page?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

export interface RunningServer {
  readonly port: number;
  readonly http: Server;
  /** The current state (a value: safe to keep). */
  state(): State;
  /** Replaces the state outside any message. */
  update(change: (state: State) => State): void;
  /**
   * Runs an input that comes from neither socket nor request (e.g. an outside edit of the data
   * file); resolves true once its outputs were delivered (after the change was stored).
   */
  input(input: Input): Promise<boolean>;
  close(): Promise<void>;
}

export const startServer = async (options: ServerOptions): Promise<RunningServer> => {
  const path = options.path ?? '/websocket';
  const access = options.onAccess;
  const timers = createTimerTable((key) => dispatch({ type: 'timer', key, now: Date.now() }));
  const maxPayload = options.maxPayload ?? 100 * 1024 * 1024;
  const largeFrames = createLargeFrames(maxPayload);
  const connections = createConnectionTable({
    dispatch: (input) => void dispatch(input),
    maxBufferedBytes: options.maxBufferedBytes ?? 64 * 1024 * 1024,
    onAccess: access,
    largeFrames,
  });
  const runner = createCoreRunner({
    state: options.state,
    persist: options.persist,
    apply: (output) => {
      if (output.type === 'timer' || output.type === 'cancel-timer') timers.apply(output);
      else if (output.type === 'log') options.log?.(output.text);
      else connections.apply(output); // a refusal is answered at the upgrade
    },
    // A client never takes an unsaved write for an acknowledged one: nothing is sent, its socket closes.
    storeFailed: (input, error) => {
      options.log?.(`not acknowledged, storing failed: ${String(error)}`);
      if (input.type === 'message' || input.type === 'parsed-message') connections.closeWith(input.conn, 1011, 'storing the change failed');
    },
  });
  const dispatch = (input: Input, queue = false): readonly Output[] => runner.run(input, queue).outputs;
  let nextId = 0;

  const wss = new WebSocketServer({ noServer: true, maxPayload });
  // Directus serves REST and WebSocket on one port; replies wait for the same delivery (and persistence).
  const api = serveHttp(runner.run, () => runner.state().config.maxPayloadSize);
  const http = createServer((req, res) => {
    if (access) {
      const started = performance.now();
      res.once('close', () => access({ kind: 'request', method: req.method ?? 'GET', url: req.url ?? '/', status: res.statusCode, ms: performance.now() - started }));
    }
    if (!options.page?.(req, res)) api(req, res);
  });

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== path) {
      socket.destroy();
      return;
    }
    if (connections.size >= (options.maxConnections ?? Infinity)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const id = `c${++nextId}`;
    const outputs = dispatch({ type: 'open', conn: id, query: url.search, cookie: req.headers.cookie, now: Date.now() }, true);
    const refusal = outputs.find((o) => o.type === 'refuse');
    if (refusal && refusal.type === 'refuse') {
      access?.({ kind: 'refuse', url: req.url ?? path, status: refusal.status });
      socket.end(`HTTP/1.1 ${refusal.status} ${refusal.status === 401 ? 'Unauthorized' : 'Forbidden'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => connections.bind(id, ws, socket, req.url ?? path));
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 8055, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : options.port ?? 8055;

  return {
    port,
    http,
    state: runner.state,
    update: runner.update,
    input: (input) => runner.run(input).delivered,
    close: async () => {
      timers.clear();
      connections.terminateAll();
      await runner.settled();
      await largeFrames.close();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
};
