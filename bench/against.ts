// `npm run bench:against -- <checkout> [--rounds N] [--processes N]`: this tree's core beside another
// checkout's (e.g. a worktree of the last release), on the same operations. Per-message figures run
// both cores in one process, taking turns round by round, so the machine's load weighs on both alike.
// Scans run each core alone in a process of its own (bench/against-scan.ts), the two alternating,
// `--processes` times each. The ratio this/other is the figure to read (above 1: this tree is slower).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
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
  return [median(times[0]!), median(times[1]!), median(ratios)];
};

const { positionals, values } = parseArgs({
  allowPositionals: true, options: { rounds: { type: 'string', default: '15' }, processes: { type: 'string', default: '7' } },
});
if (positionals.length !== 1) {
  console.error('usage: npm run bench:against -- <another checkout of standin> [--rounds N] [--processes N]');
  process.exit(2);
}
const otherTree = resolve(positionals[0]!);
const other = (await import(`${otherTree}/core/index.ts`)) as BenchedCore;
const rounds = Number(values.rounds);
const processes = Number(values.processes);
const thisTree = fileURLToPath(new URL('..', import.meta.url));
const median = (list: readonly number[]) => [...list].sort((x, y) => x - y)[Math.floor(list.length / 2)]!;

/** One scan in `processes` processes per core, the two cores alternating which goes first; medians of their medians. */
const measureScan = (figure: string, size: number): number[] => {
  const runs: number[][] = [[], []];
  const scanScript = fileURLToPath(new URL('against-scan.ts', import.meta.url));
  for (let p = 0; p < processes; p++) {
    for (const at of p % 2 === 0 ? [0, 1] : [1, 0]) {
      const out = execFileSync(process.execPath, ['--import', 'tsx', scanScript, at === 0 ? thisTree : otherTree, figure, String(size)], { encoding: 'utf8' });
      runs[at]!.push((JSON.parse(out) as { us: number }).us);
    }
  }
  const [mine, theirs] = runs.map(median) as [number, number];
  return [mine, theirs, mine / theirs];
};
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
    if (name === 'json_baseline_us' || name === 'snapshot_reset_us') continue; // no core in them
    const fns = pair.map((c) => c[name as keyof typeof c] as (i: number) => void);
    add(name, size, measurePairs(ops, rounds, fns));
  }
  for (const name of SCANS.filter((s) => s !== 'hand_filter_us')) {
    add(name, size, measureScan(name, size));
  }
}
add('fanout_1000_subs_us', 1000, measurePairs(200, Math.max(5, Math.round(rounds / 3)), [fanoutWrite(1000), fanoutWrite(1000, other)]));

console.table(rows);
const worst = rows.reduce((a, b) => (b.ratio > a.ratio ? b : a));
console.log(JSON.stringify({ other: otherTree, node: process.version, rows, worst }));
