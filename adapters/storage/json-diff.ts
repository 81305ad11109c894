// RFC 6902 patch from one JSON snapshot to the next, for the journal. It relies on the snapshots being
// immutable: a value that is the same object in both is unchanged and is not looked into, so the cost
// follows the size of the change (plus one identity check per array element), not of the data.
import type { Operation } from 'fast-json-patch';

export type { Operation };

const escapeKey = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// Past this many operations for one array (a removal near the start shifts every later element),
// replacing the whole array is smaller and simpler.
const arrayOpsLimit = (length: number) => Math.max(16, length >> 2);

const diffInto = (ops: Operation[], before: unknown, after: unknown, path: string): void => {
  if (before === after) return;
  if (Array.isArray(before) && Array.isArray(after)) {
    const start = ops.length;
    const common = Math.min(before.length, after.length);
    for (let i = 0; i < common; i++) {
      if (before[i] !== after[i]) diffInto(ops, before[i], after[i], `${path}/${i}`);
    }
    for (let i = common; i < after.length; i++) ops.push({ op: 'add', path: `${path}/-`, value: after[i] });
    for (let i = before.length - 1; i >= common; i--) ops.push({ op: 'remove', path: `${path}/${i}` });
    if (ops.length - start > arrayOpsLimit(after.length)) {
      ops.length = start;
      ops.push({ op: 'replace', path, value: after });
    }
    return;
  }
  if (isPlainObject(before) && isPlainObject(after)) {
    for (const key of Object.keys(before)) {
      if (before[key] !== undefined && after[key] === undefined) ops.push({ op: 'remove', path: `${path}/${escapeKey(key)}` });
    }
    for (const [key, value] of Object.entries(after)) {
      if (value === undefined) continue; // JSON drops it too
      const keyPath = `${path}/${escapeKey(key)}`;
      if (before[key] === undefined) ops.push({ op: 'add', path: keyPath, value });
      else diffInto(ops, before[key], value, keyPath);
    }
    return;
  }
  // Different kinds, or different primitives. Equal primitives were caught by `===` above.
  ops.push({ op: 'replace', path, value: after });
};

/** The operations that turn `before` into `after` (both JSON data, neither mutated since it was made). */
export const diffJson = (before: unknown, after: unknown): Operation[] => {
  const ops: Operation[] = [];
  diffInto(ops, before, after, '');
  return ops;
};
