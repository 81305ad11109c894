// Every file under core/ and adapters/ depends only on files below it: the test walks the relative
// imports (type-only ones included, since they are dependencies of the reader too) and fails on any
// circle, naming the files on it. It also checks that adapters import only core's public surface.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const sourceFiles = (dir: string): string[] =>
  readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(relative);
    return /\.(ts|mts|js|mjs)$/.test(entry.name) ? [relative] : [];
  });

// `import … from './x.ts'`, `export … from './x.ts'`, `import './x.ts'` and `import('./x.ts')`;
// comments are stripped first so a commented-out import does not count.
const importPattern = /(?:\bfrom\s*|\bimport\s*\(?\s*)(['"])(\.{1,2}\/[^'"]+)\1/g;
const stripComments = (source: string): string => source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"])\/\/.*$/gm, '$1');

/** file → the files it imports (relative imports only; packages cannot close a circle here). */
export const importGraph = (files: readonly string[]): Map<string, string[]> =>
  new Map(files.map((file) => {
    const source = stripComments(readFileSync(path.join(root, file), 'utf8'));
    const targets = [...source.matchAll(importPattern)].map((match) => path.join(path.dirname(file), match[2]!));
    return [file, [...new Set(targets)]];
  }));

/** Every circle (as a path that returns to its start), found by a depth-first walk. */
export const findCircles = (graph: ReadonlyMap<string, readonly string[]>): string[][] => {
  const circles: string[][] = [];
  const done = new Set<string>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const visit = (file: string) => {
    if (onStack.has(file)) {
      circles.push([...stack.slice(stack.indexOf(file)), file]);
      return;
    }
    if (done.has(file)) return;
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) visit(target);
    stack.pop();
    onStack.delete(file);
    done.add(file);
  };
  for (const file of [...graph.keys()].sort()) visit(file);
  return circles;
};

describe('import graph', () => {
  const files = [...sourceFiles('core'), ...sourceFiles('adapters')];
  const graph = importGraph(files);

  it('finds the imports it walks (the walk itself works)', () => {
    assert.ok(files.length > 40, `walked ${files.length} files`);
    assert.ok(graph.get(path.join('core', 'handle.ts'))!.length > 3);
    for (const [file, targets] of graph) {
      for (const target of targets) assert.ok(graph.has(target), `${file} imports ${target}, which is not a source file`);
    }
  });

  it('detects a circle when there is one', () => {
    const circles = findCircles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]));
    assert.deepEqual(circles, [['a', 'b', 'c', 'a']]);
  });

  it('has no circle in core/ or adapters/', () => {
    const circles = findCircles(graph).map((circle) => circle.join(' → '));
    assert.deepEqual(circles, []);
  });

  it('keeps core/ free of adapters/', () => {
    const upward = [...graph].filter(([file]) => file.startsWith('core')).flatMap(([file, targets]) =>
      targets.filter((target) => target.startsWith('adapters')).map((target) => `${file} → ${target}`));
    assert.deepEqual(upward, []);
  });

  it('lets adapters/ reach core/ only through core/index.ts', () => {
    const inward = [...graph].filter(([file]) => file.startsWith('adapters')).flatMap(([file, targets]) =>
      targets.filter((target) => target.startsWith('core') && target !== path.join('core', 'index.ts'))
        .map((target) => `${file} → ${target}`));
    assert.deepEqual(inward, []);
  });
});
