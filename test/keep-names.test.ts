// tsx (and any loader built on esbuild's `keepNames`) wraps every named function expression in
// `__name(fn, "name")`, an Object.defineProperty that costs ~0.3 µs each time the closure is created.
// Named closures inside the core's function bodies once doubled the cost of a read, so the core
// defines its helpers at module level (or as method shorthand, which is not wrapped).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';

const coreDir = fileURLToPath(new URL('../core/', import.meta.url));
const coreFiles = readdirSync(coreDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));

/** Lines of the transformed module that name a function inside another body (class names excepted). */
const namedClosures = (source: string): string[] =>
  transformSync(source, { loader: 'ts', format: 'esm', keepNames: true }).code
    .split('\n')
    .filter((line) => /^\s+.*__name\(/.test(line) && !/__name\(this, /.test(line))
    .map((line) => line.trim());

describe('the core under keepNames loaders', () => {
  it('finds a named closure when there is one (the check works)', () => {
    assert.deepEqual(namedClosures('export const f = (x: number) => { const g = (y: number) => x + y; return g(1); };').length, 1);
    assert.deepEqual(namedClosures('export const f = (x: number) => [x].map((y) => y + 1);'), []);
  });

  it('creates no named closures inside function bodies', () => {
    const found = coreFiles.flatMap((file) => namedClosures(readFileSync(coreDir + file, 'utf8')).map((line) => `core/${file}: ${line}`));
    assert.deepEqual(found, []);
  });
});
