// package.json's exports name the build in dist/; inside the repository the same names resolve to the
// sources (tsconfig `paths`, read by tsx and tsc). Each entry point must reach the very source module
// its build is made from, or tests and examples would exercise something other than what ships.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, string | { types: string; import: string }>;
};

describe('package entry points', () => {
  for (const [subpath, target] of Object.entries(manifest.exports)) {
    if (typeof target === 'string') continue; // ./package.json
    const name = `standin${subpath.slice(1)}`;
    const source = target.import.replace(/^\.\/dist\//, '../').replace(/\.js$/, '.ts');
    it(`${name} is ${source.slice(3)} in the repository`, async () => {
      assert.equal(target.types, target.import.replace(/\.js$/, '.d.ts'));
      assert.equal(await import(name), await import(new URL(source, import.meta.url).href));
    });
  }
});
