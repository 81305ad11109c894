#!/usr/bin/env node
// `npm start -- <db.json> [options]`: serve a JSON data file over Directus's REST and WebSocket APIs.
import { randomBytes, randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { AuthMode } from '../core/index.ts';
import { CommandError, DIRECTUS_USAGE, runDirectusCommand } from './directus/commands.ts';
import { DirectusRequestError } from './directus/client.ts';
import { ImportRefused } from './directus/import.ts';
import { LIMIT_USAGE, limitFlags, limitsFrom } from './limit-options.ts';
import { serveFile } from './serve-file.ts';
import { StorageLoadError } from './storage/port.ts';

const USAGE = `usage: npm start -- <db.json> [--schema <snapshot.json>] [--port 8055] [--host 127.0.0.1]
       [--auth public|handshake|strict] [--auth-timeout <s>] [--heartbeat <s>] [--token-ttl <s>]
       [--no-durable] [--memory | --read-only] [--watch] [--secret <s> (else env SECRET)]
       [--max-payload-size <size> (else env MAX_PAYLOAD_SIZE; default 1mb)] [--websocket-max-payload <bytes>]
       ${LIMIT_USAGE}
${DIRECTUS_USAGE}`;

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

/** The JWT secret: `--secret`, else env SECRET, else (as Directus) a random one that dies with the process. */
const secretOf = (flag: string | undefined): string => {
  const secret = flag ?? process.env['SECRET'];
  if (secret !== undefined && secret !== '') return secret;
  console.error('standin: no --secret or SECRET given; using a random secret (tokens do not survive a restart)');
  return randomBytes(32).toString('hex');
};

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 };

/** A size as Directus's env reads it (the `bytes` package): a number of bytes, or `1mb`, `512kb`… (1024-based). */
const size = (name: string, value: string | undefined): number | undefined => {
  if (value === undefined || value === '') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb)?\s*$/i.exec(value);
  if (!match) return fail(`${name} needs a size such as 1048576, 500kb or 1mb, got "${value}"`);
  return Math.floor(Number(match[1]) * UNITS[(match[2] ?? 'b').toLowerCase()]!);
};

const count = (name: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) fail(`--${name} needs a positive whole number, got "${value}"`);
  return n;
};

/** REST bodies: `--max-payload-size`, else env MAX_PAYLOAD_SIZE (as Directus), else the core's 1 MB. */
const maxPayloadSize = (flag: string | undefined): { maxPayloadSize?: number } => {
  const bytes = flag !== undefined ? size('--max-payload-size', flag) : size('MAX_PAYLOAD_SIZE', process.env['MAX_PAYLOAD_SIZE']);
  return bytes === undefined ? {} : { maxPayloadSize: bytes };
};

/** MAX_RELATIONAL_DEPTH, QUERY_LIMIT_*, MAX_BATCH_MUTATION, MAX_QUERY_COST: flags, else the environment. */
const limits = (values: Readonly<Record<string, unknown>>) => {
  try {
    return limitsFrom(values, process.env);
  } catch (error) {
    return fail((error as Error).message);
  }
};

const main = async (argv: string[]): Promise<void> => {
  if (await runDirectusCommand(argv)) return;
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
      secret: { type: 'string' },
      'no-durable': { type: 'boolean', default: false },
      memory: { type: 'boolean', default: false },
      'read-only': { type: 'boolean', default: false },
      watch: { type: 'boolean', default: false },
      'max-connections': { type: 'string' },
      'max-payload-size': { type: 'string' },
      'websocket-max-payload': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      ...limitFlags,
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

  const schema = values.schema === undefined ? undefined : await readJson(values.schema, 'schema file');
  const mode = values.memory || values['read-only'] ? 'memory' : values['no-durable'] ? 'fast' : 'durable';
  const served = await serveFile({
    file,
    schema,
    mode,
    watch: values.watch,
    limits: {
      maxConnections: count('max-connections', values['max-connections']),
      maxPayload: count('websocket-max-payload', values['websocket-max-payload']),
    },
    port,
    host: values.host,
    seed: randomInt(2 ** 31),
    log: (line) => console.error(`standin: ${line}`),
    config: {
      authMode: auth as AuthMode,
      authTimeout: seconds('auth-timeout', values['auth-timeout'], 10_000),
      heartbeatPeriod: seconds('heartbeat', values.heartbeat, 30_000),
      ...(values['token-ttl'] !== undefined ? { accessTokenTtl: seconds('token-ttl', values['token-ttl'], 900_000) } : {}),
      secret: secretOf(values.secret),
      ...maxPayloadSize(values['max-payload-size']),
      ...limits(values),
    },
  });
  const storage = mode === 'memory' ? 'in memory, the file is never written' : mode === 'fast' ? 'saved behind acknowledgements' : 'durable';
  console.log(`standin serving ${file} on http://${values.host}:${served.server.port} and ws://${values.host}:${served.server.port}/websocket (auth: ${auth}; ${storage})`);
  // A clean stop stores what is pending and folds the journal into db.json.
  const stop = () => {
    served.close().then(() => process.exit(0), (error) => {
      console.error(`standin: stopping failed: ${String(error)}`);
      process.exit(1);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
};

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof UsageError || error instanceof StorageLoadError || error instanceof CommandError || error instanceof DirectusRequestError || error instanceof ImportRefused ||
    (error as { code?: string })?.code?.startsWith('ERR_PARSE_ARGS') || (error as Error)?.message?.startsWith('Cannot load')
    ? (error as Error).message
    : `unexpected error: ${String(error)}`;
  console.error(`standin: ${message}`);
  process.exit(1);
});
