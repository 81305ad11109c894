#!/usr/bin/env node
// `npm start -- <db.json> [options]`: serve a JSON data file over the Directus WebSocket protocol.
import { randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createState, DirectusError, type AuthMode } from '../core/index.ts';
import { startServer } from './ws-server.ts';

const USAGE = `usage: npm start -- <db.json> [--schema <snapshot.json>] [--port 8055] [--host 127.0.0.1]
       [--auth public|handshake|strict] [--auth-timeout <s>] [--heartbeat <s>] [--token-ttl <s>]`;

/** A one-line error for the user, never a stack trace. */
class UsageError extends Error {}

const fail = (message: string): never => {
  throw new UsageError(message);
};

const readJson = async (file: string, what: string): Promise<unknown> => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return fail(`cannot read ${what} ${file}: ${code === 'ENOENT' ? 'no such file' : code ?? String(error)}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    return fail(`${what} ${file} is not valid JSON: ${(error as Error).message}`);
  }
};

const seconds = (name: string, value: string | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) fail(`--${name} needs a number of seconds, got "${value}"`);
  return n * 1000;
};

const main = async (argv: string[]): Promise<void> => {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      schema: { type: 'string' },
      port: { type: 'string', default: '8055' },
      host: { type: 'string', default: '127.0.0.1' },
      auth: { type: 'string', default: 'handshake' },
      'auth-timeout': { type: 'string' },
      heartbeat: { type: 'string' },
      'token-ttl': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const file = positionals[0] ?? fail(`no data file given\n${USAGE}`);
  const auth = values.auth.toLowerCase();
  if (!['public', 'handshake', 'strict'].includes(auth)) fail(`--auth must be public, handshake or strict, got "${values.auth}"`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a port number, got "${values.port}"`);

  const data = await readJson(file, 'data file');
  const schema = values.schema === undefined ? undefined : await readJson(values.schema, 'schema file');
  const state = createState({
    data,
    schema,
    seed: randomInt(2 ** 31),
    config: {
      authMode: auth as AuthMode,
      authTimeout: seconds('auth-timeout', values['auth-timeout'], 10_000),
      heartbeatPeriod: seconds('heartbeat', values.heartbeat, 30_000),
      ...(values['token-ttl'] !== undefined ? { accessTokenTtl: seconds('token-ttl', values['token-ttl'], 900_000) } : {}),
    },
  });
  if (state instanceof DirectusError) fail(`data file ${file}: ${state.message}`);
  const server = await startServer({ state: state as Exclude<typeof state, DirectusError>, port, host: values.host, log: (l) => console.error(l) });
  console.log(`standin serving ${file} on ws://${values.host}:${server.port}/websocket (auth: ${auth})`);
  const stop = () => {
    server.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
};

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof UsageError || (error as { code?: string })?.code?.startsWith('ERR_PARSE_ARGS')
    ? (error as Error).message
    : `unexpected error: ${String(error)}`;
  console.error(`standin: ${message}`);
  process.exit(1);
});
