// One WebSocket connection's bytes, split frame by frame between `ws` and the large-message worker
// (large-frames.ts): only frame headers are read here (RFC 6455, 5.2), payloads are passed on as they
// came. After a large message the connection's later bytes wait until its value reached the core.
import type { Duplex } from 'node:stream';

/** Frames above this go to the worker: below it, parsing on the main thread costs under ~5 ms. */
export const LARGE_FRAME_BYTES = 1 << 20;
export interface RouterHandlers {
  /** The bytes of every other frame, as they came. */
  readonly toWs: (bytes: Buffer) => void;
  /** The bytes (headers too) of a large or fragmented message's frames. */
  readonly toWorker: (bytes: Buffer) => void;
}

interface FrameHeader {
  readonly fin: boolean;
  readonly opcode: number;
  readonly length: number;
  /** Bytes of the header itself (with the mask key). */
  readonly size: number;
}

/** The header starting at `at`, or undefined when the chunk ends inside it (RFC 6455, 5.2). */
const headerAt = (chunk: Buffer, at: number): FrameHeader | undefined => {
  if (chunk.length - at < 2) return undefined;
  const b0 = chunk[at]!;
  const b1 = chunk[at + 1]!;
  let length = b1 & 0x7f;
  let size = 2;
  if (length === 126) {
    if (chunk.length - at < 4) return undefined;
    length = chunk.readUInt16BE(at + 2);
    size = 4;
  } else if (length === 127) {
    if (chunk.length - at < 10) return undefined;
    length = chunk.readUInt32BE(at + 2) * 2 ** 32 + chunk.readUInt32BE(at + 6);
    size = 10;
  }
  if (b1 & 0x80) size += 4;
  return chunk.length - at < size ? undefined : { fin: (b0 & 0x80) !== 0, opcode: b0 & 0x0f, length, size };
};

/** One connection's bytes, split between `ws` and the worker frame by frame. */
export class FrameRouter {
  /** A header the last chunk ended inside (forwarded to nobody yet). */
  private partial: Buffer | undefined;
  /** Payload bytes of the current frame still to come, and where they go. */
  private remaining = 0;
  private toWorker = false;
  private fin = true;
  /** Inside a message that goes to the worker (its fragments, until the final one). */
  private diverting = false;
  /** A whole message is with the worker: later bytes wait in `held`, the socket is paused. */
  private waiting = false;
  private held: Buffer[] = [];
  private stopped = false;

  private readonly socket: Duplex;
  private readonly handlers: RouterHandlers;
  private readonly maxPayload: number;

  constructor(socket: Duplex, handlers: RouterHandlers, maxPayload: number) {
    this.socket = socket;
    this.handlers = handlers;
    this.maxPayload = maxPayload;
  }

  push(input: Buffer): void {
    if (this.stopped) return;
    if (this.waiting) {
      this.held.push(input);
      return;
    }
    const chunk = this.partial ? Buffer.concat([this.partial, input]) : input;
    this.partial = undefined;
    let at = 0;
    let run = 0; // bytes for `ws` from here on are not forwarded yet
    const flush = (end: number) => {
      if (end > run) this.handlers.toWs(run === 0 && end === chunk.length ? chunk : chunk.subarray(run, end));
      run = end;
    };
    while (at < chunk.length) {
      if (this.remaining === 0) {
        const header = headerAt(chunk, at);
        if (!header) {
          flush(at);
          this.partial = Buffer.from(chunk.subarray(at));
          return;
        }
        this.toWorker = this.divert(header);
        this.fin = header.fin;
        this.remaining = header.length;
        if (this.toWorker) {
          flush(at);
          this.handlers.toWorker(chunk.subarray(at, at + header.size));
          run = at + header.size;
          at += header.size;
        } else {
          // A frame for `ws`: its payload is skipped over here, never looked at.
          const inChunk = Math.min(header.length, chunk.length - at - header.size);
          at += header.size + inChunk;
          this.remaining -= inChunk;
        }
      } else {
        const n = Math.min(this.remaining, chunk.length - at);
        if (this.toWorker) {
          this.handlers.toWorker(chunk.subarray(at, at + n));
          run = at + n;
        }
        at += n;
        this.remaining -= n;
      }
      if (this.remaining === 0 && this.toWorker && this.fin) {
        // The message is complete: the rest waits for its value.
        this.toWorker = false;
        this.diverting = false;
        this.waiting = true;
        this.socket.pause();
        flush(at);
        if (at < chunk.length) this.held.push(chunk.subarray(at));
        return;
      }
    }
    flush(chunk.length);
  }

  /** Whether this frame goes to the worker. Control frames and whatever `ws` refuses at once stay with `ws`. */
  private divert(header: FrameHeader): boolean {
    if (header.opcode >= 8) return false;
    if (this.diverting) return true;
    if ((header.opcode !== 1 && header.opcode !== 2) || header.length > this.maxPayload) return false;
    const divert = !header.fin || header.length > LARGE_FRAME_BYTES;
    this.diverting = divert && !header.fin;
    return divert;
  }

  /** The worker answered for the message: later bytes go on. */
  release(): void {
    if (this.stopped || !this.waiting) return;
    this.waiting = false;
    const held = this.held;
    this.held = [];
    this.socket.resume();
    for (const chunk of held) this.push(chunk);
  }

  stop(): void {
    this.stopped = true;
    this.held = [];
  }
}
