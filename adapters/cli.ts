#!/usr/bin/env node
// `standin [db.json] [options]` (`npm start -- …` in this repository): serve a JSON data file over
// Directus's REST and WebSocket APIs. Without a file, the bundled example is served in memory.
import { randomBytes, randomInt } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { dialectNamed, summarize, type AuthMode, type DialectName } from '../core/index.ts';
import { accessJson, accessLine } from './access-log.ts';
import { bannerLines } from './cli-banner.ts';
import { helpText, invokedAs, parseFlags } from './cli-flags.ts';
import { CommandError, DIRECTUS_USAGE, runDirectusCommand } from './directus/commands.ts';
import { DirectusRequestError } from './directus/client.ts';
import { ImportRefused } from './directus/import.ts';
import { limitsFrom } from './limit-options.ts';
import { packageFile, packageVersion as version } from './package-files.ts';
import { serveFile } from './serve-file.ts';
import { StorageLoadError } from './storage/port.ts';

/** A one-line error for the user, never a stack trace. */
class UsageError extends Error {}

const fail = (message: string): never => {
  throw new UsageError(message);
};

const EXAMPLE = packageFile('examples/db.json');

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
  return secret !== undefined && secret !== '' ? secret : randomBytes(32).toString('hex');
};

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 };

/** A size as Directus's env reads it (the `bytes` package): a number of bytes, or `1mb`, `512kb`… (1024-based). */
const size = (name: string, value: string | undefined): number | undefined => {
  if (value === undefined || value === '') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb)?\s*$/i.exec(value);
  if (!match) return fail(`${name} needs a size such as 1048576, 500kb or 1mb, got "${value}"`);
  return Math.floor(Number(match[1]) * UNITS[(match[2] ?? 'b').toLowerCase()]!);
};

/** The database to answer like: `--dialect`, else env DB_CLIENT (as Directus names it: sqlite3, pg), else SQLite. */
const dialectOf = (flag: string | undefined): { dialect?: DialectName } => {
  const given = flag ?? process.env['DB_CLIENT'];
  if (given === undefined || given === '') return {};
  const dialect = dialectNamed(given);
  if (dialect === undefined) return fail(`${flag !== undefined ? '--dialect' : 'DB_CLIENT'} must be sqlite (sqlite3) or postgres (pg), got "${given}"`);
  return { dialect };
};

/** REST bodies: `--max-payload-size`, else env MAX_PAYLOAD_SIZE (as Directus), else the core's 1 MB. */
const maxPayloadSize = (flag: string | undefined): { maxPayloadSize?: number } => {
  const bytes = flag !== undefined ? size('--max-payload-size', flag) : size('MAX_PAYLOAD_SIZE', process.env['MAX_PAYLOAD_SIZE']);
  return bytes === undefined ? {} : { maxPayloadSize: bytes };
};

const count = (name: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) fail(`--${name} needs a positive whole number, got "${value}"`);
  return n;
};

/** The bundled example is never written, however it is named: it is a tracked file of this package. */
const isExample = (file: string): boolean => {
  try {
    return existsSync(EXAMPLE) && realpathSync(file) === realpathSync(EXAMPLE);
  } catch {
    return false;
  }
};

const listenFailure = (error: NodeJS.ErrnoException, host: string, port: number): string | undefined =>
  error.code === 'EADDRINUSE' ? `port ${port} on ${host} is in use: stop the program using it, or pass --port <n> (0 picks a free one)`
    : error.code === 'EACCES' ? `not allowed to listen on ${host}:${port}: pick a port above 1023 with --port`
    : error.code === 'EADDRNOTAVAIL' ? `cannot listen on ${host}: not an address of this machine (--host)`
    : undefined;

/** MAX_RELATIONAL_DEPTH, QUERY_LIMIT_*, MAX_BATCH_MUTATION, MAX_QUERY_COST: flags, else the environment. */
const limits = (values: Readonly<Record<string, unknown>>) => {
  try {
    return limitsFrom(values, process.env);
  } catch (error) {
    return fail((error as Error).message);
  }
};

/** The help: the serving flags, then the commands that move data to and from a real Directus. */
const usage = (command: string) => `${helpText(command)}\n\nCommands:\n${DIRECTUS_USAGE}`;

const main = async (argv: string[]): Promise<void> => {
  if (await runDirectusCommand(argv)) return;
  const { file: given, values } = (() => {
    try {
      return parseFlags(argv);
    } catch (error) {
      return fail(`${(error as Error).message} (${invokedAs()} --help lists every flag)`);
    }
  })();
  const string = (name: string) => values[name] as string | undefined;
  const command = invokedAs();
  if (values['help']) return void console.log(usage(command));
  if (values['version']) return void console.log(version());

  if (given === undefined && !existsSync(EXAMPLE)) fail(`no data file given\n${usage(command)}`);
  const file = given ?? relative(process.cwd(), EXAMPLE);
  const example = isExample(file);
  const auth = string('auth')?.toLowerCase();
  if (auth !== undefined && !['public', 'handshake', 'strict'].includes(auth)) fail(`--auth must be public, handshake or strict, got "${auth}"`);
  const port = Number(string('port') ?? '8055');
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a port number, got "${string('port')}"`);
  const host = string('host') ?? '127.0.0.1';
  const logFormat = string('log') ?? 'text';
  if (logFormat !== 'text' && logFormat !== 'json') fail(`--log must be text or json, got "${logFormat}"`);

  const schema = string('schema') === undefined ? undefined : await readJson(string('schema')!, 'schema file');
  const mode = example || values['memory'] || values['read-only'] ? 'memory' : values['no-durable'] ? 'fast' : 'durable';
  const secret = secretOf(string('secret'));
  const served = await serveFile({
    file,
    schema,
    mode,
    watch: values['watch'] === true,
    homePage: true,
    limits: {
      maxConnections: count('max-connections', string('max-connections')),
      maxPayload: count('websocket-max-payload', string('websocket-max-payload')),
    },
    port,
    host,
    seed: randomInt(2 ** 31),
    log: (line) => console.error(`standin: ${line}`),
    ...(values['quiet'] ? {} : {
      onAccess: logFormat === 'json'
        ? (event) => console.log(accessJson(event, new Date()))
        : (event) => console.log(accessLine(event)),
    }),
    config: {
      ...(auth !== undefined ? { authMode: auth as AuthMode } : {}),
      authTimeout: seconds('auth-timeout', string('auth-timeout'), 10_000),
      heartbeatPeriod: seconds('heartbeat', string('heartbeat'), 30_000),
      ...(string('token-ttl') !== undefined ? { accessTokenTtl: seconds('token-ttl', string('token-ttl'), 900_000) } : {}),
      secret,
      ...maxPayloadSize(string('max-payload-size')),
      ...dialectOf(string('dialect')),
      ...limits(values),
    },
  }).catch((error: NodeJS.ErrnoException) => fail(listenFailure(error, host, port) ?? (error instanceof UsageError || error instanceof StorageLoadError ? error.message : String(error))));

  const state = served.server.state();
  const storage = example
    ? `the bundled example, in memory: changes are never written. To keep them: cp ${file} db.json && ${command} db.json`
    : mode === 'memory' ? 'in memory: the file is never written'
    : mode === 'fast' ? 'saved right behind each acknowledgement'
    : 'every write is on disk before it is acknowledged';
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${served.server.port}`;
  console.log(bannerLines({
    version: version(), file, storage, summary: summarize(state), authMode: state.config.authMode,
    http: origin, ws: `${origin.replace('http', 'ws')}/websocket`,
  }).join('\n'));
  if (string('secret') === undefined && !process.env['SECRET']) {
    console.error('standin: no --secret or SECRET given; using a random secret (tokens do not survive a restart)');
  }

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
  const message = error instanceof UsageError || error instanceof StorageLoadError || error instanceof CommandError ||
    error instanceof DirectusRequestError || error instanceof ImportRefused ||
    (error as { code?: string })?.code?.startsWith('ERR_PARSE_ARGS') || (error as Error)?.message?.startsWith('Cannot load')
    ? (error as Error).message
    : `unexpected error: ${String(error)}`;
  console.error(`standin: ${message}`);
  process.exit(1);
});
