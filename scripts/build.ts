// `npm run build` (also run by `npm pack`): the package in dist/, JavaScript for Node 20 and browsers
// plus `.d.ts`. The entries are read from package.json: every `exports` target and `bin` named
// `./dist/<path>.js` is built from `<path>.ts` (its types at `./dist/<path>.d.ts`), so a new subpath is
// one line in package.json.
//
// esbuild bundles the entries with effect inlined (tree-shaken, in shared chunks): with effect/Schema's
// ~140 modules loaded one by one, `import('standin/testing')` + `createStandin()` took 391 ms, from the
// bundle 70 ms (README, Performance: Start-up).
// Every other package stays external. `tsc -p tsconfig.build.json` then writes the declarations
// (they still name effect's types, so effect stays a dependency).
import { cpSync, readFileSync, rmSync } from 'node:fs';
import * as esbuild from 'esbuild';

/** Packages bundled into dist/ rather than loaded from node_modules at run time. */
const INLINED = new Set(['effect']);

interface PackageJson {
  readonly exports: Record<string, string | { readonly types?: string; readonly import?: string }>;
  readonly bin?: Record<string, string>;
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
}

const root = new URL('..', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as PackageJson;

/** `./dist/adapters/testing.js` -> `adapters/testing`; anything else is a mistake in package.json. */
const builtPath = (target: string, extension: '.js' | '.d.ts', where: string): string => {
  const match = /^(?:\.\/)?dist\/(.+)$/.exec(target);
  if (!match?.[1]?.endsWith(extension)) throw new Error(`package.json ${where}: expected ./dist/<path>${extension}, got ${target}`);
  return match[1].slice(0, -extension.length);
};

const entries = new Set<string>();
for (const [subpath, target] of Object.entries(pkg.exports)) {
  if (typeof target === 'string' || target.import === undefined) continue; // e.g. ./package.json
  const path = builtPath(target.import, '.js', `exports["${subpath}"].import`);
  if (target.types === undefined || builtPath(target.types, '.d.ts', `exports["${subpath}"].types`) !== path) {
    throw new Error(`package.json exports["${subpath}"].types must be ./dist/${path}.d.ts`);
  }
  entries.add(path);
}
for (const [name, target] of Object.entries(pkg.bin ?? {})) entries.add(builtPath(target, '.js', `bin["${name}"]`));
// Worker threads the entries start by file (adapters/large-frames.ts finds it in dist/adapters/).
entries.add('adapters/frame-worker');

// Every package the manifest names stays an import (devDependencies too: an entry that imports one by
// mistake then fails in the package test instead of shipping a copy of it).
const external = [
  ...Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies, ...pkg.optionalDependencies, ...pkg.devDependencies })
    .filter((name) => !INLINED.has(name)),
  'node:*',
];

rmSync(new URL('dist', root), { recursive: true, force: true });
await esbuild.build({
  absWorkingDir: root.pathname,
  entryPoints: [...entries].map((path) => ({ in: `${path}.ts`, out: path })),
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true, // one copy of the core however many entries a program imports
  format: 'esm',
  platform: 'neutral', // the core and standin/broadcast-channel run in browsers too
  mainFields: ['module', 'main'],
  target: 'node20',
  external,
  logLevel: 'warning',
});
// Files the built code reads at run time: the CLI's home page (found beside the sources or in dist/).
cpSync(new URL('adapters/home-page.html', root), new URL('dist/adapters/home-page.html', root));
