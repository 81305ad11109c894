// Replace a file so that a crash at any moment leaves either the old or the new complete content:
// write a temp file beside it, fsync it, rename it over the target, fsync the directory (which makes
// the rename itself durable). steno (lowdb's writer) does the rename but no fsync, hence this file.
import { open, rename, unlink } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';

let tempCounter = 0;

/** Durably fsync a directory, so that renames and creations inside it survive a power loss. */
export const syncDirectory = async (directory: string): Promise<void> => {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
};

export interface AtomicWriteOptions {
  /** Called with the finished temp file's stats just before it replaces the target. */
  beforeRename?: (stats: Stats) => void;
  /** Called once the new content is in place under the target's name (before the directory fsync). */
  afterRename?: () => void;
}

/** Atomically and durably replace `target` with `text`; resolves once the new content is on disk. */
export const writeFileAtomically = async (target: string, text: string, options: AtomicWriteOptions = {}): Promise<void> => {
  const directory = path.dirname(target);
  // Unique per write, so concurrent writers never share (and clobber) one temp file.
  const temp = path.join(directory, `.${path.basename(target)}.${process.pid}.${++tempCounter}.tmp`);
  const handle = await open(temp, 'wx');
  try {
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
      options.beforeRename?.(await handle.stat());
    } finally {
      await handle.close();
    }
    await rename(temp, target);
    options.afterRename?.();
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
  await syncDirectory(directory);
};
