// The worker thread of large-frames.ts: it reads the WebSocket frames of large messages (unmasking,
// UTF-8 checks and limits by `ws`'s own Receiver), parses their JSON, and sends the value back with
// every long string cut into pieces: the main thread joins them without copying (a 99 MB string sent
// whole takes the receiving thread 150 ms or more to copy in, and it must never stall that long).
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import * as ws from 'ws';
import type { FromWorker, Rope, ToWorker } from './large-frames-protocol.ts';

interface Receiver {
  write(chunk: Buffer): boolean;
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): void;
  on(event: 'error', listener: (error: Error & { code?: string }) => void): void;
}
// `ws` exports its Receiver (the frame reader of its own connections); @types/ws does not declare it.
const { Receiver } = ws as unknown as { Receiver: new (options: Record<string, unknown>) => Receiver };

const { maxPayload, pieceLength } = workerData as { maxPayload: number; pieceLength: number };
// This thread yields the CPU to every other (on Linux a thread has its own nice value): where cores
// are few, a large message waits rather than the main thread and the clients it answers.
try {
  setPriority(19);
} catch {
  // not allowed here: it runs at the normal priority
}
const port = parentPort!;
const receivers = new Map<string, Receiver>();
/**
 * What each connection still has to send, one message per `next` from the main thread: Node hands a
 * thread every message already queued on a port in one go, so 99 pieces sent at once would be taken
 * in as one long task there, and the pieces would stall it after all.
 */
const outboxes = new Map<string, FromWorker[]>();
const post = (message: FromWorker): void => {
  const outbox = outboxes.get(message.conn);
  if (outbox) outbox.push(message);
  else {
    outboxes.set(message.conn, []);
    port.postMessage(message);
  }
};
const next = (conn: string): void => {
  const message = outboxes.get(conn)?.shift();
  if (message) port.postMessage(message);
  else outboxes.delete(conn);
};

/** The close code `ws` gives a receiver error (the same codes its own connection would close with). */
const closeCode = (error: { code?: string }): number =>
  error.code === 'WS_ERR_INVALID_UTF8' ? 1007 : error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? 1009 : 1002;

/**
 * Replaces each string longer than a piece in `holder.value` by '' (in place), sending its pieces
 * first; returns where each goes (paths below the value).
 */
const cutLongStrings = (conn: string, holder: { value: unknown }): Rope[] => {
  const ropes: Rope[] = [];
  const path: (string | number)[] = [];
  const walk = (holder: Record<string | number, unknown>, key: string | number): void => {
    const v = holder[key];
    if (typeof v === 'string' && v.length > pieceLength) {
      let pieces = 0;
      for (let at = 0; at < v.length; at += pieceLength) {
        post({ conn, piece: v.slice(at, at + pieceLength) });
        pieces++;
      }
      ropes.push({ path: [...path, key], pieces });
      holder[key] = '';
    } else if (v !== null && typeof v === 'object') {
      path.push(key);
      for (const k of Array.isArray(v) ? v.keys() : Object.keys(v)) walk(v as Record<string | number, unknown>, k);
      path.pop();
    }
  };
  walk(holder as unknown as Record<string, unknown>, 'value');
  for (const rope of ropes) rope.path.shift(); // paths start below the value
  return ropes;
};

const receiverFor = (conn: string): Receiver => {
  let receiver = receivers.get(conn);
  if (receiver) return receiver;
  receiver = new Receiver({ isServer: true, maxPayload, binaryType: 'nodebuffer', skipUTF8Validation: false });
  receiver.on('message', (data, isBinary) => {
    if (isBinary) return post({ conn, binary: true });
    let value: unknown;
    try {
      value = JSON.parse(data.toString());
    } catch {
      return post({ conn, parsed: false });
    }
    const holder = { value };
    const ropes = cutLongStrings(conn, holder);
    post({ conn, parsed: true, value: holder.value, ropes });
  });
  receiver.on('error', (error) => {
    receivers.delete(conn);
    post({ conn, error: closeCode(error) });
  });
  receivers.set(conn, receiver);
  return receiver;
};

port.on('message', (message: ToWorker) => {
  if ('next' in message) next(message.conn);
  else if ('drop' in message) {
    receivers.delete(message.conn);
    outboxes.delete(message.conn);
  } else receiverFor(message.conn).write(Buffer.from(message.bytes.buffer, message.bytes.byteOffset, message.bytes.byteLength));
});
