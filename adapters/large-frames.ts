// WebSocket messages of megabytes are read off the main thread. `ws` reads every frame on the thread
// that runs the core: a 99 MB frame is copied, unmasked (in JavaScript on Node 20), decoded and then
// parsed there, and no other client is answered meanwhile (2.3 s measured; README, Limits). Here each
// connection's bytes pass a frame-header scanner first: the frames of ordinary messages go on to `ws`
// as they came; a message with a frame over LARGE_FRAME_BYTES, or sent in fragments, goes to one
// worker thread (frame-worker.ts) that parses it and sends its value back, long strings in pieces
// joined here without a copy. The connection's later bytes wait until that value has reached the core,
// so messages keep their order.
import type { Duplex } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { FrameRouter } from './frame-router.ts';
import type { FromWorker, Rope, ToWorker } from './large-frames-protocol.ts';
import { packageFile } from './package-files.ts';

/** Strings come back in pieces of this many characters (~1 ms each to take in). */
const PIECE_LENGTH = 1 << 20;
/** A worker with nothing to read for this long ends, and the memory a 99 MB message left in it goes. */
const WORKER_IDLE_MS = 2000;

/** A large message, read: binary (the core gets it as text that is not JSON), or its JSON value. */
export type LargeMessage = { readonly binary: true } | { readonly parsed: { readonly value: unknown } | undefined };

export interface LargeFrameHandlers {
  /** The bytes of every other frame, for `ws`. */
  readonly toWs: (bytes: Buffer) => void;
  readonly deliver: (message: LargeMessage) => void;
  /** The message broke the protocol or a limit: close with this code. */
  readonly fail: (code: number) => void;
}

export interface LargeFrames {
  /** Reads `socket`'s bytes for connection `conn` from now on. */
  attach(conn: string, socket: Duplex, handlers: LargeFrameHandlers): void;
  detach(conn: string): void;
  close(): Promise<void>;
}

/**
 * The worker: in the package, dist/adapters/frame-worker.js (scripts/build.ts builds it); from the
 * sources under tsx, frame-worker.ts, through tsx's loader (a worker does not inherit it).
 */
const fromSources = import.meta.url.endsWith('.ts');
// Resolved now: later, the main thread would wait on the loader thread while the worker loads through it.
const tsx = fromSources ? import.meta.resolve('tsx/esm/api') : '';

const startWorker = (workerData: Record<string, unknown>): Worker => {
  if (!fromSources) return new Worker(pathToFileURL(packageFile('dist/adapters/frame-worker.js')), { workerData });
  const source = new URL('./frame-worker.ts', import.meta.url).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(source)}); });`, { eval: true, workerData });
};

/** Puts each rope's pieces (in order) back where its path leads; a root rope is the value itself. */
const joinRopes = (value: unknown, ropes: readonly Rope[], pieces: readonly string[]): unknown => {
  let next = 0;
  let root = value;
  for (const rope of ropes) {
    let text = '';
    // `+` makes a cons string: joining costs nothing, the characters are not copied.
    for (let i = 0; i < rope.pieces; i++) text += pieces[next++]!;
    if (rope.path.length === 0) {
      root = text;
      continue;
    }
    let holder = root as Record<string | number, unknown>;
    for (const key of rope.path.slice(0, -1)) holder = holder[key] as Record<string | number, unknown>;
    holder[rope.path[rope.path.length - 1]!] = text;
  }
  return root;
};

export const createLargeFrames = (maxPayload: number): LargeFrames => {
  let worker: Worker | undefined;
  /** Each connection's router; `inWorker`: the worker holds bytes of its current message. */
  const connections = new Map<string, { router: FrameRouter; handlers: LargeFrameHandlers; pieces: string[]; inWorker: boolean }>();

  const post = (message: ToWorker, transfer?: ArrayBuffer[]) => worker?.postMessage(message, transfer);

  const receive = (message: FromWorker) => {
    const connection = connections.get(message.conn);
    if (!connection) return;
    post({ conn: message.conn, next: true }); // each message of the worker is a task of its own here
    if ('piece' in message) {
      connection.pieces.push(message.piece);
      return;
    }
    const pieces = connection.pieces;
    connection.pieces = [];
    connection.inWorker = false;
    if ('error' in message) {
      connection.router.stop();
      connection.handlers.fail(message.error);
      return;
    }
    if ('binary' in message) connection.handlers.deliver({ binary: true });
    else if (!message.parsed) connection.handlers.deliver({ parsed: undefined });
    else connection.handlers.deliver({ parsed: { value: joinRopes(message.value, message.ropes, pieces) } });
    connection.router.release();
    stopWhenIdle();
  };

  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  const stopWhenIdle = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      if ([...connections.values()].some((c) => c.inWorker) || !worker) return;
      void worker.terminate();
      worker = undefined;
    }, WORKER_IDLE_MS);
    idleTimer.unref();
  };

  const start = (): Worker => {
    const started = startWorker({ maxPayload, pieceLength: PIECE_LENGTH });
    started.unref(); // the server's sockets keep the process alive, not this
    started.on('message', receive);
    // A worker that dies (out of memory) fails the messages it held; the next large one starts another.
    started.on('error', () => {
      if (worker === started) worker = undefined;
      for (const connection of connections.values()) {
        if (!connection.inWorker) continue;
        connection.router.stop();
        connection.handlers.fail(1011);
      }
    });
    return started;
  };

  return {
    attach(conn, socket, handlers) {
      const send = (bytes: Buffer) => {
        clearTimeout(idleTimer);
        worker ??= start();
        connection.inWorker = true;
        // A read that is all one message's bytes moves to the worker as it is; a part of one is copied
        // first (the rest of its buffer may still be `ws`'s). Moved memory leaves this thread's heap
        // accounting, which would otherwise trigger a full collection every few megabytes.
        const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
        const moved = whole ? new Uint8Array(bytes.buffer, 0, bytes.byteLength) : new Uint8Array(bytes);
        try {
          post({ conn, bytes: moved }, [moved.buffer as ArrayBuffer]);
        } catch {
          post({ conn, bytes: new Uint8Array(bytes) }); // a buffer Node will not let go (pooled): copied
        }
      };
      const router = new FrameRouter(socket, { toWs: handlers.toWs, toWorker: send }, maxPayload);
      const connection = { router, handlers, pieces: [] as string[], inWorker: false };
      connections.set(conn, connection);
      socket.on('data', (chunk: Buffer) => router.push(chunk));
    },
    detach(conn) {
      const connection = connections.get(conn);
      if (!connection) return;
      connection.router.stop();
      connections.delete(conn);
      post({ conn, drop: true });
      if (worker) stopWhenIdle();
    },
    async close() {
      clearTimeout(idleTimer);
      await worker?.terminate();
      worker = undefined;
    },
  };
};
