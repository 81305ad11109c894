// `npm run bench`: every figure with its baseline from the same run, as a table and a JSON summary.
import { benchCore, benchFanout } from './core.bench.ts';
import { benchFileServer } from './file-server.bench.ts';
import { benchFuzz } from './fuzz.bench.ts';
import { benchPassword } from './password.bench.ts';
import { benchStartup } from './startup.bench.ts';
import { benchTesting } from './testing.bench.ts';
import { benchTestRunners } from './test-runners.bench.ts';
import { benchWs } from './ws.bench.ts';

const round = (n: number) => (Math.abs(n) >= 100 ? Math.round(n) : Math.round(n * 100) / 100);

const main = async () => {
  const started = new Date().toISOString();
  console.error('start-up: standin (dist/) and json-server, CLI to first answer and in-process set-up …');
  const startup = await benchStartup();
  console.table(Object.fromEntries(Object.entries(startup).map(([k, v]) => [k, round(v)])));
  console.error('core: handle per message at 1k / 10k / 100k items …');
  const core = benchCore([1_000, 10_000, 100_000]);
  console.table(core.map((f) => Object.fromEntries(Object.entries(f).map(([k, v]) => [k, round(v)]))));
  const small = core[0]!;
  const large = core[2]!;
  const ratios = {
    read_100k_vs_1k: large['read_by_id_us']! / small['read_by_id_us']!,
    create_100k_vs_1k: large['create_us']! / small['create_us']!,
    update_100k_vs_1k: large['update_by_id_us']! / small['update_by_id_us']!,
    delete_100k_vs_1k: large['delete_by_id_us']! / small['delete_by_id_us']!,
    filtered_query_vs_hand_100k: large['filtered_query_us']! / large['hand_filter_us']!,
    write_then_query_vs_query_100k: large['write_then_query_us']! / large['filtered_query_us']!,
  };
  console.table(Object.fromEntries(Object.entries(ratios).map(([k, v]) => [k, round(v)])));
  console.error('fan-out: one write against 1,000 filtered subscriptions …');
  const fanout_us = benchFanout(1000);
  console.log(`fan-out: ${round(fanout_us)} µs of core time per write`);
  console.error('ws server vs raw ws echo …');
  const ws = await benchWs();
  console.table(Object.fromEntries(Object.entries(ws).map(([k, v]) => [k, round(v)])));
  console.error('file server: durable acknowledgements vs --memory, 10 clients × 10 creates in flight …');
  const files = await benchFileServer();
  console.table(files.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'number' ? round(v) : v]))));
  console.error('standin/testing: snapshot/reset and set-up …');
  const testing = await benchTesting();
  console.table(Object.fromEntries(Object.entries(testing).map(([k, v]) => [k, round(v)])));
  console.error('passwords: plain text vs argon2id, a fixture-sized cost and Directus\'s default …');
  const passwords = benchPassword();
  console.table(Object.fromEntries(Object.entries(passwords).map(([k, v]) => [k, round(v)])));
  console.error('test runners: a REST round trip through standin/msw and routeStandin, each beside the file server on a port …');
  const runners = await benchTestRunners();
  console.table(Object.fromEntries(Object.entries(runners).map(([k, v]) => [k, round(v)])));
  console.error('fuzz: a million generated messages through handle …');
  const fuzz = benchFuzz();
  console.table(fuzz);
  console.log(JSON.stringify({ started, node: process.version, startup, core, ratios, fanout_us, ws, files, testing, passwords, runners, fuzz }));
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
