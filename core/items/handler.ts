// The `items` message: which service call each form makes and what the reply carries,
// as Directus's websocket items handler does it (see spec §4).
//
// The per-message helpers are module-level functions over one `ItemsCall` record rather than
// closures: TypeScript loaders that keep function names (tsx, esbuild's keepNames) pay an
// `Object.defineProperty` for every named closure created, which doubled the cost of a read.
import { mayPerform, queryContext } from '../access/context.ts';
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
import { everyRowPasses } from './nested-access.ts';
import type { ChangeEvent, Tx } from './tx.ts';
import { beginTx, createOne, deleteMany, topLevel, updateMany } from './write.ts';
import { isJsonObject as isObject } from '../json.ts';

export interface ItemsOutcome {
  readonly state: State;
  readonly reply: ItemsReply | Failure;
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
  const ctx = queryContext(state.schema, state.data, who, now, 'read', limitsOf(state.config));
  const query = deleteByKeys ? {} : options.bodyQuery ? sanitizeBodyQuery(message.query, ctx) : checkQuery(message.query, ctx);
  if (isFailure(query)) return unchanged(state, query);
  const limit = state.config.queryLimitDefault;
  // A read asks for the collection's permission only after every path it names was found (prepareRead).
  if (message.action !== 'read' && !mayPerform(state.data, who, collection, message.action)) {
    // A write by query first reads its keys as the caller; when none match, Directus writes nothing
    // and never asks whether the caller could have.
    if (!writesByQuery(message, info)) return unchanged(state, forbiddenCollection(collection));
    const keys = keysByQuery({ state, who, collection, info, query, now, limit });
    if (isFailure(keys)) return unchanged(state, keys);
    if (keys.length > 0) return unchanged(state, forbiddenCollection(collection));
    return { state, reply: { data: [] }, events: [], keys: [] };
  }
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

/** updateByQuery / deleteByQuery: the forms whose keys come from reading the query. */
const writesByQuery = (message: ItemsMessage, info: Collection): boolean => {
  if (message.action === 'delete') return !truthy(message.id) && !truthy(message.ids);
  if (message.action !== 'update') return false;
  return !truthy(message.id) && !truthy(message.ids) && !info.singleton && !Array.isArray(message.data) && message.data !== undefined;
};

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
  return isFailure(result) ? result : result.rows.map((r) => r[primary] as PrimaryKey);
};

/** Fields, presets and validation of a payload, as the caller's permissions allow. */
const permitted = (call: WriteCall, input: unknown) => (call.access ? call.access.payload(input) : input);

/** Every existing row among `keys` must pass the permission's item rule; a missing row is FORBIDDEN for non-admins. */
const rowsAllowed = (call: WriteCall, keys: readonly JsonValue[]): boolean => {
  const { access, state, collection } = call;
  return call.who.admin || !access || everyRowPasses(state.schema, state.data, collection, keys, access);
};

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
  if (message.data === undefined) return unchanged(state, new Silent('update without data'));
  const data = Array.isArray(message.data) ? message.data : permitted(call, message.data);
  if (isFailure(data)) return unchanged(state, data);
  if (truthy(message.id)) {
    const id = message.id!;
    if (!rowsAllowed(call, [id])) return unchanged(state, forbidden());
    if (normalizeKey(state.schema, collection, id) !== undefined) {
      const updated = topLevel(tx, () => updateMany(tx, collection, [id], data));
      if (isFailure(updated)) return unchanged(state, updated);
    }
    // updateOne's reply is read back without the query (Directus ignores it here).
    return commit(call, readBackOne(call, id, {}), [id]);
  }
  if (truthy(message.ids)) return updateKeys(call, message.ids!, data);
  if (info.singleton) {
    const existing = orderedItems(state.data.collections[collection]!, info.primary)[0];
    const key = existing?.[info.primary] as PrimaryKey | undefined;
    const written = topLevel(tx, () => (key !== undefined ? updateMany(tx, collection, [key], data) : createOne(tx, collection, data)));
    if (isFailure(written)) return unchanged(state, written);
    return commit(call, readBackSingleton(call, query), [key ?? (written as PrimaryKey)]);
  }
  if (Array.isArray(data)) return updateBatch(call, data);
  const keys = keysByQuery(call);
  if (isFailure(keys)) return unchanged(state, keys);
  return updateKeys(call, keys, data);
};

/** updateBatch: one updateOne per item, each reporting its own event first. */
const updateBatch = (call: WriteCall, entries: readonly unknown[]): ItemsOutcome => {
  const { state, tx, collection, info } = call;
  const keys: JsonValue[] = [];
  for (const entry of entries) {
    const key = isObject(entry) ? entry[info.primary] : undefined;
    // Directus tests the key for truthiness: 0 and "" are missing too.
    if (key === undefined || !truthy(key)) return unchanged(state, invalidPayload('Item in update misses primary key'));
    if (!validKey(state.schema, collection, key)) return unchanged(state, forbidden());
    const { [info.primary]: _key, ...fields } = entry as Record<string, JsonValue>;
    const allowed = permitted(call, fields);
    if (isFailure(allowed)) return unchanged(state, allowed);
    if (!rowsAllowed(call, [key])) return unchanged(state, forbidden());
    if (normalizeKey(state.schema, collection, key) !== undefined) {
      const updated = topLevel(tx, () => updateMany(tx, collection, [key], entry));
      if (isFailure(updated)) return unchanged(state, updated);
    }
    keys.push(key);
  }
  return commit(call, readBackMany(call, keys, call.query), keys);
};

/** updateMany: one update of all keys (nested m2o/m2a written once), then nested o2m per key. */
const updateKeys = (call: WriteCall, keys: readonly JsonValue[], data: unknown): ItemsOutcome => {
  const { state, tx, collection } = call;
  if (!rowsAllowed(call, keys)) return unchanged(state, forbidden());
  if (keys.length > 0) {
    const updated = topLevel(tx, () => updateMany(tx, collection, keys, data));
    if (isFailure(updated)) return unchanged(state, updated);
  }
  return commit(call, readBackMany(call, keys, call.query), keys);
};

const deleteItems = (call: WriteCall, message: Message<'delete'>): ItemsOutcome => {
  if (truthy(message.id)) return deleteKeys(call, [message.id!], message.id!);
  if (truthy(message.ids)) return deleteKeys(call, message.ids!, message.ids as JsonValue);
  const keys = keysByQuery(call);
  if (isFailure(keys)) return unchanged(call.state, keys);
  return deleteKeys(call, keys, keys);
};

/** Deletes the rows among `keys` that exist; the reply echoes what was sent (`reply`), missing keys included. */
const deleteKeys = (call: WriteCall, keys: readonly JsonValue[], reply: JsonValue): ItemsOutcome => {
  const { state, tx, collection } = call;
  if (!validKeys(state.schema, collection, keys) || !rowsAllowed(call, keys)) return unchanged(state, forbidden());
  const normalized = keys.map((k) => normalizeKey(state.schema, collection, k)).filter((k): k is PrimaryKey => k !== undefined);
  const deleted = deleteMany(tx, collection, normalized, keys);
  if (isFailure(deleted)) return unchanged(state, deleted);
  return commit(call, { data: reply }, keys);
};
