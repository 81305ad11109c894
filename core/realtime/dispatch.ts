// Change events → subscription frames. Each payload is re-read from the changed keys only, through
// the subscription's query and the subscriber's current permissions (spec §5.3).
import { mayPerform, queryContext } from '../access/context.ts';
import { errorFrame, isFailure, DirectusError } from '../errors.ts';
import { frame, send } from '../frames.ts';
import { readMany, readOne } from '../items/read.ts';
import type { ChangeEvent } from '../items/write.ts';
import { sanitizeQuery } from '../query/sanitize.ts';
import { normalizeKey } from '../relations.ts';
import { getItem } from '../store.ts';
import type { Connection, Data, JsonObject, JsonValue, Output, State, Subscription } from '../types.ts';

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

const eventFrame = (state: State, before: Data, conn: Connection, sub: Subscription, event: ChangeEvent, now: number): string | undefined => {
  if (sub.item !== undefined && !event.keys.includes(sub.item)) return undefined;
  if (event.action === 'delete') {
    const keys = readableDeletedKeys(state, before, conn, event, now);
    if (keys.length === 0) return undefined;
    return frame('subscription', { event: 'delete', data: sub.item !== undefined ? sub.item : keys }, sub.uid);
  }
  const query = sanitizeQuery(sub.query);
  if (isFailure(query)) return undefined;
  const ctx = queryContext(state.schema, state.data, conn.accountability, sub.since);
  const limit = state.config.queryLimitDefault;
  const payload = sub.item !== undefined
    ? readOne(ctx, sub.collection, sub.item, query, limit)
    : readMany(ctx, sub.collection, event.keys, query, limit);
  if (isFailure(payload)) {
    // An item the subscriber can no longer see is simply not reported (readOne → FORBIDDEN).
    if (sub.item !== undefined || !(payload instanceof DirectusError)) return undefined;
    return errorFrame('subscribe', payload);
  }
  if (Array.isArray(payload.data) && payload.data.length === 0) return undefined;
  return frame('subscription', { event: event.action, data: payload.data, meta: payload.meta as JsonObject | undefined }, sub.uid);
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
  for (const event of ordered) {
    for (const conn of Object.values(state.connections)) {
      if (conn.phase !== 'open') continue;
      for (const sub of conn.subscriptions) {
        if (sub.collection !== event.collection || (sub.event !== undefined && sub.event !== event.action)) continue;
        const text = eventFrame(state, before, conn, sub, event, now);
        if (text !== undefined) out.push(send(conn.id, text));
      }
    }
  }
  return out;
};
