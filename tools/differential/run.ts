// `npm run differential -- [--seed N] [--count N] [--schemas a,b] [--out file.md] [--dialect sqlite|postgres]`:
// sends the same generated requests to a live Directus (../shared/oracle on SQLite; with `--dialect postgres`
// the Postgres reference of tools/postgres) and to standin with the same dialect, and reports the differences.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { drawCase } from './cases.ts';
import { changesOf, comparable, normaliseReplies, same } from './compare.ts';
import { dump, execute } from './execute.ts';
import { loadModel } from './model.ts';
import { createRandom } from './random.ts';
import { figures, renderReport, type SchemaResult } from './report.ts';
import { createOracle, createStandinTarget, loadOracle, type Dialect } from './targets.ts';
import type { Mismatch } from './classify.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({ options: {
  seed: { type: 'string', default: '1' }, count: { type: 'string', default: '400' },
  schemas: { type: 'string', default: 'catalog,content,registry' }, out: { type: 'string', default: 'differential-report.md' },
  kit: { type: 'string', default: process.env['ORACLE_KIT'] ?? resolve(root, '../shared/oracle') },
  grace: { type: 'string', default: '80' },
  dialect: { type: 'string', default: 'sqlite' },
} });
if (values.dialect !== 'sqlite' && values.dialect !== 'postgres') throw new Error(`--dialect is sqlite or postgres, not ${values.dialect}`);
const dialect: Dialect = values.dialect;
const seed = Number(values.seed);
const count = Number(values.count);
const kit = values.kit!;
const grace = Number(values.grace);

const ping = () => fetch(`http://127.0.0.1:${process.env['ORACLE_PORT'] ?? 18055}/server/ping`).then((r) => r.text()).catch(() => '');
let started = false;
if ((await ping()) !== 'pong') {
  if (dialect === 'postgres') {
    console.log('starting Postgres (tools/postgres/cluster.sh start)…');
    execFileSync('bash', [resolve(root, 'tools/postgres/cluster.sh'), 'start'], { stdio: 'inherit' });
  }
  console.log('starting the oracle (../shared/oracle/start.sh --public)…');
  execFileSync('bash', [resolve(kit, 'start.sh'), '--public'], { stdio: 'inherit' });
  started = true;
}

const results: SchemaResult[] = [];
for (const name of values.schemas!.split(',')) {
  const model = loadModel(root, name);
  loadOracle(kit, model, dialect);
  const oracle = createOracle(kit, dialect);
  const standin = createStandinTarget(model, dialect);
  const base = { oracle: await dump(oracle, model), standin: await dump(standin, model) };
  // The schema's own seed: adding a schema does not change another's requests.
  const random = createRandom(seed * 7919 + [...name].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 0));
  const mismatches: Mismatch[] = [];
  let identical = 0;
  let identicalWellFormed = 0;
  let wellFormed = 0;
  const t0 = Date.now();
  for (let n = 1; n <= count; n++) {
    const kase = drawCase(random, model, n);
    if (kase.wellFormed) wellFormed++;
    const o = await execute(oracle, model, kase, grace);
    const s = await execute(standin, model, kase, 1);
    let dataDiffers = false;
    let oracleChanges: unknown;
    let standinChanges: unknown;
    if (kase.write) {
      oracleChanges = changesOf(model, base.oracle, await dump(oracle, model));
      standinChanges = changesOf(model, base.standin, await dump(standin, model));
      dataDiffers = !same(oracleChanges, standinChanges);
      await oracle.reset();
      await standin.reset();
    }
    const or = normaliseReplies(model, o);
    const sr = normaliseReplies(model, s);
    if (same(comparable(or, { eventsUnordered: dialect === 'postgres' }), comparable(sr, { eventsUnordered: dialect === 'postgres' })) && !dataDiffers && !o.error && !s.error) {
      identical++;
      if (kase.wellFormed) identicalWellFormed++;
    } else mismatches.push({ kase, oracle: or, standin: sr, dataDiffers, oracleChanges, standinChanges });
    if (n % 50 === 0) process.stdout.write(`\r${name}: ${n}/${count} (${identical} identical, ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
  await standin.close();
  results.push({ schema: name, total: count, wellFormed, same: identical, sameWellFormed: identicalWellFormed, mismatches });
  console.log(`\r${name}: ${identical}/${count} identical, well-formed ${identicalWellFormed}/${wellFormed}        `);
  // Written after every schema: a long run stopped early still leaves its report.
  writeFileSync(resolve(root, values.out!), renderReport(seed, results, dialect));
  writeFileSync(resolve(root, values.out!.replace(/\.md$/, '') + '.json'), JSON.stringify({ seed, count, figures: figures(results) }, null, 2));
}

console.log(JSON.stringify(figures(results), null, 1));
console.log(`report: ${values.out}`);
if (started) execFileSync('bash', [resolve(kit, 'stop.sh')], { stdio: 'inherit' });
