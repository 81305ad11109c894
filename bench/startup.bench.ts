// Start-up, side by side with json-server (0.17, its CLI and its module API) in the same run, taking
// turns: from `node <bin> db.json` to the first answered request, and, in a fresh process, from
// `import('standin/testing')` to a created standin. It measures the build in dist/ (`npm run bench`
// builds it first), which is what `npx standin` and an installed package run; `npm start` (tsx)
// is measured beside it.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const ROUNDS = 7;

const median = (samples: number[]): number => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** The status of one GET, or null while nothing listens. */
const status = (url: string, headers: Record<string, string>) =>
  new Promise<number | null>((resolve) => {
    const request = get(url, { headers, agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode ?? null);
    });
    request.on('error', () => resolve(null));
  });

/**
 * CPU ms a process has used so far (Linux: /proc, in 10 ms ticks). On a shared machine the wall time
 * of a start-up mostly measures the other tenants; its CPU time is about what a quiet machine's wall
 * time would be.
 */
const cpuMs = (pid: number): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, USER_HZ = 100
};

/** Wall and CPU ms from spawning `node ...args` to its first 200 on `path`; the server is then stopped. */
const timeToFirstAnswer = async (args: (port: number) => string[], path: string, headers: Record<string, string> = {}) => {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args(port), { cwd: root, stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    for (;;) {
      if ((await status(`http://127.0.0.1:${port}${path}`, headers)) === 200) {
        return { wall: performance.now() - started, cpu: cpuMs(child.pid!) };
      }
      if (child.exitCode !== null) throw new Error(`node ${args(port).join(' ')} exited with ${child.exitCode}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
};

/** Runs a module script in a fresh node; it prints `{ wall, cpu }` of what it measured. Adds the whole process's wall ms. */
const inFreshProcess = (script: string) =>
  new Promise<{ wall: number; cpu: number; process: number }>((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('close', (code) => (code === 0 ? resolve({ ...JSON.parse(out || '{}'), process: performance.now() - started }) : reject(new Error(`exit ${code}: ${script}`))));
  });

/** The measured part of a script: from here to `${STOP}`, wall and CPU ms, printed as JSON. */
const START = 'const t0 = performance.now(); const c0 = process.cpuUsage();';
const STOP = `const { user, system } = process.cpuUsage(c0);
process.stdout.write(JSON.stringify({ wall: performance.now() - t0, cpu: (user + system) / 1000 }));`;

const readData = `const data = JSON.parse((await import('node:fs')).readFileSync('examples/db.json', 'utf8'));`;
const STANDIN_TESTING = `${readData}
${START}
const { createStandin } = await import('standin/testing');
const standin = createStandin({ data });
${STOP}
standin.close();`;
const JSON_SERVER_MODULE = `${readData}
${START}
const { default: jsonServer } = await import('json-server');
const app = jsonServer.create();
app.use(jsonServer.defaults({ logger: false }));
app.use(jsonServer.router(data));
${STOP}`;

/** Medians; `_ms` is wall time, `_cpu_ms` the CPU time of the same span. */
export interface StartupFigures {
  /** `node dist/adapters/cli.js db.json` (what `npx standin db.json` runs) to its first 200. */
  readonly standin_cli_ms: number;
  readonly standin_cli_cpu_ms: number;
  /** `node node_modules/json-server/lib/cli/bin.js db.json` to its first 200. */
  readonly json_server_cli_ms: number;
  readonly json_server_cli_cpu_ms: number;
  readonly standin_cli_vs_json_server: number;
  /** `npm start` runs the sources under tsx. */
  readonly standin_cli_tsx_ms: number;
  /** In a fresh process: `await import('standin/testing')` + `createStandin({ data })`. */
  readonly standin_testing_import_create_ms: number;
  readonly standin_testing_import_create_cpu_ms: number;
  /** In a fresh process: `await import('json-server')` + create + defaults + router. */
  readonly json_server_import_create_ms: number;
  readonly json_server_import_create_cpu_ms: number;
  /** The whole `node -e` process of each, start to exit, and of an empty one. */
  readonly standin_testing_process_ms: number;
  readonly json_server_module_process_ms: number;
  readonly node_empty_process_ms: number;
}

export const benchStartup = async (): Promise<StartupFigures> => {
  const cli = join(root, 'dist/adapters/cli.js');
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first (npm run bench does)`);
  const dir = mkdtempSync(join(tmpdir(), 'standin-startup-'));
  const file = join(dir, 'db.json');
  copyFileSync(join(root, 'examples/db.json'), file);
  const admin = { authorization: 'Bearer admin-token' };
  const samples: Record<string, number[]> = {};
  const add = (name: string, value: number) => (samples[name] ??= []).push(value);
  try {
    // Turn about, so a busy moment of the shared machine falls on all of them.
    for (let round = 0; round < ROUNDS; round++) {
      const standin = await timeToFirstAnswer((port) => [cli, file, '--port', String(port), '--memory'], '/items/posts', admin);
      add('standin', standin.wall);
      add('standin_cpu', standin.cpu);
      const json = await timeToFirstAnswer((port) => ['node_modules/json-server/lib/cli/bin.js', file, '--port', String(port), '--quiet'], '/posts');
      add('json', json.wall);
      add('json_cpu', json.cpu);
      add('tsx', (await timeToFirstAnswer((port) => ['--import', 'tsx', 'adapters/cli.ts', file, '--port', String(port), '--memory'], '/items/posts', admin)).wall);
      const testing = await inFreshProcess(STANDIN_TESTING);
      add('testing', testing.wall);
      add('testing_cpu', testing.cpu);
      add('testing_process', testing.process);
      const module = await inFreshProcess(JSON_SERVER_MODULE);
      add('json_module', module.wall);
      add('json_module_cpu', module.cpu);
      add('json_module_process', module.process);
      add('node', (await inFreshProcess('')).process);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const m = (name: string) => median(samples[name]!);
  return {
    standin_cli_ms: m('standin'),
    standin_cli_cpu_ms: m('standin_cpu'),
    json_server_cli_ms: m('json'),
    json_server_cli_cpu_ms: m('json_cpu'),
    standin_cli_vs_json_server: m('standin') / m('json'),
    standin_cli_tsx_ms: m('tsx'),
    standin_testing_import_create_ms: m('testing'),
    standin_testing_import_create_cpu_ms: m('testing_cpu'),
    json_server_import_create_ms: m('json_module'),
    json_server_import_create_cpu_ms: m('json_module_cpu'),
    standin_testing_process_ms: m('testing_process'),
    json_server_module_process_ms: m('json_module_process'),
    node_empty_process_ms: m('node'),
  };
};
