// The side of the BroadcastChannel transport without the core: a WebSocket-like class for
// `createDirectus(url, { globals: { WebSocket } })` whose frames travel to the host over the channel,
// and, in mirror mode, a local copy of the data kept current by the host's patches.
import type { Item, PrimaryKey } from '../core/index.ts';
import jsonpatch, { type Operation } from 'fast-json-patch';
import { isEnvelope, randomId, type FromHost, type MirrorDoc, type ToHost } from './broadcast-channel-protocol.ts';
import { nextTask, WebSocketLike } from './websocket-like.ts';

export interface PeerOptions {
  /** Keep a local copy of the data (the host must run with `mirror: true`). */
  readonly mirror?: boolean;
  /** ms to wait for a host to accept a connection before failing it, as a browser does. Default 5000. */
  readonly connectTimeout?: number;
}

/** `ops` null: the whole document was replaced (first sync, or a reset on the host). */
export type MirrorListener = (ops: readonly Operation[] | null, doc: MirrorDoc) => void;

export interface Peer {
  /** Pass as `globals: { WebSocket }`; every instance is one connection to the host. */
  readonly WebSocket: typeof globalThis.WebSocket;
  /** Mirror mode: resolves once the first snapshot arrived. Resolved at once otherwise. */
  readonly ready: Promise<void>;
  /** Mirror mode: the local copy, updated in place (items themselves are never mutated). */
  readonly doc: MirrorDoc;
  /** Mirror mode: the host's change count this copy reflects (-1 before the first snapshot). */
  readonly version: number;
  /** Mirror mode: a collection's rows (integer keys in ascending order). */
  items(collection: string): Item[];
  item(collection: string, key: PrimaryKey): Item | undefined;
  onChange(listener: MirrorListener): () => void;
  /** Closes this peer's connections and its channel. */
  close(): void;
}

export const joinStandin = (channelName: string, options: PeerOptions = {}): Peer => {
  const peer = randomId();
  const mirror = options.mirror === true;
  const connectTimeout = options.connectTimeout ?? 5000;
  const sockets = new Map<string, ChannelWebSocket>();
  const listeners = new Set<MirrorListener>();
  let channel: BroadcastChannel | null = null;
  let doc: MirrorDoc = {};
  let version = -1;
  let synced = false;
  let closed = false;
  let count = 0;
  let settle: { resolve: () => void; reject: (error: Error) => void } | undefined;
  const ready = mirror ? new Promise<void>((resolve, reject) => (settle = { resolve, reject })) : Promise.resolve();
  // Nobody may await `ready` (or only after it failed); the rejection is reported there, not as unhandled.
  ready.catch(() => {});

  const post = (message: ToHost): void => channel?.postMessage(message);
  const open = (): void => {
    if (channel) return;
    channel = new BroadcastChannel(channelName);
    channel.addEventListener('message', (event) => {
      const message = (event as MessageEvent).data;
      if (isEnvelope(message)) receive(message as FromHost);
    });
  };
  /** Without a mirror the channel lives only while a connection does: nothing keeps a process alive. */
  const release = (): void => {
    if (channel && !mirror && sockets.size === 0) {
      channel.close();
      channel = null;
    }
  };
  const resync = (): void => {
    synced = false;
    post({ standin: 1, t: 'sync', peer });
  };
  const notify = (ops: readonly Operation[] | null): void => listeners.forEach((listener) => listener(ops, doc));

  const receive = (message: FromHost): void => {
    switch (message.t) {
      case 'hello':
        for (const socket of [...sockets.values()]) socket.hostStarted();
        if (mirror) resync();
        return;
      case 'bye':
        for (const socket of [...sockets.values()]) socket.closedByHost();
        synced = false;
        return;
      case 'opened':
        sockets.get(message.conn)?.opened();
        return;
      case 'refused':
        sockets.get(message.conn)?.refused(message.status);
        return;
      case 'send':
        sockets.get(message.conn)?.deliver(message.text);
        return;
      case 'closed':
        sockets.get(message.conn)?.closedByHost();
        return;
      case 'snapshot':
        if (!mirror || (message.peer !== null && message.peer !== peer) || (synced && message.version <= version)) return;
        doc = message.doc;
        version = message.version;
        synced = true;
        settle?.resolve();
        notify(null);
        return;
      case 'patch':
        if (!mirror || !synced || message.version <= version) return;
        if (message.version !== version + 1) return resync();
        try {
          jsonpatch.applyPatch(doc, message.ops as Operation[], false, true);
        } catch {
          return resync();
        }
        version = message.version;
        notify(message.ops);
        return;
      case 'no-mirror':
        if (message.peer === peer) settle?.reject(new Error(`standin: the host of "${channelName}" does not mirror its data; start it with hostStandin(name, { data, mirror: true })`));
        return;
    }
  };

  class ChannelWebSocket extends WebSocketLike {
    private readonly conn = `${peer}:${++count}`;
    private readonly query: string;
    private timeout: ReturnType<typeof setTimeout> | undefined;

    constructor(url: string | URL, _protocols?: string | string[]) {
      super(url);
      this.query = new URL(this.url, 'ws://standin.invalid').search;
      if (closed) {
        this.refused(0);
        return;
      }
      sockets.set(this.conn, this);
      open();
      this.timeout = setTimeout(() => this.refused(0), connectTimeout);
      this.hostStarted();
    }

    send(data: string): void {
      if (this.readyState === 0) throw new Error("Failed to execute 'send' on 'WebSocket': Still in CONNECTING state.");
      if (this.readyState === 1) post({ standin: 1, t: 'message', conn: this.conn, text: String(data) });
    }

    close(): void {
      if (this.readyState >= 2) return;
      this.readyState = 2;
      post({ standin: 1, t: 'close', conn: this.conn });
      this.end(1005, true);
    }

    /** @internal a host appeared: a pending open is (re)sent; an open connection belonged to an earlier host. */
    hostStarted(): void {
      if (this.readyState === 0) post({ standin: 1, t: 'open', conn: this.conn, query: this.query });
      else if (this.readyState === 1) this.closedByHost();
    }

    /** @internal */
    opened(): void {
      clearTimeout(this.timeout);
      nextTask(() => {
        if (this.readyState !== 0) return;
        this.readyState = 1;
        this.emit('open', { type: 'open' });
      });
    }

    /** @internal one frame, dispatched as its own task (the SDK loses frames dispatched together). */
    deliver(text: string): void {
      nextTask(() => {
        if (this.readyState === 1) this.emit('message', { type: 'message', data: text });
      });
    }

    /** @internal frames the host sent before closing are still delivered: their tasks come first. */
    closedByHost(): void {
      this.end(1005, true);
    }

    /** @internal no host accepted the connection: browsers report an error, then a close. */
    refused(status: number): void {
      if (this.readyState === 3) return;
      this.readyState = 3;
      this.forget();
      nextTask(() => {
        this.emit('error', { type: 'error', message: status ? `Unexpected server response: ${status}` : 'No standin host answered' });
        this.emit('close', { type: 'close', code: 1006, reason: '', wasClean: false });
      });
    }

    private end(code: number, wasClean: boolean): void {
      this.forget();
      nextTask(() => {
        if (this.readyState === 3) return;
        this.readyState = 3;
        this.emit('close', { type: 'close', code, reason: '', wasClean });
      });
    }

    private forget(): void {
      clearTimeout(this.timeout);
      if (sockets.get(this.conn) === this) sockets.delete(this.conn);
      release();
    }
  }

  const needMirror = (): void => {
    if (!mirror) throw new TypeError('standin: this peer keeps no local copy; join with joinStandin(name, { mirror: true })');
  };

  if (mirror) {
    open();
    resync();
  }

  return {
    WebSocket: ChannelWebSocket as unknown as typeof globalThis.WebSocket,
    ready,
    get doc() {
      needMirror();
      return doc;
    },
    get version() {
      return version;
    },
    items(collection) {
      needMirror();
      return Object.values(doc[collection] ?? {});
    },
    item(collection, key) {
      needMirror();
      const rows = doc[collection];
      return rows && Object.hasOwn(rows, String(key)) ? rows[String(key)] : undefined;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      if (closed) return;
      closed = true;
      for (const socket of [...sockets.values()]) socket.close();
      listeners.clear();
      settle?.reject(new Error(`standin: the peer of "${channelName}" was closed before it synced`));
      channel?.close();
      channel = null;
    },
  };
};
