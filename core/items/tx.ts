// One write transaction's working copy, and the shapes every write module shares. It sits below
// write.ts (the service calls) and nested.ts (relational payloads), which call each other: nested
// writes reach the service calls through `tx.writes`, so neither module imports the other in a circle.
import type { Dialect } from '../dialect.ts';
import type { Failure } from '../errors.ts';
import { isJsonObject } from '../json.ts';
import type { Accountability, Collection, Data, JsonValue, PrimaryKey, Schema } from '../types.ts';

/** A change for subscribers: `keys` exactly as the writer passed them (Directus compares them as is). */
export interface ChangeEvent {
  readonly collection: string;
  readonly action: 'create' | 'update' | 'delete';
  readonly keys: readonly JsonValue[];
  /** Subscribers read this event's rows as they were before the write (see Dialect.eventsReadCommitted). */
  readonly readsBefore?: boolean;
}

export type Payload = Readonly<Record<string, JsonValue>>;

export const isPayload: (v: unknown) => v is Payload = isJsonObject;

/** The items service's write calls (write.ts), as nested writes call them. */
export interface ItemWrites {
  readonly createOne: (tx: Tx, collection: string, input: unknown) => PrimaryKey | Failure;
  readonly updateMany: (tx: Tx, collection: string, keys: readonly JsonValue[], input: unknown) => void | Failure;
  readonly deleteMany: (tx: Tx, collection: string, keys: readonly PrimaryKey[], sent: readonly JsonValue[]) => void | Failure;
}

/**
 * One transaction's working copy. `events` are in the order Directus's nested services report them:
 * each write after the writes nested in it (see `topLevel` in write.ts for the order of the write asked for).
 */
export interface Tx {
  readonly schema: Schema;
  data: Data;
  seed: number;
  readonly events: ChangeEvent[];
  /** Who writes, and when: nested writes are checked against their permissions (none for admins). */
  readonly who: Accountability;
  readonly now: number;
  readonly writes: ItemWrites;
  /** Items created, updated or deleted so far, nested ones included (MAX_BATCH_MUTATION counts them). */
  mutations: number;
  readonly maxMutations: number;
  /** The database whose column types and constraint errors writes copy. */
  readonly dialect: Dialect;
  /** The relational fields the current write is nested in (Directus's `nested`, the `path` of its validation errors). */
  nested: readonly string[];
}

/** Runs a nested write one relational field deeper (`nested` restored after it). */
export const within = <T>(tx: Tx, field: string, write: () => T): T => {
  const outer = tx.nested;
  tx.nested = [...outer, field];
  try {
    return write();
  } finally {
    tx.nested = outer;
  }
};

export const info = (tx: Tx, collection: string): Collection => tx.schema.collections[collection]!;
