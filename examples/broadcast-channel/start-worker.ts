// Starts a worker from a TypeScript file. Node 20 workers do not inherit `--import tsx`, so the
// worker first registers tsx itself. (With compiled JavaScript, or in a browser, `new Worker(url)`.)
import { Worker } from 'node:worker_threads';

export const startWorker = (file: URL): Worker => {
  const boot = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))};
register();
await import(${JSON.stringify(file.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`));
};

/** The worker's messages, one at a time, in order. */
export const inbox = (worker: Worker) => {
  const queued: unknown[] = [];
  const waiting: ((message: unknown) => void)[] = [];
  worker.on('message', (message) => {
    const next = waiting.shift();
    if (next) next(message);
    else queued.push(message);
  });
  return (): Promise<any> => (queued.length ? Promise.resolve(queued.shift()) : new Promise((resolve) => waiting.push(resolve)));
};
