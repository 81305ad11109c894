// The package as a user gets it: `npm pack` of a copy of the repository (nothing is written into the
// repository itself), installed from the tarball into a fresh project in a temp dir whose other
// packages come from the npm registry, then used the ways users use it. `npm run test:package`;
// CI runs it (.ci/run). The project's files are in test/package/project/.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const temp = mkdtempSync(join(tmpdir(), 'standin-package-'));
const project = join(temp, 'project');

/**
 * The environment of a fresh shell: no marker that would make a nested `node --test` report to us, and
 * no colours (vitest colours its summary under CI=true, which splits the text the tests match).
 */
const env = (): NodeJS.ProcessEnv => {
  const copy: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete copy['NODE_TEST_CONTEXT'];
  delete copy['FORCE_COLOR'];
  return copy;
};

/** Runs a command in the consumer project to its end; a non-zero exit fails the test with its output. */
const runBoth = (command: string, args: string[], cwd = project): { stdout: string; stderr: string } => {
  const result = spawnSync(command, args, { cwd, env: env(), encoding: 'utf8', timeout: 300_000 });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  }
  return result;
};
const run = (command: string, args: string[], cwd = project): string => runBoth(command, args, cwd).stdout;

/** The repository's files as git sees them (tracked, and new ones not ignored): what a clone plus the change holds. */
const copyRepository = (to: string) => {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repo, encoding: 'utf8' })
    .split('\0').filter((file) => file !== '' && existsSync(join(repo, file)));
  for (const file of files) {
    mkdirSync(dirname(join(to, file)), { recursive: true });
    cpSync(join(repo, file), join(to, file));
  }
  symlinkSync(join(repo, 'node_modules'), join(to, 'node_modules'));
};

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

let packed: string[] = [];

describe('the packed package in a fresh project', { timeout: 600_000 }, () => {
  before(() => {
    const source = join(temp, 'source');
    copyRepository(source);
    const [pack] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', temp], source)) as { filename: string; files: { path: string }[] }[];
    packed = pack!.files.map((file) => file.path);
    mkdirSync(project);
    cpSync(join(here, 'project'), project, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8'));
    manifest.dependencies = { standin: `file:../${pack!.filename}` };
    writeFileSync(join(project, 'package.json'), JSON.stringify(manifest, null, 2));
    run('npm', ['install', '--no-audit', '--no-fund']);
  });

  after(() => rmSync(temp, { recursive: true, force: true }));

  it('ships the build and nothing a user does not need', () => {
    const outside = packed.filter((path) => !path.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE'].includes(path));
    assert.deepEqual(outside, []);
    assert.deepEqual(packed.filter((path) => path.endsWith('.ts') && !path.endsWith('.d.ts')), []);
    const manifest = JSON.parse(readFileSync(join(project, 'node_modules/standin/package.json'), 'utf8'));
    for (const [subpath, target] of Object.entries(manifest.exports as Record<string, string | Record<string, string>>)) {
      for (const file of typeof target === 'string' ? [target] : Object.values(target)) {
        assert.ok(existsSync(join(project, 'node_modules/standin', file)), `exports["${subpath}"] names ${file}, which is not in the package`);
      }
    }
  });

  it('installs without tsx, @types/ws or @types/qs', () => {
    for (const name of ['tsx', '@types/ws', '@types/qs']) assert.ok(!existsSync(join(project, 'node_modules', name)), `${name} was installed`);
  });

  it('imports every entry point under plain node', () => {
    const manifest = JSON.parse(readFileSync(join(project, 'node_modules/standin/package.json'), 'utf8'));
    const subpaths = Object.keys(manifest.exports).filter((subpath) => subpath !== './package.json');
    const script = `for (const name of ${JSON.stringify(subpaths.map((subpath) => `standin${subpath.slice(1)}`))}) {
      const exported = Object.keys(await import(name));
      if (exported.length === 0) throw new Error(name + ' exports nothing');
      console.log(name);
    }`;
    assert.deepEqual(run(process.execPath, ['--input-type=module', '-e', script]).trim().split('\n'), subpaths.map((subpath) => `standin${subpath.slice(1)}`));
  });

  it('runs a node --test suite with no loader', () => {
    assert.match(run(process.execPath, ['--test', 'node.test.mjs']), /^# pass 1$/m);
  });

  it('runs a vitest suite', () => {
    assert.match(run(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', 'vitest.spec']), /Tests\s+2 passed \(2\)/);
  });

  it('runs a jest suite with native ES modules', () => {
    const { stderr } = runBoth(process.execPath, ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js']);
    assert.match(stderr, /^Tests:\s+1 passed, 1 total$/m); // jest reports on stderr
  });

  for (const [version, tsc] of [['5.9', 'node_modules/typescript/bin/tsc'], ['7', 'node_modules/typescript-7/bin/tsc']] as const) {
    it(`type-checks a consumer under TypeScript ${version}'s \`tsc --init\` defaults plus exactOptionalPropertyTypes`, () => {
      rmSync(join(project, 'tsconfig.json'), { force: true });
      run(process.execPath, [tsc, '--init']);
      cpSync(join(project, 'tsconfig.json'), join(project, 'tsconfig.init.json'));
      rmSync(join(project, 'tsconfig.json'));
      assert.equal(run(process.execPath, [tsc, '--version']).trim(), `Version ${version === '5.9' ? '5.9.3' : '7.0.2'}`);
      run(process.execPath, [tsc, '-p', 'tsconfig.node.json']);
      run(process.execPath, [tsc, '-p', 'tsconfig.browser.json']);
    });
  }

  it('`npx standin db.json` serves the file', async () => {
    const port = await freePort();
    // Its own process group, so everything npx started can be stopped at once.
    const server = spawn('npx', ['standin', 'db.json', '--port', String(port)], { cwd: project, env: env(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    server.stdout.on('data', (chunk) => (output += chunk));
    server.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise((resolve) => server.once('exit', resolve));
    try {
      let response: Response | undefined;
      for (let attempt = 0; attempt < 300 && response === undefined; attempt++) {
        response = await fetch(`http://127.0.0.1:${port}/items/posts?fields=id,title`, { headers: { authorization: 'Bearer admin-token' } })
          .catch(() => new Promise<undefined>((resolve) => setTimeout(resolve, 100)));
      }
      assert.ok(response, `no answer on port ${port} within 30 s:\n${output}`);
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { data: [{ id: 1, title: 'Hello' }, { id: 2, title: 'Draft' }] });
    } finally {
      process.kill(-server.pid!, 'SIGTERM');
      await exited;
    }
  });

  it('loads neither ws, lowdb nor a Node built-in of its own when the core is imported', () => {
    const script = `await import(process.argv[1]); console.log(JSON.stringify(await globalThis.loadedModules()));`;
    const loads = (name: string): { specifier: string; url: string; parent: string | null }[] =>
      JSON.parse(run(process.execPath, ['--import', join(here, 'record-loads.mjs'), '--input-type=module', '-e', script, name]));
    const ownBuiltins = (records: ReturnType<typeof loads>) =>
      records.filter((r) => r.url.startsWith('node:') && r.parent?.includes('/node_modules/standin/')).map((r) => r.url);
    const fromPackages = (records: ReturnType<typeof loads>, names: string[]) =>
      records.filter((r) => names.some((name) => r.url.includes(`/node_modules/${name}/`))).map((r) => r.url);

    const core = loads('standin');
    assert.ok(core.some((r) => r.url.includes('/node_modules/standin/dist/')), 'the recording saw standin load');
    assert.deepEqual(ownBuiltins(core), []);
    assert.deepEqual(fromPackages(core, ['ws', 'lowdb']), []);
    // The same recording does see them where they belong.
    const server = loads('standin/server');
    assert.ok(ownBuiltins(server).includes('node:http'));
    assert.ok(fromPackages(server, ['ws']).length > 0);
  });

  it('bundles the core and standin/broadcast-channel for a browser', async () => {
    const result = await esbuild.build({
      stdin: { contents: `export * from 'standin'; export * from 'standin/broadcast-channel';`, resolveDir: project },
      absWorkingDir: project, bundle: true, format: 'esm', platform: 'browser', write: false, metafile: true, logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    assert.ok(inputs.some((input) => input.startsWith('node_modules/standin/dist/')), inputs.join('\n'));
    assert.deepEqual(inputs.filter((input) => input.startsWith('node:') || input.includes('node_modules/ws/')), []);
  });
});
