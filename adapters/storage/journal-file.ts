// The data file plus an append-only journal: a save appends the patch since the previous save and
// fsyncs it (cost follows the change, not the file), and every so often the journal is folded into a
// fresh db.json (compaction). db.json stays plain JSON; it is complete after a compaction, which also
// runs when writes pause and on close(). Load replays a leftover journal.
//
// Contract: saved snapshots are never mutated afterwards (an immutable core guarantees it); the next
// save is diffed against the previous one by identity.
import { rename, stat } from 'node:fs/promises';
import { writeFileAtomically } from './atomic-write.ts';
import { createDataFileOwner, OutsideEditPending } from './data-file-owner.ts';
import { diffJson, type Operation } from './json-diff.ts';
import { parseDataFileText, readDataFileText, toDataFileText, type JsonFileStorage } from './json-file.ts';
import { journalEntryLine, journalPathFor, replayJournal } from './journal.ts';
import { appendEntry, readJournalText, startJournal, type OpenJournal } from './journal-writer.ts';
import { createOwnWritesRecord, type FileIdentity } from './own-writes.ts';
import { isDataObject } from './port.ts';

/**
 * How saved values become db.json and journal entries. The default treats values as JSON data and
 * diffs them by identity; a server passes its own (rows addressed by key, from the core's change log).
 */
export interface JournalCodec {
  /** The data-file content for a value (at compaction). */
  toJson(value: unknown): Record<string, unknown>;
  /** The patch from one saved value to the next; undefined: write the whole file instead. */
  diff(before: unknown, after: unknown): Operation[] | undefined;
  /** Collection → primary-key field when entries address rows by key (see journal.ts). */
  keys?(value: unknown): Record<string, string>;
}

const jsonCodec: JournalCodec = { toJson: (value) => value as Record<string, unknown>, diff: diffJson };

export interface JournaledFileOptions {
  codec?: JournalCodec;
  /** Compact once the journal would pass this size; default: db.json's size, at least 1 MiB. */
  compactAtBytes?: number;
  /** Compact after this long without saves, so db.json is complete while idle; default 1000 ms. */
  compactWhenIdleMs?: number;
  /**
   * For `--watch`: a db.json another program wrote is never written over until `merged()` names it.
   * Until then saves go to the journal only (compactions wait). Without it, such a file is replaced.
   */
  keepOutsideEdits?: boolean;
  /** Called with each value written whole into db.json (at a compaction), once it is there. */
  onDataFileWritten?: (value: unknown) => void;
}

export interface JournaledFileStorage extends JsonFileStorage {
  readonly journalPath: string;
  /** Fold the journal into db.json now (no-op when it holds nothing). */
  compact(): Promise<void>;
  /** Compact and release the journal; call after the committer's close() on shutdown. */
  close(): Promise<void>;
  /**
   * Declares the value the loaded file stands for (in the codec's form) and starts a journal on the
   * file as it is, so the first save appends instead of rewriting db.json. When load replayed a
   * journal, db.json is behind: it is written whole once.
   */
  adopt(value: unknown): Promise<void>;
  /**
   * With `keepOutsideEdits`: the db.json with this identity (another program's edit) has been merged
   * into what is saved; it may now be replaced. Compacts once the merge is saved.
   */
  merged(identity: FileIdentity): Promise<void>;
}

export const createJournaledFileStorage = (path: string, options: JournaledFileOptions = {}): JournaledFileStorage => {
  const journalPath = journalPathFor(path);
  const ownWrites = createOwnWritesRecord();
  const idleMs = options.compactWhenIdleMs ?? 1000;
  let saved: unknown; // the last snapshot on disk (db.json + journal); the next patch starts from it
  let journal: OpenJournal | undefined; // undefined: the next save compacts
  let dataFileBytes = 0;
  let idleTimer: NodeJS.Timeout | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let loaded: { text: string; replayed: boolean } | undefined; // set by load(), used by adopt()

  // One file operation at a time, in call order; a failure does not block later calls.
  const serialised = <T>(task: () => Promise<T>): Promise<T> => {
    const result = queue.then(task);
    queue = result.catch(() => {});
    return result;
  };

  const closeJournal = async () => {
    const open = journal;
    journal = undefined;
    await open?.handle.close().catch(() => {});
  };

  const codec = options.codec ?? jsonCodec;
  const keep = options.keepOutsideEdits === true;
  const dataFile = createDataFileOwner(path, keep);

  /**
   * Writes `data` whole into db.json. With keepOutsideEdits an unmerged outside edit is never
   * replaced: an optional compaction is then skipped (false), a required one waits for `merged()`.
   */
  const compactNow = async (data: unknown, required = true): Promise<boolean> => {
    clearTimeout(idleTimer);
    for (;;) {
      try {
        await writeDataFile(data);
        return true;
      } catch (error) {
        if (!(error instanceof OutsideEditPending)) throw error;
        if (!required) return false;
        await dataFile.nextMerge();
      }
    }
  };

  /** A compaction the save cannot do without (waits out an unmerged outside edit). */
  const rewrite = async (data: unknown): Promise<void> => {
    await compactNow(data);
  };

  const writeDataFile = async (data: unknown) => {
    if (dataFile.holdsOutsideEdit()) throw new OutsideEditPending();
    const text = toDataFileText(codec.toJson(data));
    const write = ownWrites.begin(text);
    let identity: FileIdentity | undefined;
    try {
      await writeFileAtomically(path, text, {
        beforeRename: (stats) => {
          if (dataFile.holdsOutsideEdit()) throw new OutsideEditPending(); // an edit landed while we wrote
          write.identified(stats);
          identity = { ino: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs };
        },
        afterRename: write.landed,
      });
    } catch (error) {
      write.failed();
      throw error;
    }
    saved = data;
    dataFile.own(identity);
    options.onDataFileWritten?.(data);
    dataFileBytes = Buffer.byteLength(text);
    // db.json now holds everything, so this save is durable even if starting the new journal fails;
    // the old journal names the old db.json and is skipped by load. The next save then compacts again.
    await closeJournal();
    await openJournal(text, codec.keys?.(data));
  };

  /** Starts an empty journal continuing the db.json whose text is `base`; on failure the next save compacts. */
  const openJournal = async (base: string, keys: Record<string, string> | undefined) => {
    journal = await startJournal(journalPath, base, keys);
  };

  const append = async (open: OpenJournal, line: string, bytes: number) => {
    try {
      await appendEntry(open, line, bytes);
    } catch (error) {
      await closeJournal(); // a torn line may be left at its end: never append after it
      throw error;
    }
  };

  const saveNow = async (data: unknown) => {
    if (!options.codec && !isDataObject(data)) throw new TypeError('Storage can only save a JSON object at the top level');
    if (!journal || saved === undefined) return rewrite(data);
    const ops = codec.diff(saved, data);
    if (ops === undefined) return rewrite(data);
    if (ops.length === 0) {
      saved = data;
      return;
    }
    const line = journalEntryLine(ops);
    const bytes = Buffer.byteLength(line);
    if (journal.bytes + bytes > (options.compactAtBytes ?? Math.max(1 << 20, dataFileBytes)) && (await compactNow(data, false))) return;
    // Checked alongside the append: a db.json changed by someone else is no longer the journal's base,
    // so the state is then written whole (which also replaces the journal) before the save resolves —
    // unless that file is an outside edit to keep: then the journal holds the save until it is merged.
    const [replaced] = await Promise.all([dataFile.replacedBehindUs(), append(journal, line, bytes)]);
    if (replaced && keep) {
      saved = data;
      return;
    }
    if (replaced) {
      await closeJournal(); // should the rewrite fail, the next save must not append to this journal
      return rewrite(data);
    }
    saved = data;
    clearTimeout(idleTimer);
    // A failed idle compaction loses nothing (the journal still holds it); the next one retries.
    idleTimer = setTimeout(() => void storage.compact().catch(() => {}), idleMs);
    idleTimer.unref();
  };

  const storage: JournaledFileStorage = {
    path,
    journalPath,
    ownWrites,
    load: () =>
      serialised(async () => {
        const text = await readDataFileText(path);
        const data = parseDataFileText(path, text);
        const journalText = await readJournalText(journalPath);
        const replay = journalText === undefined ? undefined : replayJournal(journalPath, journalText, text, data);
        // A journal with entries that does not continue this db.json (someone replaced the file, or a
        // compaction died before starting a new journal) is kept aside, not overwritten by the next one.
        if (replay && 'stale' in replay && journalText!.split('\n').length > 2) await rename(journalPath, `${journalPath}.stale-${Date.now()}`);
        loaded = { text, replayed: replay !== undefined && 'applied' in replay && replay.applied > 0 };
        ownWrites.loaded(text);
        await closeJournal(); // the first save writes the replayed state whole and starts a new journal
        saved = undefined;
        return data;
      }),
    save: (data) => serialised(() => saveNow(data)),
    adopt: (value) =>
      serialised(async () => {
        const stats = await stat(path).catch(() => undefined);
        if (!loaded || loaded.replayed || !stats) return rewrite(value);
        await closeJournal();
        dataFile.own({ ino: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs });
        dataFileBytes = Buffer.byteLength(loaded.text);
        await openJournal(loaded.text, codec.keys?.(value));
        saved = value;
      }),
    compact: () =>
      serialised(async () => {
        // No open journal after a save means one on disk may still hold entries: compact to be sure.
        // An unmerged outside edit is left in place (also on close: it is never written over).
        if (saved !== undefined && (!journal || journal.entries > 0)) await compactNow(saved, !journal && !keep);
      }),
    merged: (identity) => {
      // Not queued: a compaction waiting in the queue for this very call must wake up.
      dataFile.merged(identity);
      return serialised(async () => {
        if (saved !== undefined) await compactNow(saved, false);
      });
    },
    async close() {
      await storage.compact();
      clearTimeout(idleTimer);
      await serialised(closeJournal);
    },
  };
  return storage;
};
