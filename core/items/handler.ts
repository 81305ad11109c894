// The `items` message: which service call each form makes and what the reply carries,
// as Directus's websocket items handler does it (see spec §4).
import { mayPerform, queryContext } from '../access/context.ts';
import { writeAccess } from '../access/write-access.ts';
import {
  DirectusError, forbidden, forbiddenCollection, invalidPayload, isFailure, Silent, type Failure,
} from '../errors.ts';
import type { ItemsMessage } from '../messages.ts';
import { readRows } from '../query/read.ts';
import { readByQuery, readMany as readManyAs, readOne as readOneAs, readSingleton as readSingletonAs, type ItemsReply } from './read.ts';
import { sanitizeQuery, type Query } from '../query/sanitize.ts';
import { normalizeKey } from '../relations.ts';
import { isSystemCollection } from '../schema.ts';
import { getItem, orderedItems } from '../store.ts';
import type { Accountability, JsonValue, PrimaryKey, State } from '../types.ts';
import { beginTx, createOne, deleteMany, topLevel, updateMany, type ChangeEvent, type Tx } from './write.ts';
import { isJsonObject as isObject } from '../json.ts';

export interface ItemsOutcome {
  readonly state: State;
  readonly reply: ItemsReply | Failure;
  readonly events: readonly ChangeEvent[];
  /** Set when a write was committed: the keys it touched, as Directus's service returns them (REST reads them back). */
  readonly keys?: readonly JsonValue[];
}

/** Directus picks branches by truthiness: `id: 0` or `id: ""` count as absent. */
const truthy = (v: unknown): boolean => Boolean(v);

export const handleItems = (state: State, who: Accountability, message: ItemsMessage, now: number): ItemsOutcome => {
  const fail = (reply: Failure): ItemsOutcome => ({ state, reply, events: [] });
  const { collection } = message;
  if (isSystemCollection(collection)) {
    return fail(new DirectusError('INVALID_COLLECTION', 'Cannot trigger an action on a system collection.'));
  }
  const info = state.schema.collections[collection];
  const action = message.action;
  if (!info || !mayPerform(state.data, who, collection, action)) return fail(forbiddenCollection(collection));
  const query = sanitizeQuery(message.query);
  if (isFailure(query)) return fail(query);
  const limit = state.config.queryLimitDefault;
  const ctx = (data = state.data) => queryContext(state.schema, data, who, now);

  const readOne = (data: State['data'], key: JsonValue, q: Query) => readOneAs(ctx(data), collection, key, q, limit);
  const readMany = (data: State['data'], keys: readonly JsonValue[], q: Query) => readManyAs(ctx(data), collection, keys, q, limit);
  const readSingleton = (data: State['data'], q: Query) => readSingletonAs(ctx(data), collection, q, limit);
  /** Keys of the rows a by-query write touches (the first `limit` matches, default 100). */
  const keysByQuery = (q: Query): PrimaryKey[] | Failure => {
    const result = readRows(ctx(), collection, { ...q, fields: [info.primary], meta: undefined }, { defaultLimit: limit });
    return isFailure(result) ? result : result.rows.map((r) => r[info.primary] as PrimaryKey);
  };
  // Permissions for writes: fields, presets and validation of the payload; which rows may be touched.
  const access = action === 'read' ? undefined : writeAccess(state.schema, state.data, who, collection, action, now);
  const permitted = (input: unknown) => (access ? access.payload(input) : input);
  /** Every existing row among `keys` must pass the permission's item rule; a missing row is FORBIDDEN for non-admins. */
  const rowsAllowed = (keys: readonly JsonValue[]): boolean => {
    if (who.admin || !access) return true;
    const store = state.data.collections[collection]!;
    return keys.every((k) => {
      const key = normalizeKey(state.schema, collection, k);
      const row = key === undefined ? undefined : getItem(store, key);
      return row !== undefined && access.row(row);
    });
  };
  const tx: Tx = beginTx(state);
  // The write stands even when reading it back fails (e.g. FORBIDDEN for a row the caller cannot read).
  const commit = (next: Tx, reply: ItemsReply | Failure, keys: readonly JsonValue[]): ItemsOutcome =>
    ({ state: { ...state, data: next.data, seed: next.seed }, reply, events: next.events, keys });

  switch (message.action) {
    case 'read': {
      if (truthy(message.id)) return { state, reply: readOne(state.data, message.id!, query), events: [] };
      if (truthy(message.ids)) return { state, reply: readMany(state.data, message.ids!, query), events: [] };
      if (info.singleton) return { state, reply: readSingleton(state.data, query), events: [] };
      return { state, reply: readByQuery(ctx(), collection, query, limit), events: [] };
    }
    case 'create': {
      if (Array.isArray(message.data)) {
        // createMany: each item's nested events come before its own (Directus collects them that way).
        const keys: PrimaryKey[] = [];
        for (const entry of message.data) {
          const payload = permitted(entry);
          if (isFailure(payload)) return fail(payload);
          const created = createOne(tx, collection, payload);
          if (isFailure(created)) return fail(created);
          keys.push(created);
        }
        const read = readMany(tx.data, keys, query);
        return commit(tx, isFailure(read) ? read : { data: read.data }, keys);
      }
      const payload = permitted(message.data);
      if (isFailure(payload)) return fail(payload);
      const created = topLevel(tx, () => createOne(tx, collection, payload));
      if (isFailure(created)) return fail(created);
      const read = readOne(tx.data, created, { ...query, meta: undefined });
      return commit(tx, read, [created]);
    }
    case 'update': {
      if (message.data === undefined) return fail(new Silent('update without data'));
      const data = Array.isArray(message.data) ? message.data : permitted(message.data);
      if (isFailure(data)) return fail(data);
      if (truthy(message.id)) {
        if (!rowsAllowed([message.id!])) return fail(forbidden());
        if (normalizeKey(state.schema, collection, message.id) !== undefined) {
          const updated = topLevel(tx, () => updateMany(tx, collection, [message.id!], data));
          if (isFailure(updated)) return fail(updated);
        }
        // updateOne's reply is read back without the query (Directus ignores it here).
        return commit(tx, readOne(tx.data, message.id!, {}), [message.id!]);
      }
      if (truthy(message.ids)) return updateKeys(message.ids!, data, query);
      if (info.singleton) {
        const existing = orderedItems(state.data.collections[collection]!, info.primary)[0];
        const key = existing?.[info.primary] as PrimaryKey | undefined;
        const written = topLevel(tx, () => (key !== undefined ? updateMany(tx, collection, [key], data) : createOne(tx, collection, data)));
        if (isFailure(written)) return fail(written);
        return commit(tx, readSingleton(tx.data, query), [key ?? (written as PrimaryKey)]);
      }
      if (Array.isArray(data)) {
        // updateBatch: one updateOne per item, each reporting its own event first.
        const keys: JsonValue[] = [];
        for (const entry of data) {
          const key = isObject(entry) ? entry[info.primary] : undefined;
          if (key === undefined || key === null) return fail(invalidPayload('Item in update misses primary key'));
          const { [info.primary]: _key, ...fields } = entry as Record<string, JsonValue>;
          const allowed = permitted(fields);
          if (isFailure(allowed)) return fail(allowed);
          if (!rowsAllowed([key])) return fail(forbidden());
          if (normalizeKey(state.schema, collection, key) !== undefined) {
            const updated = topLevel(tx, () => updateMany(tx, collection, [key], entry));
            if (isFailure(updated)) return fail(updated);
          }
          keys.push(key);
        }
        return commit(tx, readMany(tx.data, keys, query), keys);
      }
      const keys = keysByQuery(query);
      if (isFailure(keys)) return fail(keys);
      return updateKeys(keys, data, query);
    }
    case 'delete': {
      if (truthy(message.id)) return deleteSent([message.id!], message.id!);
      if (truthy(message.ids)) return deleteSent(message.ids!, message.ids as JsonValue);
      if (truthy(message.query)) {
        const keys = keysByQuery(query);
        if (isFailure(keys)) return fail(keys);
        return deleteSent(keys, keys);
      }
      return fail(new DirectusError('INVALID_PAYLOAD', "Either 'ids', 'id' or 'query' is required for a DELETE request."));
    }
  }

  /** updateMany: one update of all keys (nested m2o/m2a written once), then nested o2m per key. */
  function updateKeys(keys: readonly JsonValue[], data: unknown, q: Query): ItemsOutcome {
    if (!rowsAllowed(keys)) return fail(forbidden());
    if (keys.length > 0) {
      const updated = topLevel(tx, () => updateMany(tx, collection, keys, data));
      if (isFailure(updated)) return fail(updated);
    }
    return commit(tx, readMany(tx.data, keys, q), keys);
  }

  function deleteSent(keys: readonly JsonValue[], reply: JsonValue): ItemsOutcome {
    if (!rowsAllowed(keys)) return fail(forbidden());
    const normalized = keys.map((k) => normalizeKey(state.schema, collection, k)).filter((k): k is PrimaryKey => k !== undefined);
    const deleted = deleteMany(tx, collection, normalized, keys);
    if (isFailure(deleted)) return fail(deleted);
    return commit(tx, { data: reply }, keys);
  }

};
