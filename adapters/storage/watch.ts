// --watch: notice when another program edits the data file. We watch the directory (editors and our
// own atomic writes replace the file, which a watch on the file itself would lose), debounce the
// events, and skip content we wrote ourselves, so our saves never cause a loop. Content that is not
// valid JSON (an editor half way through a save) is read again until it is.
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
  /** Invalid content (a StorageLoadError, e.g. a half-saved edit; retried until it is valid) or a watcher failure. */
  onError?: (error: unknown) => void;
  /** A file another program wrote whose content is ours (or unchanged): nothing to merge, but it is settled. */
  onSame?: (file: FileIdentity) => void;
  /** First wait before reading invalid content again (doubling up to 2 s); default 100 ms. */
  retryMs?: number;
}

/** The file version a change was read from. */
export interface FileVersion {
  readonly text: string;
  readonly identity: FileIdentity;
}

export interface FileWatcher {
  /** Checks the file now (e.g. before shutting down) and resolves once any change found was handed on. */
  check(): Promise<void>;
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
export const watchFile = (file: string, onChange: (data: unknown, version: FileVersion) => void, options: WatchOptions = {}): FileWatcher => {
  const { debounceMs = 50, ownWrites, onError, onSame, retryMs = 100 } = options;
  const name = path.basename(file);
  // What the file holds now counts as seen: only later edits are changes.
  let lastIdentity = readIfPresent(() => identityOf(statSync(file)));
  let lastText = readIfPresent(() => readFileSync(file, 'utf8'));
  let timer: NodeJS.Timeout | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let retryDelay = 0; // 0: the content last read was valid
  let invalidText: string | undefined; // reported once per distinct invalid content
  let queue: Promise<void> = Promise.resolve();
  let queued = false;
  let closed = false;

  const retryLater = () => {
    retryDelay = retryDelay === 0 ? retryMs : Math.min(retryDelay * 2, 2000);
    retryTimer = setTimeout(() => void check(), retryDelay);
  };

  const checkOnce = async () => {
    const stats = await stat(file).catch(() => undefined);
    if (!stats) return; // gone for a moment (being replaced): the next event brings it back
    const identity = identityOf(stats);
    if (lastIdentity && sameIdentity(lastIdentity, identity)) return;
    if (ownWrites?.matchesFile(identity)) {
      lastIdentity = identity;
      return;
    }
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) return;
    if (text === lastText || ownWrites?.matchesText(text)) {
      lastIdentity = identity;
      lastText = text;
      onSame?.(identity);
      return;
    }
    let data: unknown;
    try {
      data = parseDataFileText(file, text);
    } catch (error) {
      // Mid-save: never taken, never written over; read again until the edit is complete.
      if (text !== invalidText) onError?.(error);
      invalidText = text;
      retryLater();
      return;
    }
    retryDelay = 0;
    lastIdentity = identity;
    lastText = text;
    if (!closed) onChange(data, { text, identity });
  };

  // One check at a time: a call while one waits joins it, a call while one runs queues one more.
  const check = (): Promise<void> => {
    if (closed) return Promise.resolve();
    if (queued) return queue;
    queued = true;
    queue = queue.then(() => {
      queued = false;
      clearTimeout(retryTimer);
      return closed ? undefined : checkOnce().catch((error: unknown) => onError?.(error));
    });
    return queue;
  };

  const watcher = watch(path.dirname(file), (_event, changed) => {
    if (closed || (changed !== null && changed !== name)) return;
    clearTimeout(timer);
    timer = setTimeout(() => void check(), debounceMs);
  });
  watcher.on('error', (error) => onError?.(error));

  return {
    check,
    close() {
      closed = true;
      clearTimeout(timer);
      clearTimeout(retryTimer);
      watcher.close();
    },
  };
};
