#!/usr/bin/env node
// `npm run conformance [-- replay options]`: replays every recorded Directus corpus in ../shared/conformance
// (websocket, relations, rest) against standin, one after the other. Options such as `--group` and
// `--case` are passed to each corpus; a corpus none of whose groups match a `--group` is left out.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const kit = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared/conformance');
const corpora = [
  { name: 'websocket', script: 'replay.mjs', transcripts: 'transcripts', args: [] },
  { name: 'relations', script: 'replay.mjs', transcripts: 'relations/transcripts', args: ['--transcripts', 'relations/transcripts', '--fixture', 'relations/fixture'] },
  // The REST recordings used SECRET=oracle-secret-… and ACCESS_TOKEN_TTL=1d (see rest/README.md).
  { name: 'rest', script: 'rest/replay-rest.mjs', transcripts: 'rest/transcripts', args: ['--start', "npm start --silent -- {db} --schema {schema} --port {port} --host {host} --auth {auth} --auth-timeout {authTimeout} --heartbeat {heartbeat} --token-ttl 86400 --secret oracle-secret-00000000000000000000000000"] },
];

// `--corpus <name>` (repeatable) picks corpora; every other option goes to the replay scripts.
const argv = process.argv.slice(2);
const only = argv.flatMap((a, i) => (a === '--corpus' && argv[i + 1] ? [argv[i + 1]] : []));
const args = argv.filter((a, i) => a !== '--corpus' && argv[i - 1] !== '--corpus');
const groups = args.flatMap((a, i) => (a === '--group' && args[i + 1] ? [args[i + 1]] : []));
let failed = false;
for (const corpus of corpora) {
  if (only.length && !only.includes(corpus.name)) continue;
  const index = JSON.parse(readFileSync(path.join(kit, corpus.transcripts, 'index.json'), 'utf8'));
  if (groups.length && !index.groups.some((g) => groups.some((s) => g.group.includes(s)))) continue;
  console.log(`\n# ${corpus.name} corpus`);
  const kitArgs = corpus.args.map((a) => (a.includes('/') ? path.join(kit, a) : a));
  const run = spawnSync(process.execPath, [path.join(kit, corpus.script), ...kitArgs, ...args], { stdio: 'inherit' });
  if (run.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
