// The `items` message: which service call each form makes and what the reply carries,
// as Directus's websocket items handler does it (see spec §4).
//
// The per-message helpers are module-level functions over one `ItemsCall` record rather than
// closures: TypeScript loaders that keep function names (tsx, esbuild's keepNames) pay an
// `Object.defineProperty` for every named closure created, which doubled the cost of a read.
import { queryContext } from '../access/context.ts';
import { validateAccess } from '../access/validate-access.ts';
import type { QueryContext } from '../query/shared/context.ts';
import { writeAccess, type WriteAccess } from '../access/write-access.ts';
import {
  DirectusError, forbidden, forbiddenCollection, invalidPayload, isFailure, Silent, type Failure,
} from '../errors.ts';
import type { ItemsMessage } from '../messages.ts';
import { readRows } from '../query/read/pipeline.ts';
import { readByQuery, readMany, readOne, readSingleton, type ItemsReply } from './read.ts';
import { limitsOf } from '../query/shared/limits.ts';
import type { Query } from '../query/shared/sanitize.ts';
import { checkQuery, sanitizeBodyQuery } from '../query/validate-query.ts';
import { normalizeKey, validKey, validKeys } from '../keys.ts';
import { collectionOf, isSystemCollection } from '../schema.ts';
import { orderedItems } from '../store.ts';
import type { Accountability, Collection, Data, JsonValue, PrimaryKey, State } from '../types.ts';
import type { ChangeEvent, Tx } from './tx.ts';
import { beginTx, createOne, deleteMany, topLevel, updateMany } from './write.ts';
import { isJsonObject as isObject } from '../json.ts';

export interface ItemsOutcome {
  readonly state: State;
  readonly reply: ItemsReply | Failure;
  /** The events to send: a committed write's, or those a failed batch emitted before it failed. */
  readonly events: readonly ChangeEvent[];
  /** Set when a write was committed: the keys it touched, as Directus's service returns them (REST reads them back). */
  readonly keys?: readonly JsonValue[];
}

/** What every branch needs to answer one message, resolved once. */
interface ItemsCall {
  readonly state: State;
  readonly who: Accountability;
  readonly collection: string;
  readonly info: Collection;
  readonly query: Query;
  readonly now: number;
  readonly limit: number;
}

/** A write's call: the permission rules for its action, and the transaction it builds. */
interface WriteCall extends ItemsCall {
  readonly access: WriteAccess | undefined;
  readonly tx: Tx;
}

/** Directus picks branches by truthiness: `id: 0` or `id: ""` count as absent. */
const truthy = (v: unknown): boolean => Boolean(v);

/** `bodyQuery`: the query is a REST PATCH or DELETE body's, which Directus sanitizes but never validates. */
export interface ItemsOptions {
  readonly bodyQuery?: boolean;
}

/** The message's query, checked as Directus checks it (a request's) or sanitized only (a REST body's). */
const messageQuery = (state: State, who: Accountability, message: ItemsMessage, now: number, options: ItemsOptions): Query | Failure => {
  // Most reads and writes by key carry no query: nothing to check, no context to build.
  if (message.query === undefined && !options.bodyQuery) return {};
  const ctx = queryContext(state.schema, state.data, who, now, 'read', limitsOf(state.config));
  return options.bodyQuery ? sanitizeBodyQuery(message.query, ctx) : checkQuery(message.query, ctx);
};

export const handleItems = (state: State, who: Accountability, message: ItemsMessage, now: number, options: ItemsOptions = {}): ItemsOutcome => {
  const { collection } = message;
  if (isSystemCollection(collection)) {
    return unchanged(state, new DirectusError('INVALID_COLLECTION', 'Cannot trigger an action on a system collection.'));
  }
  // Directus asks whether the collection exists first (assertCollectionActive), then checks the
  // query before any permission; a delete by keys never looks at its query, and a delete with
  // neither keys nor query fails before the service is asked.
  const info = collectionOf(state.schema, collection);
  if (!info) return unchanged(state, forbiddenCollection(collection));
  const deleteByKeys = message.action === 'delete' && (truthy(message.id) || truthy(message.ids));
  if (message.action === 'delete' && !deleteByKeys && !truthy(message.query)) {
    return unchanged(state, new DirectusError('INVALID_PAYLOAD', "Either 'ids', 'id' or 'query' is required for a DELETE request."));
  }
  const query = deleteByKeys ? {} : messageQuery(state, who, message, now, options);
  if (isFailure(query)) return unchanged(state, query);
  const limit = state.config.queryLimitDefault;
  // No permission is asked for up front: each service call asks for its own (a create for its
  // payload, an update or delete once its keys are known), so a bad key or an empty by-query write
  // answers as it would for anybody.
  if (message.action === 'read') return { state, reply: readItems({ state, who, collection, info, query, now, limit }, message), events: [] };
  const access = writeAccess(state.schema, state.data, who, collection, message.action, now);
  const write: WriteCall = { state, who, collection, info, query, now, limit, access, tx: beginTx(state, who, now) };
  switch (message.action) {
    case 'create': return createItems(write, message);
    case 'update': return updateItems(write, message);
    case 'delete': return deleteItems(write, message);
  }
};

type Message<A extends ItemsMessage['action']> = Extract<ItemsMessage, { action: A }>;

const unchanged = (state: State, reply: Failure): ItemsOutcome => ({ state, reply, events: [] });

const contextFor = (call: ItemsCall, data: Data = call.state.data): QueryContext =>
  queryContext(call.state.schema, data, call.who, call.now, 'read', limitsOf(call.state.config));

/** The write stands even when reading it back fails (e.g. FORBIDDEN for a row the caller cannot read). */
const commit = (call: WriteCall, reply: ItemsReply | Failure, keys: readonly JsonValue[]): ItemsOutcome => {
  const { tx, state } = call;
  return { state: { ...state, data: tx.data, seed: tx.seed }, reply, events: tx.events, keys };
};

const readBackOne = (call: WriteCall, key: JsonValue, query: Query, withoutMeta = false) =>
  readOne(contextFor(call, call.tx.data), call.collection, key, query, call.limit, withoutMeta);

const readBackMany = (call: WriteCall, keys: readonly JsonValue[], query: Query) =>
  readMany(contextFor(call, call.tx.data), call.collection, keys, query, call.limit);

const readBackSingleton = (call: WriteCall, query: Query) =>
  readSingleton(contextFor(call, call.tx.data), call.collection, query, call.limit);

/** Keys of the rows a by-query write touches (the first `limit` matches, default 100). */
const keysByQuery = (call: ItemsCall): PrimaryKey[] | Failure => {
  const { primary } = call.info;
  const result = readRows(contextFor(call), call.collection, { ...call.query, fields: [primary], meta: undefined }, { defaultLimit: call.limit });
  if (isFailure(result)) return result;
  // getKeysByQuery reads `fields: [pk]` through the query's alias: with the key itself an alias, each
  // item is a bare value (removeTemporaryFields), `item[pk]` undefined, and no row is touched.
  if (call.query.alias !== undefined && Object.hasOwn(call.query.alias, primary)) return [];
  return result.rows.map((r) => r[primary] as PrimaryKey);
};

/** Fields, presets and validation of a payload, as the caller's permissions allow. */
const permitted = (call: WriteCall, input: unknown) => (call.access ? call.access.payload(input) : input);

/** The fields a payload writes, as validateAccess names them (Object.keys of whatever was sent). */
const payloadFields = (data: unknown): string[] => (data !== null && typeof data === 'object' ? Object.keys(data) : []);

/**
 * updateMany's checks and write: validateAccess over `keys`, the payload's permissions, then the write
 * of `writable` (the keys a row could have; the others are refused above or match nothing).
 */
const updateRows = (call: WriteCall, keys: readonly JsonValue[], writable: readonly JsonValue[], data: unknown): Failure | undefined => {
  const { tx, collection } = call;
  const denied = validateAccess(tx.schema, tx.data, call.who, collection, 'update', keys, payloadFields(data), call.now);
  if (denied) return denied;
  const payload = permitted(call, data);
  if (isFailure(payload)) return payload;
  if (writable.length === 0) return undefined;
  const updated = topLevel(tx, () => updateMany(tx, collection, writable, payload));
  return isFailure(updated) ? updated : undefined;
};

/** Whether a row could have this key at all (a key beyond 2^53 cannot). */
const keyFits = (call: WriteCall, key: JsonValue): boolean => normalizeKey(call.state.schema, call.collection, key) !== undefined;

const readItems = (call: ItemsCall, message: Message<'read'>): ItemsReply | Failure => {
  const { collection, query, limit } = call;
  const ctx = contextFor(call);
  if (truthy(message.id)) return readOne(ctx, collection, message.id!, query, limit);
  if (truthy(message.ids)) return readMany(ctx, collection, message.ids!, query, limit);
  if (call.info.singleton) return readSingleton(ctx, collection, query, limit);
  return readByQuery(ctx, collection, query, limit);
};

const createItems = (call: WriteCall, message: Message<'create'>): ItemsOutcome => {
  const { state, tx, collection, query } = call;
  if (Array.isArray(message.data)) {
    // createMany: each item's nested events come before its own (Directus collects them that way).
    const keys: PrimaryKey[] = [];
    for (const entry of message.data) {
      const payload = permitted(call, entry);
      if (isFailure(payload)) return unchanged(state, payload);
      const created = createOne(tx, collection, payload);
      if (isFailure(created)) return unchanged(state, created);
      keys.push(created);
    }
    const read = readBackMany(call, keys, query);
    return commit(call, isFailure(read) ? read : { data: read.data }, keys);
  }
  const payload = permitted(call, message.data);
  if (isFailure(payload)) return unchanged(state, payload);
  const created = topLevel(tx, () => createOne(tx, collection, payload));
  if (isFailure(created)) return unchanged(state, created);
  return commit(call, readBackOne(call, created, query, true), [created]);
};

const updateItems = (call: WriteCall, message: Message<'update'>): ItemsOutcome => {
  const { state, tx, collection, info, query } = call;
  // updateMany checks the keys before it looks at the payload.
  if (truthy(message.id) && !validKey(state.schema, collection, message.id)) return unchanged(state, forbidden());
  if (!truthy(message.id) && truthy(message.ids) && !validKeys(state.schema, collection, message.ids!)) return unchanged(state, forbidden());
  const data = message.data;
  if (data === undefined) return unchanged(state, new Silent('update without data'));
  if (truthy(message.id)) {
    const id = message.id!;
    const failed = updateRows(call, [id], keyFits(call, id) ? [id] : [], data);
    if (failed) return unchanged(state, failed);
    // updateOne's reply is read back without the query (Directus ignores it here).
    return commit(call, readBackOne(call, id, {}), [id]);
  }
  if (truthy(message.ids)) return updateKeys(call, message.ids!, data);
  if (info.singleton) {
    // upsertSingleton: updateOne of the existing row, else createOne.
    const existing = orderedItems(state.data.collections[collection]!, info.primary)[0];
    const key = existing?.[info.primary] as PrimaryKey | undefined;
    if (key !== undefined) {
      const failed = updateRows(call, [key], [key], data);
      if (failed) return unchanged(state, failed);
      return commit(call, readBackSingleton(call, query), [key]);
    }
    const payload = call.who.admin ? data : writeAccess(state.schema, state.data, call.who, collection, 'create', call.now).payload(data);
    if (isFailure(payload)) return unchanged(state, payload);
    const created = topLevel(tx, () => createOne(tx, collection, payload));
    if (isFailure(created)) return unchanged(state, created);
    return commit(call, readBackSingleton(call, query), [created]);
  }
  if (Array.isArray(data)) return updateBatch(call, data);
  const keys = keysByQuery(call);
  if (isFailure(keys)) return unchanged(state, keys);
  // updateByQuery writes (and asks for permission) only when the query found rows.
  if (keys.length === 0) return commit(call, readBackMany(call, keys, query), keys);
  return updateKeys(call, keys, data);
};

/** A failed batch: nothing written, the events of the items that were done before it failed. */
const failedBatch = (state: State, tx: Tx, emitted: number, reply: Failure): ItemsOutcome => ({ state, reply, events: tx.events.slice(0, emitted) });

/**
 * updateBatch: one updateOne per item, each reporting its own event first; the first item that fails
 * undoes the ones before it. Their events are out already: Directus emits each updateOne's events as
 * it returns, inside the batch's transaction, and a subscriber reads the rows after the rollback.
 */
const updateBatch = (call: WriteCall, entries: readonly unknown[]): ItemsOutcome => {
  const { state, info, tx } = call;
  const keys: JsonValue[] = [];
  let emitted = 0;
  let lastItemFrom = 0;
  for (const entry of entries) {
    // Directus reads `item[primary]` of each item: null throws (no reply), other non-objects have no key.
    if (entry === null) return failedBatch(state, tx, emitted, new Silent(`Cannot read properties of null (reading '${info.primary}')`));
    const key = isObject(entry) ? entry[info.primary] : undefined;
    // Directus tests the key for truthiness: 0 and "" are missing too.
    if (key === undefined || !truthy(key)) return failedBatch(state, tx, emitted, invalidPayload('Item in update misses primary key'));
    if (!validKey(state.schema, call.collection, key)) return failedBatch(state, tx, emitted, forbidden());
    const { [info.primary]: _key, ...fields } = entry as Record<string, JsonValue>;
    const failed = updateRows(call, [key], keyFits(call, key) ? [key] : [], fields);
    if (failed) return failedBatch(state, tx, emitted, failed);
    keys.push(key);
    lastItemFrom = emitted;
    emitted = tx.events.length;
  }
  const outcome = commit(call, readBackMany(call, keys, call.query), keys);
  if (!tx.dialect.eventsReadCommitted || lastItemFrom === 0) return outcome;
  // Every item's events but the last item's are read before the batch commits (Dialect.eventsReadCommitted).
  return { ...outcome, events: outcome.events.map((event, at) => (at < lastItemFrom ? { ...event, readsBefore: true } : event)) };
};

/** updateMany: one update of all keys (nested m2o/m2a written once), then nested o2m per key. */
const updateKeys = (call: WriteCall, keys: readonly JsonValue[], data: unknown): ItemsOutcome => {
  const failed = updateRows(call, keys, keys, data);
  if (failed) return unchanged(call.state, failed);
  return commit(call, readBackMany(call, keys, call.query), keys);
};

const deleteItems = (call: WriteCall, message: Message<'delete'>): ItemsOutcome => {
  if (truthy(message.id)) return deleteKeys(call, [message.id!], message.id!);
  if (truthy(message.ids)) return deleteKeys(call, message.ids!, message.ids as JsonValue);
  const keys = keysByQuery(call);
  if (isFailure(keys)) return unchanged(call.state, keys);
  // deleteByQuery deletes (and asks for permission) only when the query found rows.
  if (keys.length === 0) return commit(call, { data: keys }, keys);
  return deleteKeys(call, keys, keys);
};

/** Deletes the rows among `keys` that exist; the reply echoes what was sent (`reply`), missing keys included. */
const deleteKeys = (call: WriteCall, keys: readonly JsonValue[], reply: JsonValue): ItemsOutcome => {
  const { state, tx, collection } = call;
  if (!validKeys(state.schema, collection, keys)) return unchanged(state, forbidden());
  const denied = validateAccess(state.schema, state.data, call.who, collection, 'delete', keys, [], call.now);
  if (denied) return unchanged(state, denied);
  const normalized = keys.map((k) => normalizeKey(state.schema, collection, k)).filter((k): k is PrimaryKey => k !== undefined);
  const deleted = deleteMany(tx, collection, normalized, keys);
  if (isFailure(deleted)) return unchanged(state, deleted);
  return commit(call, { data: reply }, keys);
};
