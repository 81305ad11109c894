// MSW 3 is written for Node >= 22.12. On Node 20 it needs two things Node 22 has: Promise.withResolvers,
// and a global WebSocket for its interceptor to replace (any class will do: MSW never calls it for a
// `ws.link` it handles). Import this first; on Node 22 it changes nothing.
import { WebSocket } from 'ws';

const promises = Promise as PromiseConstructor & { withResolvers?: unknown };
if (typeof promises.withResolvers !== 'function') {
  promises.withResolvers = function withResolvers<T>() {
    let resolve!: (value: T | PromiseLike<T>) => void;
    let reject!: (reason?: unknown) => void;
    const promise = new Promise<T>((yes, no) => {
      resolve = yes;
      reject = no;
    });
    return { promise, resolve, reject };
  };
}
globalThis.WebSocket ??= WebSocket as unknown as typeof globalThis.WebSocket;
