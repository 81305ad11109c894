// Group commit: one save at a time, and every commit that arrives while a save runs rides on the next
// one. Only the newest snapshot is ever serialised, so N writes during one slow save cost one extra
// save, not N. A commit's promise settles with the first save that contains its state.
import type { Storage } from './port.ts';

export interface CommitterOptions {
  /** true: commit resolves once its state is saved. false: it resolves at once; saves run behind. */
  durable: boolean;
  /** Every failed save is reported here (with durable:false this is the only place it shows). */
  onError?: (error: unknown) => void;
}

export interface Committer {
  /** `snapshot` produces the full current data; it is called later, when the next save starts. */
  commit(snapshot: () => unknown): Promise<void>;
  /** Resolves once everything committed so far is saved; retries a save that failed. */
  flush(): Promise<void>;
  /** Flushes, then refuses further commits. */
  close(): Promise<void>;
}

export class CommitterClosedError extends Error {
  override readonly name = 'CommitterClosedError';
  constructor() {
    super('The storage committer is closed; no more writes are accepted (the server is shutting down)');
  }
}

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

export const createCommitter = (storage: Storage, options: CommitterOptions): Committer => {
  let unsaved: (() => unknown) | undefined; // newest state not yet in a save that succeeded or runs
  let nextWaiters: Waiter[] = [];
  let runningWaiters: Waiter[] | undefined; // set while a save runs
  let scheduled = false;
  let closed = false;

  const waitFor = (queue: Waiter[]) => new Promise<void>((resolve, reject) => queue.push({ resolve, reject }));

  // A microtask's delay lets the commits of one synchronous burst (e.g. one socket read) share a save.
  const schedule = () => {
    if (scheduled || runningWaiters) return;
    scheduled = true;
    queueMicrotask(startSave);
  };

  const startSave = () => {
    scheduled = false;
    const snapshot = unsaved;
    if (runningWaiters || !snapshot) return;
    unsaved = undefined;
    const waiters = nextWaiters;
    nextWaiters = [];
    runningWaiters = waiters;

    let saving: Promise<void>;
    try {
      saving = storage.save(snapshot());
    } catch (error) {
      saving = Promise.reject(error);
    }
    const settle = (failure?: { error: unknown }) => {
      // Clear the running state before waking anyone, so a waiter that commits or flushes at once
      // starts or joins the next save instead of this finished one.
      runningWaiters = undefined;
      if (failure) unsaved ??= snapshot; // still not on disk: the next commit or flush saves it again
      // Only pending commits restart a save; a failed one alone waits for a commit or flush.
      if (nextWaiters.length > 0) schedule();
      for (const waiter of waiters) {
        if (failure) waiter.reject(failure.error);
        else waiter.resolve();
      }
      if (failure) options.onError?.(failure.error);
    };
    saving.then(() => settle(), (error: unknown) => settle({ error }));
  };

  const flush = (): Promise<void> => {
    if (unsaved) {
      const done = waitFor(nextWaiters);
      schedule();
      return done;
    }
    return runningWaiters ? waitFor(runningWaiters) : Promise.resolve();
  };

  return {
    commit(snapshot) {
      if (closed) return Promise.reject(new CommitterClosedError());
      unsaved = snapshot;
      const saved = waitFor(nextWaiters);
      schedule();
      if (options.durable) return saved;
      saved.catch(() => {}); // reported through onError; nobody awaits this one
      return Promise.resolve();
    },
    flush,
    close() {
      closed = true;
      return flush();
    },
  };
};
