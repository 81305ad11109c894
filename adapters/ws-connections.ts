// The open WebSocket connections of a server: each socket's events become `message`/`close` inputs,
// and `send`/`close` outputs reach its socket. Frames sent to one socket while a batch of input is
// handled leave in one write; a client that lets too much pile up unread is cut off.
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { Input, Output } from '../core/index.ts';
import type { AccessEvent } from './access-log.ts';
import type { LargeFrames } from './large-frames.ts';

export interface ConnectionTableOptions {
  readonly dispatch: (input: Input) => void;
  /** A client that lets this many bytes pile up unread is cut off, so it cannot hold memory or slow others. */
  readonly maxBufferedBytes: number;
  readonly onAccess?: (event: AccessEvent) => void;
  /** Reads messages of megabytes off the main thread (see large-frames.ts). */
  readonly largeFrames?: LargeFrames;
}

export interface ConnectionTable {
  readonly size: number;
  /** Takes an upgraded socket as connection `id` (already opened in the core). */
  bind(id: string, ws: WebSocket, transport: Duplex, url: string): void;
  /** Applies a `send` or `close` output; other outputs are ignored. */
  apply(output: Output): void;
  /** Closes one connection's socket with a status code (it is closed in the core once its socket is). */
  closeWith(id: string, code: number, reason: string): void;
  terminateAll(): void;
}

export const createConnectionTable = (options: ConnectionTableOptions): ConnectionTable => {
  /** Each open connection's WebSocket, and the raw socket under it (corked while a batch is handled). */
  const sockets = new Map<string, { ws: WebSocket; transport: Duplex }>();

  // The socket is corked at its first frame and uncorked once the current task is done: pipelined
  // messages get their replies in one syscall instead of one each.
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

  return {
    get size() {
      return sockets.size;
    },
    bind(id, ws, transport, url) {
      sockets.set(id, { ws, transport });
      const opened = performance.now();
      options.onAccess?.({ kind: 'open', conn: id, url });
      ws.on('message', (data, isBinary) => {
        options.dispatch({ type: 'message', conn: id, text: isBinary ? '' : data.toString(), now: Date.now() });
      });
      // ws's own reader of the socket's bytes: the large-frame router now feeds it what is not large.
      const wsOnData = transport.listeners('data').find((listener) => listener.name === 'socketOnData');
      if (options.largeFrames && wsOnData) {
        transport.off('data', wsOnData as (chunk: Buffer) => void);
        options.largeFrames.attach(id, transport, {
          toWs: (bytes) => wsOnData.call(transport, bytes),
          deliver: (message) => options.dispatch('binary' in message
            ? { type: 'message', conn: id, text: '', now: Date.now() }
            : { type: 'parsed-message', conn: id, parsed: message.parsed, now: Date.now() }),
          fail: (code) => ws.close(code),
        });
      }
      ws.on('close', (code) => {
        options.largeFrames?.detach(id);
        options.onAccess?.({ kind: 'close', conn: id, code, ms: performance.now() - opened });
        sockets.delete(id);
        options.dispatch({ type: 'close', conn: id, now: Date.now() });
      });
      ws.on('error', () => ws.terminate());
    },
    apply(output) {
      if (output.type === 'close') {
        sockets.get(output.conn)?.ws.close();
        sockets.delete(output.conn);
        return;
      }
      if (output.type !== 'send') return;
      const socket = sockets.get(output.conn);
      if (!socket || socket.ws.readyState !== socket.ws.OPEN) return;
      if (socket.ws.bufferedAmount > options.maxBufferedBytes) socket.ws.terminate();
      else {
        cork(socket.transport);
        socket.ws.send(output.text);
      }
    },
    closeWith(id, code, reason) {
      sockets.get(id)?.ws.close(code, reason);
    },
    terminateAll() {
      for (const { ws } of sockets.values()) ws.terminate();
    },
  };
};
