// The storage port: the server hands whole data snapshots to it and reads one back at start.
// The core never sees it; adapters (file, memory) implement it.

export interface Storage {
  /** The stored data; rejects with StorageLoadError when there is nothing usable to load. */
  load(): Promise<unknown>;
  /** Persist a JSON-able snapshot; resolves once it is stored (for files: on disk). */
  save(data: unknown): Promise<void>;
}

export type StorageLoadProblem = 'missing' | 'unreadable' | 'invalid-json' | 'not-an-object' | 'invalid-journal';

/** Loading failed; the message names the file and the problem in one line, and nothing was written. */
export class StorageLoadError extends Error {
  override readonly name = 'StorageLoadError';
  readonly path: string;
  readonly problem: StorageLoadProblem;

  constructor(path: string, problem: StorageLoadProblem, detail: string, options?: { cause?: unknown }) {
    super(`Cannot load ${path}: ${detail}`, options);
    this.path = path;
    this.problem = problem;
  }
}

/** True for the plain object the data file must hold at its top level (not an array, not null). */
export const isDataObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
