// --watch: reload when another program edits the data file. We watch the directory (editors and our
// own atomic writes replace the file, which a watch on the file itself would lose), debounce the
// events, and skip content we wrote ourselves, so our saves never cause a reload loop.
import { watch, readFileSync, statSync, type Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseDataFileText } from './json-file.ts';
import { sameIdentity, type FileIdentity, type OwnWrites } from './own-writes.ts';

export interface WatchOptions {
  /** Quiet time after the last change before the file is read; default 50 ms. */
  debounceMs?: number;
  /** Our own writes to ignore: pass `createJsonFileStorage(path).ownWrites`. */
  ownWrites?: OwnWrites;
  /** Invalid content (a StorageLoadError, e.g. a half-saved edit; skipped until it is valid) or a watcher failure. */
  onError?: (error: unknown) => void;
}

export interface FileWatcher {
  close(): void;
}

const identityOf = (stats: Stats): FileIdentity => ({ ino: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs });

const readIfPresent = <T>(read: () => T): T | undefined => {
  try {
    return read();
  } catch {
    return undefined;
  }
};

/** Calls `onChange` with the parsed data each time another program leaves the file with new, valid content. */
export const watchFile = (file: string, onChange: (data: unknown) => void, options: WatchOptions = {}): FileWatcher => {
  const { debounceMs = 50, ownWrites, onError } = options;
  const name = path.basename(file);
  // What the file holds now counts as seen: only later edits are changes.
  let lastIdentity = readIfPresent(() => identityOf(statSync(file)));
  let lastText = readIfPresent(() => readFileSync(file, 'utf8'));
  let timer: NodeJS.Timeout | undefined;
  let checking = false;
  let checkAgain = false;
  let closed = false;

  const checkOnce = async () => {
    const stats = await stat(file).catch(() => undefined);
    if (!stats) return; // gone for a moment (being replaced): the next event brings it back
    const identity = identityOf(stats);
    if (lastIdentity && sameIdentity(lastIdentity, identity)) return;
    lastIdentity = identity;
    if (ownWrites?.matchesFile(identity)) return;

    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined || text === lastText) return;
    if (ownWrites?.matchesText(text)) {
      lastText = text;
      return;
    }
    let data: unknown;
    try {
      data = parseDataFileText(file, text);
    } catch (error) {
      onError?.(error); // mid-edit: wait for the edit that makes it valid
      return;
    }
    lastText = text;
    if (!closed) onChange(data);
  };

  // One check at a time; events during a check cause one more check after it.
  const check = async (): Promise<void> => {
    if (checking) {
      checkAgain = true;
      return;
    }
    checking = true;
    try {
      await checkOnce();
    } catch (error) {
      onError?.(error);
    } finally {
      checking = false;
    }
    if (checkAgain && !closed) {
      checkAgain = false;
      await check();
    }
  };

  const watcher = watch(path.dirname(file), (_event, changed) => {
    if (closed || (changed !== null && changed !== name)) return;
    clearTimeout(timer);
    timer = setTimeout(() => void check(), debounceMs);
  });
  watcher.on('error', (error) => onError?.(error));

  return {
    close() {
      closed = true;
      clearTimeout(timer);
      watcher.close();
    },
  };
};
