// The WebSocket-like class of a broadcast-channel peer: one instance is one connection to the host,
// whose frames travel over the channel (broadcast-channel-peer.ts owns the channel and routes the
// host's messages to these sockets).
import type { ToHost } from './broadcast-channel-protocol.ts';
import { nextTask, WebSocketLike } from './websocket-like.ts';

/** What the peer does with its sockets when the host speaks. */
export interface ChannelSocket {
  /** A host appeared: a pending open is (re)sent; an open connection belonged to an earlier host. */
  hostStarted(): void;
  opened(): void;
  deliver(text: string): void;
  closedByHost(): void;
  refused(status: number): void;
  close(): void;
}

/** What a socket needs of its peer. */
export interface ChannelLink {
  readonly connectTimeout: number;
  newConnectionId(): string;
  post(message: ToHost): void;
  /** Takes a new socket (opening the channel); false when the peer is closed. */
  register(conn: string, socket: ChannelSocket): boolean;
  /** The socket is done: the peer forgets it (and may close its channel). */
  forget(conn: string, socket: ChannelSocket): void;
}

/** The `WebSocket` class of one peer. */
export const channelWebSocketClass = (link: ChannelLink): typeof globalThis.WebSocket =>
  // The class is used only as the SDK's `globals.WebSocket`: the browser type is what it must look like.
  (class ChannelWebSocket extends WebSocketLike implements ChannelSocket {
    private readonly conn = link.newConnectionId();
    private readonly query: string;
    private timeout: ReturnType<typeof setTimeout> | undefined;

    constructor(url: string | URL, _protocols?: string | string[]) {
      super(url);
      this.query = new URL(this.url, 'ws://standin.invalid').search;
      if (!link.register(this.conn, this)) {
        this.refused(0);
        return;
      }
      this.timeout = setTimeout(() => this.refused(0), link.connectTimeout);
      this.hostStarted();
    }

    send(data: string): void {
      if (this.readyState === 0) throw new Error("Failed to execute 'send' on 'WebSocket': Still in CONNECTING state.");
      if (this.readyState === 1) link.post({ standin: 1, t: 'message', conn: this.conn, text: String(data) });
    }

    close(): void {
      if (this.readyState >= 2) return;
      this.readyState = 2;
      link.post({ standin: 1, t: 'close', conn: this.conn });
      this.end(1005);
    }

    /** @internal a host appeared: a pending open is (re)sent; an open connection belonged to an earlier host. */
    hostStarted(): void {
      if (this.readyState === 0) link.post({ standin: 1, t: 'open', conn: this.conn, query: this.query });
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

    /** @internal frames the host sent before closing are still delivered: their tasks come first. */
    closedByHost(): void {
      this.end(1005);
    }

    /** @internal no host accepted the connection: browsers report an error, then a close. */
    refused(status: number): void {
      if (this.readyState === 3) return;
      this.forget();
      this.failAsTask(status ? `Unexpected server response: ${status}` : 'No standin host answered');
    }

    private end(code: number): void {
      this.forget();
      this.closeAsTask(code);
    }

    private forget(): void {
      clearTimeout(this.timeout);
      link.forget(this.conn, this);
    }
  }) as unknown as typeof globalThis.WebSocket;
