// The side of the BroadcastChannel transport without the core: a WebSocket-like class for
// `createDirectus(url, { globals: { WebSocket } })` whose frames travel to the host over the channel,
// and, in mirror mode, a local copy of the data (broadcast-channel-mirror.ts).
import type { Item, PrimaryKey } from '../core/index.ts';
import { createMirror, type Mirror, type MirrorListener } from './broadcast-channel-mirror.ts';
import { isEnvelope, randomId, type FromHost, type MirrorDoc, type ToHost } from './broadcast-channel-protocol.ts';
import { nextTask, WebSocketLike } from './websocket-like.ts';

export interface PeerOptions {
  /** Keep a local copy of the data (the host must run with `mirror: true`). */
  readonly mirror?: boolean;
  /** ms to wait for a host to accept a connection before failing it, as a browser does. Default 5000. */
  readonly connectTimeout?: number;
}

export type { MirrorListener } from './broadcast-channel-mirror.ts';

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
  let channel: BroadcastChannel | null = null;
  let closed = false;
  let count = 0;

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
  const copy: Mirror | undefined = mirror ? createMirror(channelName, peer, () => post({ standin: 1, t: 'sync', peer })) : undefined;

  const receive = (message: FromHost): void => {
    switch (message.t) {
      case 'hello':
        for (const socket of [...sockets.values()]) socket.hostStarted();
        copy?.resync();
        return;
      case 'bye':
        for (const socket of [...sockets.values()]) socket.closedByHost();
        copy?.unsync();
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
      case 'patch':
      case 'no-mirror':
        copy?.receive(message);
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

  const needMirror = (): Mirror => {
    if (!copy) throw new TypeError('standin: this peer keeps no local copy; join with joinStandin(name, { mirror: true })');
    return copy;
  };

  if (copy) {
    open();
    copy.resync();
  }

  return {
    WebSocket: ChannelWebSocket as unknown as typeof globalThis.WebSocket,
    ready: copy?.ready ?? Promise.resolve(),
    get doc() {
      return needMirror().doc;
    },
    get version() {
      return copy?.version ?? -1;
    },
    items(collection) {
      return needMirror().items(collection);
    },
    item(collection, key) {
      return needMirror().item(collection, key);
    },
    /** Without a mirror there are no changes to hear of: the listener is never called. */
    onChange(listener) {
      return copy ? copy.onChange(listener) : () => false;
    },
    close() {
      if (closed) return;
      closed = true;
      for (const socket of [...sockets.values()]) socket.close();
      copy?.close();
      channel?.close();
      channel = null;
    },
  };
};
