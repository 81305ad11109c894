// Replays hand-written calls against both servers and prints what each answered: for checking one
// difference, and for copying Directus's exact frames into a regression test.
//   node --import tsx tools/differential/probe.ts <schema> '<calls JSON>' [--write] [--no-load] [--postgres]
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Case } from './cases.ts';
import { dump, execute } from './execute.ts';
import { changesOf, normaliseReplies } from './compare.ts';
import { loadModel } from './model.ts';
import { createOracle, createStandinTarget, loadOracle, type Dialect } from './targets.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const [name, callsText, ...flags] = process.argv.slice(2);
const model = loadModel(root, name!);
const kit = process.env['ORACLE_KIT'] ?? resolve(root, '../shared/oracle');
const dialect: Dialect = flags.includes('--postgres') ? 'postgres' : 'sqlite';
if (!flags.includes('--no-load')) loadOracle(kit, model, dialect);
const kase: Case = { n: 0, calls: JSON.parse(callsText!), wellFormed: true, write: flags.includes('--write'), tags: [] };
for (const target of [createOracle(kit, dialect), createStandinTarget(model, dialect)]) {
  const before = kase.write ? await dump(target, model) : {};
  const outcome = await execute(target, model, kase, target.name === 'directus' ? 150 : 1);
  console.log(`${target.name}:`, JSON.stringify(normaliseReplies(model, outcome)));
  if (kase.write) {
    console.log(`${target.name} changed:`, JSON.stringify(changesOf(model, before, await dump(target, model))));
    await target.reset();
  }
  await target.close();
}
