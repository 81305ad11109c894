// Binds the core to a real `ws` server on an HTTP port: sockets become `open`/`message`/`close`
// inputs, outputs become frames, closes, refusals and timers. No protocol decisions are made here.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { handle, type Input, type Output, type State } from '../core/index.ts';
import type { AccessEvent } from './access-log.ts';
import { serveHttp } from './http.ts';
import { createTimerTable } from './timers.ts';

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

const DELIVERED = Promise.resolve(true);

export const startServer = async (options: ServerOptions): Promise<RunningServer> => {
  let state = options.state;
  const path = options.path ?? '/websocket';
  /** Each open connection's WebSocket, and the raw socket under it (corked while a batch is handled). */
  const sockets = new Map<string, { ws: WebSocket; transport: Duplex }>();
  const timers = createTimerTable((key) => dispatch({ type: 'timer', key, now: Date.now() }));
  let nextId = 0;
  let delivery: Promise<void> = Promise.resolve();
  /** Inputs whose outputs are queued (behind a store); while any are, later outputs queue behind them. */
  let queued = 0;

  // Frames sent to one socket while a batch of input is handled leave in one write: the socket is
  // corked at its first frame and uncorked once the current task is done (pipelined messages get
  // their replies in one syscall instead of one each).
  const corked = new Set<Duplex>();
  const uncorkAll = () => {
    for (const socket of corked) socket.uncork();
    corked.clear();
  };
  const cork = (socket: Duplex) => {
    if (corked.has(socket)) return;
    if (corked.size === 0) queueMicrotask(uncorkAll);
    socket.cork();
    corked.add(socket);
  };

  const apply = (output: Output): void => {
    switch (output.type) {
      case 'send': {
        const socket = sockets.get(output.conn);
        if (!socket || socket.ws.readyState !== socket.ws.OPEN) break;
        if (socket.ws.bufferedAmount > maxBuffered) socket.ws.terminate();
        else {
          cork(socket.transport);
          socket.ws.send(output.text);
        }
        break;
      }
      case 'close':
        sockets.get(output.conn)?.ws.close();
        sockets.delete(output.conn);
        break;
      case 'timer':
      case 'cancel-timer':
        timers.apply(output);
        break;
      case 'refuse':
        break; // handled at the upgrade
      case 'log':
        options.log?.(output.text);
        break;
    }
  };

  /**
   * Runs one input through the core; outputs wait for persistence when the data changed. `queue`
   * holds them back at least one microtask (an upgrade's socket is registered only after `open`).
   * `delivered` is false when storing failed: then nothing is sent, and the sender's socket is
   * closed with 1011 so that a client never takes an unsaved write for an acknowledged one.
   */
  const run = (input: Input, queue = false): { outputs: readonly Output[]; delivered: Promise<boolean> } => {
    const before = state;
    const [next, outputs] = handle(state, input);
    state = next;
    const stored = options.persist && next.data !== before.data ? options.persist(next) : undefined;
    if (stored === undefined && queued === 0 && !queue) {
      // Nothing is queued: send now rather than a promise hop later (same order either way).
      outputs.forEach(apply);
      return { outputs, delivered: DELIVERED };
    }
    queued++;
    const delivered = delivery.then(() => stored).then(
      () => {
        outputs.forEach(apply);
        return true;
      },
      (error) => {
        options.log?.(`not acknowledged, storing failed: ${String(error)}`);
        if (input.type === 'message') sockets.get(input.conn)?.ws.close(1011, 'storing the change failed');
        return false;
      },
    ).finally(() => void queued--);
    delivery = delivered.then(() => undefined);
    return { outputs, delivered };
  };
  const dispatch = (input: Input, queue = false): readonly Output[] => run(input, queue).outputs;

  const maxBuffered = options.maxBufferedBytes ?? 64 * 1024 * 1024;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload ?? 100 * 1024 * 1024 });
  // Directus serves REST and WebSocket on one port; replies wait for the same delivery (and persistence).
  const api = serveHttp(run, () => state.config.maxPayloadSize);
  const access = options.onAccess;
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
    if (sockets.size >= (options.maxConnections ?? Infinity)) {
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
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.set(id, { ws, transport: socket });
      const opened = performance.now();
      access?.({ kind: 'open', conn: id, url: req.url ?? path });
      ws.on('message', (data, isBinary) => {
        dispatch({ type: 'message', conn: id, text: isBinary ? '' : data.toString(), now: Date.now() });
      });
      ws.on('close', (code) => {
        access?.({ kind: 'close', conn: id, code, ms: performance.now() - opened });
        sockets.delete(id);
        dispatch({ type: 'close', conn: id, now: Date.now() });
      });
      ws.on('error', () => ws.terminate());
    });
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
    state: () => state,
    update: (change) => {
      state = change(state);
    },
    input: (input) => run(input).delivered,
    close: async () => {
      timers.clear();
      for (const { ws } of sockets.values()) ws.terminate();
      await delivery;
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
};
