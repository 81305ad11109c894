// The ws server end to end beside a raw `ws` echo server measured in the same run: one sequential
// client, and 10 clients with 10 messages in flight each. The clients run in a worker thread, so the
// server's event loop is its own, as it would be with real clients. Loopback only, bounded in time.
import { Worker } from 'node:worker_threads';
import { WebSocketServer } from 'ws';
import { startServer } from '../adapters/ws-server.ts';
import { stateWith } from './core.bench.ts';
import type { DriveJob } from './ws-clients.ts';

const MESSAGE = JSON.stringify({ type: 'items', collection: 'articles', action: 'read', id: 7, uid: 'r' });

// Node 20 workers do not inherit `--import tsx`: the worker registers it before loading the clients.
const boot = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))};
register();
await import(${JSON.stringify(new URL('./ws-clients.ts', import.meta.url).href)});`;

/** Round trips per second, measured by clients in a worker thread. */
const drive = (job: DriveJob): Promise<number> =>
  new Promise((resolve, reject) => {
    const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData: job });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`bench clients exited with ${code}`)));
  });

const echoServer = async (): Promise<{ url: string; close: () => Promise<void> }> => {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  wss.on('connection', (ws) => ws.on('message', (data) => ws.send(data.toString())));
  const port = (wss.address() as { port: number }).port;
  return { url: `ws://127.0.0.1:${port}`, close: () => new Promise((resolve) => wss.close(() => resolve())) };
};

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Each configuration runs `rounds` times, echo and standin taking turns, and reports the medians:
 * on a shared machine the load changes by the second, and turns keep it from favouring one side.
 */
export const benchWs = async (ms = 1000, rounds = 5) => {
  const echo = await echoServer();
  const server = await startServer({ state: stateWith(1000), port: 0, host: '127.0.0.1' });
  const url = `ws://127.0.0.1:${server.port}/websocket?access_token=admin-static-token`;
  const run = (target: string, clients: number, inFlight: number) => drive({ url: target, message: MESSAGE, clients, inFlight, ms });
  const turns = async (clients: number, inFlight: number) => {
    const echoes: number[] = [];
    const standins: number[] = [];
    for (let r = 0; r < rounds; r++) {
      echoes.push(await run(echo.url, clients, inFlight));
      standins.push(await run(url, clients, inFlight));
    }
    return [median(echoes), median(standins)] as const;
  };
  const [echoSequential, standinSequential] = await turns(1, 1);
  const [echoParallel, standinParallel] = await turns(10, 10);
  await echo.close();
  await server.close();
  return {
    echo_sequential_per_s: echoSequential,
    standin_sequential_per_s: standinSequential,
    echo_10x10_per_s: echoParallel,
    standin_10x10_per_s: standinParallel,
    sequential_ratio: standinSequential / echoSequential,
    parallel_ratio: standinParallel / echoParallel,
  };
};
