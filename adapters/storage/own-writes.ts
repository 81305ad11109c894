// What this process last put in (or read from) the data file, so a file watcher can tell our own
// writes from another program's edits. A cheap check on file identity (inode, size, mtime) first;
// the full text comparison only when that does not match.
import type { Stats } from 'node:fs';

export interface FileIdentity {
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
}

export const sameIdentity = (a: FileIdentity, b: FileIdentity): boolean =>
  a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;

/** The read side, handed to the watcher. */
export interface OwnWrites {
  /** True when a file with these stats is one we wrote (or are writing) and nobody has replaced since. */
  matchesFile(identity: FileIdentity): boolean;
  /** True when this text is what we last wrote or loaded, or are writing now. */
  matchesText(text: string): boolean;
}

/** One write in progress: tell the record when the temp file is finished and when it has landed. */
export interface PendingWrite {
  identified(stats: Stats): void;
  landed(): void;
  failed(): void;
}

export interface OwnWritesRecord extends OwnWrites {
  loaded(text: string): void;
  begin(text: string): PendingWrite;
}

interface Version {
  text: string;
  identity?: FileIdentity;
}

export const createOwnWritesRecord = (): OwnWritesRecord => {
  // The file holds `current` or, once a rename lands, one of `pending` (several only when saves overlap).
  let current: Version | undefined;
  const pending = new Set<Version>();
  const versions = () => (current ? [current, ...pending] : [...pending]);

  return {
    matchesFile: (identity) => versions().some((v) => v.identity !== undefined && sameIdentity(v.identity, identity)),
    matchesText: (text) => versions().some((v) => v.text === text),
    loaded(text) {
      current = { text };
    },
    begin(text) {
      const version: Version = { text };
      pending.add(version);
      return {
        identified(stats) {
          version.identity = { ino: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs };
        },
        landed() {
          pending.delete(version);
          current = version;
        },
        failed() {
          pending.delete(version);
        },
      };
    },
  };
};
