// The ws server end to end beside a raw `ws` echo server measured in the same run: one sequential
// client, and 10 clients with 10 messages in flight each. Loopback only, bounded in time.
import { WebSocket, WebSocketServer } from 'ws';
import { startServer } from '../adapters/ws-server.ts';
import { stateWith } from './core.bench.ts';

const MESSAGE = JSON.stringify({ type: 'items', collection: 'articles', action: 'read', id: 7, uid: 'r' });

const connect = (url: string): Promise<WebSocket> =>
  new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });

/** Messages per second for `clients` clients keeping `inFlight` messages outstanding, for `ms`. */
const drive = async (url: string, clients: number, inFlight: number, ms: number): Promise<number> => {
  const sockets = await Promise.all(Array.from({ length: clients }, () => connect(url)));
  let done = 0;
  const until = performance.now() + ms;
  await Promise.all(sockets.map((ws) => new Promise<void>((resolve) => {
    let outstanding = 0;
    const pump = () => {
      while (outstanding < inFlight && performance.now() < until) {
        ws.send(MESSAGE);
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
  const seconds = ms / 1000;
  sockets.forEach((ws) => ws.close());
  return done / seconds;
};

const echoServer = async (): Promise<{ url: string; close: () => Promise<void> }> => {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  wss.on('connection', (ws) => ws.on('message', (data) => ws.send(data.toString())));
  const port = (wss.address() as { port: number }).port;
  return { url: `ws://127.0.0.1:${port}`, close: () => new Promise((resolve) => wss.close(() => resolve())) };
};

export const benchWs = async (ms = 2000) => {
  const echo = await echoServer();
  const server = await startServer({ state: stateWith(1000), port: 0, host: '127.0.0.1' });
  const url = `ws://127.0.0.1:${server.port}/websocket?access_token=admin-static-token`;
  const figures = {
    echo_sequential_per_s: await drive(echo.url, 1, 1, ms),
    standin_sequential_per_s: await drive(url, 1, 1, ms),
    echo_10x10_per_s: await drive(echo.url, 10, 10, ms),
    standin_10x10_per_s: await drive(url, 10, 10, ms),
  };
  await echo.close();
  await server.close();
  return {
    ...figures,
    sequential_ratio: figures.standin_sequential_per_s / figures.echo_sequential_per_s,
    parallel_ratio: figures.standin_10x10_per_s / figures.echo_10x10_per_s,
  };
};
