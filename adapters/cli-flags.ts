// The command line's flags: one table gives node:util's parseArgs its options and `--help` its text,
// so the help lists every flag there is.
import { parseArgs } from 'node:util';

interface Flag {
  readonly name: string;
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** The value's placeholder in the help, for string flags. */
  readonly value?: string;
  readonly help: string;
}

const FLAGS: readonly Flag[] = [
  { name: 'port', type: 'string', value: '<n>', help: 'port to listen on (default 8055; 0 picks a free one)' },
  { name: 'host', type: 'string', value: '<host>', help: 'address to listen on (default 127.0.0.1)' },
  { name: 'schema', type: 'string', value: '<snapshot.json>', help: 'a Directus schema snapshot (default: inferred from the data)' },
  { name: 'auth', type: 'string', value: 'public|handshake|strict', help: 'WebSocket auth mode (default handshake; public for a file without directus_* records)' },
  { name: 'auth-timeout', type: 'string', value: '<s>', help: 'seconds to wait for the handshake auth message (default 10)' },
  { name: 'heartbeat', type: 'string', value: '<s>', help: 'seconds between server pings, 0 for none (default 30)' },
  { name: 'token-ttl', type: 'string', value: '<s>', help: 'seconds a login\'s access token lives (default 900)' },
  { name: 'secret', type: 'string', value: '<s>', help: 'signs access tokens (default: env SECRET, else random)' },
  { name: 'dialect', type: 'string', value: 'sqlite|postgres', help: 'answer like Directus on this database (default: env DB_CLIENT, else sqlite)' },
  { name: 'no-durable', type: 'boolean', help: 'acknowledge writes before they are on disk' },
  { name: 'memory', type: 'boolean', help: 'keep changes in memory; never write the file' },
  { name: 'read-only', type: 'boolean', help: 'the same as --memory' },
  { name: 'watch', type: 'boolean', help: 'reload the file when another program edits it' },
  { name: 'max-connections', type: 'string', value: '<n>', help: 'refuse WebSocket upgrades past this many (default: no limit)' },
  { name: 'max-payload-size', type: 'string', value: '<size>', help: 'largest REST body, e.g. 1mb or 500kb (default: env MAX_PAYLOAD_SIZE, else 1mb)' },
  { name: 'websocket-max-payload', type: 'string', value: '<bytes>', help: 'largest WebSocket frame accepted (default 100 MiB)' },
  { name: 'max-relational-depth', type: 'string', value: '<n>', help: 'MAX_RELATIONAL_DEPTH (default: env, else 10)' },
  { name: 'query-limit-default', type: 'string', value: '<n>', help: 'QUERY_LIMIT_DEFAULT (default: env, else 100)' },
  { name: 'query-limit-max', type: 'string', value: '<n>', help: 'QUERY_LIMIT_MAX (default: env, else no maximum)' },
  { name: 'max-batch-mutation', type: 'string', value: '<n>', help: 'MAX_BATCH_MUTATION (default: env, else no limit)' },
  { name: 'max-query-cost', type: 'string', value: '<n>', help: 'MAX_QUERY_COST, standin\'s read budget (default: env, else 2000000)' },
  { name: 'quiet', type: 'boolean', short: 'q', help: 'no log line per request and connection' },
  { name: 'log', type: 'string', value: 'text|json', help: 'request log format (default text; json: one JSON object a line)' },
  { name: 'version', type: 'boolean', short: 'v', help: 'print the version and exit' },
  { name: 'help', type: 'boolean', short: 'h', help: 'print this help and exit' },
];

type Options = Record<string, { type: 'string' | 'boolean'; short?: string }>;
const options: Options = Object.fromEntries(
  FLAGS.map((f) => [f.name, f.short === undefined ? { type: f.type } : { type: f.type, short: f.short }]),
);

export interface Flags {
  readonly file: string | undefined;
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
}

/** Throws node's ERR_PARSE_ARGS_* errors (one line each) for unknown flags and missing values. */
export const parseFlags = (argv: readonly string[]): Flags => {
  const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  if (positionals.length > 1) throw new Error(`one data file at a time, got ${positionals.length}: ${positionals.join(' ')}`);
  return { file: positionals[0], values };
};

/** How the user started us: `npm start --` under npm's start script, else `standin`. */
export const invokedAs = (env: NodeJS.ProcessEnv = process.env): string =>
  env['npm_lifecycle_event'] === 'start' ? 'npm start --' : 'standin';

export const helpText = (command: string): string => {
  const left = (f: Flag) => `${f.short ? `-${f.short}, ` : '    '}--${f.name}${f.value ? ` ${f.value}` : ''}`;
  const width = Math.max(...FLAGS.map((f) => left(f).length));
  return [
    `usage: ${command} [db.json] [options]`,
    '',
    'Serves a json-server style data file over the Directus REST and WebSocket APIs.',
    'Without a file, serves the bundled example in memory (nothing is ever written).',
    '',
    ...FLAGS.map((f) => `  ${left(f).padEnd(width)}  ${f.help}`),
  ].join('\n');
};
