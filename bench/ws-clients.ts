// The bench's WebSocket clients, run in a worker thread so that they do not share the server's event
// loop (as real clients would not): `clients` sockets keep `inFlight` messages outstanding for `ms`.
import { parentPort, workerData } from 'node:worker_threads';
import { WebSocket } from 'ws';

export interface DriveJob {
  readonly url: string;
  readonly message: string;
  readonly clients: number;
  readonly inFlight: number;
  readonly ms: number;
}

const connect = (url: string): Promise<WebSocket> =>
  new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });

/** Round trips per second. */
const drive = async ({ url, message, clients, inFlight, ms }: DriveJob): Promise<number> => {
  const sockets = await Promise.all(Array.from({ length: clients }, () => connect(url)));
  let done = 0;
  const until = performance.now() + ms;
  await Promise.all(sockets.map((ws) => new Promise<void>((resolve) => {
    let outstanding = 0;
    const pump = () => {
      while (outstanding < inFlight && performance.now() < until) {
        ws.send(message);
        outstanding++;
      }
      if (outstanding === 0) resolve();
    };
    ws.on('message', () => {
      outstanding--;
      done++;
      pump();
    });
    pump();
  })));
  await Promise.all(sockets.map((ws) => new Promise((resolve) => {
    ws.once('close', resolve);
    ws.close();
  })));
  return done / (ms / 1000);
};

if (parentPort) parentPort.postMessage(await drive(workerData as DriveJob));
