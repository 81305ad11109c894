// `npm run bench:against -- <checkout> [--rounds N] [--scan-rounds N] [--only <name>]`: this tree's
// core beside another checkout's (e.g. a worktree of the last release), on the same operations in one
// process. Each figure's two cores take turns round by round (a few ms each), so the machine's load,
// and a shared machine's host, weigh on both alike; the ratio this/other is the figure to read (above
// 1: this tree is slower). Cores measured in separate processes one after the other swing by 2-4x
// on a shared host (measured: the same core at 76 and 507 µs per 1k-row query within minutes).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fanoutWrite, operations, PER_MESSAGE, SCANS, type BenchedCore } from './core.bench.ts';

/**
 * CPU time of this process in ms (every thread: the collector's work counts). Unlike the wall clock it
 * leaves out the time the process waits for a core, which on a shared machine is most of the noise.
 */
const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/**
 * Paired rounds: in each round both cores run `ops` calls back to back, in alternating order (so that
 * neither always inherits the other's garbage), and the round's ratio is taken at once; the figure is
 * the median of those ratios. Returns [this µs, other µs (medians per call), median paired ratio].
 */
const measurePairs = (ops: number, rounds: number, fns: readonly ((i: number) => void)[]): number[] => {
  for (const fn of fns) for (const until = performance.now() + 300; performance.now() < until;) for (let i = 0; i < ops; i++) fn(i);
  const times: number[][] = [[], []];
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const round = [0, 0];
    for (const at of r % 2 === 0 ? [0, 1] : [1, 0]) {
      const t0 = cpuMs();
      for (let i = 0; i < ops; i++) fns[at]!(i);
      round[at] = ((cpuMs() - t0) * 1000) / ops;
    }
    times[0]!.push(round[0]!);
    times[1]!.push(round[1]!);
    ratios.push(round[0]! / round[1]!);
  }
  const median = (list: number[]) => list.sort((x, y) => x - y)[Math.floor(list.length / 2)]!;
  return [median(times[0]!), median(times[1]!), median(ratios)];
};

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { rounds: { type: 'string', default: '15' }, 'scan-rounds': { type: 'string', default: '41' }, only: { type: 'string' } },
});
if (positionals.length !== 1) {
  console.error('usage: npm run bench:against -- <another checkout of standin> [--rounds N] [--scan-rounds N] [--only <part of a figure name>]');
  process.exit(2);
}
const otherTree = resolve(positionals[0]!);
const other = (await import(`${otherTree}/core/index.ts`)) as BenchedCore;
const rounds = Number(values.rounds);
// A scan's paired rounds vary more than a message's (each is mostly the collector's work): more of them.
const scanRounds = Number(values['scan-rounds']);
const wanted = (figure: string) => values.only === undefined || figure.includes(values.only);
const SIZES = [1_000, 10_000, 100_000];

interface Row { readonly figure: string; readonly size: number; readonly this_us: number; readonly other_us: number; readonly ratio: number }
const rows: Row[] = [];
const add = (figure: string, size: number, [mine, theirs, ratio]: number[]) => {
  rows.push({ figure, size, this_us: Math.round(mine! * 100) / 100, other_us: Math.round(theirs! * 100) / 100, ratio: Math.round(ratio! * 1000) / 1000 });
  console.error(`${figure} @ ${size}: ${ratio!.toFixed(3)}`);
};

for (const size of SIZES) {
  const pair = [operations(size), operations(size, other)] as const;
  for (const [name, { ops }] of Object.entries(PER_MESSAGE)) {
    if (name === 'json_baseline_us' || name === 'snapshot_reset_us' || !wanted(name)) continue; // no core in the first two
    const fns = pair.map((c) => c[name as keyof typeof c] as (i: number) => void);
    add(name, size, measurePairs(ops, rounds, fns));
  }
  for (const name of SCANS.filter((s) => s !== 'hand_filter_us' && wanted(s))) {
    add(name, size, measurePairs(size >= 100_000 ? 3 : 20, scanRounds, pair.map((c) => c[name])));
  }
}
if (wanted('fanout')) add('fanout_1000_subs_us', 1000, measurePairs(200, Math.max(5, Math.round(rounds / 3)), [fanoutWrite(1000), fanoutWrite(1000, other)]));

console.table(rows);
const worst = rows.reduce((a, b) => (b.ratio > a.ratio ? b : a));
console.log(JSON.stringify({ other: otherTree, node: process.version, rows, worst }));
