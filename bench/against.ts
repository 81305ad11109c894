// `npm run bench:against -- <checkout> [--rounds N]`: this tree's core beside another checkout's
// (e.g. a worktree of the last release), on the same operations in one process. Each figure's two
// cores take turns round by round, so the machine's load weighs on both alike; the ratio
// this/other is the figure to read (above 1: this tree is slower).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fanoutWrite, measureTurns, operations, PER_MESSAGE, SCANS, type BenchedCore } from './core.bench.ts';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { rounds: { type: 'string', default: '15' } } });
if (positionals.length !== 1) {
  console.error('usage: npm run bench:against -- <another checkout of standin> [--rounds N]');
  process.exit(2);
}
const otherTree = resolve(positionals[0]!);
const other = (await import(`${otherTree}/core/index.ts`)) as BenchedCore;
const rounds = Number(values.rounds);
const SIZES = [1_000, 10_000, 100_000];

interface Row { readonly figure: string; readonly size: number; readonly this_us: number; readonly other_us: number; readonly ratio: number }
const rows: Row[] = [];
const add = (figure: string, size: number, [mine, theirs]: number[]) => {
  rows.push({ figure, size, this_us: Math.round(mine! * 100) / 100, other_us: Math.round(theirs! * 100) / 100, ratio: Math.round((mine! / theirs!) * 1000) / 1000 });
  console.error(`${figure} @ ${size}: ${(mine! / theirs!).toFixed(3)}`);
};

for (const size of SIZES) {
  const pair = [operations(size), operations(size, other)] as const;
  for (const [name, { ops }] of Object.entries(PER_MESSAGE)) {
    if (name === 'json_baseline_us' || name === 'snapshot_reset_us') continue; // no core in them
    const fns = pair.map((c) => c[name as keyof typeof c] as (i: number) => void);
    add(name, size, measureTurns(ops, rounds, fns));
  }
  for (const name of SCANS.filter((s) => s !== 'hand_filter_us')) {
    add(name, size, measureTurns(size >= 100_000 ? 3 : 20, Math.max(7, Math.round(rounds / 2)), pair.map((c) => c[name])));
  }
}
add('fanout_1000_subs_us', 1000, measureTurns(200, Math.max(5, Math.round(rounds / 3)), [fanoutWrite(1000), fanoutWrite(1000, other)]));

console.table(rows);
const worst = rows.reduce((a, b) => (b.ratio > a.ratio ? b : a));
console.log(JSON.stringify({ other: otherTree, node: process.version, rows, worst }));
