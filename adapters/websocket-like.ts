// The part of a browser WebSocket that @directus/sdk uses, without a transport: the constants,
// `readyState`, the `on…` handlers and listeners. The in-process and BroadcastChannel sockets extend it.
// Browser-safe: no Node-only imports.

export type Listener = (event: any) => void;

/** Runs `fn` as its own macrotask, in order: a browser dispatches each WebSocket frame so. */
export const nextTask = (fn: () => void): void => {
  if (typeof globalThis.setImmediate === 'function') globalThis.setImmediate(fn);
  else setTimeout(fn, 0);
};

export abstract class WebSocketLike {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSING = 2;
  readonly CLOSED = 3;
  readonly url: string;
  readonly protocol = '';
  readonly extensions = '';
  readonly bufferedAmount = 0;
  binaryType = 'blob';
  readyState = 0;
  onopen: Listener | null = null;
  onmessage: Listener | null = null;
  onclose: Listener | null = null;
  onerror: Listener | null = null;
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(url: string | URL) {
    this.url = String(url);
  }

  abstract send(data: string): void;
  abstract close(): void;

  addEventListener(type: string, listener: Listener): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener);
  }

  removeEventListener(type: string, listener: Listener): void {
    this.listeners.get(type)?.delete(listener);
  }

  /** @internal one frame, dispatched as its own task (the SDK loses frames dispatched together). */
  deliver(text: string): void {
    nextTask(() => {
      if (this.readyState === 1) this.emit('message', { type: 'message', data: text });
    });
  }

  /** The connection failed (refused, or nobody answered): as browsers do, an error and then a close, as a task. */
  protected failAsTask(message: string): void {
    this.readyState = 3;
    nextTask(() => {
      this.emit('error', { type: 'error', message });
      this.emit('close', { type: 'close', code: 1006, reason: '', wasClean: false });
    });
  }

  /** Closes as a task of its own: frames already queued as tasks are delivered first. */
  protected closeAsTask(code: number): void {
    nextTask(() => {
      if (this.readyState === 3) return;
      this.readyState = 3;
      this.emit('close', { type: 'close', code, reason: '', wasClean: true });
    });
  }

  /** The `on<type>` handler first, then the listeners, as a browser does. */
  protected emit(type: string, event: Record<string, unknown>): void {
    const handler = (this as unknown as Record<string, Listener | null>)[`on${type}`];
    if (typeof handler === 'function') handler.call(this, event);
    for (const listener of [...(this.listeners.get(type) ?? [])]) listener.call(this, event);
  }
}
