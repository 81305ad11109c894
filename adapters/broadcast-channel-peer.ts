// The side of the BroadcastChannel transport without the core: the channel to the host, and the
// routing of the host's messages to this peer's sockets (broadcast-channel-socket.ts, a WebSocket-like
// class for `createDirectus(url, { globals: { WebSocket } })`) and, in mirror mode, to its local copy
// of the data (broadcast-channel-mirror.ts).
import type { Item, PrimaryKey } from '../core/index.ts';
import { createMirror, type Mirror, type MirrorListener } from './broadcast-channel-mirror.ts';
import { isEnvelope, randomId, type FromHost, type MirrorDoc, type ToHost } from './broadcast-channel-protocol.ts';
import { channelWebSocketClass, type ChannelSocket } from './broadcast-channel-socket.ts';

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
  const sockets = new Map<string, ChannelSocket>();
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
  const WebSocket = channelWebSocketClass({
    connectTimeout,
    newConnectionId: () => `${peer}:${++count}`,
    post,
    register(conn, socket) {
      if (closed) return false;
      sockets.set(conn, socket);
      open();
      return true;
    },
    forget(conn, socket) {
      if (sockets.get(conn) === socket) sockets.delete(conn);
      release();
    },
  });
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

  const needMirror = (): Mirror => {
    if (!copy) throw new TypeError('standin: this peer keeps no local copy; join with joinStandin(name, { mirror: true })');
    return copy;
  };

  if (copy) {
    open();
    copy.resync();
  }

  return {
    WebSocket,
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
