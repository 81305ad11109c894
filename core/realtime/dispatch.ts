// Change events → subscription frames. Each payload is re-read from the changed keys only, through
// the subscription's query and the subscriber's current permissions (spec §5.3).
import { liveQueryContext, mayPerform, queryContext } from '../access/context.ts';
import { errorFrame, isFailure, DirectusError, type Failure } from '../errors.ts';
import { frame, send } from '../frames.ts';
import { readManyLimit, readOne } from '../items/read.ts';
import type { ChangeEvent } from '../items/tx.ts';
import { prepareRead, readMeta, rowsByKeys, withKeysFilter, type PreparedRead } from '../query/read/pipeline.ts';
import { limitsOf } from '../query/shared/limits.ts';
import { sanitizeQuery, type Query } from '../query/shared/sanitize.ts';
import { normalizeKey } from '../keys.ts';
import { getItem } from '../store.ts';
import type { Connection, Data, Item, JsonObject, JsonValue, Output, PrimaryKey, State, Subscription } from '../types.ts';

/**
 * Delete events carry only keys. Directus sends them to every subscriber; standin (deliberately)
 * sends only the keys of rows the subscriber could read just before the delete.
 */
const readableDeletedKeys = (state: State, before: Data, conn: Connection, event: ChangeEvent, now: number): JsonValue[] => {
  if (!mayPerform(before, conn.accountability, event.collection, 'read')) return [];
  if (conn.accountability.admin) return [...event.keys];
  const ctx = queryContext(state.schema, before, conn.accountability, now);
  const rule = ctx.rowRule?.(event.collection);
  if (!rule) return [...event.keys];
  const store = before.collections[event.collection];
  return event.keys.filter((k) => {
    const key = normalizeKey(state.schema, event.collection, k);
    const row = store && key !== undefined ? getItem(store, key) : undefined;
    return row !== undefined && rule(row);
  });
};

/** A delete event carries `meta` too when the subscription's query asks for it, counted after the delete. */
const deleteMeta = (state: State, conn: Connection, sub: Subscription): JsonObject | undefined => {
  const query = sanitizeQuery(sub.query, limitsOf(state.config));
  if (isFailure(query) || !query.meta) return undefined;
  const meta = readMeta(queryContext(state.schema, state.data, conn.accountability, sub.since, 'read', limitsOf(state.config)), sub.collection, query);
  return isFailure(meta) ? undefined : (meta as JsonObject);
};

/** What a subscription compiles once and reuses for every event (until its caller or permissions change). */
interface Prepared {
  readonly who: Connection['accountability'];
  readonly system: Data['system'];
  readonly schema: State['schema'];
  readonly live: ReturnType<typeof liveQueryContext>;
  readonly query: Query;
  readonly read: PreparedRead | Failure;
}

const prepared = new WeakMap<Subscription, Prepared>();

/**
 * The subscription's query compiled against a live context: per event only the changed rows are
 * looked up, matched and projected (the filter is not recompiled, the collection never scanned).
 */
const prepare = (state: State, conn: Connection, sub: Subscription): Prepared | undefined => {
  const cached = prepared.get(sub);
  if (cached && cached.who === conn.accountability && cached.system === state.data.system && cached.schema === state.schema) {
    cached.live.use(state.data);
    return cached;
  }
  const limits = limitsOf(state.config);
  const query = sanitizeQuery(sub.query, limits);
  if (isFailure(query)) return undefined;
  const live = liveQueryContext(state.schema, state.data, conn.accountability, sub.since, limits);
  const entry: Prepared = { who: conn.accountability, system: state.data.system, schema: state.schema, live, query, read: prepareRead(live.ctx, sub.collection, withKeysFilter(query)) };
  prepared.set(sub, entry);
  return entry;
};

/** Keys that matched the subscription before this update and do not now (standin's opt-in `leave`). */
const leftKeys = (entry: Prepared, state: State, before: Data, collection: string, keys: readonly JsonValue[]): JsonValue[] => {
  if (isFailure(entry.read)) return [];
  const read = entry.read;
  const was = before.collections[collection];
  const now = state.data.collections[collection];
  return keys.filter((k) => {
    const key = normalizeKey(state.schema, collection, k);
    if (key === undefined || !was || !now) return false;
    const old = getItem(was, key);
    const current = getItem(now, key);
    entry.live.use(before);
    const matchedBefore = old !== undefined && read.matches(old);
    entry.live.use(state.data);
    return matchedBefore && (current === undefined || !read.matches(current));
  });
};

/** An event's changed rows as they are now, looked up once for all of its subscribers. */
interface Changed {
  readonly event: ChangeEvent;
  rows?: readonly Item[];
}

const changedRows = (state: State, changed: Changed, collection: string): readonly Item[] => {
  if (changed.rows) return changed.rows;
  const keys = changed.event.keys.map((k) => normalizeKey(state.schema, collection, k)).filter((k): k is PrimaryKey => k !== undefined);
  changed.rows = rowsByKeys(state.schema, state.data, collection, keys);
  return changed.rows;
};

const eventFrame = (state: State, before: Data, conn: Connection, sub: Subscription, changed: Changed, now: number): string | undefined => {
  const { event } = changed;
  if (sub.item !== undefined && !event.keys.includes(sub.item)) return undefined;
  if (event.action === 'delete') {
    const keys = readableDeletedKeys(state, before, conn, event, now);
    if (keys.length === 0) return undefined;
    return frame('subscription', { event: 'delete', data: sub.item !== undefined ? sub.item : keys, meta: deleteMeta(state, conn, sub) }, sub.uid);
  }
  if (sub.item !== undefined) {
    // Item subscriptions are few: read the one row exactly as readOne does (FORBIDDEN → nothing sent).
    const limits = limitsOf(state.config);
    const query = sanitizeQuery(sub.query, limits);
    if (isFailure(query)) return undefined;
    const ctx = queryContext(state.schema, state.data, conn.accountability, sub.since, 'read', limits);
    const payload = readOne(ctx, sub.collection, sub.item, query, state.config.queryLimitDefault);
    return isFailure(payload) ? undefined : frame('subscription', { event: event.action, data: payload.data, meta: payload.meta as JsonObject | undefined }, sub.uid);
  }
  const entry = prepare(state, conn, sub);
  if (!entry) return undefined;
  // Directus reports a failed event read with the subscription's uid (as a string, as it keeps it).
  if (isFailure(entry.read)) return entry.read instanceof DirectusError ? errorFrame('subscribe', entry.read, sub.uid) : undefined;
  // readMany semantics: `limit` defaults to the number of keys.
  const result = entry.read.runOn(changedRows(state, changed, sub.collection), state.config.queryLimitDefault, { limit: readManyLimit(entry.query, event.keys.length, state.config.queryLimitDefault) });
  if (isFailure(result)) return result instanceof DirectusError ? errorFrame('subscribe', result, sub.uid) : undefined;
  const left = sub.leave && event.action === 'update' ? leftKeys(entry, state, before, sub.collection, event.keys) : [];
  if (result.data.length === 0 && left.length === 0) return undefined;
  const data = result.data;
  const meta = entry.query.meta ? readMeta(entry.live.ctx, sub.collection, entry.query) : undefined;
  return frame('subscription', {
    event: event.action,
    data,
    meta: meta && !isFailure(meta) ? (meta as JsonObject) : undefined,
    left: left.length > 0 ? left : undefined,
  }, sub.uid);
};

const connectionLists = new WeakMap<State['connections'], readonly Connection[]>();

/** The connections as a list, kept per connections record (writes rarely change it). */
const connectionList = (connections: State['connections']): readonly Connection[] => {
  let list = connectionLists.get(connections);
  if (!list) connectionLists.set(connections, (list = Object.values(connections)));
  return list;
};

/**
 * The frames every open connection's subscriptions get for these events, in event order — except
 * that `delete` frames go first: Directus sends them at once, while every other event waits for a
 * read of its payload, so a write's deletes reach each connection before its creates and updates.
 */
export const dispatch = (state: State, before: Data, events: readonly ChangeEvent[], now: number): Output[] => {
  const out: Output[] = [];
  if (events.length === 0) return out;
  const ordered = events.some((e) => e.action === 'delete') && events.some((e) => e.action !== 'delete')
    ? [...events.filter((e) => e.action === 'delete'), ...events.filter((e) => e.action !== 'delete')]
    : events;
  const conns = connectionList(state.connections);
  for (const event of ordered) {
    const changed: Changed = { event };
    const readState = event.readsBefore ? { ...state, data: before } : state;
    for (const conn of conns) {
      if (conn.phase !== 'open') continue;
      for (const sub of conn.subscriptions) {
        if (sub.collection !== event.collection || (sub.event !== undefined && sub.event !== event.action)) continue;
        const text = eventFrame(readState, before, conn, sub, changed, now);
        if (text !== undefined) out.push(send(conn.id, text));
      }
    }
  }
  return out;
};
