// Whether db.json is still the file this storage last wrote or adopted, and, for `--watch`
// (keepOutsideEdits), holding writes back from a db.json another program wrote until it is merged.
import { statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { sameIdentity, type FileIdentity } from './own-writes.ts';

/** A compaction found db.json replaced by another program, whose edit is not merged yet. */
export class OutsideEditPending extends Error {
  constructor() {
    super('db.json holds an outside edit that is not merged yet');
  }
}

export interface DataFileOwner {
  /** The db.json with this identity is ours (we wrote or adopted it, or merged its edit). */
  own(identity: FileIdentity | undefined): void;
  /** With keepOutsideEdits: true when db.json is a file another program put there (synchronous: checked just before a rename). */
  holdsOutsideEdit(): boolean;
  /** True when db.json is gone or no longer the file we own. */
  replacedBehindUs(): Promise<boolean>;
  /** Resolves at the next `merged()`. */
  nextMerge(): Promise<void>;
  /** The outside edit with this identity is merged: it is ours now; writes waiting for it go on. */
  merged(identity: FileIdentity): void;
}

export const createDataFileOwner = (path: string, keepOutsideEdits: boolean): DataFileOwner => {
  let owned: FileIdentity | undefined;
  let mergeWaiters: (() => void)[] = [];
  return {
    own(identity) {
      owned = identity;
    },
    holdsOutsideEdit() {
      if (!keepOutsideEdits || !owned) return false;
      let stats;
      try {
        stats = statSync(path);
      } catch {
        return false; // gone: nothing to keep
      }
      return !sameIdentity(owned, stats);
    },
    async replacedBehindUs() {
      const stats = await stat(path).catch(() => undefined);
      return !stats || !owned || !sameIdentity(owned, stats);
    },
    nextMerge: () => new Promise<void>((resolve) => mergeWaiters.push(resolve)),
    merged(identity) {
      owned = identity;
      const waiters = mergeWaiters;
      mergeWaiters = [];
      for (const wake of waiters) wake();
    },
  };
};
