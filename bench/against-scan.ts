// One scan figure of one checkout's core, alone in this process (bench/against.ts starts it):
// `node --import tsx bench/against-scan.ts <checkout> <figure> <size>` prints the median µs per call.
// A process of its own gives the core its own JIT feedback, heap and collector, which two cores in
// one process share (a whole-collection scan is where that sharing shows most).
import { resolve } from 'node:path';
import { operations, type BenchedCore, type SCANS } from './core.bench.ts';

const [tree, figure, sizeText] = process.argv.slice(2);
const size = Number(sizeText);
const core = (await import(`${resolve(tree!)}/core/index.ts`)) as BenchedCore;
const scan = operations(size, core)[figure as (typeof SCANS)[number]];

/** CPU time of this process in ms: unlike the wall clock it leaves out the time spent waiting for a core. */
const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

const ops = size >= 100_000 ? 3 : 20;
for (const until = performance.now() + 500; performance.now() < until;) for (let i = 0; i < ops; i++) scan(i);
const samples: number[] = [];
for (let round = 0; round < 9; round++) {
  const t0 = cpuMs();
  for (let i = 0; i < ops; i++) scan(i);
  samples.push(((cpuMs() - t0) * 1000) / ops);
}
console.log(JSON.stringify({ us: samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)] }));
