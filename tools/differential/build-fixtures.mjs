#!/usr/bin/env node
// Builds the differential fixtures (db.json + schema.json per schema) the way Directus makes them:
// each schema's collections are created in the live oracle over REST and `GET /schema/snapshot` is
// exported. Needs the oracle running (../shared/oracle/start.sh); run with the kit's Node 22:
//   $N tools/differential/build-fixtures.mjs [name…]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const kit = resolve(root, '../shared/oracle');
const base = `http://127.0.0.1:${process.env.ORACLE_PORT ?? 18055}`;
const names = process.argv.slice(2).length ? process.argv.slice(2) : ['catalog', 'content', 'registry'];

const api = async (method, path, body, attempt = 0) => {
  // Directus sometimes drops a kept-alive connection right after a schema change: ask once more.
  const r = await fetch(base + path, {
    method, headers: { authorization: 'Bearer admin-token', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).catch((e) => { if (attempt) throw e; return null; });
  if (!r) { await new Promise((ok) => setTimeout(ok, 500)); return api(method, path, body, 1); }
  const text = await r.text();
  if (r.status >= 300) throw new Error(`${method} ${path} -> ${r.status} ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : null;
};
const kitScript = (script, ...args) => execFileSync(process.execPath, [join(kit, script), ...args], { stdio: 'inherit' });

for (const name of names) {
  const spec = await import(join(here, 'schemas', `${name}.mjs`));
  const system = Object.fromEntries(Object.entries(spec.data).filter(([k]) => k.startsWith('directus_')));
  const tmp = mkdtempSync(join(tmpdir(), 'differential-'));
  const empty = { version: 1, directus: '12.4.0', vendor: 'sqlite', collections: [], fields: [], systemFields: [], relations: [] };
  writeFileSync(join(tmp, 'db.json'), JSON.stringify(system));
  writeFileSync(join(tmp, 'schema.json'), JSON.stringify(empty));
  kitScript('load.mjs', join(tmp, 'db.json'), join(tmp, 'schema.json'));
  for (const c of spec.collections) await api('POST', '/collections', c);
  for (const [collection, field] of spec.aliases) await api('POST', `/fields/${collection}`, field);
  for (const r of spec.relations) await api('POST', '/relations', r);
  const snapshot = (await api('GET', '/schema/snapshot')).data;
  const out = join(root, 'test/fixtures/differential', name);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'schema.json'), JSON.stringify(snapshot, null, 2) + '\n');
  writeFileSync(join(out, 'db.json'), JSON.stringify(spec.data, null, 2) + '\n');
  kitScript('load.mjs', join(out, 'db.json'), join(out, 'schema.json'));
  // db.json holds the values as Directus returns them (its casts, not the spec's spelling).
  const data = { ...spec.data };
  for (const c of snapshot.collections.filter((x) => x.schema)) {
    const fields = snapshot.fields.filter((f) => f.collection === c.collection && f.type !== 'alias');
    const pk = fields.find((f) => f.schema?.is_primary_key)?.field;
    const list = fields.map((f) => f.field).join(',');
    const rows = (await api('GET', `/items/${c.collection}?fields=${list}${c.meta?.singleton ? '' : `&limit=-1&sort=${pk}`}`)).data;
    if (c.meta?.singleton) { if (spec.data[c.collection] !== undefined) data[c.collection] = rows; } else data[c.collection] = rows;
  }
  writeFileSync(join(out, 'db.json'), JSON.stringify(data, null, 2) + '\n');
  kitScript('load.mjs', join(out, 'db.json'), join(out, 'schema.json'));
  // A singleton without a row reads as its field defaults, which check.mjs counts as differing from db.json.
  try { kitScript('check.mjs', join(out, 'db.json'), join(out, 'schema.json')); } catch { console.warn(`${name}: check.mjs failed (expected only for a singleton without a row)`); }
  console.log(`${name}: ${snapshot.collections.length} collections, ${snapshot.fields.length} fields, ${snapshot.relations.length} relations -> ${out}`);
}
