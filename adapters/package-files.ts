// Files of the standin package itself (package.json, the bundled example, the home page), found from
// the package root, so they resolve the same from the TypeScript sources and from a build in dist/.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const findRoot = (): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'standin') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('standin: cannot find its own package.json');
    dir = parent;
  }
};

let root: string | undefined;

/** The path of a file of the package, from its root (e.g. `examples/db.json`). */
export const packageFile = (relative: string): string => join((root ??= findRoot()), relative);

export const packageVersion = (): string =>
  (JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version: string }).version;
