// The messages between large-frames.ts (the main thread) and frame-worker.ts.

/** A string of the parsed value sent in `pieces` messages before it; `path` leads to it from the value. */
export interface Rope {
  readonly path: (string | number)[];
  readonly pieces: number;
}

export type ToWorker =
  /** Raw bytes of a large message's frames, in order (the buffer is transferred). */
  | { readonly conn: string; readonly bytes: Uint8Array }
  /** The connection is gone: forget its partial message. */
  | { readonly conn: string; readonly drop: true }
  /** The last piece was taken in: send the next message for this connection. */
  | { readonly conn: string; readonly next: true };

export type FromWorker =
  | { readonly conn: string; readonly piece: string }
  | { readonly conn: string; readonly binary: true }
  | { readonly conn: string; readonly parsed: false }
  /** The message's JSON value, its long strings left '' where `ropes` put them back. */
  | { readonly conn: string; readonly parsed: true; readonly value: unknown; readonly ropes: readonly Rope[] }
  /** The frames broke the protocol or a limit: close the connection with this code, as `ws` would. */
  | { readonly conn: string; readonly error: number };
