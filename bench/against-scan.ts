// One scan figure of one checkout's core, alone in this process (bench/against.ts starts it):
// `node --import tsx bench/against-scan.ts <checkout> <figure> <size>` prints the median µs per call.
// A process of its own gives the core its own JIT feedback, heap and collector, which two cores in
// one process share (a whole-collection scan is where that sharing shows most).
import { resolve } from 'node:path';
import { measure, operations, type BenchedCore, type SCANS } from './core.bench.ts';

const [tree, figure, sizeText] = process.argv.slice(2);
const size = Number(sizeText);
const core = (await import(`${resolve(tree!)}/core/index.ts`)) as BenchedCore;
const scan = operations(size, core)[figure as (typeof SCANS)[number]];
console.log(JSON.stringify({ us: measure(size >= 100_000 ? 3 : 20, 9, scan, 500) }));
