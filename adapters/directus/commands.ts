// The `standin pull`, `standin export` and `standin import` commands: between a standin data file and a
// real Directus, both ways.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { positiveWholeNumber } from '../cli-flags.ts';
import { exportFor } from './export.ts';
import { importExport } from './import.ts';
import { pull } from './pull.ts';

export const DIRECTUS_USAGE = `       standin pull <url> --token <admin token> [--collections a,b] [--limit N] [--out db.json]
                    [--schema-out schema.json] [--keep-token] [--force]
       standin export <db.json> [--schema schema.json] --out <dir> [--force]
       standin import <dir> --url <url> --token <admin token> [--batch-size 500] [--replace]`;

/** A one-line error for the user. */
export class CommandError extends Error {}

const fail = (message: string): never => {
  throw new CommandError(message);
};

const readJson = async (file: string, what: string): Promise<unknown> => {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) =>
    fail(`cannot read ${what} ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`));
  try {
    return JSON.parse(text);
  } catch (error) {
    return fail(`${what} ${file} is not valid JSON: ${(error as Error).message}`);
  }
};

/** Never overwrites a file the user has unless told to: a pulled file replaces whatever was there. */
const writeNew = async (file: string, value: unknown, force: boolean): Promise<void> => {
  if (!force && existsSync(file)) fail(`${file} exists; pass --force to replace it`);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
};

const positive = (name: string, value: string | undefined): number | undefined => positiveWholeNumber(name, value, fail);

const log = (line: string) => console.error(`standin: ${line}`);

const pullCommand = async (args: string[]): Promise<void> => {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: {
      token: { type: 'string' }, collections: { type: 'string' }, limit: { type: 'string' },
      out: { type: 'string', default: 'db.json' }, 'schema-out': { type: 'string' },
      'keep-token': { type: 'boolean', default: false }, force: { type: 'boolean', default: false },
    },
  });
  const url = positionals[0] ?? fail('pull needs the Directus URL: standin pull <url> --token <admin token>');
  const token = values.token ?? process.env['DIRECTUS_TOKEN'] ?? fail('pull needs an admin token: --token <token> (or env DIRECTUS_TOKEN)');
  const schemaOut = values['schema-out'] ?? join(dirname(values.out), 'schema.json');
  // Checked before the pull, so a long pull never ends in a refusal to write.
  for (const file of [values.out, schemaOut]) if (!values.force && existsSync(file)) fail(`${file} exists; pass --force to replace it`);
  const started = performance.now();
  const pulled = await pull({
    url, token, keepToken: values['keep-token'], progress: log,
    ...(values.collections !== undefined ? { collections: values.collections.split(',').map((c) => c.trim()).filter(Boolean) } : {}),
    ...(values.limit !== undefined ? { limit: positive('limit', values.limit)! } : {}),
  });
  await writeNew(values.out, pulled.data, values.force);
  await writeNew(schemaOut, pulled.schema, values.force);
  log(`wrote ${values.out} and ${schemaOut} in ${((performance.now() - started) / 1000).toFixed(1)} s; serve them with: standin ${values.out} --schema ${schemaOut}`);
  if (!values['keep-token']) log('users have no password or token (Directus never sends them); add a token, or pull with --keep-token');
};

const exportCommand = async (args: string[]): Promise<void> => {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { schema: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean', default: false } },
  });
  const file = positionals[0] ?? fail('export needs a data file: standin export <db.json> --out <dir>');
  const out = values.out ?? fail('export needs --out <dir>');
  const data = await readJson(file, 'data file');
  const schema = values.schema === undefined ? undefined : await readJson(values.schema, 'schema file');
  let exported;
  try {
    exported = exportFor({ data, schema });
  } catch (error) {
    return fail(`${file}: ${(error as Error).message}`);
  }
  if (!values.force && existsSync(join(out, 'manifest.json'))) fail(`${out} already holds an export; pass --force to replace it`);
  for (const [name, value] of Object.entries(exported.files)) await writeNew(join(out, name), value, true);
  for (const warning of exported.warnings) log(`warning: ${warning}`);
  log(`wrote ${Object.keys(exported.files).length} files to ${out}; load them into a Directus with: standin import ${out} --url <url> --token <admin token>`);
};

const importCommand = async (args: string[]): Promise<void> => {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { url: { type: 'string' }, token: { type: 'string' }, 'batch-size': { type: 'string' }, replace: { type: 'boolean', default: false } },
  });
  const dir = positionals[0] ?? fail('import needs the folder `standin export` wrote: standin import <dir> --url <url> --token <token>');
  const url = values.url ?? fail('import needs --url <Directus URL>');
  const token = values.token ?? process.env['DIRECTUS_TOKEN'] ?? fail('import needs an admin token: --token <token> (or env DIRECTUS_TOKEN)');
  if (!existsSync(join(dir, 'manifest.json'))) fail(`${dir} has no manifest.json: is it a folder written by standin export?`);
  const report = await importExport({
    dir, url, token, progress: log, replace: values.replace,
    ...(values['batch-size'] !== undefined ? { batchSize: positive('batch-size', values['batch-size'])! } : {}),
  });
  for (const failure of report.failures) log(`refused: ${failure}`);
  log(`imported ${report.created} records into ${url}${report.failures.length > 0 ? `; ${report.failures.length} request(s) refused` : ''}`);
  if (report.failures.length > 0) process.exitCode = 1;
};

const COMMANDS: Readonly<Record<string, (args: string[]) => Promise<void>>> = {
  pull: pullCommand, export: exportCommand, import: importCommand,
};

/** Runs `argv` if it names one of these commands; false when it does not. */
export const runDirectusCommand = async (argv: readonly string[]): Promise<boolean> => {
  const command = COMMANDS[argv[0] ?? ''];
  if (command === undefined || !Object.hasOwn(COMMANDS, argv[0]!)) return false;
  await command(argv.slice(1));
  return true;
};
