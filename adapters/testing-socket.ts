// The in-process `WebSocket` of standin/testing: a browser-like socket whose far end is the standin
// itself (through `accept`), each frame delivered as its own task as a browser does.
import { nextTask, WebSocketLike } from './websocket-like.ts';

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

export type Accept = (peer: Peer, query: string) => Connection;

/** A `WebSocket` class whose every instance is one connection accepted by `accept`. */
export const fakeWebSocketClass = (accept: Accept): typeof globalThis.WebSocket => {
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
      this.closeAsTask(1005);
    }

    /** @internal the core closed this connection: frames it sent before are still delivered. */
    closedByServer(): void {
      this.closeAsTask(1005);
    }

    /** @internal the upgrade was refused (HTTP status): browsers report an error, then a close. */
    refused(status: number): void {
      this.failAsTask(`Unexpected server response: ${status}`);
    }
  }
  return FakeWebSocket as unknown as typeof globalThis.WebSocket;
};
